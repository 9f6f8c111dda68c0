/**
 * What travels on the evaluation queue: a job's data (as the front puts it) and its return
 * value (as a node completes it). BullMQ stores both as JSON, so ids that are uint256 on-chain
 * travel as decimal strings. The job's BullMQ id is the front's job id, so putting a job on
 * the queue twice (a front restarted before the job ended) adds nothing.
 */
import type { ThreadTask } from "../evaluation/threadMessages.ts";

/** The name of every job on the queue. */
export const EVALUATE = "evaluate";

export interface EvaluationJobData {
  readonly jobId: string;
  readonly testId: string;
  readonly listingId: string;
  readonly modelId: string;
  readonly paidSamples: number;
  /** Where the upload waits in Redis (redisBlobs.ts). */
  readonly uploadKey: string;
}

export interface EvaluationJobResult {
  /** Where the node put the serialized result in Redis. */
  readonly resultKey: string;
  readonly bytes: number;
  /** How long the evaluation took on the node's thread (ms): the job's evaluation time, whenever the front takes the result. */
  readonly evaluationMs: number;
}

/** How a node's failure reason begins when the job's upload was not in Redis: the front then puts both back instead of failing the job. */
export const UPLOAD_MISSING = "the upload is no longer in Redis";

export function toJobData(task: ThreadTask, uploadKey: string): EvaluationJobData {
  return {
    jobId: task.jobId,
    testId: task.testId.toString(),
    listingId: task.listingId.toString(),
    modelId: task.modelId,
    paidSamples: task.paidSamples,
    uploadKey,
  };
}

/** The thread task of a queued job, with its upload copied to `uploadPath` on the node. */
export function toThreadTask(data: EvaluationJobData, uploadPath: string): ThreadTask {
  return {
    jobId: data.jobId,
    testId: BigInt(data.testId),
    listingId: BigInt(data.listingId),
    modelId: data.modelId,
    paidSamples: data.paidSamples,
    uploadPath,
  };
}
