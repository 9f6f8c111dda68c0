/**
 * Entry of one evaluation thread: loads the configured evaluator module once (one engine
 * instance, e.g. one SEAL instance, per thread), then evaluates the jobs the pool sends it,
 * one at a time, and replies with the result bytes (transferred, not copied).
 */
import { readFile } from "node:fs/promises";
import { parentPort, workerData } from "node:worker_threads";
import { isUploadValidationError } from "./evaluator.ts";
import { loadEvaluator } from "./loadEvaluator.ts";
import { messageOf } from "../messageOf.ts";
import type { ThreadReply, ThreadSetup, ThreadTask } from "./threadMessages.ts";

const port = parentPort;
if (port === null) throw new Error("evaluationThread.ts must run in a worker thread");
const setup = workerData as ThreadSetup;
const reply = (message: ThreadReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

try {
  const evaluator = await loadEvaluator(setup.moduleUrl, setup.options);
  port.on("message", (task: ThreadTask) => void evaluateTask(task));
  reply({ kind: "ready" });

  async function evaluateTask(task: ThreadTask): Promise<void> {
    try {
      const upload = new Uint8Array(await readFile(task.uploadPath));
      const { uploadPath: _, ...job } = task;
      const result = await evaluator.evaluate({ ...job, upload });
      const owned = result.byteOffset === 0 && result.byteLength === result.buffer.byteLength ? result : result.slice();
      reply({ kind: "done", jobId: task.jobId, result: owned }, owned.buffer instanceof ArrayBuffer ? [owned.buffer] : []);
    } catch (error) {
      const problem = isUploadValidationError(error) ? error.problem : undefined;
      reply({ kind: "failed", jobId: task.jobId, message: messageOf(error), ...(problem ? { problem } : {}) });
    }
  }
} catch (error) {
  reply({ kind: "initFailed", message: messageOf(error) });
}
