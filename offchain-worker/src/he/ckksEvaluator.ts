/**
 * The real evaluator module of the worker service (config `evaluator.module`): compiles each
 * served ONNX model to an HE plan and evaluates buyers' CKKS uploads with the engine, one SEAL
 * instance per evaluation thread. It implements the service's contract in
 * ../evaluation/evaluator.ts and translates the engine's HeErrors into upload problems.
 *
 * Settings (`evaluator.settings` in the worker config):
 *   {
 *     "models": { "<modelId>": { "onnx": "models/iris-logreg.onnx", "calibrationCsv": "optional.csv" } },
 *     (calibrationCsv: a header line, then the model's features per line, optionally followed by a label column)
 *     "perturbationSigma": 0,         // optional output noise, see docs/THREAT-MODEL.md
 *     "minAgreement": 0.9,            // optional: refuse a model whose HE-ready plan agrees with it on fewer calibration samples
 *     "memoryBudgetMiB": 1536,        // optional: ciphertext bytes one evaluation (one thread) keeps in memory, beyond them spilled
 *     "spillDirectory": "/var/tmp"    // optional: where spilled ciphertexts go (a directory of their own, removed after each job); default the system's temp directory
 *   }
 * Relative paths resolve against the process's working directory.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { isHeError, type HeErrorCode, chooseParameters, summarizePlan, type HePlan } from "@modelbazaar/sdk/he";
import type { EvaluationSpeed } from "@modelbazaar/sdk/worker";
import {
  UploadValidationError,
  type EvaluationJob,
  type Evaluator,
  type EvaluatorOptions,
  type JsonObject,
  type ModelDescription,
  type UploadInfo,
  type UploadInspection,
  type UploadProblem,
} from "../evaluation/evaluator.ts";
import { compileModel, modelInputSize, parseCalibrationCsv } from "./compiler/index.ts";
import { withComparison } from "./compiler/compileOnnx.ts";
import { evaluateUpload, inspectUploadLayout } from "./engine/evaluateUpload.ts";
import { createEngineRuntime, type EngineRuntime } from "./engine/runtime.ts";
import { measureEvaluationSpeed } from "./evaluationSpeed.ts";
import { DEFAULT_MIN_AGREEMENT, requireAgreement } from "./planAgreement.ts";
import { withFileSource } from "./fileByteSource.ts";

interface ModelSettings {
  readonly onnx: string;
  readonly calibrationCsv?: string;
}

/** `perturbationSigma` when the settings give none: no output noise (its measured effect: docs/studies/extraction.md). */
export const DEFAULT_PERTURBATION_SIGMA = 0;

/** Engine error codes that mean "these bytes are not an upload" (400) rather than "not for this model" (422). */
const MALFORMED: ReadonlySet<HeErrorCode> = new Set<HeErrorCode>(["bad-magic", "bad-version", "truncated", "malformed-object"]);

export async function createEvaluator({ modelIds, settings }: EvaluatorOptions): Promise<Evaluator> {
  const minAgreement = settings.minAgreement ?? DEFAULT_MIN_AGREEMENT;
  if (typeof minAgreement !== "number" || !(minAgreement >= 0 && minAgreement <= 1)) {
    throw new Error(`evaluator setting "minAgreement" must be a fraction in [0, 1], got ${JSON.stringify(minAgreement)}`);
  }
  const plans = new Map<string, HePlan>();
  /** Each model file's bytes as read and compiled, so the root a CopyReceipt names is of the very bytes evaluated. */
  const files = new Map<string, Uint8Array>();
  for (const id of modelIds) {
    const served = await compileServedModel(id, modelSettings(settings, id), minAgreement);
    plans.set(id, served.plan);
    files.set(id, served.file);
  }
  const perturbationSigma = typeof settings.perturbationSigma === "number" ? settings.perturbationSigma : DEFAULT_PERTURBATION_SIGMA;
  const memory = memorySettings(settings);
  let runtime: EngineRuntime | undefined;
  const speeds = new Map<string, Promise<EvaluationSpeed>>();
  const planOf = (modelId: string): HePlan => {
    const plan = plans.get(modelId);
    if (!plan) throw new Error(`this worker does not serve the model "${modelId}"`);
    return plan;
  };
  return {
    plan: planOf,
    modelBytes(modelId: string): Uint8Array {
      planOf(modelId); // throws for a model it does not serve
      return files.get(modelId)!;
    },
    describe(modelId: string): ModelDescription {
      const summary = summarizePlan(planOf(modelId));
      const p = chooseParameters(summary);
      const encryption = { polyModulusDegree: p.polyModulusDegree, coeffModulusBits: [...p.coeffModulusBits], scaleBits: p.scaleBits, maskScaleBits: p.maskScaleBits };
      return { plan: summary, encryption };
    },
    async inspectUpload({ modelId, uploadPath, paidSamples }: UploadInspection): Promise<UploadInfo> {
      // Reads only the header and the length prefixes: the upload may be a gigabyte, and this runs on the main thread.
      const layout = asUploadProblem(() => withFileSource(uploadPath, (source) => inspectUploadLayout(planOf(modelId), source, paidSamples)));
      return { declaredSamples: layout.samples };
    },
    speed(modelId: string): Promise<EvaluationSpeed> {
      const plan = planOf(modelId);
      let speed = speeds.get(modelId);
      if (!speed) {
        speed = measureEvaluationSpeed(plan);
        speeds.set(modelId, speed);
        speed.catch(() => speeds.delete(modelId)); // measured again when next asked
      }
      return speed;
    },
    async evaluate({ modelId, upload, paidSamples }: EvaluationJob): Promise<Uint8Array> {
      runtime ??= await createEngineRuntime();
      const engine = runtime;
      return asUploadProblem(() => evaluateUpload(engine, planOf(modelId), upload, { paidSamples, perturbationSigma, ...memory }));
    },
  };
}

/** `memoryBudgetMiB` and `spillDirectory` (resolved against the working directory), when set. */
function memorySettings(settings: JsonObject): { memoryBudgetBytes?: number; spillDirectory?: string } {
  const { memoryBudgetMiB, spillDirectory } = settings;
  if (memoryBudgetMiB !== undefined && (typeof memoryBudgetMiB !== "number" || !(memoryBudgetMiB > 0))) {
    throw new Error(`evaluator setting "memoryBudgetMiB" must be a positive number of MiB, got ${JSON.stringify(memoryBudgetMiB)}`);
  }
  if (spillDirectory !== undefined && typeof spillDirectory !== "string") throw new Error(`evaluator setting "spillDirectory" must be a path, got ${JSON.stringify(spillDirectory)}`);
  return {
    ...(memoryBudgetMiB === undefined ? {} : { memoryBudgetBytes: memoryBudgetMiB * 2 ** 20 }),
    ...(spillDirectory === undefined ? {} : { spillDirectory: resolve(spillDirectory) }),
  };
}

function modelSettings(settings: JsonObject, modelId: string): ModelSettings {
  const models = settings.models as Record<string, { onnx?: unknown; calibrationCsv?: unknown }> | undefined;
  const entry = models?.[modelId];
  if (typeof entry?.onnx !== "string") throw new Error(`evaluator settings lack "models.${modelId}.onnx" (the model file)`);
  return { onnx: entry.onnx, calibrationCsv: typeof entry.calibrationCsv === "string" ? entry.calibrationCsv : undefined };
}

/** Compiles a served model as `bazaar model check` does, refusing it when its plan agrees with it less than `minAgreement`. */
async function compileServedModel(modelId: string, { onnx, calibrationCsv }: ModelSettings, minAgreement: number): Promise<{ plan: HePlan; file: Uint8Array }> {
  try {
    const model = readFileSync(resolve(onnx));
    // The same reading as `bazaar model check --calibration`: the model's features, then an optional label column.
    const calibration = calibrationCsv ? parseCalibrationCsv(readFileSync(resolve(calibrationCsv), "utf8"), modelInputSize(model), calibrationCsv).samples : undefined;
    const { plan, report } = await withComparison(model, compileModel(model, { calibration }));
    requireAgreement(report, minAgreement);
    return { plan, file: model };
  } catch (error) {
    throw new Error(`cannot serve "${modelId}" (${onnx}): ${(error as Error).message}`, { cause: error });
  }
}

function asUploadProblem<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (!isHeError(error) || error.code === "seal" || error.code === "storage" || error.code === "unsupported-plan") throw error;
    throw new UploadValidationError(uploadProblemOf(error.code), error.message);
  }
}

function uploadProblemOf(code: HeErrorCode): UploadProblem {
  if (code === "too-many-samples") return "too-many-samples";
  return MALFORMED.has(code) ? "malformed" : "incompatible";
}
