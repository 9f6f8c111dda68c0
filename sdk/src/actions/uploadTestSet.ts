/**
 * The buyer's upload of a test-drive, after `openTest`: encrypts the test set under the
 * buyer's CKKS session (sdk/src/he/buyerSession.ts; the secret key stays in it), signs the
 * upload as the test's buyer (EIP-712, sdk/src/worker/uploadAuthorization.ts) and posts it to
 * the seller's worker. The caller keeps the session (or its exported secret key) to decrypt
 * the result with fetchPredictions.ts.
 */
import type { BuyerSession } from "../he/buyerSession.ts";
import type { UploadAuthorizationContext, UploadSigner } from "../worker/uploadAuthorization.ts";
import type { WorkerClient } from "../worker/workerClient.ts";

export interface UploadTestSetParameters {
  readonly session: BuyerSession;
  readonly signer: UploadSigner;
  /** The chain and market the upload signature binds. */
  readonly context: UploadAuthorizationContext;
  readonly testId: bigint;
  /** Row-major features, sampleCount x the plan's inputSize (the dequantized test set). */
  readonly features: Float64Array;
  readonly sampleCount: number;
}

export interface UploadTestSetReturnType {
  readonly jobId: string;
  readonly uploadBytes: number;
  readonly encryptMs: number;
  readonly uploadMs: number;
}

/**
 * Throws HeError for features that do not fit the plan, WorkerClientError (a sentence) when
 * the worker refuses the upload.
 *
 * @example
 * const session = await BuyerSession.create(plan);
 * const { jobId } = await uploadTestSet(worker, { session, signer: account, context, testId, features, sampleCount });
 */
export async function uploadTestSet(worker: WorkerClient, parameters: UploadTestSetParameters): Promise<UploadTestSetReturnType> {
  const { session, signer, context, testId, features, sampleCount } = parameters;
  const start = performance.now();
  const upload = session.encryptTestSet(features, sampleCount);
  const encrypted = performance.now();
  const { jobId } = await worker.upload(signer, context, testId, upload);
  return { jobId, uploadBytes: upload.length, encryptMs: encrypted - start, uploadMs: performance.now() - encrypted };
}
