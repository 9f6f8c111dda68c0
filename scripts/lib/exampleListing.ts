/**
 * One example listing (a 4-feature, 3-class task with a modest test policy) and a
 * deterministic pseudo-random "model file", shared by the contract tests and the gas
 * benchmark so both exercise the same terms.
 */
import { parseEther } from "viem";
import { refundShares, type RefundShares } from "@modelbazaar/sdk/testDrives";

export const EXAMPLE_POLICY = {
  deposit: parseEther("1"),
  feePerExtraSample: parseEther("0.001"),
  freeSamples: 100,
  minSamples: 10,
  maxSamples: 1_000,
  serviceWindow: 3_600,
  disputeWindow: 86_400,
} as const;

export const EXAMPLE_TASK = { featureCount: 4, classCount: 3, scaleBits: 8, featureBits: 12 } as const;
export const EXAMPLE_CLAIMED_ACCURACY_BPS = 9_000;
export const EXAMPLE_PRICE = parseEther("5");

/** The fee `openTest` requires for `sampleCount` samples under {EXAMPLE_POLICY}. */
export function exampleTestFee(sampleCount: number): bigint {
  const { freeSamples, feePerExtraSample } = EXAMPLE_POLICY;
  return sampleCount > freeSamples ? BigInt(sampleCount - freeSamples) * feePerExtraSample : 0n;
}

/** What a refund of the whole deposit of `sampleCount` samples nets under {EXAMPLE_POLICY}: the seller the free samples' fee (staked by the claim), the buyer the rest of the deposit. */
export function exampleRefundShares(sampleCount: number): RefundShares {
  return refundShares(EXAMPLE_POLICY, sampleCount);
}

/** A deterministic pseudo-random "model file" of `size` bytes (a 32-bit LCG, top byte). */
export function pseudoRandomFile(size: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(size);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}
