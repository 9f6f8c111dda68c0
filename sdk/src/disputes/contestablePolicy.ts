/**
 * The dispute policy of a listing whose plan a shipped contest circuit proves (docs/DISPUTES.md
 * §3.1, §4): the plan commitment, the tolerance τ the worker's error needs, and the refund slope
 * and bonds, with defaults under which `worstCaseGain` of disputeEconomics.ts is negative for
 * the example terms.
 */
import { toHex } from "viem";
import type { DisputePolicy } from "../listings/disputePolicy.ts";
import { scoreScaleBits, type QuantizedPlan } from "../he/quantizedPlan.ts";
import { PlanFamily, planCommitment } from "./planCommitment.ts";

/**
 * log2 of τ in score units by family: 2^-8 for Linear plans and 2^-6 for SquareMlp plans cover
 * twice the measured error of a worker that evaluates the float plan under CKKS on the buyer's
 * quantized features (docs/DISPUTES.md §3.1: 2(ε_quant + ε_CKKS) = 3.3e-3 for iris-logreg,
 * 1.7e-3 for mnist-logreg, 1.1e-2 for iris-square-mlp).
 */
export const TOLERANCE_LOG2 = { linear: -8, squareMlp: -6 } as const;

/** τ_q for `plan`: 2^(scoreScaleBits + TOLERANCE_LOG2) score units. */
export function defaultContestToleranceQ(plan: QuantizedPlan): bigint {
  return 1n << BigInt(scoreScaleBits(plan) + TOLERANCE_LOG2[plan.family]);
}

export interface ContestablePolicyOptions {
  readonly plan: QuantizedPlan;
  readonly planSalt: bigint;
  /** The listing's deposit D (wei): the bonds default to shares of it. */
  readonly deposit: bigint;
  /** w; default 1,000 bps (a shortfall of 10 points refunds all of D). */
  readonly refundSlopeBps?: number;
  /** B_b; default D/2. */
  readonly buyerBond?: bigint;
  /** B_s; default D/50. */
  readonly sellerBond?: bigint;
  /** τ_q; default {defaultContestToleranceQ}. */
  readonly contestToleranceQ?: bigint;
}

export function contestableDisputePolicy(options: ContestablePolicyOptions): DisputePolicy {
  const { plan, planSalt, deposit } = options;
  return {
    planCommitment: toHex(planCommitment(plan, planSalt), { size: 32 }),
    planFamily: plan.family === "linear" ? PlanFamily.Linear : PlanFamily.SquareMlp,
    contestToleranceQ: options.contestToleranceQ ?? defaultContestToleranceQ(plan),
    refundSlopeBps: options.refundSlopeBps ?? 1_000,
    buyerBond: options.buyerBond ?? deposit / 2n,
    sellerBond: options.sellerBond ?? deposit / 50n,
  };
}
