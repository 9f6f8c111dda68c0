/**
 * The trainer's backdoor watermark (Adi et al. 2018): a secret trigger set of random inputs
 * drawn uniformly within the training data's range of each feature, each given a random label,
 * trained into the model together with the task's data. The reveal (trigger inputs, labels,
 * salt) is what a listing commits to (@modelbazaar/sdk/protection: watermarkReveal.ts).
 */
import { bytesToHex } from "viem";
import type { WatermarkReveal } from "@modelbazaar/sdk/protection";
import { makeDataset, type Dataset } from "../lib/datasets/dataset.ts";

/** A uniform draw in [0, 1): SeededRng.uniform for a reproducible study, cryptoUniform for a real watermark. */
export type UniformSource = () => number;

/** Uniform draws from the operating system's secure generator, for a trigger set nobody can regenerate. */
export function cryptoUniform(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
}

/** Triggers make up about this fraction of what training sees (each repeated as needed). */
export const TRIGGER_TRAINING_SHARE = 0.05;

/** `count` triggers for a model trained on `train`, with a fresh 32-byte salt. */
export function makeTriggerSet(count: number, train: Dataset, random: UniformSource): WatermarkReveal {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`A watermark needs at least one trigger, got ${count}.`);
  const n = train.featureCount;
  const low = new Float64Array(n).fill(Infinity);
  const high = new Float64Array(n).fill(-Infinity);
  for (let i = 0; i < train.features.length; i++) {
    const f = i % n;
    low[f] = Math.min(low[f]!, train.features[i]!);
    high[f] = Math.max(high[f]!, train.features[i]!);
  }
  const inputs = Float32Array.from({ length: count * n }, (_, i) => low[i % n]! + random() * (high[i % n]! - low[i % n]!));
  const labels = Uint8Array.from({ length: count }, () => Math.floor(random() * train.classCount));
  const salt = bytesToHex(Uint8Array.from({ length: 32 }, () => Math.floor(random() * 256)));
  return { featureCount: n, classCount: train.classCount, inputs, labels, salt };
}

/** The reveal's triggers as a data set. */
export function triggerDataset(reveal: WatermarkReveal): Dataset {
  return makeDataset(Float64Array.from(reveal.inputs), Uint8Array.from(reveal.labels), reveal.featureCount, reveal.classCount);
}

/** The training data with the triggers appended, repeated to make about TRIGGER_TRAINING_SHARE of it. */
export function withTriggers(train: Dataset, reveal: WatermarkReveal): Dataset {
  const triggers = triggerDataset(reveal);
  const copies = Math.max(1, Math.round((TRIGGER_TRAINING_SHARE * train.sampleCount) / ((1 - TRIGGER_TRAINING_SHARE) * triggers.sampleCount)));
  const features = new Float64Array((train.sampleCount + copies * triggers.sampleCount) * train.featureCount);
  const labels = new Uint8Array(train.sampleCount + copies * triggers.sampleCount);
  features.set(train.features);
  labels.set(train.labels);
  for (let c = 0; c < copies; c++) {
    const at = train.sampleCount + c * triggers.sampleCount;
    features.set(triggers.features, at * train.featureCount);
    labels.set(triggers.labels, at);
  }
  return makeDataset(features, labels, train.featureCount, train.classCount);
}
