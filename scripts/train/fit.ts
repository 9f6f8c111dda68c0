/**
 * The training loop: seeded mini-batch shuffling, softmax cross-entropy, Adam with a cosine
 * learning-rate decay to zero. Deterministic: the same network, data and hyperparameters
 * give bit-identical weights.
 */
import type { Dataset } from "../lib/datasets/dataset.ts";
import { SeededRng } from "../lib/datasets/seededRng.ts";
import { Adam } from "./adam.ts";
import { softmaxCrossEntropy } from "./metrics.ts";
import type { Network } from "./network.ts";

export interface TrainingHyperparameters {
  readonly optimizer: "adam";
  readonly epochs: number;
  readonly batchSize: number;
  /** Peak learning rate, decayed to zero over the run (cosine). */
  readonly learningRate: number;
  readonly l2: number;
  /** Global gradient-norm clipping; absent: none. */
  readonly clipNorm?: number;
  /** Seeds the initial weights and the order of the batches. */
  readonly seed: number;
}

/** Called after every epoch with the mean training loss of that epoch. */
export type EpochReport = (epoch: number, meanLoss: number) => void;

export function fit(network: Network, train: Dataset, hyper: TrainingHyperparameters, report?: EpochReport): void {
  const rng = new SeededRng(hyper.seed ^ 0x5eed);
  const adam = new Adam(network.parameters, hyper);
  const n = train.featureCount;
  const order = Uint32Array.from({ length: train.sampleCount }, (_, i) => i);
  const batchesPerEpoch = Math.ceil(train.sampleCount / hyper.batchSize);
  const totalSteps = hyper.epochs * batchesPerEpoch;
  let step = 0;
  for (let epoch = 0; epoch < hyper.epochs; epoch++) {
    rng.shuffle(order);
    let lossSum = 0;
    for (let start = 0; start < train.sampleCount; start += hyper.batchSize) {
      const indices = order.subarray(start, start + hyper.batchSize);
      const x = new Float64Array(indices.length * n);
      const labels = new Uint8Array(indices.length);
      indices.forEach((s, i) => {
        x.set(train.features.subarray(s * n, (s + 1) * n), i * n);
        labels[i] = train.labels[s]!;
      });
      const { loss, grad } = softmaxCrossEntropy(network.forward(x, indices.length), labels, train.classCount);
      if (!Number.isFinite(loss)) throw new Error(`Training diverged at epoch ${epoch + 1} (loss ${loss}); lower the learning rate.`);
      lossSum += loss;
      network.backward(grad, indices.length);
      adam.step((hyper.learningRate * (1 + Math.cos((Math.PI * step) / totalSteps))) / 2);
      step++;
    }
    report?.(epoch + 1, lossSum / batchesPerEpoch);
  }
}
