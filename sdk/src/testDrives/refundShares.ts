/**
 * How a refund splits a test-drive's deposit (docs/PROTOCOL.md §3, docs/DISPUTES.md §4 "Fees
 * (always-fix 1)"): a refund never returns the fee of a sample the worker evaluated. The fee of
 * the samples above the free allowance was paid to the seller at the receipt; the fee of the
 * free samples, capped at the deposit, is staked by the buyer's refund claim and paid to the
 * seller whoever wins (`RefundDisputes`):
 *
 *   F_free = min(n, freeSamples) · feePerExtraSample,  toSeller = min(deposit, F_free),
 *   toBuyer = deposit − toSeller,
 *
 * `toBuyer` being what the buyer nets when it wins back the whole deposit (an all-or-nothing
 * refund: the deposit back, less the F it staked).
 */

/** The part of a listing's test policy a refund depends on (wei and sample counts). */
export interface RefundPolicy {
  deposit: bigint;
  feePerExtraSample: bigint;
  freeSamples: number;
}

/** What a refund of the whole deposit of a test-drive of `sampleCount` samples nets each side. */
export interface RefundShares {
  /** F_free = min(sampleCount, freeSamples) · feePerExtraSample, before the cap at the deposit. */
  freeSamplesFee: bigint;
  /** deposit − min(deposit, F_free). */
  toBuyer: bigint;
  /** min(deposit, F_free). */
  toSeller: bigint;
}

/** The split of the deposit a refund of a test-drive of `sampleCount` samples nets (F staked by `claimRefund`). */
export function refundShares(policy: RefundPolicy, sampleCount: number): RefundShares {
  if (!Number.isSafeInteger(sampleCount) || sampleCount < 0) throw new RangeError(`sampleCount must be a non-negative integer, got ${sampleCount}`);
  const freeSamplesFee = BigInt(Math.min(sampleCount, policy.freeSamples)) * policy.feePerExtraSample;
  const toSeller = freeSamplesFee < policy.deposit ? freeSamplesFee : policy.deposit;
  return { freeSamplesFee, toBuyer: policy.deposit - toSeller, toSeller };
}
