/**
 * What the HTTP routes share: the stores, the chain client, the evaluator (main-thread
 * instance) and the job runner, plus the served listings with their model descriptions.
 */
import type { MarketClient } from "../chain/marketClient.ts";
import type { Evaluator, ModelDescription } from "../evaluation/evaluator.ts";
import type { JobRunner } from "../jobs/jobRunner.ts";
import type { BlobStore } from "../store/blobStore.ts";
import type { DisputeStore } from "../store/disputeStore.ts";
import type { JobStore } from "../store/jobStore.ts";
import type { NonceStore } from "../store/nonceStore.ts";
import type { ReceiptStore } from "../store/receiptStore.ts";
import type { TestStore } from "../store/testStore.ts";
import { HttpError } from "./httpError.ts";

export interface ServedListing {
  readonly listingId: bigint;
  readonly modelId: string;
  readonly description: ModelDescription;
}

export interface RouteContext {
  readonly market: MarketClient;
  readonly evaluator: Evaluator;
  readonly runner: JobRunner;
  readonly jobs: JobStore;
  readonly nonces: NonceStore;
  readonly receipts: ReceiptStore;
  readonly tests: TestStore;
  readonly disputes: DisputeStore;
  readonly blobs: BlobStore;
  /** By listing id (decimal). */
  readonly listings: ReadonlyMap<string, ServedListing>;
  readonly uploadLimitBytes: number;
}

/** Parses the `:testId` path parameter (a positive decimal uint256). */
export function parseTestId(raw: string): bigint {
  if (!/^[1-9][0-9]{0,77}$/.test(raw) || BigInt(raw) >= 2n ** 256n) {
    throw new HttpError(400, "invalid_test_id", `"${raw}" is not a test id (a positive decimal integer)`);
  }
  return BigInt(raw);
}
