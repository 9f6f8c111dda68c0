/**
 * "Why this model", from the buyer's own history only: the items it interacted with whose
 * public factors are most similar (cosine) to the recommended one. Computed on the device; the
 * explanation names the buyer's own listings, so it never leaves the device either.
 */
import { itemVector, type ItemFactors } from "./itemFactors.ts";
import { dot, l2Norm } from "./vectorMath.ts";

/** Up to `count` item ids from `historyItems` most similar to `itemId`, most similar first (the item itself excluded). */
export function whyThisModel(itemId: number, historyItems: Iterable<number>, factors: ItemFactors, count = 3): number[] {
  if (itemId < 0 || itemId >= factors.count) return [];
  const target = itemVector(factors, itemId);
  const targetNorm = l2Norm(target);
  const similar: { itemId: number; cosine: number }[] = [];
  for (const other of new Set(historyItems)) {
    if (other === itemId || other < 0 || other >= factors.count) continue;
    const vector = itemVector(factors, other);
    const norms = targetNorm * l2Norm(vector);
    similar.push({ itemId: other, cosine: norms === 0 ? 0 : dot(target, vector) / norms });
  }
  return similar
    .filter(({ cosine }) => cosine > 0)
    .sort((a, b) => b.cosine - a.cosine || a.itemId - b.itemId)
    .slice(0, count)
    .map(({ itemId: id }) => id);
}
