/**
 * The seller's evaluation of one upload: validate the container against the plan (every count
 * before the parser sizes anything by it, and before SEAL parses a ciphertext), load the ciphertexts batch group by batch group, run the plan's
 * layers, bring the scores to the last level, perturb and mask them, serialize the result.
 *
 * Only batches that hold paid samples are evaluated; the last one is masked when the paid
 * count ends inside it. Batches are evaluated in groups sized to a memory budget so that each
 * constant plaintext is made once per group and the WASM heap (4 GB) is never exceeded.
 * Every SEAL object is deleted on every path, so a failed job leaves the runtime usable.
 *
 * Memory (docs/HE.md, "Memory"): the upload's ciphertexts are read where they are, when a layer
 * reads them; every value a layer completes leaves SEAL for a CiphertextStore (in memory up to
 * the budget, beyond it in a spill file removed on every path); a linear layer fused with the
 * square that follows hands each output to the square as soon as it is complete; the kernel's
 * accumulators get a share of the budget (residueLinear.ts computes a layer in passes when its
 * band does not fit). SEAL then holds only the values being worked on.
 */
import { tmpdir } from "node:os";
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
  type LinearLayer,
  type MonomialsLayer,
  type RelinKeys,
} from "@modelbazaar/sdk/he";
import { readResidues } from "./ciphertextResidues.ts";
import { CiphertextStore } from "./ciphertextStore.ts";
import { consumerOf, evaluateLinear, evaluateMonomials, monomialValues } from "./layers.ts";
import { hold, inSeal } from "./operandOps.ts";
import { deleteOperands, vectorBatches, type HeldCiphertext, type OperandVector } from "./operands.ts";
import { maskBatch, perturbBatch } from "./outputs.ts";
import type { EngineContext, EngineRuntime } from "./runtime.ts";

export interface EvaluateOptions {
  /** Samples paid for: every score slot from this index on (counted over the whole upload) is zeroed. */
  readonly paidSamples: number;
  /** Standard deviation of Gaussian noise added to every paid score (default 0: none). */
  readonly perturbationSigma?: number;
  /** Evaluate only batches [first, first + count) of the upload (to split a job over threads). */
  readonly batches?: { readonly first: number; readonly count: number };
  /**
   * Bytes of ciphertexts the evaluation keeps in memory outside SEAL's working set (default
   * 1.5 GiB): a quarter for the residue kernel's accumulators, the rest for the values between
   * layers; values beyond it are spilled to a file. It also sizes the groups of batches
   * evaluated together.
   */
  readonly memoryBudgetBytes?: number;
  /** Where the spill file's directory is made (and removed): the worker's data directory; default the system's temporary directory. */
  readonly spillDirectory?: string;
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

/** Wall and thread CPU milliseconds spent in the calls it runs. */
class Stopwatch {
  ms = 0;
  cpuMs = 0;

  run<T>(fn: () => T): T {
    const started = performance.now();
    const cpuStarted = threadCpuMs();
    try {
      return fn();
    } finally {
      this.ms += performance.now() - started;
      this.cpuMs += threadCpuMs() - cpuStarted;
    }
  }
}

/** Runs `fn`, announcing `step` to `onStep` and appending its duration to `timings` (if any). */
function timed<T>({ timings, onStep }: StepObserver, step: string, batches: number, fn: () => T): T {
  onStep?.(step, batches);
  const watch = new Stopwatch();
  const value = watch.run(fn);
  timings?.push({ step, batches, ms: watch.ms, cpuMs: watch.cpuMs });
  return value;
}

const DEFAULT_MEMORY_BUDGET = 1.5 * 2 ** 30;
/** The residue kernel's share of the memory budget (its accumulators); the rest holds values between layers. */
const KERNEL_SHARE = 0.25;

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

/** One ciphertext of the upload, read where it is: loaded (and checked) into SEAL only when a layer reads it. */
function uploadCiphertext(engine: EngineContext, bytes: Uint8Array, feature: number, batch: number): HeldCiphertext {
  const load = () => {
    const ciphertext = new engine.he.seal.Ciphertext();
    try {
      sealCall(`loading ciphertext ${feature} of batch ${batch}`, () => ciphertext.loadFromArray(engine.he.context, bytes), "malformed-object");
      checkFresh(engine, ciphertext, feature, batch);
    } catch (error) {
      ciphertext.delete();
      throw error;
    }
    return ciphertext;
  };
  return {
    load,
    residues(primes, target) {
      const ciphertext = load();
      try {
        return readResidues(engine, ciphertext, primes, target);
      } finally {
        ciphertext.delete();
      }
    },
    release() {}, // the upload belongs to the caller
  };
}

/** The group's inputs, held in the upload (seeded ciphertexts are expanded when read). */
function uploadOperands(engine: EngineContext, upload: HeUpload, batches: readonly number[]): OperandVector {
  return Array.from({ length: upload.features }, (_, i) => ({
    ciphertexts: [],
    held: batches.map((b) => uploadCiphertext(engine, upload.batches[b]![i]!, i, b)),
    level: engine.topLevel,
    scale: engine.he.scale,
    size: 2,
  }));
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

/** Where an evaluation keeps its values and how much the kernel's accumulators may take. */
interface Memory {
  readonly store: CiphertextStore;
  readonly kernelBudgetBytes: number;
}

/**
 * A linear layer fused with the square that follows (levels.ts), streamed: each output is
 * squared as soon as it is complete, so the layer's outputs never all exist (LeNet-5's 4,704
 * at the top level would be 7 GB). Timed as two steps, the squares' share apart.
 */
function linearThenSquares(engine: EngineContext, plan: HePlan, index: number, inputs: OperandVector, keys: RelinKeys | undefined, observer: StepObserver, memory: Memory, values: OperandVector): void {
  const layer = plan.layers[index] as LinearLayer;
  const squares = plan.layers[index + 1] as MonomialsLayer;
  const consumer = consumerOf(squares, plan.layers[index + 2]);
  const batches = vectorBatches(inputs);
  const squaring = new Stopwatch();
  const total = new Stopwatch();
  let squared = false;
  observer.onStep?.(`linear ${index}`, batches);
  total.run(() =>
    evaluateLinear(engine, layer, inputs, keys, true, engine.he.scale, {
      kernelBudgetBytes: memory.kernelBudgetBytes,
      sink: (j, x) => {
        if (!squared) observer.onStep?.(`monomials ${index + 1}`, batches);
        squared = true;
        squaring.run(() => monomialValues(engine, squares, j, x, keys, consumer, values, memory.store));
      },
    }),
  );
  observer.timings?.push(
    { step: `linear ${index}`, batches, ms: total.ms - squaring.ms, cpuMs: total.cpuMs - squaring.cpuMs },
    { step: `monomials ${index + 1}`, batches, ms: squaring.ms, cpuMs: squaring.cpuMs },
  );
}

function runPlan(engine: EngineContext, plan: HePlan, inputs: OperandVector, keys: RelinKeys | undefined, observer: StepObserver, memory: Memory): OperandVector {
  let vector = inputs;
  const batches = vectorBatches(inputs);
  const scoreScale = 2 ** outputScaleBits(engine.he.parameters.scaleBits, plan.maxMagnitude);
  const { store, kernelBudgetBytes } = memory;
  try {
    for (let index = 0; index < plan.layers.length; ++index) {
      const layer = plan.layers[index]!;
      const input = vector;
      const next = plan.layers[index + 1];
      if (layer.kind === "monomials") {
        vector = timed(observer, `monomials ${index}`, batches, () => evaluateMonomials(engine, layer, input, keys, consumerOf(layer, next), store));
      } else if (next?.kind === "monomials" && fusedWithSquare(plan.layers, index)) {
        vector = Array.from({ length: next.inputSize * next.degree });
        linearThenSquares(engine, plan, index, input, keys, observer, memory, vector);
        index += 1;
      } else {
        const outputs: OperandVector = Array.from({ length: layer.outputSize });
        vector = outputs;
        const outputScale = next === undefined ? scoreScale : engine.he.scale;
        const sink = (j: number, output: OperandVector[number]) => (outputs[j] = hold(store, output));
        timed(observer, `linear ${index}`, batches, () => evaluateLinear(engine, layer, input, keys, false, outputScale, { sink, kernelBudgetBytes }));
      }
    }
  } catch (error) {
    deleteOperands(inputs);
    deleteOperands(vector.filter((operand) => operand !== undefined));
    throw error;
  }
  return vector;
}

/** Serialized result ciphertexts of one group, at the last level, perturbed and masked. */
function finishGroup(engine: EngineContext, outputs: OperandVector, batches: readonly number[], slots: number, paid: number, sigma: number): Uint8Array[][] {
  return sealCall("finishing the scores", () => {
    for (const output of outputs) {
      inSeal(output);
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
  const budget = options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET;
  const perGroup = Math.max(1, Math.floor(budget / bytesPerBatch(engine, plan)));
  const keys = loadRelinKeys(engine, plan, upload);
  const results: Uint8Array[][] = [];
  try {
    for (const group of batchGroups(batches, perGroup)) {
      const store = new CiphertextStore(engine, budget * (1 - KERNEL_SHARE), options.spillDirectory ?? tmpdir());
      try {
        const inputs = timed(options, "load", group.length, () => uploadOperands(engine, upload, group));
        const outputs = runPlan(engine, plan, inputs, keys, options, { store, kernelBudgetBytes: budget * KERNEL_SHARE });
        try {
          results.push(...timed(options, "finish", group.length, () => finishGroup(engine, outputs, group, slots, paid, options.perturbationSigma ?? 0)));
        } finally {
          deleteOperands(outputs);
        }
      } finally {
        store.close();
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
