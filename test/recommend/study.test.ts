/**
 * The recommendation study's code paths (scripts/study/recommendation*.ts) on a small market:
 * the generator keeps its shape (every buyer at its minimum, the funnel narrowing, a time split
 * with test buyers), every method and attack setting is reported, federated MF without noise
 * ranks better than most-popular, the attack reads plain uploads without decoys perfectly and
 * does worse once every item is uploaded with noise, and the report, JSON and plots are written.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { auc } from "../../scripts/study/recommendationAttack.ts";
import { writeRecommendationStudy } from "../../scripts/study/recommendation.ts";
import { MOVIELENS_SHAPE } from "../../scripts/study/recommendationData.ts";
import type { RecommendationStudyConfig, RecommendationStudyResult } from "../../scripts/study/recommendationStudy.ts";

const SMALL: RecommendationStudyConfig = {
  shape: { ...MOVIELENS_SHAPE, users: 80, items: 150, clusters: 5, minItemsPerUser: 10, activityLogMean: 2.3, maxItemsPerUser: 60, seed: 4 },
  federated: { rounds: 4, dimension: 6, clipNorm: 20, userRegularization: 2, itemRegularization: 0.01, learningRate: 1, seed: 4 },
  warmStart: { rounds: 2, clipNorm: 5 },
  centralizedIterations: 4,
  epsilons: [1, 8],
  delta: 1e-5,
  sampledDecoys: 20,
  attackedUsers: 10,
};
const dir = mkdtempSync(join(tmpdir(), "recommendation-study-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("the recommendation study on a small market", () => {
  writeRecommendationStudy(SMALL, dir);
  const result = JSON.parse(readFileSync(join(dir, "recommendation.json"), "utf8")) as RecommendationStudyResult;
  const method = (name: string) => result.methods.find((m) => m.method === name)!;

  it("generates a market of the asked shape and splits it by time", () => {
    assert.ok(result.market.minPerUser >= 10);
    assert.ok(result.market.events.browse > result.market.events.testDrive && result.market.events.testDrive > result.market.events.buy && result.market.events.buy > 0);
    assert.ok(result.market.testUsers > 40, `${result.market.testUsers} buyers have a test set`);
  });

  it("reports every method, and federated MF without noise beats most-popular", () => {
    assert.deepEqual(result.methods.map((m) => m.method), [
      "most popular",
      "centralized MF (ALS)",
      "federated MF, no noise",
      "federated MF, secure aggregation, ε = 1",
      "federated MF, secure aggregation, ε = 8",
      "federated MF, ε = 8 for each upload (no secure aggregation)",
      "MF on public on-chain events only",
      "federated MF, secure aggregation, ε = 1, from the public factors",
      "federated MF, secure aggregation, ε = 8, from the public factors",
    ]);
    for (const m of result.methods) for (const value of [m.recallAt10, m.recallAt20, m.ndcgAt10]) assert.ok(value >= 0 && value <= 1);
    assert.ok(method("federated MF, no noise").recallAt20 > method("most popular").recallAt20);
    const secure = method("federated MF, secure aggregation, ε = 8");
    assert.ok(Math.abs(secure.epsilon! - 8) < 0.05, `ε ${secure.epsilon}`);
    assert.ok(secure.uploadEpsilon! > 8, "one upload's share of the noise protects less than the sum's");
    const warm = method("federated MF, secure aggregation, ε = 8, from the public factors");
    assert.ok(Math.abs(warm.epsilon! - 8) < 0.05 && warm.sumNoiseMultiplier! < secure.sumNoiseMultiplier!, "fewer rounds a month need less noise a round");
    const local = method("federated MF, ε = 8 for each upload (no secure aggregation)");
    assert.ok(Math.abs(local.uploadEpsilon! - 8) < 0.05 && local.epsilon! < 8);
  });

  it("the attack reads plain uploads without decoys perfectly, and does worse with every item uploaded and noised", () => {
    const plain = result.attacks.find((a) => a.decoys === "none" && a.noiseMultiplier === 0)!;
    const defended = result.attacks.find((a) => a.decoys === "all" && a.view.includes("the sum less"))!;
    assert.equal(plain.auc, 1);
    assert.ok(defended.auc < 0.75, `AUC ${defended.auc}`);
    assert.deepEqual(result.uploadBytes.map((b) => b.message), ["enrolment", "masked contribution"]);
    assert.ok(result.uploadBytes[1]!.bytes > (150 * 6 * 4 * 4) / 3, "the masked contribution carries every listing's update as base64 uint32");
  });

  it("writes the report and three SVG plots", () => {
    const report = readFileSync(join(dir, "recommendation.md"), "utf8");
    assert.match(report, /\| federated MF, secure aggregation, ε = 8, from the public factors \| 0\.\d{3} \|/);
    assert.match(report, /within 10% of centralized recall@20.*\*\*(met|not met)\*\*/);
    for (const name of ["recommendation-recall.svg", "recommendation-epsilon.svg", "recommendation-attack.svg"]) {
      assert.match(readFileSync(join(dir, name), "utf8"), /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^]*<\/svg>\n$/);
    }
  });

  it("computes the AUC as the probability a touched item outscores an untouched one", () => {
    assert.equal(auc([3, 2, 1, 0], new Set([0, 1])), 1);
    assert.equal(auc([0, 1, 2, 3], new Set([0, 1])), 0);
    assert.equal(auc([1, 1, 1, 1], new Set([0])), 0.5);
  });
});
