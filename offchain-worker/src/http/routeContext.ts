/**
 * What the HTTP routes share: the stores, the chain client, the evaluator (main-thread
 * instance) and the job runner (the delivery store among the stores), the served listings with
 * their model descriptions and per-buyer copies, the upload limits and slots, the database probe of /health, the
 * metrics the routes report into and /metrics serves, the wait for the chain watcher's next pass
 * (and its cap), and whether the evaluators' backlog has room.
 */
import type { MarketClient } from "../chain/marketClient.ts";
import type { Evaluations } from "../evaluation/evaluations.ts";
import type { Evaluator, ModelDescription } from "../evaluation/evaluator.ts";
import type { JobRunner } from "../jobs/jobRunner.ts";
import type { BlobStore } from "../store/blobStore.ts";
import type { DeliveryStore } from "../store/deliveryStore.ts";
import type { DisputeStore } from "../store/disputeStore.ts";
import type { JobStore } from "../store/jobStore.ts";
import type { NonceStore } from "../store/nonceStore.ts";
import type { ReceiptStore } from "../store/receiptStore.ts";
import type { CopyReceiptStore } from "../store/copyReceiptStore.ts";
import type { ServedCopies } from "../copies/servedCopies.ts";
import type { TestStore } from "../store/testStore.ts";
import type { WorkerMetrics } from "../metrics/workerMetrics.ts";
import { HttpError } from "./httpError.ts";
import type { UploadLimits } from "./receiveUpload.ts";
import type { UploadSlots } from "./uploadSlots.ts";
import type { ChainWaits } from "./chainWaits.ts";

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
  readonly copyReceipts: CopyReceiptStore;
  readonly tests: TestStore;
  readonly disputes: DisputeStore;
  readonly blobs: BlobStore;
  readonly deliveries: DeliveryStore;
  /** By listing id (decimal). */
  readonly listings: ReadonlyMap<string, ServedListing>;
  /** The per-buyer copies a buyer's test-drives are evaluated with. */
  readonly copies: ServedCopies;
  /** Size, deadline and pace of every upload (test uploads and delivery hand-overs). */
  readonly uploadLimits: UploadLimits;
  /** Uploads received at once, per test or purchase, per signer and in total. */
  readonly uploadSlots: UploadSlots;
  /** Throws when the database cannot serve the API's reads (for /health). */
  readonly probeDatabase: () => void;
  readonly metrics: WorkerMetrics;
  /** Resolves once the chain watcher has completed a pass begun after the call (its known tests are then current); rejects when it cannot. */
  readonly chainScanned: () => Promise<void>;
  /** Uploads waiting for the chain watcher to see their test, per signer and in total. */
  readonly chainWaits: ChainWaits;
  /** Whether the evaluators can take another job (a scaled-out worker's queue may be full). */
  readonly evaluations: Pick<Evaluations, "refusal">;
}

/** Parses the `:testId` path parameter (a positive decimal uint256). */
export const parseTestId = (raw: string): bigint => parseId(raw, "test");

/** Parses the `:purchaseId` path parameter (a positive decimal uint256). */
export const parsePurchaseId = (raw: string): bigint => parseId(raw, "purchase");

function parseId(raw: string, kind: "test" | "purchase"): bigint {
  if (!/^[1-9][0-9]{0,77}$/.test(raw) || BigInt(raw) >= 2n ** 256n) {
    throw new HttpError(400, `invalid_${kind}_id`, `"${raw}" is not a ${kind} id (a positive decimal integer)`);
  }
  return BigInt(raw);
}
