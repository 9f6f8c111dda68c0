/**
 * The aggregator's inference attack: from everything one client uploaded over the rounds, guess
 * which items it interacted with. The best inference built here combines (1) membership: how
 * often an item was in its uploads (touched items are in every one, a sampled decoy only
 * sometimes) and (2) values: every plain update is a multiple of the user factor x (gᵢ = aᵢ·x),
 * and a touched item's multiple is large and of the other sign, so the attacker estimates x as the
 * top principal direction of the summed updates and scores each item by its projection on it
 * (−, + and |·|, keeping whichever separates best: the attacker's most favourable reading).
 * The measure is the ROC AUC over all items (0.5: chance, 1: the items are known).
 */
import type { NoisedItemUpdates } from "@modelbazaar/sdk/recommend";

/** The AUC of the best of the attack's scorings for one client. */
export function inferenceAuc(uploads: readonly NoisedItemUpdates[], touched: ReadonlySet<number>, itemCount: number): number {
  const dimension = uploads[0]!.dimension;
  const membership = new Float64Array(itemCount);
  const sums = new Float64Array(itemCount * dimension);
  for (const upload of uploads) {
    upload.itemIds.forEach((itemId, k) => {
      membership[itemId]!++;
      for (let a = 0; a < dimension; a++) sums[itemId * dimension + a]! += upload.values[k * dimension + a]!;
    });
  }
  const direction = principalDirection(sums, itemCount, dimension);
  const projection = Array.from({ length: itemCount }, (_, i) => {
    let p = 0;
    for (let a = 0; a < dimension; a++) p += sums[i * dimension + a]! * direction[a]!;
    return p;
  });
  const readings = [(p: number) => -p, (p: number) => p, (p: number) => Math.abs(p)];
  // Membership first (an item in more uploads is more likely touched), the value reading within it.
  const spread = Math.max(...projection.map(Math.abs)) * 4 + 1;
  return Math.max(...readings.map((read) => auc(projection.map((p, i) => membership[i]! * spread + read(p)), touched)));
}

/** The top eigenvector of Σᵢ sᵢsᵢᵀ (power iteration). */
function principalDirection(rows: Float64Array, count: number, dimension: number): Float64Array {
  let v = new Float64Array(dimension).fill(1 / Math.sqrt(dimension));
  for (let iteration = 0; iteration < 50; iteration++) {
    const next = new Float64Array(dimension);
    for (let i = 0; i < count; i++) {
      let p = 0;
      for (let a = 0; a < dimension; a++) p += rows[i * dimension + a]! * v[a]!;
      for (let a = 0; a < dimension; a++) next[a]! += p * rows[i * dimension + a]!;
    }
    const norm = Math.hypot(...next) || 1;
    v = next.map((x) => x / norm);
  }
  return v;
}

/** ROC AUC of `scores` (index = item) for the items in `positives` against all others (ties count half). */
export function auc(scores: readonly number[], positives: ReadonlySet<number>): number {
  const order = scores.map((score, item) => ({ score, item })).sort((a, b) => a.score - b.score);
  let rankSum = 0;
  for (let k = 0; k < order.length; ) {
    let end = k;
    while (end + 1 < order.length && order[end + 1]!.score === order[k]!.score) end++;
    const midRank = (k + end) / 2 + 1;
    for (let j = k; j <= end; j++) if (positives.has(order[j]!.item)) rankSum += midRank;
    k = end + 1;
  }
  const p = positives.size;
  const n = scores.length - p;
  return (rankSum - (p * (p + 1)) / 2) / (p * n);
}
