/**
 * The seller's side of a zoo case, in a process of its own so that its peak memory is the
 * engine's alone (as on a worker's evaluation thread): reads the upload from a file, evaluates
 * it with the engine, writes the result beside it and reports the time of each step and the
 * process's peak resident memory. Started by zooCase.ts with `serialization: "advanced"`, so
 * the plan's typed arrays arrive as they are.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { HePlan } from "@modelbazaar/sdk/he";
import { evaluateUpload, type LayerTiming } from "../../offchain-worker/src/he/engine/evaluateUpload.ts";
import { createEngineRuntime } from "../../offchain-worker/src/he/engine/runtime.ts";

export interface EvaluationRequest {
  readonly plan: HePlan;
  readonly uploadPath: string;
  readonly resultPath: string;
  readonly paidSamples: number;
}

export type EvaluationReply =
  | { readonly seconds: number; readonly timings: readonly LayerTiming[]; readonly peakRssMB: number }
  | { readonly error: string; readonly peakRssMB: number };

const peakRssMB = () => Math.round(process.resourceUsage().maxRSS / 1024);

process.once("message", async (request: EvaluationRequest) => {
  let reply: EvaluationReply;
  try {
    const runtime = await createEngineRuntime();
    const file = readFileSync(request.uploadPath);
    const upload = new Uint8Array(file.buffer, file.byteOffset, file.byteLength); // SEAL takes a plain Uint8Array, not a Buffer
    const timings: LayerTiming[] = [];
    const started = performance.now();
    const result = evaluateUpload(runtime, request.plan, upload, { paidSamples: request.paidSamples, timings });
    const seconds = (performance.now() - started) / 1000;
    writeFileSync(request.resultPath, result);
    reply = { seconds, timings, peakRssMB: peakRssMB() };
  } catch (error) {
    reply = { error: error instanceof Error ? error.message : String(error), peakRssMB: peakRssMB() };
  }
  process.send!(reply, () => process.exit(0));
});
