/**
 * A secret trigger set (the watermark's, or one buyer's fingerprint): inputs drawn uniformly
 * within a range per feature, each with a uniformly drawn label, and a 32-byte salt, all from
 * one uniform source (the OS's generator for a watermark, a keyed stream for a fingerprint, a
 * seeded one for a study). Such labels are independent of any model not trained on them, which
 * is what makes the binomial p-value of triggerEvidence.ts valid.
 */
import { bytesToHex } from "viem";
import type { UniformSource } from "./keyedUniform.ts";
import type { WatermarkReveal } from "./watermarkReveal.ts";

/** Where triggers are drawn: feature f uniformly in [low[f], high[f]]. */
export interface TriggerSpace {
  readonly classCount: number;
  readonly low: ArrayLike<number>;
  readonly high: ArrayLike<number>;
}

export function makeTriggerSet(count: number, space: TriggerSpace, random: UniformSource): WatermarkReveal {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`A trigger set needs at least one trigger, got ${count}.`);
  const n = space.low.length;
  const inputs = Float32Array.from({ length: count * n }, (_, i) => space.low[i % n]! + random() * (space.high[i % n]! - space.low[i % n]!));
  const labels = Uint8Array.from({ length: count }, () => Math.floor(random() * space.classCount));
  const salt = bytesToHex(Uint8Array.from({ length: 32 }, () => Math.floor(random() * 256)));
  return { featureCount: n, classCount: space.classCount, inputs, labels, salt };
}
