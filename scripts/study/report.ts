/**
 * The study's outputs: the raw JSON (every curve point, honest-buyer cost and price row), the
 * curves file the SDK's listing policy suggestion reads, the Markdown report's tables and the
 * SVG plots.
 */
import { formatEther } from "viem";
import type { ExtractionCurves } from "@modelbazaar/sdk/listings";
import type { Curve } from "./curves.ts";
import { FIDELITY_TARGETS, bestOf, type StudyResult } from "./runStudy.ts";
import { queriesToReach } from "./curves.ts";
import { linePlotSvg } from "./svgPlot.ts";

/** JSON with bigints written as decimal strings of wei. */
export function resultJson(result: StudyResult, meta: { date: string; seconds: number; machine: string }): string {
  return `${JSON.stringify({ generatedBy: "npm run study:extraction (scripts/study/extraction.ts)", ...meta, ...result }, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`;
}

/** What the SDK's suggestion needs: per victim, the worker's own settings (no noise, the shipped one, each sigma). */
export function extractionCurves(result: StudyResult, date: string): ExtractionCurves {
  const workerSettings = result.settings.filter((s) => s.sameAnswersAs === undefined && s.decimals === undefined && !s.top1);
  return {
    source: "docs/studies/extraction.md",
    date,
    models: result.victims.map((victim) => ({
      name: victim.name,
      featureCount: victim.featureCount,
      classCount: victim.classCount,
      settings: workerSettings.map((setting) => {
        const own = result.curves.filter((c) => c.victim === victim.name && c.setting === setting.id);
        const honest = result.honest.find((h) => h.victim === victim.name && h.setting === setting.id)?.costs ?? [];
        return {
          perturbationSigma: setting.sigma,
          queriesFor90: bestOf(own.map((c) => queriesToReach(c.points, 0.9))).atLeast,
          honestAddedRmsPoints: Object.fromEntries(honest.map((h) => [String(h.samples), round(h.addedRmsPoints, 3)])),
        };
      }),
    })),
  };
}

export function markdownTables(result: StudyResult): string {
  const label = (id: string): string => result.settings.find((s) => s.id === id)?.label ?? id;
  const lines: string[] = [];
  lines.push("| victim | kind | features | classes | plan accuracy | CKKS slots |", "|---|---|---:|---:|---:|---:|");
  for (const v of result.victims) lines.push(`| ${v.name} | ${v.kind} | ${v.featureCount} | ${v.classCount} | ${pct(v.testAccuracy)} (${v.testSamples} test samples) | ${v.slots} |`);
  lines.push("", "### Fidelity (accuracy) against queries", "");
  for (const curve of result.curves) {
    lines.push(`- **${curve.victim}**, ${curve.attack}, ${curve.source} queries, ${label(curve.setting)}: ${curve.points.map((p) => `${p.queries.toLocaleString("en-US")} → ${pct(p.fidelity)} (${pct(p.accuracy)}${p.parameterError === undefined ? "" : `, max weight error ${p.parameterError.toExponential(1)}`})`).join("; ")}`);
  }
  lines.push("", "### Honest buyer's cost (percentage points of its accuracy estimate)", "");
  const sizes = result.config.honestSamples;
  lines.push(`| victim | setting | ${sizes.map((n) => `n = ${n}: sampling std | added RMS | bias`).join(" | ")} |`, `|---|---|${sizes.map(() => "---:|---:|---:").join("|")}|`);
  for (const h of result.honest) lines.push(`| ${h.victim} | ${label(h.setting)} | ${h.costs.map((c) => `${c.undefendedStdPoints.toFixed(2)} | ${c.addedRmsPoints.toFixed(2)} | ${c.biasPoints >= 0 ? "+" : ""}${c.biasPoints.toFixed(2)}`).join(" | ")} |`);
  lines.push("", `### Price of extraction (price ${formatEther(result.config.priceWei)} ETH)`, "");
  lines.push("| victim | setting | fidelity | queries needed | test-drives | cost (ETH) | path | exceeds price |", "|---|---|---:|---:|---:|---:|---|:---:|");
  for (const r of result.prices) {
    const needed = r.needed.atMost === undefined ? `> ${(r.needed.atLeast - 1).toLocaleString("en-US")} (not reached)` : `${r.needed.atLeast.toLocaleString("en-US")}–${r.needed.atMost.toLocaleString("en-US")}`;
    lines.push(`| ${r.victim} | ${label(r.setting)} | ${pct(r.fidelity)} | ${needed} | ${r.testDrives ?? "–"} | ${r.costWei === undefined ? "–" : Number(formatEther(r.costWei)).toFixed(4)} | ${r.path ?? "–"} | ${r.exceedsPrice === undefined ? "–" : r.exceedsPrice ? "yes" : "no"} |`);
  }
  return lines.join("\n");
}

/** One SVG per victim and attack: fidelity against queries, one series per (source, setting). */
export function plots(result: StudyResult): { file: string; svg: string }[] {
  const runs = [...new Map(result.curves.map((c) => [`${c.victim}|${c.attack}`, c] as const)).values()];
  return runs.map(({ victim, attack }) => {
    const curves = result.curves.filter((c) => c.victim === victim && c.attack === attack);
    return {
      file: `extraction-${victim}-${attack.replace(/ /g, "-")}.svg`,
      svg: linePlotSvg(
        curves.map((c: Curve) => ({ label: `${c.source}, ${c.setting}`, points: c.points.map((p) => ({ x: p.queries, y: p.fidelity })) })),
        { title: `${victim}: ${attack}`, xLabel: "queries (log scale)", yLabel: "fidelity (agreement with the victim)", guides: FIDELITY_TARGETS },
      ),
    };
  });
}

function pct(share: number): string {
  return `${(100 * share).toFixed(1)}%`;
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
