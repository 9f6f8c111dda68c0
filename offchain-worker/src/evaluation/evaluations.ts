/**
 * Where the job runner has its evaluations done: on this machine's thread pool
 * (evaluationPool.ts, the default) or on evaluation nodes through a distributed queue
 * (../queue/queuedEvaluations.ts). Either rejects with {PoolClosedError} a job it was closed
 * on, which the runner leaves queued or running for the next start.
 */
import type { ThreadTask } from "./threadMessages.ts";

/** A finished evaluation: the serialized result and how long the evaluation itself took (not the wait before it). */
export interface Evaluated {
  readonly result: Uint8Array;
  readonly seconds: number;
}

export interface Evaluations {
  /** Evaluates `task`; `onStart` runs when an evaluator takes it. */
  run(task: ThreadTask, onStart?: () => void): Promise<Evaluated>;
  /** Jobs waiting for or in evaluation. */
  depth(): Promise<number>;
  /** Why a new job should not be accepted now (the evaluators' backlog is full), or undefined. */
  refusal(): Promise<string | undefined>;
  /** Drops whatever the evaluators still hold of a job the runner gave up (failed): nothing of it may linger. */
  forget(jobId: string): Promise<void>;
  close(): Promise<void>;
}
