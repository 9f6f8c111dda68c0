/**
 * The messages between the evaluation pool (main thread) and an evaluation thread.
 */
import type { EvaluatorOptions, UploadProblem } from "./evaluator.ts";

/** `workerData` of an evaluation thread. */
export interface ThreadSetup {
  readonly moduleUrl: string;
  readonly options: EvaluatorOptions;
}

/** A job sent to a thread: like {EvaluationJob}, with the upload still on disk. */
export interface ThreadTask {
  readonly jobId: string;
  readonly testId: bigint;
  readonly listingId: bigint;
  readonly modelId: string;
  readonly paidSamples: number;
  readonly uploadPath: string;
}

export type ThreadReply =
  | { readonly kind: "ready" }
  | { readonly kind: "initFailed"; readonly message: string }
  | { readonly kind: "done"; readonly jobId: string; readonly result: Uint8Array }
  | { readonly kind: "failed"; readonly jobId: string; readonly message: string; readonly problem?: UploadProblem };
