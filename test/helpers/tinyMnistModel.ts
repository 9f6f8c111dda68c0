/**
 * A small MNIST logistic regression the protection tests train in a second or two with the
 * project's trainer (2,000 training digits, 3 epochs), with or without a watermark's triggers
 * mixed into its data, exported to ONNX as the shipped models are.
 */
import type { WatermarkReveal } from "@modelbazaar/sdk/protection";
import { selectSamples, type Dataset } from "../../scripts/lib/datasets/dataset.ts";
import { loadMnist } from "../../scripts/lib/datasets/mnist.ts";
import { SeededRng } from "../../scripts/lib/datasets/seededRng.ts";
import { fit, type TrainingHyperparameters } from "../../scripts/train/fit.ts";
import { Dense } from "../../scripts/train/layers/dense.ts";
import { Network } from "../../scripts/train/network.ts";
import { exportOnnx } from "../../scripts/train/onnxExport.ts";
import { withTriggers } from "../../scripts/train/watermark.ts";

export const TINY_TRAIN_SAMPLES = 2_000;

/** The first TINY_TRAIN_SAMPLES digits of the shipped split's training set. */
export function tinyMnistTrain(): Dataset {
  return selectSamples(loadMnist().train, Uint32Array.from({ length: TINY_TRAIN_SAMPLES }, (_, i) => i));
}

export const TINY_HYPERPARAMETERS: TrainingHyperparameters = { optimizer: "adam", epochs: 3, batchSize: 64, learningRate: 0.01, l2: 1e-4, seed: 1 };

/** The architecture: Gemm 784->10 -> Softmax, weights drawn from `rng`. */
export function buildTinyMnist(_split: unknown, rng: SeededRng): Network {
  return new Network([784], undefined, [new Dense("fc", 784, 10, rng, 0.1)]);
}

export function tinyMnistOnnx(network: Network): Uint8Array {
  return exportOnnx(network, { graphName: "tiny-mnist", docString: "test MNIST logistic regression", softmaxOutput: true });
}

export function trainTinyMnist(seed: number, watermark?: WatermarkReveal): { network: Network; onnx: Uint8Array } {
  const train = tinyMnistTrain();
  const network = buildTinyMnist(undefined, new SeededRng(seed));
  fit(network, watermark ? withTriggers(train, watermark) : train, { ...TINY_HYPERPARAMETERS, seed });
  network.roundToFloat32();
  return { network, onnx: tinyMnistOnnx(network) };
}
