/**
 * The networks the watermark and fingerprint studies measure (scripts/study/watermark.ts,
 * fingerprint.ts), and what an adversary does to a copy: fine-tuning on clean data, magnitude
 * pruning, averaging two copies. MNIST only: Iris's 30 test samples cannot resolve an accuracy
 * cost of a point. The shipped MNIST specs (scripts/train/modelSpecs.ts) and a ReLU MLP.
 */
import type { Dataset, DatasetSplit } from "../lib/datasets/dataset.ts";
import { SeededRng } from "../lib/datasets/seededRng.ts";
import { cloneNetwork } from "../train/cloneNetwork.ts";
import { fit, type TrainingHyperparameters } from "../train/fit.ts";
import { Dense } from "../train/layers/dense.ts";
import { Relu } from "../train/layers/relu.ts";
import { modelSpec } from "../train/modelSpecs.ts";
import { Network } from "../train/network.ts";
import { predictedClasses } from "@modelbazaar/sdk/protection";

export interface StudyModel {
  readonly name: string;
  readonly architecture: string;
  readonly hyperparameters: TrainingHyperparameters;
  build(split: DatasetSplit, rng: SeededRng): Network;
}

const shipped = (name: "mnist-logreg" | "mnist-cryptonets"): StudyModel => {
  const spec = modelSpec(name);
  return { name, architecture: spec.architecture, hyperparameters: spec.hyperparameters, build: spec.build };
};

export const STUDY_MODELS: readonly StudyModel[] = [
  shipped("mnist-logreg"),
  {
    name: "mnist-relu-mlp",
    architecture: "Gemm 784->64 -> Relu -> Gemm 64->10",
    hyperparameters: { optimizer: "adam", epochs: 15, batchSize: 64, learningRate: 0.002, l2: 1e-4, seed: 15 },
    build: (split, rng) => new Network([split.train.featureCount], undefined, [new Dense("fc1", 784, 64, rng, 1.4), new Relu(64), new Dense("fc2", 64, 10, rng, 1)]),
  },
  shipped("mnist-cryptonets"),
];

/** A network of `model`'s architecture trained on `train` (its own seed unless `seed` is given). */
export function trainStudyModel(model: StudyModel, split: DatasetSplit, train: Dataset, options: { seed?: number; epochs?: number } = {}): Network {
  const hyper = { ...model.hyperparameters, seed: options.seed ?? model.hyperparameters.seed, epochs: options.epochs ?? model.hyperparameters.epochs };
  const network = model.build(split, new SeededRng(hyper.seed));
  fit(network, train, hyper);
  network.roundToFloat32();
  return network;
}

/** A network of the same architecture holding `source`'s weights. */
export function cloneStudyNetwork(model: StudyModel, split: DatasetSplit, source: Network): Network {
  return cloneNetwork(model.build, split, source);
}

/** The element-wise mean of two copies' weights (the simplest collusion). */
export function averageNetworks(model: StudyModel, split: DatasetSplit, a: Network, b: Network): Network {
  const mean = cloneStudyNetwork(model, split, a);
  mean.parameters.forEach((p, i) => p.value.forEach((v, j) => (p.value[j] = (v + b.parameters[i]!.value[j]!) / 2)));
  return mean;
}

/** Continues training `network` on `data` (Adam, cosine decay from `learningRate`). */
export function fineTune(model: StudyModel, network: Network, data: Dataset, epochs: number, learningRate: number, seed = 77): void {
  fit(network, data, { ...model.hyperparameters, epochs, learningRate, seed });
  network.roundToFloat32();
}

/** Sets the smallest `rate` fraction (by magnitude) of every weight tensor to zero; biases are kept. */
export function pruneByMagnitude(network: Network, rate: number): void {
  for (const p of network.parameters) {
    if (!p.decay) continue;
    const sorted = Float64Array.from(p.value, Math.abs).sort();
    const cut = sorted[Math.min(sorted.length - 1, Math.floor(rate * sorted.length))]!;
    p.value.forEach((v, j) => {
      if (Math.abs(v) < cut) p.value[j] = 0;
    });
  }
}

export function predictions(network: Network, data: Dataset): Int16Array {
  return predictedClasses(network.scores(data), network.classCount);
}

/** The fraction of `data` the network classifies right. */
export function accuracy(network: Network, data: Dataset): number {
  const predicted = predictions(network, data);
  return predicted.reduce((n, c, i) => n + (c === data.labels[i] ? 1 : 0), 0) / data.sampleCount;
}
