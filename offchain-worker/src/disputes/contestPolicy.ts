/**
 * When the worker contests a refund claim (docs/DISPUTES.md §4.2): the seller cannot see whether
 * a claim is honest (the predictions are committed, not shown), so it contests every claim whose
 * refund R is worth it, R ≥ F_free·threshold (default F_free/2, F_free the free samples' fee the
 * claim staked, which the seller gets only if the refund is paid), on a listing whose plan it
 * holds and whose contest the market can verify. A contest stakes the seller bond, which an
 * honest buyer wins; the catch probability of a lie is what makes lying lose money.
 */
import type { ContestablePlan } from "./contestablePlans.ts";

export const BPS = 10_000;

export interface ContestDecision {
  readonly decision: "contest" | "pass";
  /** Why, in a sentence (logged and stored). */
  readonly reason: string;
}

export interface ClaimAtStake {
  readonly listingId: bigint;
  /** R (wei). */
  readonly refund: bigint;
  /** F_free (wei). */
  readonly freeSamplesFee: bigint;
}

/** Decides on a claim; `plan` is the listing's checked plan, undefined when the worker does not contest the listing. */
export function contestDecision(claim: ClaimAtStake, plan: ContestablePlan | undefined, thresholdBps: number): ContestDecision {
  const { listingId, refund, freeSamplesFee } = claim;
  if (plan === undefined) return { decision: "pass", reason: `listing ${listingId} is not contested by this worker (no plan family, or "contest": false)` };
  if (plan.circuit === undefined) return { decision: "pass", reason: `the market has no contest circuit this worker can prove for listing ${listingId}'s plan` };
  const threshold = (freeSamplesFee * BigInt(thresholdBps)) / BigInt(BPS);
  if (refund < threshold) {
    return { decision: "pass", reason: `the refund at stake (${refund} wei) is below ${thresholdBps / 100}% of the free samples' fee (${freeSamplesFee} wei): not worth a contest` };
  }
  return { decision: "contest", reason: `the refund at stake (${refund} wei) is at least ${thresholdBps / 100}% of the free samples' fee (${freeSamplesFee} wei)` };
}
