/**
 * Where an attacker's queries come from. "task": samples of the task's own distribution (the
 * victim's training split: an attacker holding data like the seller's). "uniform": features
 * drawn uniformly over the range the training data spans (no task data at all). "shuffled":
 * training samples whose features are permuted, each sample its own way (MNIST images with
 * their pixels scattered: the right marginal, none of the structure). The uniform range is the
 * whole data set's smallest to largest feature, the same for every feature (MNIST: noise
 * images in [0, 1]; a per-feature range would pin MNIST's always-black border pixels to 0).
 */
import type { Dataset } from "../lib/datasets/dataset.ts";
import { SeededRng } from "../lib/datasets/seededRng.ts";

export const QUERY_SOURCES = ["task", "uniform", "shuffled"] as const;
export type QuerySource = (typeof QUERY_SOURCES)[number];

/** `count` row-major query samples from `source`, seeded. */
export function drawQueries(source: QuerySource, pool: Dataset, count: number, seed: number): Float64Array {
  const rng = new SeededRng(seed);
  const n = pool.featureCount;
  const out = new Float64Array(count * n);
  if (source === "uniform") {
    const { low, high } = featureRange(pool);
    for (let i = 0; i < out.length; i++) out[i] = low + rng.uniform() * (high - low);
    return out;
  }
  const order = rng.shuffle(Uint32Array.from({ length: pool.sampleCount }, (_, i) => i));
  const permutation = Uint32Array.from({ length: n }, (_, i) => i);
  for (let s = 0; s < count; s++) {
    const from = order[s % order.length]!;
    const row = pool.features.subarray(from * n, (from + 1) * n);
    if (source === "task") out.set(row, s * n);
    else {
      rng.shuffle(permutation);
      for (let f = 0; f < n; f++) out[s * n + f] = row[permutation[f]!]!;
    }
  }
  return out;
}

/** The smallest and largest feature value of the pool. */
function featureRange(pool: Dataset): { low: number; high: number } {
  let low = Infinity;
  let high = -Infinity;
  for (const v of pool.features) {
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  return { low, high };
}
