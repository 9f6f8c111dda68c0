/**
 * What a test-drive of N samples will cost the buyer, before anything is staked: the ether
 * (deposit + fee, as the market's `testPrice(listingId, N)` quotes them), the upload (whole
 * batches of ciphertexts plus the relinearization keys: sdk/src/he/wireSizes.ts, exact), the
 * batch count and the expected wait for the evaluation, from the speed the listing's worker
 * publishes (undefined when it publishes none: the wait is then unknown). `bazaar test-drive`
 * prints it and asks before its first transaction; the dApp can show the same figures.
 *
 * @example
 * const [deposit, fee] = await market.read.testPrice([listingId, 300n]);
 * const { served } = await worker.listing(listingId);
 * const estimate = estimateTestDrive({ samples: 300, plan: served.plan, deposit, fee, speed: served.evaluation });
 * // estimate.totalWei, estimate.uploadBytes, estimate.batches, estimate.waitSeconds (undefined: unknown)
 */
import type { HePlanSummary } from "../he/plan.ts";
import { testDriveTraffic, type TestDriveTraffic } from "../he/wireSizes.ts";
import type { EvaluationSpeed } from "../worker/evaluationSpeed.ts";

export interface TestDriveEstimateParameters {
  readonly samples: number;
  /** The listing's HE plan summary (GET /listings of its worker). */
  readonly plan: HePlanSummary;
  /** Wei, as `testPrice(listingId, samples)` quotes. */
  readonly deposit: bigint;
  readonly fee: bigint;
  /** The worker's published speed for this listing, if any. */
  readonly speed?: EvaluationSpeed;
}

export interface TestDriveEstimate extends TestDriveTraffic {
  readonly samples: number;
  readonly deposit: bigint;
  readonly fee: bigint;
  /** deposit + fee: the value openTest sends. */
  readonly totalWei: bigint;
  /** Expected wall seconds of the worker's evaluation (batches one after another); undefined when the worker publishes no speed. */
  readonly waitSeconds: number | undefined;
}

export class TestDriveEstimateError extends Error {
  override readonly name = "TestDriveEstimateError";
}

export function estimateTestDrive({ samples, plan, deposit, fee, speed }: TestDriveEstimateParameters): TestDriveEstimate {
  if (!Number.isInteger(samples) || samples <= 0) throw new TestDriveEstimateError(`a test-drive needs a positive whole number of samples, not ${samples}`);
  if (deposit < 0n || fee < 0n) throw new TestDriveEstimateError(`deposit and fee cannot be negative (got ${deposit} and ${fee} wei)`);
  const traffic = testDriveTraffic(plan, samples);
  if (speed !== undefined && speed.samplesPerBatch !== traffic.slots) {
    throw new TestDriveEstimateError(`the worker's speed is for batches of ${speed.samplesPerBatch} samples, but this plan's batches hold ${traffic.slots}`);
  }
  return {
    ...traffic,
    samples,
    deposit,
    fee,
    totalWei: deposit + fee,
    waitSeconds: speed === undefined ? undefined : traffic.batches * speed.secondsPerBatch,
  };
}
