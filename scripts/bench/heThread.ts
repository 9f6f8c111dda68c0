/**
 * A worker thread of the HE benchmark: one SEAL runtime, evaluating the batch ranges the
 * main thread posts (the upload arrives in a SharedArrayBuffer, so nothing is copied), and
 * reporting the time of each layer. Its linear layers run on the kernel named in workerData.
 */
import { parentPort, workerData } from "node:worker_threads";
import { evaluateUpload, type LayerTiming } from "../../offchain-worker/src/he/engine/evaluateUpload.ts";
import { createEngineRuntime, type LinearKernel } from "../../offchain-worker/src/he/engine/runtime.ts";
import type { HePlan } from "@modelbazaar/sdk/he";

export interface HeThreadJob {
  readonly plan: HePlan;
  readonly upload: Uint8Array;
  readonly paidSamples: number;
  readonly first: number;
  readonly count: number;
}

export type HeThreadReply = { readonly result: Uint8Array; readonly timings: LayerTiming[] } | { readonly error: string };

const runtime = await createEngineRuntime({ linearKernel: (workerData as { linearKernel: LinearKernel }).linearKernel });
const port = parentPort!;
port.on("message", (job: HeThreadJob) => {
  try {
    const timings: LayerTiming[] = [];
    const result = evaluateUpload(runtime, job.plan, job.upload, { paidSamples: job.paidSamples, batches: { first: job.first, count: job.count }, timings });
    port.postMessage({ result, timings } satisfies HeThreadReply, [result.buffer as ArrayBuffer]);
  } catch (error) {
    port.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies HeThreadReply);
  }
});
port.postMessage("ready");
