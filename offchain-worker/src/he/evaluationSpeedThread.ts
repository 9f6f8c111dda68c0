/**
 * The speed the worker publishes for a model (sdk/src/worker/evaluationSpeed.ts): one full
 * batch priced on this machine (engine/batchEstimate.ts: SEAL's and the residue kernel's operations timed in CPU time,
 * times the plan's counted operations, at the share of a core this thread got while timing),
 * keeping the worker's part only. It needs a key set of the model's parameters, so it makes a
 * throw-away one (as a buyer would), and a SEAL instance of its own, both freed afterwards: a few
 * seconds at N = 16384, once per model. It runs in a thread of its own (evaluationSpeed.ts), so
 * the HTTP front's event loop never waits on SEAL.
 */
import { BuyerSession, chooseParameters, summarizePlan, type HePlan } from "@modelbazaar/sdk/he";
import type { EvaluationSpeed } from "@modelbazaar/sdk/worker";
import { parentPort, workerData } from "node:worker_threads";
import { priceBatch } from "./engine/batchEstimate.ts";
import { createEngineRuntime } from "./engine/runtime.ts";

async function measure(plan: HePlan): Promise<EvaluationSpeed> {
  const summary = summarizePlan(plan);
  const session = await BuyerSession.create(summary);
  const runtime = await createEngineRuntime();
  try {
    const estimate = priceBatch(plan, runtime.contextFor(chooseParameters(summary)), session);
    const worker = estimate.steps.filter((step) => step.side === "worker");
    return {
      secondsPerBatch: estimate.evaluateSeconds,
      cpuSecondsPerBatch: worker.reduce((sum, step) => sum + step.cpuSeconds, 0),
      samplesPerBatch: estimate.samples,
      measuredAt: new Date().toISOString(),
    };
  } finally {
    session.delete();
    runtime.delete();
  }
}

const port = parentPort;
if (port === null) throw new Error("evaluationSpeedThread.ts must run in a worker thread");
port.postMessage(await measure(workerData as HePlan));
