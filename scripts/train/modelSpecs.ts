/**
 * The four models that ship with the project, one entry each: the data set, the architecture
 * (built from a split and a seeded generator), the output and the training hyperparameters.
 */
import type { DatasetName, DatasetSplit } from "../lib/datasets/dataset.ts";
import { fitStandardization } from "../lib/datasets/standardization.ts";
import { SeededRng } from "../lib/datasets/seededRng.ts";
import type { TrainingHyperparameters } from "./fit.ts";
import { Conv2d } from "./layers/conv2d.ts";
import { Dense } from "./layers/dense.ts";
import { Square } from "./layers/square.ts";
import { Standardize } from "./layers/standardize.ts";
import { Network } from "./network.ts";

export const MODEL_NAMES = ["iris-logreg", "iris-square-mlp", "mnist-logreg", "mnist-cryptonets"] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export interface ModelSpec {
  readonly name: ModelName;
  readonly dataset: DatasetName;
  readonly description: string;
  /** "Conv(...) -> Pow(2) -> ..." as written in the card. */
  readonly architecture: string;
  readonly softmaxOutput: boolean;
  readonly hyperparameters: TrainingHyperparameters;
  build(split: DatasetSplit, rng: SeededRng): Network;
}

/** A name the trainer does not know. */
export class UnknownModelError extends Error {
  override readonly name = "UnknownModelError";
}

const SPECS: Record<ModelName, ModelSpec> = {
  "iris-logreg": {
    name: "iris-logreg",
    dataset: "iris",
    description: "Multinomial logistic regression on raw Iris measurements (standardized inside the model).",
    architecture: "Sub(mean) -> Div(std) -> Gemm 4->3 -> Softmax",
    softmaxOutput: true,
    hyperparameters: { optimizer: "adam", epochs: 200, batchSize: 16, learningRate: 0.05, l2: 1e-3, seed: 11 },
    build: (split, rng) =>
      new Network(split.sampleShape, new Standardize(fitStandardization(split.train)), [new Dense("fc", 4, 3, rng, 0.1)]),
  },
  "iris-square-mlp": {
    name: "iris-square-mlp",
    dataset: "iris",
    description: "A 4-8-3 network with a square activation (written Mul(x, x)) on raw Iris measurements.",
    architecture: "Sub(mean) -> Div(std) -> Gemm 4->8 -> Mul(x, x) -> Gemm 8->3",
    softmaxOutput: false,
    hyperparameters: { optimizer: "adam", epochs: 300, batchSize: 16, learningRate: 0.02, l2: 1e-3, clipNorm: 5, seed: 12 },
    build: (split, rng) =>
      new Network(split.sampleShape, new Standardize(fitStandardization(split.train)), [
        new Dense("fc1", 4, 8, rng, 0.5),
        new Square(8, "Mul"),
        new Dense("fc2", 8, 3, rng, 0.5),
      ]),
  },
  "mnist-logreg": {
    name: "mnist-logreg",
    dataset: "mnist",
    description: "Multinomial logistic regression on the 784 MNIST pixels in [0, 1].",
    architecture: "Gemm 784->10 -> Softmax",
    softmaxOutput: true,
    hyperparameters: { optimizer: "adam", epochs: 15, batchSize: 64, learningRate: 0.005, l2: 1e-4, seed: 13 },
    build: (split, rng) => new Network([split.train.featureCount], undefined, [new Dense("fc", 784, 10, rng, 0.1)]),
  },
  "mnist-cryptonets": {
    name: "mnist-cryptonets",
    dataset: "mnist",
    description: "A CryptoNets-like network sized for HE: a strided convolution and a dense layer, each followed by a square.",
    architecture: "Conv 1->5 maps 5x5 stride 2 pad 1 -> Pow(2) -> Flatten -> Gemm 845->64 -> Pow(2) -> Gemm 64->10",
    softmaxOutput: false,
    hyperparameters: { optimizer: "adam", epochs: 20, batchSize: 32, learningRate: 0.002, l2: 1e-4, clipNorm: 2, seed: 14 },
    build: (split, rng) => {
      const conv = new Conv2d("conv1", { channels: 1, side: 28, maps: 5, kernel: 5, stride: 2, padding: 1 }, rng, 0.5);
      return new Network(split.sampleShape, undefined, [
        conv,
        new Square(conv.outputSize, "Pow"),
        new Dense("fc1", conv.outputSize, 64, rng, 0.5),
        new Square(64, "Pow"),
        new Dense("fc2", 64, 10, rng, 0.5),
      ]);
    },
  },
};

export function modelSpec(name: string): ModelSpec {
  if (!(MODEL_NAMES as readonly string[]).includes(name)) {
    throw new UnknownModelError(`Unknown model "${name}". Known models: ${MODEL_NAMES.join(", ")}.`);
  }
  return SPECS[name as ModelName];
}
