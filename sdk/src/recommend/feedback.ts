/**
 * Implicit feedback: what a buyer does with a listing, weighted by how much it says about the
 * buyer's interest (browse < test-drive < buy), and the confidence an implicit-feedback matrix
 * factorization gives an item the user touched (Hu, Koren and Volinsky 2008: c = 1 + α·w; an
 * untouched item has confidence 1 and preference 0).
 */

/** What a buyer did with a listing, from the weakest signal to the strongest. */
export type InteractionKind = "browse" | "testDrive" | "buy";

/** One thing a buyer did with a listing (`itemId` indexes the public item factors), at a time in seconds since the epoch. */
export interface Interaction {
  readonly itemId: number;
  readonly kind: InteractionKind;
  readonly timestamp: number;
}

/** The weight of each kind of interaction: a purchase says more than a test-drive, which says more than a look. */
export const FEEDBACK_WEIGHTS: Readonly<Record<InteractionKind, number>> = { browse: 1, testDrive: 4, buy: 10 };

/** The default α of c = 1 + α·w. */
export const DEFAULT_CONFIDENCE_SCALE = 2;

/**
 * The confidence of each item the interactions touched: 1 + α · (the sum of their weights).
 * Repeated interactions add up, so a listing browsed, test-driven and bought weighs 1 + α·15.
 */
export function itemConfidences(interactions: readonly Interaction[], confidenceScale = DEFAULT_CONFIDENCE_SCALE): Map<number, number> {
  const weights = new Map<number, number>();
  for (const { itemId, kind } of interactions) weights.set(itemId, (weights.get(itemId) ?? 0) + FEEDBACK_WEIGHTS[kind]);
  return new Map([...weights].map(([itemId, weight]) => [itemId, 1 + confidenceScale * weight]));
}
