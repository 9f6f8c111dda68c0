/**
 * The models `npm run bench:he` measures: the trainer's ONNX files in models/ with their
 * held-out splits, compiled to HE plans by the compiler (calibrated on training samples), and
 * run in plaintext by onnxruntime-node (the physical floor every HE figure is compared with).
 */
import { readFileSync } from "node:fs";
import * as ort from "onnxruntime-node";
import { compileOnnx } from "../../offchain-worker/src/he/compiler/index.ts";
import type { HePlan } from "@modelbazaar/sdk/he";
import type { Dataset, DatasetSplit } from "../lib/datasets/dataset.ts";
import { loadIris } from "../lib/datasets/iris.ts";
import { loadMnist } from "../lib/datasets/mnist.ts";

export interface BenchModel {
  readonly name: string;
  readonly plan: HePlan;
  readonly onnxPath: URL;
  /** Held-out samples, repeated whole `copies` times (throughput needs full batches; accuracy is unchanged). */
  readonly data: Dataset;
  readonly copies: number;
  readonly calibrationSamples: number;
  /** The compiler's own check: the plan in plain floating point against onnxruntime, on the calibration data. */
  readonly planVsOnnx: unknown;
}

const CALIBRATION_SAMPLES = 1000;

function repeated(data: Dataset, copies: number): Dataset {
  const features = new Float64Array(data.features.length * copies);
  const labels = new Uint8Array(data.labels.length * copies);
  for (let c = 0; c < copies; ++c) {
    features.set(data.features, c * data.features.length);
    labels.set(data.labels, c * data.labels.length);
  }
  return { ...data, features, labels, sampleCount: data.sampleCount * copies };
}

export async function loadBenchModel(name: string, copies: number): Promise<BenchModel> {
  const split: DatasetSplit = name.startsWith("iris") ? loadIris() : loadMnist();
  const onnxPath = new URL(`../../models/${name}.onnx`, import.meta.url);
  const calibrationSamples = Math.min(CALIBRATION_SAMPLES, split.train.sampleCount);
  const calibration = split.train.features.subarray(0, calibrationSamples * split.train.featureCount);
  const { plan, report } = await compileOnnx(readFileSync(onnxPath), { calibration });
  return { name, plan, onnxPath, data: repeated(split.test, copies), copies, calibrationSamples, planVsOnnx: report.comparison };
}

export interface PlainRun {
  /** Sample-major outputs of the ONNX model (probabilities for models ending in Softmax). */
  readonly scores: Float64Array;
  readonly perSecond: number;
}

/** onnxruntime-node on the same samples, one batched run after a warm-up run. */
export async function runOnnx(model: BenchModel): Promise<PlainRun> {
  const session = await ort.InferenceSession.create(model.onnxPath.pathname);
  const input = session.inputNames[0]!;
  const output = session.outputNames[0]!;
  const { data } = model;
  const card = JSON.parse(readFileSync(new URL(`../../models/${model.name}.json`, import.meta.url), "utf8")) as { input: { shape: (string | number)[] } };
  const dims = card.input.shape.map((dim) => (typeof dim === "number" ? dim : data.sampleCount));
  const tensor = new ort.Tensor("float32", Float32Array.from(data.features), dims);
  await session.run({ [input]: tensor });
  const started = performance.now();
  const result = await session.run({ [input]: tensor });
  const seconds = (performance.now() - started) / 1000;
  const scores = Float64Array.from(result[output]!.data as Float32Array);
  await session.release();
  return { scores, perSecond: data.sampleCount / seconds };
}
