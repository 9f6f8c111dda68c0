/**
 * Where an attacker's queries come from. "task": samples of the task's own distribution (the
 * victim's training split: an attacker holding data like the seller's). "uniform": features
 * drawn uniformly over the range the training data spans (no task data at all). "shuffled":
 * training samples whose features are permuted, each sample its own way (MNIST images with
 * their pixels scattered: the right marginal, none of the structure).
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
    for (let i = 0; i < out.length; i++) out[i] = low[i % n]! + rng.uniform() * (high[i % n]! - low[i % n]!);
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

/** Per-feature minimum and maximum over the pool. */
function featureRange(pool: Dataset): { low: Float64Array; high: Float64Array } {
  const n = pool.featureCount;
  const low = new Float64Array(n).fill(Infinity);
  const high = new Float64Array(n).fill(-Infinity);
  pool.features.forEach((v, i) => {
    low[i % n] = Math.min(low[i % n]!, v);
    high[i % n] = Math.max(high[i % n]!, v);
  });
  return { low, high };
}
