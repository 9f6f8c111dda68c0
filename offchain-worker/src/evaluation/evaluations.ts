/**
 * Where the job runner has its evaluations done: on this machine's thread pool
 * (evaluationPool.ts, the default) or on evaluation nodes through a distributed queue
 * (../queue/queuedEvaluations.ts). Either rejects with {PoolClosedError} a job it was closed
 * on, which the runner leaves queued or running for the next start.
 */
import type { ThreadTask } from "./threadMessages.ts";

export interface Evaluations {
  /** Evaluates `task`; `onStart` runs when an evaluator takes it. Resolves with the serialized result. */
  run(task: ThreadTask, onStart?: () => void): Promise<Uint8Array>;
  /** Jobs waiting for or in evaluation. */
  depth(): Promise<number>;
  close(): Promise<void>;
}
