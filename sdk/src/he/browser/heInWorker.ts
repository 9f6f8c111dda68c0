/**
 * The buyer's CKKS encryption and decryption in the browser, each in a dedicated Web Worker
 * (buyerHeWorker.ts) that ends with the call: the page stays responsive and loads node-seal
 * only when it encrypts or decrypts. Bundlers (Vite) pick the worker up from the
 * `new URL(..., import.meta.url)` below.
 *
 * @example
 * const { upload, secretKey } = await encryptInBrowser({ plan, features: set.encrypted, sampleCount, onProgress });
 * // keep secretKey (it decrypts the result), sign and post `upload` to the seller's worker
 * const predictions = await decryptInBrowser({ plan, secretKey, result: fetched.bytes, sampleCount });
 */
import type { HePlanSummary } from "../plan.ts";
import type { HeMessage, HeRequest } from "./workerProtocol.ts";

export class BrowserHeError extends Error {
  override name = "BrowserHeError";
}

function inWorker(request: HeRequest, onProgress?: (done: number, total: number) => void): Promise<HeMessage> {
  return new Promise<HeMessage>((resolve, reject) => {
    const worker = new Worker(new URL("./buyerHeWorker.ts", import.meta.url), { type: "module" });
    worker.onmessage = ({ data }: MessageEvent<HeMessage>) => {
      if (data.type === "progress") return onProgress?.(data.done, data.total);
      worker.terminate();
      if (data.type === "error") reject(new BrowserHeError(data.message));
      else resolve(data);
    };
    worker.onerror = (event: ErrorEvent) => {
      worker.terminate();
      reject(new BrowserHeError(`the encryption worker failed: ${event.message}`));
    };
    worker.postMessage(request);
  });
}

export interface EncryptInBrowserParameters {
  readonly plan: HePlanSummary;
  /** Row-major features, sampleCount x plan.inputSize (PreparedTestSet.encrypted). */
  readonly features: Float64Array;
  readonly sampleCount: number;
  /** Hears the ciphertexts encrypted so far. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Encrypts a test set under a fresh key: the upload container and the serialized secret key. */
export async function encryptInBrowser({ plan, features, sampleCount, onProgress }: EncryptInBrowserParameters): Promise<{ upload: Uint8Array; secretKey: Uint8Array }> {
  const answer = await inWorker({ type: "encrypt", plan, features, sampleCount }, onProgress);
  if (answer.type !== "encrypted") throw new BrowserHeError(`the encryption worker answered ${answer.type}`);
  return { upload: answer.upload, secretKey: answer.secretKey };
}

/** Decrypts a worker's result with the key encryptInBrowser answered: one predicted class per sample. */
export async function decryptInBrowser({ plan, secretKey, result, sampleCount }: { plan: HePlanSummary; secretKey: Uint8Array; result: Uint8Array; sampleCount: number }): Promise<number[]> {
  const answer = await inWorker({ type: "decrypt", plan, secretKey, result, sampleCount });
  if (answer.type !== "decrypted") throw new BrowserHeError(`the encryption worker answered ${answer.type}`);
  return answer.predictions;
}
