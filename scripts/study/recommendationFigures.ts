/**
 * The study's three plots from its result: recall@20 by method (centralized as the reference
 * line), recall@20 against ε from both starts, and the inference AUC by defence.
 */
import { barChartSvg, lineChartSvg } from "./recommendationPlots.ts";
import { methodName, type RecommendationStudyResult } from "./recommendationStudy.ts";

export function recommendationPlots(result: RecommendationStudyResult): Record<string, string> {
  const { methods, attacks, config } = result;
  const central = methods.find((m) => m.method.startsWith("centralized"))!;
  const recall = (name: string) => methods.find((m) => m.method === name)?.recallAt20 ?? 0;
  const max = Math.ceil(Math.max(...methods.map((m) => m.recallAt20)) * 12) / 10;
  return {
    "recommendation-recall.svg": barChartSvg({
      title: "recall@20, full ranking, time-based split",
      yLabel: "recall@20",
      max,
      bars: methods.map((m) => ({ label: m.method.replace("federated MF", "fed. MF").replace(", secure aggregation", "").replace(" for each upload (no secure aggregation)", " per upload").replace(", from the public factors", ", public start").replace("MF on public on-chain events only", "MF on public events"), value: m.recallAt20 })),
      reference: { label: "centralized", value: central.recallAt20 },
    }),
    "recommendation-epsilon.svg": lineChartSvg({
      title: "recall@20 against ε (one month of rounds)",
      xLabel: "ε",
      yLabel: "recall@20",
      max,
      xs: config.epsilons,
      series: [
        { name: "centralized MF", values: config.epsilons.map(() => central.recallAt20) },
        { name: "secure aggregation, from random factors", values: config.epsilons.map((e) => recall(methodName.secure(e))) },
        { name: "secure aggregation, from the public factors", values: config.epsilons.map((e) => recall(methodName.warm(e))) },
      ],
    }),
    "recommendation-attack.svg": barChartSvg({
      title: "aggregator's inference of a buyer's items (AUC; 0.5 = chance)",
      yLabel: "AUC",
      max: 1,
      bars: attacks.map((a) => ({ label: `${a.decoys} decoys, ${a.noiseMultiplier === 0 ? "no noise" : a.view.includes("the sum less") ? "secure sum" : a.view.includes("fabricated") ? "fabricated roster" : "noise per upload"}`, value: a.auc })),
      reference: { label: "goal 0.6", value: 0.6 },
    }),
  };
}
