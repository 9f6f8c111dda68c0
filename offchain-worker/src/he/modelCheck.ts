/**
 * `bazaar model check`: can this ONNX model be test-driven under CKKS, and at what cost?
 *
 * Compiles the model (supported and unsupported operators, HE-ready conversions such as Relu
 * replaced by a fitted polynomial) and states the agreement to expect with the original model:
 * the plan, run in plain floating point, against onnxruntime on the calibration samples (the
 * seller's, or the synthetic ones). Below `minAgreement` the check stops there with
 * `LowAgreementError`, a sentence saying what to change, before anything is priced or
 * measured. Otherwise it chooses the encryption parameters from the plan's depth, then
 * measures one full batch for real: the buyer's encryption, the worker's evaluation and
 * the decryption, with the sizes of the keys and ciphertexts that travel. The time per 1,000
 * samples is that batch's time spread over its slots (a test set pays for whole batches).
 *
 * Before that measurement (minutes for a CNN at N = 16384) it prices the batch
 * (engine/batchEstimate.ts): SEAL's operations are timed on this machine in about a second,
 * in CPU time, and multiplied by the plan's operation counts; the wall time is that CPU time
 * at the share of a core the check got while timing; the sizes come from the summary alone.
 * The measurement reports CPU time too, so estimate and batch compare whatever the load.
 * By default the batch is measured only when its estimate is at most `measureLimitSeconds`
 * (60 s); a longer one is skipped with a sentence saying so (the estimate stays), unless
 * `measure: true` asks for it. Every stage is reported to `onProgress` as it starts, with the
 * time elapsed since the check began: decoding, each node as it is compiled (node i of n),
 * the parameters, the keys, the costs, the estimate, then each step of the measured batch.
 */
import { readFileSync } from "node:fs";
import { BuyerSession, chooseParameters, slotCount, type HeParameters, evaluatePlanPlain, summarizePlan, type HePlan } from "@modelbazaar/sdk/he";
import { durationText } from "@modelbazaar/sdk/labels";
import { compileModel, type CompileReport, type PolynomialDegree } from "./compiler/index.ts";
import { withComparison } from "./compiler/compileOnnx.ts";
import { DEFAULT_MIN_AGREEMENT, requireAgreement } from "./planAgreement.ts";
import { priceBatch, type BatchEstimate } from "./engine/batchEstimate.ts";
import { evaluateUpload } from "./engine/evaluateUpload.ts";
import { createEngineRuntime, type EngineRuntime } from "./engine/runtime.ts";

export interface ModelCheckOptions {
  /** Row-major calibration samples (e.g. the seller's validation data); synthetic if absent. */
  readonly calibration?: Float64Array;
  readonly polynomialDegree?: PolynomialDegree;
  /** Least argmax agreement with the original model, in [0, 1], that passes (default DEFAULT_MIN_AGREEMENT). */
  readonly minAgreement?: number;
  /**
   * Measure one batch: true always, false never (the estimate stays; measured sizes and times
   * are then absent); absent: when its estimate is at most `measureLimitSeconds`.
   */
  readonly measure?: boolean;
  /** The longest estimated batch measured by default (DEFAULT_MEASURE_LIMIT_SECONDS). */
  readonly measureLimitSeconds?: number;
  /** Called as each stage starts (and once with the estimate, before the measurement). */
  readonly onProgress?: (event: ModelCheckProgress) => void;
}

/** The longest estimated batch `checkModel` measures unless asked (`measure: true`). */
export const DEFAULT_MEASURE_LIMIT_SECONDS = 60;

/**
 * A stage of the check, as it starts: decoding the file, compiling each node (node `index`
 * of `count`; activations are fitted on the calibration samples), comparing with onnxruntime
 * on them or on synthetic samples ("calibration"), choosing the parameters, CKKS key
 * generation, timing SEAL's operations and the residue kernel's ("costs"), the estimate, then the measured batch:
 * encryption, each evaluation step, decryption (step `index` of `steps`), or "skip" when the
 * estimate is over the limit.
 */
export type ModelCheckProgress = { readonly elapsedMs: number } & (
  | { readonly stage: "decode" | "calibration" | "parameters" | "keys" | "costs" | "skip"; readonly detail: string }
  | { readonly stage: "compile"; readonly detail: string; readonly index: number; readonly count: number }
  | { readonly stage: "estimate"; readonly estimate: BatchEstimate }
  | {
      readonly stage: "encrypt" | "evaluate" | "decrypt";
      readonly detail: string;
      /** Position among the measurement's steps (1-based) and their number. */
      readonly index: number;
      readonly steps: number;
      /** This step's share of the estimate. */
      readonly estimateSeconds: number;
    }
);

export interface BatchMeasurement {
  readonly samples: number;
  readonly encryptSeconds: number;
  readonly evaluateSeconds: number;
  readonly decryptSeconds: number;
  /** CPU seconds of the three (compare with the estimate's `cpuSeconds`: the load does not change it). */
  readonly cpuSeconds: number;
  /** (encrypt + evaluate + decrypt) per 1,000 samples, for full batches. */
  readonly secondsPer1000Samples: number;
  readonly relinKeyBytes: number;
  readonly uploadBytes: number;
  readonly resultBytes: number;
  /** Largest |HE score - plain plan score| on the batch. */
  readonly maxScoreError: number;
}

export interface ModelCheckResult {
  readonly report: CompileReport;
  readonly parameters: HeParameters & { readonly slots: number };
  readonly estimate: BatchEstimate;
  readonly measurement?: BatchMeasurement;
  /** Why the batch was not measured though `measure` was not false (its estimate was over the limit). */
  readonly measurementSkipped?: string;
}

export async function checkModel(modelPath: string, options: ModelCheckOptions = {}): Promise<ModelCheckResult> {
  const started = performance.now();
  const report = (event: DistributiveOmit<ModelCheckProgress, "elapsedMs">): void => options.onProgress?.({ ...event, elapsedMs: performance.now() - started } as ModelCheckProgress);
  const bytes = readFileSync(modelPath);
  const minAgreement = options.minAgreement ?? DEFAULT_MIN_AGREEMENT;
  if (!(minAgreement >= 0 && minAgreement <= 1)) throw new RangeError(`minAgreement must be a fraction in [0, 1], got ${minAgreement}`);
  const compiled = compileModel(bytes, {
    calibration: options.calibration,
    polynomialDegree: options.polynomialDegree,
    onProgress: (event) =>
      event.stage === "decode"
        ? report({ stage: "decode", detail: `decoding ${modelPath} (${event.bytes} bytes)` })
        : report({ stage: "compile", detail: `compiling node ${event.index} of ${event.count}: ${event.opType} "${event.name}"`, index: event.index, count: event.count }),
  });
  const { samples, source } = compiled.report.calibration;
  report({ stage: "calibration", detail: `comparing the HE-ready plan with onnxruntime on ${samples} ${source === "provided" ? "calibration" : "synthetic"} samples` });
  const compileReport = (await withComparison(bytes, compiled)).report;
  requireAgreement(compileReport, minAgreement);
  const { plan } = compiled;
  report({ stage: "parameters", detail: `choosing CKKS parameters for depth ${plan.depth} and magnitudes up to ${plan.maxMagnitude.toPrecision(4)}` });
  const parameters = chooseParameters(summarizePlan(plan));
  const slots = slotCount(parameters);
  report({ stage: "keys", detail: `generating the CKKS keys (N = ${parameters.polyModulusDegree}, ${parameters.coeffModulusBits.length - 1} data primes)` });
  const session = await BuyerSession.create(summarizePlan(plan));
  const runtime = await createEngineRuntime();
  try {
    session.relinearizationKeys();
    report({ stage: "costs", detail: "timing SEAL's operations and the residue kernel's on this machine" });
    const engine = runtime.contextFor(parameters);
    const estimate = priceBatch(plan, engine, session);
    report({ stage: "estimate", estimate });
    const limit = options.measureLimitSeconds ?? DEFAULT_MEASURE_LIMIT_SECONDS;
    if (options.measure === undefined && estimate.totalSeconds > limit) {
      const measurementSkipped = `one-batch measurement skipped: its estimate, about ${durationText(estimate.totalSeconds)}, is over the ${durationText(limit)} a check measures by default; ask for it (bazaar model check --measure) to measure it anyway`;
      report({ stage: "skip", detail: measurementSkipped });
      return { report: compileReport, parameters: { ...parameters, slots }, estimate, measurementSkipped };
    }
    const measurement = options.measure === false ? undefined : measureBatch(plan, runtime, session, estimate, report);
    return { report: compileReport, parameters: { ...parameters, slots }, estimate, measurement };
  } finally {
    session.delete();
    runtime.delete();
  }
}

/** Omit over each member of a union (the progress events without their elapsed time). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

type Reporter = (event: DistributiveOmit<ModelCheckProgress, "elapsedMs">) => void;

/** Encrypts, evaluates and decrypts one full batch of deterministic pseudo-random samples, reporting each step. */
function measureBatch(plan: HePlan, runtime: EngineRuntime, session: BuyerSession, estimate: BatchEstimate, report: Reporter): BatchMeasurement {
  const slots = estimate.samples;
  const features = new Float64Array(slots * plan.inputSize);
  for (let i = 0; i < features.length; ++i) features[i] = ((i * 2654435761) % 1000) / 1000;
  const stepCount = estimate.steps.length;
  const announce = (stage: "encrypt" | "evaluate" | "decrypt", step: string, what: string): void => {
    const index = estimate.steps.findIndex((s) => s.step === step);
    const planned = estimate.steps[index];
    report({ stage, detail: `${what}${planned ? ` (${planned.description})` : ""}`, index: index + 1, steps: stepCount, estimateSeconds: planned?.seconds ?? 0 });
  };
  const cpuStarted = process.threadCpuUsage();
  const time = <T>(work: () => T): [T, number] => {
    const started = performance.now();
    const value = work();
    return [value, (performance.now() - started) / 1000];
  };
  announce("encrypt", "encrypt", `encrypting one batch of ${slots} samples`);
  const [upload, encryptSeconds] = time(() => session.encryptTestSet(features, slots));
  const [result, evaluateSeconds] = time(() =>
    evaluateUpload(runtime, plan, upload, {
      paidSamples: slots,
      onStep: (step) => announce("evaluate", step, `evaluating: ${step}`),
    }),
  );
  announce("decrypt", "decrypt", "decrypting the scores");
  const [decrypted, decryptSeconds] = time(() => session.decryptResult(result));
  const cpu = process.threadCpuUsage(cpuStarted);
  let maxScoreError = 0;
  for (let s = 0; s < Math.min(slots, 64); ++s) {
    const plain = evaluatePlanPlain(plan, features.subarray(s * plan.inputSize, (s + 1) * plan.inputSize));
    plain.forEach((score, j) => (maxScoreError = Math.max(maxScoreError, Math.abs(score - decrypted.scores[s * plan.outputSize + j]!))));
  }
  return {
    samples: slots,
    encryptSeconds,
    evaluateSeconds,
    decryptSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    secondsPer1000Samples: ((encryptSeconds + evaluateSeconds + decryptSeconds) * 1000) / slots,
    relinKeyBytes: session.relinearizationKeys().byteLength,
    uploadBytes: upload.byteLength,
    resultBytes: result.byteLength,
    maxScoreError,
  };
}
