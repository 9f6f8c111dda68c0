/**
 * An evaluation node of a scaled-out worker: takes jobs from the front's BullMQ queue, as many
 * at once as it has evaluation threads, copies each upload from Redis to its scratch directory,
 * evaluates it on the same thread pool a single-machine worker uses, puts the result in Redis
 * under its own attempt's key and completes the job with that key. It holds no signer key and
 * never talks to the chain: the front checks the chain, stores the result, signs the receipt
 * and records it.
 *
 * Faults: while it evaluates, BullMQ renews the node's lock on the job from the node's main
 * thread (the evaluation runs in a worker thread). A node that dies (kill -9, power, network)
 * stops renewing; once the lock lapses (`lockDurationMs`), the next stalled-job check of any
 * live node (`stalledIntervalMs`) puts the job back on the queue and a live node evaluates it
 * again. A node that was only cut off and comes back finds its lock gone: BullMQ refuses its
 * completion, so its result (under its own key, which expires) is never taken. An evaluation
 * that throws fails the job at once (UnrecoverableError), with its message for the buyer; an
 * upload missing from Redis fails it with {UPLOAD_MISSING}, and the front puts both back.
 * Every Redis or BullMQ error goes to the node's log (redacted), none to the console.
 * `close()` (SIGTERM) stops taking jobs and finishes those it holds.
 */
import { randomUUID } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Logger } from "pino";
import { DEFAULTS } from "../config.ts";
import { EvaluationPool } from "../evaluation/evaluationPool.ts";
import type { Evaluated } from "../evaluation/evaluations.ts";
import { evaluatorModuleUrl } from "../evaluation/loadEvaluator.ts";
import { messageOf } from "../messageOf.ts";
import { EVALUATE, toThreadTask, UPLOAD_MISSING, type EvaluationJobData, type EvaluationJobResult } from "./evaluationJob.ts";
import type { EvaluationNodeConfig } from "./evaluationNodeConfig.ts";
import { QUEUE_DEFAULTS } from "./queueConfig.ts";
import { BlobMissingError, RedisBlobs } from "./redisBlobs.ts";
import { logRedisErrors, redisClient, waitForRedis } from "./redisConnection.ts";

export interface EvaluationNodeHandle {
  readonly name: string;
  /** Evaluation threads, i.e. jobs taken at once. */
  readonly threads: number;
  /** Stops taking jobs, finishes those it holds, then stops the threads and disconnects. */
  close(): Promise<void>;
}

type EvaluationJob = Job<EvaluationJobData, EvaluationJobResult, typeof EVALUATE>;

export async function startEvaluationNode(config: EvaluationNodeConfig, log: Logger): Promise<EvaluationNodeHandle> {
  const { queue } = config;
  await waitForRedis(queue.redisUrl, { timeoutMs: queue.startTimeoutMs ?? QUEUE_DEFAULTS.startTimeoutMs, log });
  // What a previous run of this node was evaluating when it died: its jobs went to other nodes.
  await rm(config.scratchDir, { recursive: true, force: true });
  await mkdir(config.scratchDir, { recursive: true });
  const threads = config.threads ?? DEFAULTS.threads;
  const pool = await EvaluationPool.start(threads, evaluatorModuleUrl(config.evaluator.module), {
    modelIds: config.modelIds,
    settings: config.evaluator.settings ?? {},
  });
  const name = queue.name ?? QUEUE_DEFAULTS.name;
  const connection = redisClient(queue.redisUrl, `modelbazaar-node-${config.name}`, log);
  const blobs = new RedisBlobs(connection, name);
  const resultTtlSeconds = queue.resultTtlSeconds ?? QUEUE_DEFAULTS.resultTtlSeconds;

  async function evaluate(job: EvaluationJob, token: string | undefined): Promise<EvaluationJobResult> {
    const uploadPath = join(config.scratchDir, `${job.data.jobId}-${randomUUID()}.bin`);
    const context = { jobId: job.data.jobId, testId: job.data.testId, node: config.name };
    try {
      try {
        await blobs.writeToFile(job.data.uploadKey, uploadPath);
      } catch (error) {
        // The front puts the upload and the job back when it sees this reason.
        if (error instanceof BlobMissingError) throw new UnrecoverableError(`${UPLOAD_MISSING} (job ${job.data.jobId})`);
        throw error;
      }
      log.info(context, "evaluating");
      let evaluated: Evaluated;
      try {
        evaluated = await pool.run(toThreadTask(job.data, uploadPath));
      } catch (error) {
        throw new UnrecoverableError(messageOf(error));
      }
      const { result } = evaluated;
      const evaluationMs = evaluated.seconds * 1000;
      const resultKey = blobs.resultKey(job.data.jobId, token ?? randomUUID());
      await blobs.putBytes(resultKey, result, resultTtlSeconds);
      log.info({ ...context, bytes: result.byteLength, evaluationMs }, "evaluated");
      return { resultKey, bytes: result.byteLength, evaluationMs };
    } finally {
      await rm(uploadPath, { force: true });
    }
  }

  const worker = new Worker<EvaluationJobData, EvaluationJobResult, typeof EVALUATE>(name, evaluate, {
    connection,
    name: config.name,
    concurrency: threads,
    lockDuration: queue.lockDurationMs ?? QUEUE_DEFAULTS.lockDurationMs,
    stalledInterval: queue.stalledIntervalMs ?? QUEUE_DEFAULTS.stalledIntervalMs,
    maxStalledCount: queue.maxStalledCount ?? QUEUE_DEFAULTS.maxStalledCount,
  });
  worker.on("failed", (job, error) => log.warn({ jobId: job?.data.jobId, node: config.name, err: error.message }, "job failed"));
  logRedisErrors(worker, `modelbazaar-node-${config.name}-worker`, log);
  await worker.waitUntilReady();
  return {
    name: config.name,
    threads,
    close: async () => {
      await worker.close();
      await pool.close();
      connection.disconnect();
    },
  };
}
