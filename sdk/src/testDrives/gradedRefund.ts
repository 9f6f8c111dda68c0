/**
 * The graded refund of docs/DISPUTES.md §4: a buyer proves a shortfall s (basis points below
 * the claim) and gets R = D·min(s, w)/w of its deposit D, w being the listing's
 * `refundSlopeBps` (w = 1 is the all-or-nothing refund). The refund circuit
 * (circuits/refund.circom) proves
 *
 *   1 <= s <= claim   and   10,000·correct < (claim − s)·n
 *
 * so the largest provable s is claim − floor(10,000·correct / n) − 1 (none when that is < 1).
 * All amounts are wei; R rounds down, as the contract's integer division does.
 */
import { requireIntegerIn } from "./fieldElement.ts";

/** Basis points in one: accuracies, claims and shortfalls are in bps. */
export const BPS_DENOMINATOR = 10_000;
/** A shortfall is packed in 16 bits of the v2 dispute context. */
export const SHORTFALL_BITS = 16;

/** Basis points as a percentage with two decimals ("96.67%"). */
export function formatBps(bps: number): string {
  return `${(bps / 100).toFixed(2)}%`;
}

/** R = floor(deposit · min(s, w) / w): what a proven shortfall of `shortfallBps` refunds. */
export function gradedRefund(deposit: bigint, shortfallBps: number, refundSlopeBps: number): bigint {
  if (typeof deposit !== "bigint" || deposit < 0n || deposit >= 1n << 256n) {
    throw new RangeError(`deposit must be a uint256 amount of wei, got ${String(deposit)}`);
  }
  requireIntegerIn("shortfallBps", shortfallBps, 0, 2 ** SHORTFALL_BITS);
  requireIntegerIn("refundSlopeBps", refundSlopeBps, 1, BPS_DENOMINATOR + 1);
  return (deposit * BigInt(Math.min(shortfallBps, refundSlopeBps))) / BigInt(refundSlopeBps);
}

/**
 * The largest shortfall s (bps) the refund circuit accepts for `correct` right answers out of
 * `sampleCount` under a claim of `claimedAccuracyBps`: the largest s with 1 <= s <= claim and
 * 10,000·correct < (claim − s)·n. 0 when none is provable (the accuracy reaches claim − 1 bps
 * or more). Every s in [1, result] is provable, none above.
 */
export function provableShortfall(correct: number, sampleCount: number, claimedAccuracyBps: number): number {
  requireIntegerIn("sampleCount", sampleCount, 1, 2 ** 32);
  requireIntegerIn("correct", correct, 0, sampleCount + 1);
  requireIntegerIn("claimedAccuracyBps", claimedAccuracyBps, 1, BPS_DENOMINATOR + 1);
  // (claim − s)·n > 10,000·correct  <=>  claim − s >= floor(10,000·correct / n) + 1.
  const accuracyFloor = Number((BigInt(BPS_DENOMINATOR) * BigInt(correct)) / BigInt(sampleCount));
  return Math.max(0, claimedAccuracyBps - accuracyFloor - 1);
}
