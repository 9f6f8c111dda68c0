/**
 * Finding a model among the listings, the same way on every surface (the dApp's listings page,
 * `bazaar listings`): a filter on the words of its name, its task, its price, its claimed
 * accuracy and its sale mode, and one order, promoted listings first (largest promotion total
 * first), then the newest. Everything here runs on what the registry already returned: nothing
 * about what a buyer searches leaves the buyer's machine.
 */

/** What the search reads of a listing (the registry's `getListing` view has all of it). */
export interface SearchableListing {
  readonly id: bigint;
  readonly status: number;
  readonly promotionTotal: bigint;
  readonly terms: { readonly claimedAccuracyBps: number; readonly task: { readonly featureCount: number; readonly classCount: number } };
  readonly offer: { readonly saleMode: number; readonly price: bigint };
}

export type SaleModeFilter = "any" | "fixed" | "auction";

export interface ListingFilter {
  /** Words that must all appear, in any case, in the listing's name (or other words given by `wordsOf`). */
  readonly text?: string;
  /** The task as `taskKey` writes it, e.g. "4x3" for 4 features and 3 classes. */
  readonly task?: string;
  /** Highest fixed price, in wei (auctions have no price and pass). */
  readonly maxPriceWei?: bigint;
  /** Lowest claimed accuracy, in basis points. */
  readonly minClaimBps?: number;
  readonly saleMode?: SaleModeFilter;
  /** Paused and delisted listings too (default: active ones only). */
  readonly includeInactive?: boolean;
}

/** The registry's `SaleMode` and `ListingStatus` values the filter compares with. */
const FIXED_PRICE = 0;
const ACTIVE = 1;

/** A task's key and label: "4x3", "4 features → 3 classes". */
export function taskKey(task: { readonly featureCount: number; readonly classCount: number }): string {
  return `${task.featureCount}x${task.classCount}`;
}

export function taskLabel(task: { readonly featureCount: number; readonly classCount: number }): string {
  return `${task.featureCount} features → ${task.classCount} classes`;
}

/** The distinct tasks of `listings`, as filter choices, fewest features first. */
export function listingTasks(listings: readonly SearchableListing[]): { key: string; label: string }[] {
  const tasks = new Map<string, { featureCount: number; classCount: number }>();
  for (const { terms } of listings) tasks.set(taskKey(terms.task), terms.task);
  return [...tasks.values()]
    .sort((a, b) => a.featureCount - b.featureCount || a.classCount - b.classCount)
    .map((task) => ({ key: taskKey(task), label: taskLabel(task) }));
}

/**
 * The listings that pass `filter`, promoted first (by promotion total, largest first), then the
 * newest first. `wordsOf` gives the searchable words of a listing (its model name, class names…).
 */
export function searchListings<T extends SearchableListing>(listings: readonly T[], filter: ListingFilter, wordsOf: (listing: T) => string): T[] {
  const needles = (filter.text ?? "").toLowerCase().split(/\s+/).filter((word) => word.length > 0);
  return listings
    .filter((listing) => {
      if (!filter.includeInactive && listing.status !== ACTIVE) return false;
      const fixed = listing.offer.saleMode === FIXED_PRICE;
      if (filter.saleMode === "fixed" && !fixed) return false;
      if (filter.saleMode === "auction" && fixed) return false;
      if (filter.maxPriceWei !== undefined && fixed && listing.offer.price > filter.maxPriceWei) return false;
      if (filter.minClaimBps !== undefined && listing.terms.claimedAccuracyBps < filter.minClaimBps) return false;
      if (filter.task && taskKey(listing.terms.task) !== filter.task) return false;
      const haystack = wordsOf(listing).toLowerCase();
      return needles.every((needle) => haystack.includes(needle));
    })
    .sort((a, b) => (a.promotionTotal === b.promotionTotal ? (a.id > b.id ? -1 : 1) : a.promotionTotal > b.promotionTotal ? -1 : 1));
}
