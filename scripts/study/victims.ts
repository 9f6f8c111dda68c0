/**
 * The extraction study's victims: the four shipped models (models/*.onnx), each compiled to the
 * HE plan its worker would serve (offchain-worker/src/he/compiler, calibrated on the training
 * split as a seller would) beside the data split it was trained and tested on.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { HePlan } from "@modelbazaar/sdk/he";
import { compileModel } from "../../offchain-worker/src/he/compiler/index.ts";
import type { DatasetSplit } from "../lib/datasets/dataset.ts";
import { modelSpec, type ModelName } from "../train/modelSpecs.ts";
import { loadSplit } from "../train/trainModel.ts";

export interface Victim {
  readonly name: ModelName;
  /** "linear": the plan is one linear layer (the logistic regressions); "network": anything deeper. */
  readonly kind: "linear" | "network";
  readonly plan: HePlan;
  readonly split: DatasetSplit;
  /** The ONNX file's bytes (what a buyer pays for). */
  readonly onnxBytes: number;
}

/** How many training samples calibrate the plan (as `bazaar model check --calibration` would). */
const CALIBRATION_SAMPLES = 256;

export function loadVictim(name: ModelName, modelsDir = "models"): Victim {
  const spec = modelSpec(name);
  const split = loadSplit(spec.dataset);
  const onnx = readFileSync(join(modelsDir, `${name}.onnx`));
  const n = split.train.featureCount;
  const calibration = split.train.features.slice(0, Math.min(CALIBRATION_SAMPLES, split.train.sampleCount) * n);
  const { plan } = compileModel(onnx, { calibration });
  const kind = plan.layers.length === 1 && plan.layers[0]!.kind === "linear" ? "linear" : "network";
  return { name, kind, plan, split, onnxBytes: onnx.length };
}
