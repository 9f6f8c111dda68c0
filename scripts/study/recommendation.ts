/**
 * `npm run study:recommendation`: runs the recommendation study (recommendationStudy.ts) at full
 * size and writes docs/studies/recommendation.md, recommendation.json and the SVG plots beside
 * them. RECOMMENDATION_STUDY_OUT=<dir> writes elsewhere.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MOVIELENS_SHAPE } from "./recommendationData.ts";
import { recommendationPlots } from "./recommendationFigures.ts";
import { recommendationReport } from "./recommendationReport.ts";
import { runRecommendationStudy, type RecommendationStudyConfig } from "./recommendationStudy.ts";

export const FULL_STUDY: RecommendationStudyConfig = {
  shape: MOVIELENS_SHAPE,
  federated: { rounds: 10, dimension: 16, clipNorm: 20, userRegularization: 5, itemRegularization: 0.01, learningRate: 2, seed: 16 },
  warmStart: { rounds: 3, clipNorm: 5 },
  centralizedIterations: 10,
  epsilons: [1, 4, 8],
  delta: 1e-5,
  sampledDecoys: 100,
  attackedUsers: 100,
};

/** Writes the report, the JSON and the plots of `config` into `dir`. */
export function writeRecommendationStudy(config: RecommendationStudyConfig, dir: string, log: (line: string) => void = () => {}): void {
  const result = runRecommendationStudy(config, log);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "recommendation.json"), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(dir, "recommendation.md"), recommendationReport(result));
  for (const [name, svg] of Object.entries(recommendationPlots(result))) writeFileSync(join(dir, name), svg);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.env.RECOMMENDATION_STUDY_OUT ?? fileURLToPath(new URL("../../docs/studies", import.meta.url));
  writeRecommendationStudy(FULL_STUDY, dir, (line) => console.log(line));
  console.log(`wrote ${join(dir, "recommendation.md")}`);
}
