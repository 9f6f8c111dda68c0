/**
 * The end of a test-drive's evaluation: waits for the seller's worker to finish, fetches the
 * encrypted scores (checking they hash to the result hash the worker announces, which the
 * on-chain receipt must record) and decrypts them with the buyer's CKKS session into one
 * predicted class per sample (../he/decryptPredictions.ts).
 */
import type { BuyerSession } from "../he/buyerSession.ts";
import { decryptPredictions, type DecryptedPredictions } from "../he/decryptPredictions.ts";
import type { WaitOptions, WorkerClient, WorkerResult } from "../worker/workerClient.ts";

export interface FetchPredictionsParameters extends WaitOptions {
  readonly session: BuyerSession;
  readonly testId: bigint;
  readonly sampleCount: number;
}

export interface FetchPredictionsReturnType extends DecryptedPredictions {
  readonly result: WorkerResult;
  readonly waitMs: number;
  readonly decryptMs: number;
}

/** Throws WorkerClientError (a sentence) when the job failed or timed out, HeError when the result cannot be decrypted. */
export async function fetchPredictions(worker: WorkerClient, parameters: FetchPredictionsParameters): Promise<FetchPredictionsReturnType> {
  const { session, testId, sampleCount, ...wait } = parameters;
  const start = performance.now();
  await worker.waitForResult(testId, wait);
  const result = await worker.result(testId);
  const fetched = performance.now();
  const decrypted = decryptPredictions(session, result.bytes, sampleCount);
  return { ...decrypted, result, waitMs: fetched - start, decryptMs: performance.now() - fetched };
}
