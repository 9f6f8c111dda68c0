/**
 * The benchmark's seller side: two worker threads (heThread.ts), each with its own SEAL
 * runtime, evaluating contiguous batch ranges of one upload. The upload is copied once into
 * a SharedArrayBuffer that every thread reads without a copy (or handed over in one).
 */
import { Worker } from "node:worker_threads";
import { decodeUpload, type HePlan } from "@modelbazaar/sdk/he";
import type { LayerTiming } from "../../offchain-worker/src/he/engine/evaluateUpload.ts";
import type { LinearKernel } from "../../offchain-worker/src/he/engine/runtime.ts";
import type { HeThreadReply } from "./heThread.ts";

export interface PoolEvaluation {
  /** Result containers in batch order. */
  readonly results: Uint8Array[];
  /** Per thread: the time of each layer. */
  readonly timings: LayerTiming[][];
}

/** A copy of `bytes` in a SharedArrayBuffer, which worker threads read without copying. */
export function toShared(bytes: Uint8Array): Uint8Array {
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
  shared.set(bytes);
  return shared;
}

export class EvaluationPool {
  private readonly workers: Worker[] = [];

  async start(threads: number, linearKernel: LinearKernel = "residues"): Promise<void> {
    for (let i = 0; i < threads; ++i) {
      const worker = new Worker(new URL("./heThread.ts", import.meta.url), { workerData: { linearKernel } });
      await new Promise((resolve) => worker.once("message", resolve));
      this.workers.push(worker);
    }
  }

  /**
   * Splits the upload's batches over the threads (the first threads take the extra batch).
   * An upload already in a SharedArrayBuffer (`toShared`) is not copied.
   */
  async evaluate(plan: HePlan, upload: Uint8Array, paidSamples: number): Promise<PoolEvaluation> {
    const shared = upload.buffer instanceof SharedArrayBuffer ? upload : toShared(upload);
    const batches = decodeUpload(shared).batches.length;
    const threads = this.workers.length;
    const replies = await Promise.all(
      this.workers.map((worker, t) => {
        const first = t * Math.floor(batches / threads) + Math.min(t, batches % threads);
        const count = Math.floor(batches / threads) + (t < batches % threads ? 1 : 0);
        if (count === 0) return Promise.resolve(undefined);
        return new Promise<HeThreadReply>((resolve, reject) => {
          worker.once("message", resolve);
          worker.once("error", reject);
          worker.postMessage({ plan, upload: shared, paidSamples, first, count });
        });
      }),
    );
    const done = replies.filter((reply): reply is HeThreadReply => reply !== undefined);
    const failed = done.find((reply) => "error" in reply);
    if (failed && "error" in failed) throw new Error(failed.error);
    return {
      results: done.map((reply) => ("result" in reply ? reply.result : new Uint8Array(0))),
      timings: done.map((reply) => ("result" in reply ? reply.timings : [])),
    };
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
