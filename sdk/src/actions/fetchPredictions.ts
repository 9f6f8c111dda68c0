/**
 * The end of a test-drive's evaluation: waits for the seller's worker to finish, fetches the
 * encrypted scores (checking they hash to the result hash the worker announces, which the
 * on-chain receipt must record) and decrypts them with the buyer's CKKS session into one
 * predicted class per sample (argmax; a trailing Softmax is monotone).
 */
import type { BuyerSession } from "../he/buyerSession.ts";
import { argmax } from "../he/metrics.ts";
import type { WaitOptions, WorkerClient, WorkerResult } from "../worker/workerClient.ts";

export interface FetchPredictionsParameters extends WaitOptions {
  readonly session: BuyerSession;
  readonly testId: bigint;
  readonly sampleCount: number;
}

export interface FetchPredictionsReturnType {
  readonly predictions: number[];
  /** Sample-major decrypted scores (sampleCount x outputs). */
  readonly scores: Float64Array;
  readonly outputs: number;
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
  const decrypted = session.decryptResult(result.bytes);
  const scores = decrypted.scores.subarray(0, sampleCount * decrypted.outputs);
  const predictions = Array.from(argmax(scores, decrypted.outputs));
  return { predictions, scores, outputs: decrypted.outputs, result, waitMs: fetched - start, decryptMs: performance.now() - fetched };
}
