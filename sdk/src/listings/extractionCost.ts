/**
 * What model extraction through test-drives costs an attacker under a listing's test policy
 * (docs/PROTOCOL.md §3, docs/DISPUTES.md §4; measured against the shipped models in
 * docs/studies/extraction.md). Each test-drive of n samples ends one of two ways for it:
 *
 *   walk away: the deposit is forfeited and the fee of the samples above the free allowance
 *              was paid at the receipt:  D + fee · max(0, n − freeSamples);
 *   refund:    a buyer that labelled its queries at will can prove the model misses its claim
 *              and win the deposit back, less the free samples' fee its claim staked: a
 *              refunded test costs fee · max(0, n − free) + min(D, fee · min(n, free)).
 *
 * The attacker takes the cheaper, with test-drives as large as maxSamples allows (both costs
 * per query fall or stay as n grows). Gas is added per test-drive when given (the walk-away
 * path sends openTest and the receipt; the refund path also claimRefund and closeDispute);
 * without it the cost is a lower bound.
 */
import { refundShares } from "../testDrives/refundShares.ts";
import type { TestPolicy } from "./listingSpec.ts";

export type ExtractionTestPolicy = Pick<TestPolicy, "deposit" | "feePerExtraSample" | "freeSamples" | "minSamples" | "maxSamples">;

/** Wei of gas one test-drive costs on each path (gas used times the gas price). */
export interface TestDriveGas {
  readonly walkAway: bigint;
  readonly refund: bigint;
}

export interface ExtractionCost {
  /** Samples paid for: the queries, the last test-drive filled up to minSamples. */
  readonly samples: number;
  readonly testDrives: number;
  /** Wei, the cheaper path for every test-drive. */
  readonly wei: bigint;
  /** The path the full test-drives take (the only one's, when there is one). */
  readonly path: "walk away" | "refund";
}

/** A test policy or query count the cost cannot be computed for. */
export class ExtractionCostError extends Error {
  override readonly name = "ExtractionCostError";
}

/** What one test-drive of `samples` samples costs on its cheaper path. */
export function testDriveCost(policy: ExtractionTestPolicy, samples: number, gas: TestDriveGas = { walkAway: 0n, refund: 0n }): { wei: bigint; path: "walk away" | "refund" } {
  const paidFee = BigInt(Math.max(0, samples - policy.freeSamples)) * policy.feePerExtraSample;
  const walkAway = policy.deposit + paidFee + gas.walkAway;
  const refund = paidFee + refundShares(policy, samples).toSeller + gas.refund;
  return refund < walkAway ? { wei: refund, path: "refund" } : { wei: walkAway, path: "walk away" };
}

/** The cheapest way to ask `queries` queries in test-drives of at most maxSamples each. */
export function extractionCost(policy: ExtractionTestPolicy, queries: number, gas?: TestDriveGas): ExtractionCost {
  if (!Number.isSafeInteger(queries) || queries < 1) throw new ExtractionCostError(`An extraction asks at least one query, got ${queries}.`);
  const { minSamples, maxSamples } = policy;
  if (!(Number.isSafeInteger(minSamples) && Number.isSafeInteger(maxSamples) && 1 <= minSamples && minSamples <= maxSamples)) {
    throw new ExtractionCostError(`The test policy needs 1 <= minSamples <= maxSamples, got ${minSamples} and ${maxSamples}.`);
  }
  const full = Math.floor(queries / maxSamples);
  const rest = queries - full * maxSamples;
  const fullCost = testDriveCost(policy, maxSamples, gas);
  const last = rest === 0 ? undefined : testDriveCost(policy, Math.max(rest, minSamples), gas);
  return {
    samples: full * maxSamples + (rest === 0 ? 0 : Math.max(rest, minSamples)),
    testDrives: full + (last ? 1 : 0),
    wei: BigInt(full) * fullCost.wei + (last?.wei ?? 0n),
    path: full > 0 ? fullCost.path : last!.path,
  };
}
