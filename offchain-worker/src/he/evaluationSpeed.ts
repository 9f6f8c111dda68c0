/**
 * A model's published evaluation speed (sdk/src/worker/evaluationSpeed.ts), measured in a
 * short-lived thread of its own (evaluationSpeedThread.ts): pricing a batch takes SEAL seconds
 * of CPU, which on the front's main thread would hold every request, /health included.
 */
import { Worker } from "node:worker_threads";
import type { HePlan } from "@modelbazaar/sdk/he";
import type { EvaluationSpeed } from "@modelbazaar/sdk/worker";

const THREAD = new URL("./evaluationSpeedThread.ts", import.meta.url);

export function measureEvaluationSpeed(plan: HePlan): Promise<EvaluationSpeed> {
  return new Promise((resolve, reject) => {
    const thread = new Worker(THREAD, { workerData: plan });
    let answered = false;
    thread.once("message", (speed: EvaluationSpeed) => {
      answered = true;
      resolve(speed);
    });
    thread.once("error", reject);
    thread.once("exit", (code) => {
      if (!answered) reject(new Error(`the evaluation-speed thread stopped (exit code ${code}) before answering`));
    });
  });
}
