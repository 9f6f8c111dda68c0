/**
 * The trainer's backdoor watermark (Adi et al. 2018): a secret trigger set (the SDK's
 * makeTriggerSet) of random inputs drawn uniformly within the training data's range of each
 * feature, each given a random label, trained into the model together with the task's data. The reveal (trigger inputs, labels,
 * salt) is what a listing commits to (@modelbazaar/sdk/protection: watermarkReveal.ts).
 */
import type { TriggerSpace, WatermarkReveal } from "@modelbazaar/sdk/protection";
import { makeDataset, type Dataset } from "../lib/datasets/dataset.ts";

/** Uniform draws from the operating system's secure generator, for a trigger set nobody can regenerate. */
export function cryptoUniform(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
}

/** Triggers make up about this fraction of what training sees (each repeated as needed). */
export const TRIGGER_TRAINING_SHARE = 0.05;

/** Each feature's range over the training data: where the watermark's triggers are drawn. */
export function featureRanges(train: Dataset): TriggerSpace {
  const n = train.featureCount;
  const low = new Float64Array(n).fill(Infinity);
  const high = new Float64Array(n).fill(-Infinity);
  for (let i = 0; i < train.features.length; i++) {
    const f = i % n;
    low[f] = Math.min(low[f]!, train.features[i]!);
    high[f] = Math.max(high[f]!, train.features[i]!);
  }
  return { classCount: train.classCount, low, high };
}

/** The reveal's triggers as a data set. */
export function triggerDataset(reveal: WatermarkReveal): Dataset {
  return makeDataset(Float64Array.from(reveal.inputs), Uint8Array.from(reveal.labels), reveal.featureCount, reveal.classCount);
}

/** The training data with the triggers appended, repeated to make about `share` of it. */
export function withTriggers(train: Dataset, reveal: WatermarkReveal, share = TRIGGER_TRAINING_SHARE): Dataset {
  const triggers = triggerDataset(reveal);
  const copies = Math.max(1, Math.round((share * train.sampleCount) / ((1 - share) * triggers.sampleCount)));
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
