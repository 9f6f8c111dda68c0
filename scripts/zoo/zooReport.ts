/**
 * Renders docs/benchmarks/zoo.md from what `npm run zoo:check` measured: one table row per
 * model, then each refusal or failure in full (what the seller reads from `model check`).
 */
import type { ZooRow } from "./zooCase.ts";
import type { ZooModel } from "./zooModels.ts";

/** A model measured again on its own (`zoo:check --only=... --merge`), after the report's run. */
export interface ZooRerun {
  readonly date: string;
  readonly loadAverage: { readonly before: number; readonly after: number };
  readonly deadlineMinutes: number;
}

/** A model's case: its row, or how its process ended without one (deadline, crash); `run` when measured apart from the report's run. */
export type ZooEntry = ({ readonly row: ZooRow; readonly seconds: number } | { readonly model: Pick<ZooModel, "name" | "family" | "covers">; readonly seconds: number; readonly ended: string }) & { readonly run?: ZooRerun };

export interface ZooReport {
  readonly date: string;
  readonly node: string;
  readonly cpus: number;
  readonly loadAverage: { readonly before: number; readonly after: number };
  readonly deadlineMinutes: number;
  readonly maxUploadGib: number;
  readonly entries: readonly ZooEntry[];
}

const percent = (fraction: number) => `${(100 * fraction).toFixed(1)}%`;
const oneLine = (text: string) => text.replace(/\s+/g, " ").replace(/\|/g, "\\|");

function cells(entry: ZooEntry): string[] {
  if (!("row" in entry)) return [entry.model.name, entry.model.family, entry.model.covers, "", "", "", "", "", "", "", "", "", `**${entry.ended}**`];
  const { row } = entry;
  const c = row.compile;
  const head = [row.name, row.family, row.covers, c.seconds.toFixed(1)];
  if (c.status === "refused") return [...head, "", "", "", "", "", "", "", "", "**refused** (below)"];
  const compiled = [...head, String(c.depth), c.nonzeroWeights.toLocaleString("en-US"), percent(c.planAgreement)];
  const he = row.he;
  if (!he || he.status !== "ran") return [...compiled, "", "", "", "", he?.evaluationPeakRssMB ? String(he.evaluationPeakRssMB) : "", `**${he?.status ?? "not run"}** (below)`];
  return [
    ...compiled,
    `${he.polyModulusDegree}, [${he.coeffModulusBits.join(", ")}]`,
    percent(he.agreement),
    he.maxAbsError.toExponential(1),
    he.evaluateSecondsPer1000.toFixed(2),
    String(he.evaluationPeakRssMB),
    "ran",
  ];
}

function problem(entry: ZooEntry): string | undefined {
  if (!("row" in entry)) return undefined;
  const { row } = entry;
  if (row.compile.status === "refused") return `- **${row.name}**, refused at compile time: ${oneLine(row.compile.message)}`;
  if (row.he && row.he.status !== "ran") return `- **${row.name}**, HE ${row.he.status}: ${oneLine(row.he.reason)}`;
  return undefined;
}

/** The line saying when a model was measured again, with its evaluation's thread CPU time when it ran. */
function rerunNote(entry: ZooEntry): string | undefined {
  if (!entry.run) return undefined;
  const { date, loadAverage, deadlineMinutes } = entry.run;
  const name = "row" in entry ? entry.row.name : entry.model.name;
  const he = "row" in entry ? entry.row.he : undefined;
  const cpu = he?.status === "ran" && he.evaluateCpuSeconds !== undefined ? `, evaluation ${he.evaluateCpuSeconds.toFixed(0)} thread CPU s (${((he.evaluateCpuSeconds * 1000) / he.samples).toFixed(2)} s / 1,000)` : "";
  const wall = entry.seconds / 60 > deadlineMinutes ? ` (the runner was paused past it so that the case could end: ${(entry.seconds / 60).toFixed(0)} minutes wall)` : "";
  return `- **${name}** measured again on its own: ${date}, 1-minute load average ${loadAverage.before.toFixed(1)} before and ${loadAverage.after.toFixed(1)} after, deadline ${deadlineMinutes} minutes${wall}${cpu}.`;
}

export function renderZooMarkdown(report: ZooReport): string {
  const problems = report.entries.map(problem).filter((line): line is string => line !== undefined);
  const reruns = report.entries.map(rerunNote).filter((line): line is string => line !== undefined);
  return [
    "# The model zoo through the HE path (`npm run zoo:check`)",
    "",
    `Run of ${report.date} on ${report.cpus} cores (Node ${report.node}), 1-minute load average ${report.loadAverage.before.toFixed(1)} before and ${report.loadAverage.after.toFixed(1)} after;`,
    `each model in its own process, stopped after ${report.deadlineMinutes} minutes; the encrypted run is skipped when one batch would upload more than ${report.maxUploadGib} GiB.`,
    "",
    "Models written by our own code (scripts/zoo/zooModels.ts) with seeded weights, so the figures measure agreement with onnxruntime, not accuracy;",
    "`shipped` models are the trainer's. Inputs: 1,000 seeded samples (uniform in [-1, 1] unless the model says otherwise) or 1,000 MNIST test digits;",
    "calibration on 1,000 other samples of the same source, as `model check --calibration` does.",
    "",
    ...(reruns.length > 0 ? [...reruns, ""] : []),
    "- **plan vs ORT**: argmax agreement of the compiled plan, in plain float64, with onnxruntime (what approximation and compilation cost).",
    "- **HE vs ORT**: argmax agreement of the decrypted scores with onnxruntime on the same 1,000 samples, encrypted as one full batch",
    "  (the samples repeated to fill its slots); **max error**: largest |decrypted − plan in float64| (the CKKS error).",
    "- **s / 1,000**: the seller's evaluation time per 1,000 samples of a full batch, one thread; **peak MB**: the evaluating process's peak resident memory.",
    "",
    "| model | family | covers | compile s | depth | non-zero weights | plan vs ORT | N, primes (bits) | HE vs ORT | max error | s / 1,000 | peak MB | outcome |",
    "| --- | --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |",
    ...report.entries.map((entry) => `| ${cells(entry).join(" | ")} |`),
    "",
    ...(problems.length > 0 ? ["## Refusals and failures, as the compiler and engine word them", "", ...problems, ""] : []),
  ].join("\n");
}
