/**
 * The seller's evaluation of one upload: validate the container against the plan (every count
 * before the parser sizes anything by it, and before SEAL parses a ciphertext), load the ciphertexts batch group by batch group, run the plan's
 * layers, bring the scores to the last level, perturb and mask them, serialize the result.
 *
 * Only batches that hold paid samples are evaluated; the last one is masked when the paid
 * count ends inside it. Batches are evaluated in groups sized to a memory budget so that each
 * constant plaintext is made once per group and the WASM heap (4 GB) is never exceeded.
 * Every SEAL object is deleted on every path, so a failed job leaves the runtime usable.
 */
import {
  decodeUpload,
  encodeResult,
  readUploadLayout,
  type ByteSource,
  type HeUpload,
  type HeUploadLayout,
  type UploadExpectation,
  sameFingerprint,
  HeError,
  sealCall,
  chooseParameters,
  mayRelinearize,
  fusedWithSquare,
  outputScaleBits,
  summarizePlan,
  type HePlan,
  type RelinKeys,
} from "@modelbazaar/sdk/he";
import { consumerOf, evaluateLinear, evaluateMonomials } from "./layers.ts";
import { deleteOperands, type OperandVector } from "./operands.ts";
import { maskBatch, perturbBatch } from "./outputs.ts";
import type { EngineContext, EngineRuntime } from "./runtime.ts";

export interface EvaluateOptions {
  /** Samples paid for: every score slot from this index on (counted over the whole upload) is zeroed. */
  readonly paidSamples: number;
  /** Standard deviation of Gaussian noise added to every paid score (default 0: none). */
  readonly perturbationSigma?: number;
  /** Evaluate only batches [first, first + count) of the upload (to split a job over threads). */
  readonly batches?: { readonly first: number; readonly count: number };
  /** Upper bound on the ciphertext bytes one group of batches may hold (default 1.5 GB). */
  readonly memoryBudgetBytes?: number;
  /** When given, the engine appends the time of each step (loading, every layer, finishing) of every group. */
  readonly timings?: LayerTiming[];
  /** When given, called as each step (loading, every layer, finishing) of every group starts: progress for long evaluations. */
  readonly onStep?: (step: string, batches: number) => void;
}

export interface LayerTiming {
  /** "load", "finish", or the layer's kind and index ("linear 0", "monomials 1"). */
  readonly step: string;
  readonly batches: number;
  /** Wall milliseconds. */
  readonly ms: number;
  /** This thread's CPU milliseconds (what the step costs whatever else runs on the machine). */
  readonly cpuMs: number;
}

function threadCpuMs(): number {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
}

type StepObserver = Pick<EvaluateOptions, "timings" | "onStep">;

/** Runs `fn`, announcing `step` to `onStep` and appending its duration to `timings` (if any). */
function timed<T>({ timings, onStep }: StepObserver, step: string, batches: number, fn: () => T): T {
  onStep?.(step, batches);
  const started = performance.now();
  const cpuStarted = threadCpuMs();
  const value = fn();
  timings?.push({ step, batches, ms: performance.now() - started, cpuMs: threadCpuMs() - cpuStarted });
  return value;
}

const DEFAULT_MEMORY_BUDGET = 1.5 * 2 ** 30;

/** What an upload for `plan` must declare: the plan's features and parameters, at most `maxSamples` samples. */
function planExpectation(plan: HePlan, maxSamples?: number): UploadExpectation {
  return { features: plan.inputSize, parameters: chooseParameters(summarizePlan(plan)), ...(maxSamples === undefined ? {} : { maxSamples }) };
}

/** The check the container cannot make before its ciphertexts: relinearization keys for a plan that multiplies ciphertexts. */
function checkKeys(plan: HePlan, relinKeysBytes: number): void {
  if (mayRelinearize(summarizePlan(plan)) && plan.layers.some((layer) => layer.kind === "monomials") && relinKeysBytes === 0) {
    throw new HeError("missing-keys", "This model multiplies ciphertexts, but the upload carries no relinearization keys.");
  }
}

/** Parses an upload and checks it against the plan (every count before it is used); cheap (no SEAL), before an evaluation. */
export function inspectUpload(plan: HePlan, bytes: Uint8Array): HeUpload {
  const upload = decodeUpload(bytes, planExpectation(plan));
  checkKeys(plan, upload.relinKeys.length);
  return upload;
}

/**
 * The same checks as {inspectUpload} on an upload read through `source`, of which only the
 * header and the length prefixes are read, with at most `maxSamples` samples: the service's
 * pre-check of an upload on disk.
 */
export function inspectUploadLayout(plan: HePlan, source: ByteSource, maxSamples?: number): HeUploadLayout {
  const layout = readUploadLayout(source, planExpectation(plan, maxSamples));
  checkKeys(plan, layout.relinKeysBytes);
  return layout;
}

function loadRelinKeys(engine: EngineContext, plan: HePlan, upload: HeUpload): RelinKeys | undefined {
  if (!plan.layers.some((layer) => layer.kind === "monomials")) return undefined;
  const keys = new engine.he.seal.RelinKeys();
  try {
    sealCall("loading the relinearization keys", () => keys.loadFromArray(engine.he.context, upload.relinKeys), "malformed-object");
  } catch (error) {
    keys.delete();
    throw error;
  }
  return keys;
}

function loadBatches(engine: EngineContext, upload: HeUpload, batches: readonly number[]): OperandVector {
  const { seal, context, scale } = engine.he;
  const vector: OperandVector = [];
  try {
    for (let i = 0; i < upload.features; ++i) {
      const operand = { ciphertexts: [] as InstanceType<typeof seal.Ciphertext>[], level: engine.topLevel, scale, size: 2 };
      vector.push(operand);
      for (const b of batches) {
        const ciphertext = new seal.Ciphertext();
        operand.ciphertexts.push(ciphertext);
        sealCall(`loading ciphertext ${i} of batch ${b}`, () => ciphertext.loadFromArray(context, upload.batches[b]![i]!), "malformed-object");
        checkFresh(engine, ciphertext, i, b);
      }
    }
  } catch (error) {
    deleteOperands(vector);
    throw error;
  }
  return vector;
}

function checkFresh(engine: EngineContext, ciphertext: InstanceType<EngineContext["he"]["seal"]["Ciphertext"]>, feature: number, batch: number): void {
  const parmsId = ciphertext.parmsId();
  const top = engine.parmsIds[engine.topLevel]!;
  const same = String(parmsId.values()) === String(top.values());
  parmsId.delete();
  if (!same || ciphertext.size() !== 2 || ciphertext.scale() !== engine.he.scale) {
    throw new HeError(
      "parameters-mismatch",
      `Ciphertext ${feature} of batch ${batch} is not a fresh encryption at the first level with scale 2^${engine.he.parameters.scaleBits} (size ${ciphertext.size()}, scale ${ciphertext.scale()}).`,
    );
  }
}

function runPlan(engine: EngineContext, plan: HePlan, inputs: OperandVector, keys: RelinKeys | undefined, observer: StepObserver): OperandVector {
  let vector = inputs;
  const batches = inputs[0]?.ciphertexts.length ?? 0;
  const scoreScale = 2 ** outputScaleBits(engine.he.parameters.scaleBits, plan.maxMagnitude);
  try {
    for (const [index, layer] of plan.layers.entries()) {
      const input = vector;
      const next = plan.layers[index + 1];
      const outputScale = next === undefined ? scoreScale : engine.he.scale;
      vector = timed(observer, `${layer.kind} ${index}`, batches, () =>
        layer.kind === "linear"
          ? evaluateLinear(engine, layer, input, keys, fusedWithSquare(plan.layers, index), outputScale)
          : evaluateMonomials(engine, layer, input, keys, consumerOf(layer, next)),
      );
    }
  } catch (error) {
    deleteOperands(vector);
    throw error;
  }
  return vector;
}

/** Serialized result ciphertexts of one group, at the last level, perturbed and masked. */
function finishGroup(engine: EngineContext, outputs: OperandVector, batches: readonly number[], slots: number, paid: number, sigma: number): Uint8Array[][] {
  return sealCall("finishing the scores", () => {
    for (const output of outputs) {
      for (const ciphertext of output.ciphertexts) engine.evaluator.cipherModSwitchToInplace(ciphertext, engine.parmsIds[0]!);
      output.level = 0;
    }
    return batches.map((b, g) => {
      const valid = Math.min(slots, paid - b * slots);
      perturbBatch(engine, outputs, g, valid, sigma);
      if (valid < slots) maskBatch(engine, outputs, g, valid);
      return outputs.map((output) => (output.ciphertexts[g]!.saveToArray(engine.he.seal.ComprModeType.none) as Uint8Array).slice());
    });
  });
}

function batchGroups(batches: readonly number[], perGroup: number): number[][] {
  const groups: number[][] = [];
  for (let i = 0; i < batches.length; i += perGroup) groups.push(batches.slice(i, i + perGroup));
  return groups;
}

/** Bytes one batch needs at its widest point (size-3 ciphertexts at the top level, conservatively). */
function bytesPerBatch(engine: EngineContext, plan: HePlan): number {
  const widths = [plan.inputSize, ...plan.layers.map((layer) => (layer.kind === "linear" ? layer.outputSize : layer.inputSize * (layer.degree + 1)))];
  return Math.max(...widths) * 3 * engine.he.parameters.polyModulusDegree * (engine.topLevel + 1) * 8;
}

/** Evaluates `plan` on an upload container; returns the result container. */
export function evaluateUpload(runtime: EngineRuntime, plan: HePlan, bytes: Uint8Array, options: EvaluateOptions): Uint8Array {
  const { paidSamples } = options;
  if (!Number.isInteger(paidSamples) || paidSamples < 0) {
    throw new HeError("invalid-argument", `The paid sample count must be a non-negative integer, got ${paidSamples}.`);
  }
  const upload = inspectUpload(plan, bytes);
  const engine = runtime.contextFor(upload.parameters);
  if (!sameFingerprint(upload.fingerprint, engine.he.fingerprint)) {
    throw new HeError("parameters-mismatch", "The upload's parameters fingerprint does not match its parameters.");
  }
  const { slots } = upload;
  const paid = Math.min(paidSamples, upload.samples);
  const first = options.batches?.first ?? 0;
  const count = options.batches?.count ?? upload.batches.length - first;
  if (!Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 0 || first + count > upload.batches.length) {
    throw new HeError("invalid-argument", `Batches ${first}..${first + count - 1} are not within the upload's ${upload.batches.length}.`);
  }
  const batches: number[] = [];
  for (let b = first; b < first + count && b * slots < paid; ++b) batches.push(b);
  const perGroup = Math.max(1, Math.floor((options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET) / bytesPerBatch(engine, plan)));
  const keys = loadRelinKeys(engine, plan, upload);
  const results: Uint8Array[][] = [];
  try {
    for (const group of batchGroups(batches, perGroup)) {
      const inputs = timed(options, "load", group.length, () => loadBatches(engine, upload, group));
      const outputs = runPlan(engine, plan, inputs, keys, options);
      try {
        results.push(...timed(options, "finish", group.length, () => finishGroup(engine, outputs, group, slots, paid, options.perturbationSigma ?? 0)));
      } finally {
        deleteOperands(outputs);
      }
    }
  } finally {
    keys?.delete();
  }
  return encodeResult({
    fingerprint: upload.fingerprint,
    samples: Math.max(0, Math.min(paid - first * slots, batches.length * slots)),
    outputs: plan.outputSize,
    slots,
    firstBatch: first,
    batches: results,
  });
}
