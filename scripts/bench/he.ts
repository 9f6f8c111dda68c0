/**
 * `npm run bench:he [-- --quick]`: encrypted inference end to end on the trainer's ONNX
 * models (models/*.onnx, compiled by offchain-worker/src/he/compiler with calibration data
 * from the training split), against onnxruntime-node on the same samples in the same run.
 * End to end = the buyer encrypts (EncryptionPool, one thread per core), the seller's engine
 * evaluates (batches split over two worker threads), the buyer decrypts. Key generation and
 * thread start-up are set-up, reported apart. Each model's time is also set against its
 * arithmetic floor (heFloor.ts: its modular multiply-adds at the residue kernel's best rate,
 * measured in the same run); with --baseline its evaluation is repeated with SEAL's
 * per-weight products (the engine's previous path), the baseline of the same run.
 * Writes docs/benchmarks/he.json and he.md.
 * Options: --quick (under a minute), --only=model[,model] (prints, writes nothing; with --merge,
 * its rows replace the same model's rows in he.json, the others kept as measured, and he.md is
 * rewritten), --render (rewrites he.md from he.json).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { BuyerSession, type UploadForm, decodeResult, decodeUpload, accuracy, agreement, argmax, evaluatePlanPlain, summarizePlan } from "@modelbazaar/sdk/he";
import { EncryptionPool } from "@modelbazaar/sdk/node";
import type { LayerTiming } from "../../offchain-worker/src/he/engine/evaluateUpload.ts";
import { EvaluationPool, toShared } from "./heEvaluationPool.ts";
import { floorMultiplyAdds, measureKernelRate } from "./heFloor.ts";
import { renderHeMarkdown } from "./heReport.ts";
import { loadBenchModel, runOnnx, type BenchModel } from "./heModels.ts";

const quick = process.argv.includes("--quick");
const renderOnly = process.argv.includes("--render");
/** Also evaluate every upload with SEAL's per-weight products (the previous path), after the timed run. */
const withBaseline = process.argv.includes("--baseline");
const THREADS = 2;

let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const sampler = setInterval(sampleRss, 25);

/** The plan's scores in plain floating point: what the HE scores must match (the CKKS error). */
function planScores(model: BenchModel): Float64Array {
  const { plan, data } = model;
  const scores = new Float64Array(data.sampleCount * plan.outputSize);
  for (let s = 0; s < data.sampleCount; ++s) {
    scores.set(evaluatePlanPlain(plan, data.features.subarray(s * data.featureCount, (s + 1) * data.featureCount)), s * plan.outputSize);
  }
  return scores;
}

/** Milliseconds (wall, or the threads' CPU) per step summed over threads and groups. */
function stepTotals(timings: LayerTiming[][], clock: "ms" | "cpuMs"): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const thread of timings) for (const t of thread) totals[t.step] = Math.round((totals[t.step] ?? 0) + t[clock]);
  return totals;
}

/** Modular multiply-adds per CPU second of one thread, measured once per run (heFloor.ts). */
const kernelRate = renderOnly ? 0 : measureKernelRate();

async function runCase(evaluation: EvaluationPool, baseline: EvaluationPool | undefined, model: BenchModel, uploadForm: UploadForm) {
  const { plan, data } = model;
  peakRss = 0;
  const plain = await runOnnx(model);
  const reference = planScores(model);
  const s0 = performance.now();
  const session = await BuyerSession.create(summarizePlan(plan), { uploadForm });
  const relinKeys = session.relinearizationKeys();
  const encryption = await EncryptionPool.start(session, THREADS);
  const setupSeconds = (performance.now() - s0) / 1000;
  const load = loadavg()[0]!;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  // Only the shared copy outlives this line (CryptoNets' upload is 0.8 GB).
  const upload = toShared(await encryption.encryptTestSet(data.features, data.sampleCount));
  const t1 = performance.now();
  await encryption.stop();
  const uploadShape = decodeUpload(upload);
  const bytes = { relinKeys: relinKeys.length, ciphertextUpload: uploadShape.batches[0]![0]!.length, upload: upload.length };
  const evaluated = await evaluation.evaluate(plan, upload, data.sampleCount);
  const t2 = performance.now();
  const scores = new Float64Array(data.sampleCount * plan.outputSize);
  let offset = 0;
  for (const result of evaluated.results) {
    const part = session.decryptResult(result).scores;
    scores.set(part, offset);
    offset += part.length;
  }
  const t3 = performance.now();
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  sampleRss();
  const peakRssMB = Math.round(peakRss / 2 ** 20);
  // The baseline: the same upload evaluated with SEAL's per-weight products, after the timed run.
  const sealEvaluation = await baseline?.evaluate(plan, upload, data.sampleCount);
  const floorSteps = floorMultiplyAdds(plan, session.he.parameters);
  const batches = uploadShape.batches.length;
  const floorCpuSeconds = (batches * Object.values(floorSteps).reduce((sum, madds) => sum + madds, 0)) / kernelRate;
  const layerCpuMs = stepTotals(evaluated.timings, "cpuMs");
  const layerCpuSeconds = Object.entries(layerCpuMs).reduce((sum, [step, ms]) => sum + (step in floorSteps ? ms / 1000 : 0), 0);
  let maxError = 0;
  scores.forEach((value, i) => (maxError = Math.max(maxError, Math.abs(value - reference[i]!))));
  const he = argmax(scores, plan.outputSize);
  const onnx = argmax(plain.scores, plan.outputSize);
  const seconds = (t3 - t0) / 1000;
  const row = {
    model: model.name,
    uploadForm,
    layers: plan.layers.map((l) => (l.kind === "linear" ? `linear ${l.inputSize}->${l.outputSize} (${l.weights.reduce((n, w) => n + (w !== 0 ? 1 : 0), 0)} non-zero)` : `x^${l.degree} of ${l.inputSize}`)),
    samples: data.sampleCount,
    heldOutCopies: model.copies,
    batches: uploadShape.batches.length,
    parameters: session.he.parameters,
    encryptedPerSecond: Math.round(data.sampleCount / seconds),
    cpuSeconds,
    /** What the run's CPU time gives on THREADS cores of our own (the machine is shared: see loadAverage). */
    cpuBoundPerSecond: Math.round(data.sampleCount / (cpuSeconds / THREADS)),
    loadAverage: { before: load, after: loadavg()[0]! },
    plainPerSecond: Math.round(plain.perSecond),
    plainBaseline: "onnxruntime-node, one batched run of the same samples (after a warm-up run)",
    slowdown: Math.round(plain.perSecond / (data.sampleCount / seconds)),
    seconds: { setup: setupSeconds, encrypt: (t1 - t0) / 1000, evaluate: (t2 - t1) / 1000, decrypt: (t3 - t2) / 1000, total: seconds },
    evaluationSteps: stepTotals(evaluated.timings, "ms"),
    evaluationStepsCpu: layerCpuMs,
    floor: {
      kernelMultiplyAddsPerCpuSecond: Math.round(kernelRate),
      multiplyAddsPerBatch: floorSteps,
      /** CPU seconds of the floor's arithmetic for all batches. */
      cpuSeconds: floorCpuSeconds,
      /** Predictions/s at the floor on THREADS cores. */
      perSecond: Math.round(data.sampleCount / (floorCpuSeconds / THREADS)),
      /** Evaluation CPU time of the counted steps (the layers) over the floor. */
      layersRatio: layerCpuSeconds / floorCpuSeconds,
      /** End to end (CPU-bound, encryption and decryption included) over the floor. */
      endToEndRatio: cpuSeconds / floorCpuSeconds,
    },
    sealBaseline: sealEvaluation && {
      evaluationStepsCpu: stepTotals(sealEvaluation.timings, "cpuMs"),
      sameResult: sealEvaluation.results.every((result, r) => Buffer.from(result).equals(Buffer.from(evaluated.results[r]!))),
    },
    accuracyHe: accuracy(he, data.labels),
    accuracyPlain: accuracy(onnx, data.labels),
    argmaxAgreementWithOnnx: agreement(he, onnx),
    maxAbsScoreError: maxError,
    maxAbsScoreErrorAgainst: "the compiled plan in plain float64 (logits; onnxruntime's Softmax, if any, is left to the buyer)",
    planVsOnnx: model.planVsOnnx,
    bytes: { ...bytes, ciphertextResult: decodeResult(evaluated.results[0]!).batches[0]![0]!.length, result: evaluated.results.reduce((sum, r) => sum + r.length, 0) },
    peakRssMB,
  };
  session.delete();
  console.log(JSON.stringify(row));
  return row;
}

export type HeBenchRow = Awaited<ReturnType<typeof runCase>>;

/** [model, copies of the held-out split, upload form]: full batches on both threads where it matters. */
const cases: [string, number, UploadForm][] = quick
  ? [["iris-logreg", 1, "seeded"], ["iris-square-mlp", 1, "seeded"], ["mnist-logreg", 1, "seeded"], ["mnist-logreg", 1, "expanded"]]
  : [["iris-logreg", 1, "seeded"], ["iris-square-mlp", 1, "seeded"], ["mnist-logreg", 4, "seeded"], ["mnist-logreg", 4, "expanded"], ["mnist-cryptonets", 8, "seeded"]];
const only = process.argv.find((arg) => arg.startsWith("--only="))?.slice("--only=".length);

if (renderOnly) {
  // Rewrites he.md from he.json (after editing the notes in heReport.ts), measuring nothing.
  const saved = JSON.parse(readFileSync(new URL("../../docs/benchmarks/he.json", import.meta.url), "utf8")) as { date: string; quick: boolean; threads: number; models: HeBenchRow[] };
  writeFileSync(new URL("../../docs/benchmarks/he.md", import.meta.url), renderHeMarkdown(saved.date, saved.quick, saved.threads, saved.models));
  process.exit(0);
}

const evaluation = new EvaluationPool();
await evaluation.start(THREADS);
const baseline = withBaseline ? new EvaluationPool() : undefined;
await baseline?.start(THREADS, "seal");
const rows: HeBenchRow[] = [];
for (const [name, copies, form] of cases) {
  if (only && !only.split(",").includes(name)) continue;
  rows.push(await runCase(evaluation, baseline, await loadBenchModel(name, copies), form));
}
await evaluation.stop();
await baseline?.stop();
clearInterval(sampler);

const report = { date: new Date().toISOString(), quick, threads: THREADS, node: process.version, cpus: cpus().length, models: rows };
if (only && process.argv.includes("--merge")) {
  const jsonUrl = new URL("../../docs/benchmarks/he.json", import.meta.url);
  const saved = JSON.parse(readFileSync(jsonUrl, "utf8")) as typeof report;
  const sameCase = (a: HeBenchRow, b: HeBenchRow) => a.model === b.model && a.uploadForm === b.uploadForm;
  const models = saved.models.map((row) => {
    const rerun = rows.find((fresh) => sameCase(fresh, row));
    return rerun ? { ...rerun, measuredAlone: report.date } : row;
  });
  writeFileSync(jsonUrl, JSON.stringify({ ...saved, models }, null, 2) + "\n");
  writeFileSync(new URL("../../docs/benchmarks/he.md", import.meta.url), renderHeMarkdown(saved.date, saved.quick, saved.threads, models));
  console.log(`--merge: ${rows.length} row(s) replaced in docs/benchmarks/he.json and he.md`);
} else if (only) {
  console.log("--only: docs/benchmarks not rewritten");
} else {
  mkdirSync(new URL("../../docs/benchmarks/", import.meta.url), { recursive: true });
  writeFileSync(new URL("../../docs/benchmarks/he.json", import.meta.url), JSON.stringify(report, null, 2) + "\n");
  writeFileSync(new URL("../../docs/benchmarks/he.md", import.meta.url), renderHeMarkdown(report.date, quick, THREADS, rows));
  console.log(`wrote docs/benchmarks/he.json and he.md (${rows.length} models)`);
}
