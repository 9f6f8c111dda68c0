/**
 * Ranking quality with full ranking (every listing the buyer has not touched in training is a
 * candidate; no sampled negatives): recall@k = hits in the top k / min(k, test items), and
 * NDCG@k with binary relevance, averaged over the buyers that have a test set.
 */
import type { TimeSplit } from "./recommendationData.ts";

/** Scores of every item for one buyer (higher is better). */
export type ScoreItems = (userId: number) => ArrayLike<number>;

export interface RankingQuality {
  readonly recallAt10: number;
  readonly recallAt20: number;
  readonly ndcgAt10: number;
  /** Buyers evaluated (those with a training history and a test set). */
  readonly users: number;
}

/** Evaluates `score` on the split's test sets. */
export function rankingQuality(split: TimeSplit, itemCount: number, score: ScoreItems): RankingQuality {
  let recall10 = 0;
  let recall20 = 0;
  let ndcg10 = 0;
  let users = 0;
  split.test.forEach((test, userId) => {
    if (test.size === 0) return;
    const seen = new Set(split.train[userId]!.map((i) => i.itemId));
    const scores = score(userId);
    const top = topItems(scores, itemCount, seen, 20);
    const hits = top.map((item) => test.has(item));
    const count = (k: number) => hits.slice(0, k).filter(Boolean).length;
    recall10 += count(10) / Math.min(10, test.size);
    recall20 += count(20) / Math.min(20, test.size);
    let dcg = 0;
    hits.slice(0, 10).forEach((hit, rank) => (dcg += hit ? 1 / Math.log2(rank + 2) : 0));
    let ideal = 0;
    for (let rank = 0; rank < Math.min(10, test.size); rank++) ideal += 1 / Math.log2(rank + 2);
    ndcg10 += dcg / ideal;
    users++;
  });
  return { recallAt10: recall10 / users, recallAt20: recall20 / users, ndcgAt10: ndcg10 / users, users };
}

/** The `k` best-scoring items not in `excluded`, best first (ties to the lower id). */
function topItems(scores: ArrayLike<number>, itemCount: number, excluded: ReadonlySet<number>, k: number): number[] {
  const best: number[] = [];
  for (let item = 0; item < itemCount; item++) {
    if (excluded.has(item)) continue;
    const s = scores[item]!;
    if (best.length === k && s <= scores[best[k - 1]!]!) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && scores[best[at - 1]!]! < s) at--;
    best.splice(at, 0, item);
    if (best.length > k) best.pop();
  }
  return best;
}
