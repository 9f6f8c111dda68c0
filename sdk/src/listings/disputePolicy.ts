/**
 * The registry's `DisputePolicy` (docs/DISPUTES.md §4): how a v2 refund of a listing is graded,
 * bonded and contested, and the policy of a listing that cannot be contested.
 */
import { zeroHash, type Hex } from "viem";
import type { PlanFamilyCode } from "../disputes/planCommitment.ts";

/** The registry's `PlanFamily.None`: no contest circuit proves the listing's plan. */
export const NO_PLAN_FAMILY = 0;
/** The registry's `PlanFamily`: none, or the family of the committed plan ({PlanFamily}). */
export type ListingPlanFamily = typeof NO_PLAN_FAMILY | PlanFamilyCode;

/** The registry's `DisputePolicy` (amounts in wei). */
export interface DisputePolicy {
  /** Poseidon commitment to the quantized plan (zero without a plan family). */
  planCommitment: Hex;
  planFamily: ListingPlanFamily;
  /** τ_q, in the plan's integer score units. */
  contestToleranceQ: bigint;
  /** w: a shortfall of s bps refunds deposit·min(s, w)/w. */
  refundSlopeBps: number;
  buyerBond: bigint;
  sellerBond: bigint;
}

/**
 * No contest: a v2 refund is all or nothing (w = 1 bps) and bound only by the fee of every
 * sample it queried, as for plans no contest circuit proves (docs/DISPUTES.md §5.3).
 */
export const ECONOMICS_ONLY_DISPUTE_POLICY: DisputePolicy = Object.freeze({
  planCommitment: zeroHash,
  planFamily: NO_PLAN_FAMILY,
  contestToleranceQ: 0n,
  refundSlopeBps: 1,
  buyerBond: 0n,
  sellerBond: 0n,
});
