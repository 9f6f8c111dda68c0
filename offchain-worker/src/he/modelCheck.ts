/**
 * `bazaar model check`: can this ONNX model be test-driven under CKKS, and at what cost?
 *
 * Compiles the model (supported and unsupported operators, HE-ready conversions such as Relu
 * replaced by a fitted polynomial), chooses the encryption parameters from the plan's depth,
 * then measures one full batch for real: the buyer's encryption, the worker's evaluation and
 * the decryption, with the sizes of the keys and ciphertexts that travel. The time per 1,000
 * samples is that batch's time spread over its slots (a test set pays for whole batches).
 */
import { readFileSync } from "node:fs";
import { BuyerSession } from "../../../sdk/src/he/buyerSession.ts";
import { chooseParameters, slotCount, type HeParameters } from "../../../sdk/src/he/parameters.ts";
import { evaluatePlanPlain, summarizePlan, type HePlan } from "../../../sdk/src/he/plan.ts";
import { compileOnnx, type CompileReport } from "./compiler/index.ts";
import { evaluateUpload } from "./engine/evaluateUpload.ts";
import { createEngineRuntime } from "./engine/runtime.ts";

export interface ModelCheckOptions {
  /** Row-major calibration samples (e.g. the seller's validation data); synthetic if absent. */
  readonly calibration?: Float64Array;
  readonly polynomialDegree?: 2 | 3;
  /** Skip the one-batch measurement (sizes and times are then absent). */
  readonly measure?: boolean;
}

export interface BatchMeasurement {
  readonly samples: number;
  readonly encryptSeconds: number;
  readonly evaluateSeconds: number;
  readonly decryptSeconds: number;
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
  readonly measurement?: BatchMeasurement;
}

export async function checkModel(modelPath: string, options: ModelCheckOptions = {}): Promise<ModelCheckResult> {
  const { plan, report } = await compileOnnx(readFileSync(modelPath), options);
  const parameters = chooseParameters(summarizePlan(plan));
  const slots = slotCount(parameters);
  const measurement = options.measure === false ? undefined : await measureBatch(plan, slots);
  return { report, parameters: { ...parameters, slots }, measurement };
}

/** Encrypts, evaluates and decrypts one full batch of deterministic pseudo-random samples. */
async function measureBatch(plan: HePlan, slots: number): Promise<BatchMeasurement> {
  const features = new Float64Array(slots * plan.inputSize);
  for (let i = 0; i < features.length; ++i) features[i] = ((i * 2654435761) % 1000) / 1000;
  const session = await BuyerSession.create(summarizePlan(plan));
  const runtime = await createEngineRuntime();
  try {
    const time = <T>(work: () => T): [T, number] => {
      const started = performance.now();
      const value = work();
      return [value, (performance.now() - started) / 1000];
    };
    const [upload, encryptSeconds] = time(() => session.encryptTestSet(features, slots));
    const [result, evaluateSeconds] = time(() => evaluateUpload(runtime, plan, upload, { paidSamples: slots }));
    const [decrypted, decryptSeconds] = time(() => session.decryptResult(result));
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
      secondsPer1000Samples: ((encryptSeconds + evaluateSeconds + decryptSeconds) * 1000) / slots,
      relinKeyBytes: session.relinearizationKeys().byteLength,
      uploadBytes: upload.byteLength,
      resultBytes: result.byteLength,
      maxScoreError,
    };
  } finally {
    session.delete();
    runtime.delete();
  }
}
