/**
 * One thread of the buyer's encryption pool (encryptionPool.ts): a BuyerSession sharing the
 * pool owner's secret key, encrypting the ciphertext ranges it is posted. The test set
 * arrives in a SharedArrayBuffer (not copied); the ciphertexts go back transferred.
 */
import { parentPort, workerData } from "node:worker_threads";
import { BuyerSession, type CiphertextRange, type UploadForm } from "../buyerSession.ts";
import { toHeError, type HeErrorCode } from "../heError.ts";
import type { HePlanSummary } from "../plan.ts";

export interface EncryptionThreadData {
  readonly summary: HePlanSummary;
  readonly secretKey: Uint8Array;
  readonly uploadForm: UploadForm;
}

export interface EncryptionJob {
  readonly features: Float64Array;
  readonly samples: number;
  readonly range: CiphertextRange;
}

export type EncryptionReply = { readonly ciphertexts: Uint8Array[] } | { readonly error: string; readonly code: HeErrorCode };

const data = workerData as EncryptionThreadData;
const session = await BuyerSession.create(data.summary, { secretKey: data.secretKey, uploadForm: data.uploadForm });
const port = parentPort!;
port.on("message", (job: EncryptionJob) => {
  try {
    const ciphertexts = session.encryptCiphertexts(job.features, job.samples, job.range);
    port.postMessage({ ciphertexts } satisfies EncryptionReply, ciphertexts.map((c) => c.buffer as ArrayBuffer));
  } catch (error) {
    const he = toHeError(error, "encrypting a test set");
    port.postMessage({ error: he.message, code: he.code } satisfies EncryptionReply);
  }
});
port.postMessage("ready");
