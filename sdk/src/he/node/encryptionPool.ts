/**
 * The buyer's encryption on several cores (Node only; sdk/src/he itself stays browser-safe).
 * Encrypting a test set costs one encode + symmetric encryption per feature per batch (784
 * ciphertexts per MNIST batch): about as much as the seller's whole evaluation of a logistic
 * regression, so on one thread it bounds the end-to-end rate. The pool splits the test set's
 * ciphertexts into equal contiguous ranges (not whole batches, so 5 batches on 2 threads
 * still split evenly), one per worker thread, each thread holding its own SEAL instance and
 * a copy of the session's secret key (and its upload form); the main thread packs the upload.
 *
 * @example
 * const pool = await EncryptionPool.start(session, 2);
 * const upload = await pool.encryptTestSet(features, samples);
 * await pool.stop();
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { BuyerSession } from "../buyerSession.ts";
import { HeError } from "../heError.ts";
import type { EncryptionJob, EncryptionReply, EncryptionThreadData } from "./encryptionThread.ts";

export class EncryptionPool {
  private readonly session: BuyerSession;
  private readonly workers: readonly Worker[];

  private constructor(session: BuyerSession, workers: readonly Worker[]) {
    this.session = session;
    this.workers = workers;
  }

  /** Starts `threads` encryption threads (default: one per core) sharing `session`'s secret key. */
  static async start(session: BuyerSession, threads = availableParallelism()): Promise<EncryptionPool> {
    if (!Number.isInteger(threads) || threads < 1) throw new HeError("invalid-argument", `An encryption pool needs at least one thread, got ${threads}.`);
    const workerData: EncryptionThreadData = { summary: session.summary, secretKey: session.exportSecretKey(), uploadForm: session.uploadForm };
    const workers = Array.from({ length: threads }, () => new Worker(new URL("./encryptionThread.ts", import.meta.url), { workerData }));
    try {
      await Promise.all(workers.map((worker) => nextReply<string>(worker)));
    } catch (error) {
      await Promise.all(workers.map((worker) => worker.terminate()));
      throw error;
    }
    return new EncryptionPool(session, workers);
  }

  /** Same result as `session.encryptTestSet(features, samples)`, computed on the pool's threads. */
  async encryptTestSet(features: ArrayLike<number>, samples: number): Promise<Uint8Array> {
    const width = this.session.summary.inputSize;
    if (!Number.isInteger(samples) || samples <= 0 || features.length !== samples * width) {
      throw new HeError("invalid-argument", `Expected ${samples} samples x ${width} features = ${samples * width} values, got ${features.length}.`);
    }
    const shared = new Float64Array(new SharedArrayBuffer(8 * features.length));
    shared.set(features);
    const total = this.session.ciphertextCount(samples);
    const per = Math.ceil(total / this.workers.length);
    const parts = await Promise.all(
      this.workers.map((worker, t) => {
        const first = Math.min(total, t * per);
        const job: EncryptionJob = { features: shared, samples, range: { first, count: Math.min(per, total - first) } };
        const reply = nextReply<EncryptionReply>(worker);
        worker.postMessage(job);
        return reply;
      }),
    );
    const ciphertexts: Uint8Array[] = [];
    for (const part of parts) {
      if ("error" in part) throw new HeError(part.code, part.error);
      ciphertexts.push(...part.ciphertexts);
    }
    return this.session.packUpload(ciphertexts, samples);
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** The worker's next message, or its crash as an error. */
function nextReply<T>(worker: Worker): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onError = (error: Error) => {
      worker.off("message", onMessage);
      reject(new HeError("seal", `An encryption thread failed: ${error.message}`));
    };
    const onMessage = (message: T) => {
      worker.off("error", onError);
      resolve(message);
    };
    worker.once("message", onMessage);
    worker.once("error", onError);
  });
}
