/**
 * Cold start from what the chain already shows everyone: test-drives and purchases per listing
 * are public events, so a listing's popularity costs no one any privacy. A new buyer (no
 * history) is ranked by it, and it breaks ties for listings newer than the item factors.
 */

/** Public counts for one listing. */
export interface PublicSignals {
  readonly testDrives: number;
  readonly purchases: number;
}

/** A purchase counts as much as this many test-drives. */
export const PURCHASE_SIGNAL_WEIGHT = 3;

/** log(1 + test-drives + 3·purchases): more activity ranks higher, with diminishing returns. */
export function publicSignalScore(signals: PublicSignals | undefined): number {
  if (!signals) return 0;
  return Math.log1p(signals.testDrives + PURCHASE_SIGNAL_WEIGHT * signals.purchases);
}
