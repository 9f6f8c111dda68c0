/**
 * The HTTP front's side of a scaled-out worker: evaluations done by evaluation nodes
 * (evaluationNode.ts) through a BullMQ queue in Redis, behind the same {Evaluations} interface
 * as the local thread pool, so the job runner keeps doing what only the front does (the chain
 * check, storing the result, signing the receipt, the one receipt transaction per test).
 *
 * `run` copies the upload into Redis, puts the job on the queue under the front's job id (so
 * a front restarted with the job still queued, running or finished adds nothing and picks up
 * where it was), waits for the job to end (QueueEvents, which resume their stream after a
 * reconnect), takes the node's result from Redis and removes the job and its blobs. A result
 * that expired before the front took it is evaluated again. A job fails when its evaluation
 * threw, or when it lost its node more than `maxStalledCount` times.
 */
import { Queue, QueueEvents, type Job } from "bullmq";
import type { FastifyBaseLogger } from "fastify";
import type { Redis } from "ioredis";
import { EvaluationFailedError, PoolClosedError } from "../evaluation/evaluationPool.ts";
import type { Evaluations } from "../evaluation/evaluations.ts";
import type { ThreadTask } from "../evaluation/threadMessages.ts";
import { messageOf } from "../messageOf.ts";
import { EVALUATE, toJobData, type EvaluationJobData, type EvaluationJobResult } from "./evaluationJob.ts";
import { QUEUE_DEFAULTS, type QueueConfig } from "./queueConfig.ts";
import { RedisBlobs } from "./redisBlobs.ts";
import { redisClient, waitForRedis } from "./redisConnection.ts";

/** Attempts of a job whose node failed outside the evaluation (Redis refused a write); an evaluation that throws is not retried. */
const ATTEMPTS = 3;

type EvaluationQueue = Queue<EvaluationJobData, EvaluationJobResult, typeof EVALUATE>;
type EvaluationQueueJob = Job<EvaluationJobData, EvaluationJobResult, typeof EVALUATE>;

export class QueuedEvaluations implements Evaluations {
  readonly #queue: EvaluationQueue;
  readonly #events: QueueEvents;
  readonly #blobs: RedisBlobs;
  readonly #connections: readonly Redis[];
  readonly #log: Pick<FastifyBaseLogger, "warn">;
  /** `onStart` of each job this front waits for, called when a node takes it. */
  readonly #onStart = new Map<string, () => void>();
  readonly #closing: Promise<never>;
  #close: (error: PoolClosedError) => void = () => undefined;
  #closed = false;

  private constructor(queue: EvaluationQueue, events: QueueEvents, blobs: RedisBlobs, connections: readonly Redis[], log: Pick<FastifyBaseLogger, "warn">) {
    this.#queue = queue;
    this.#events = events;
    this.#blobs = blobs;
    this.#connections = connections;
    this.#log = log;
    this.#closing = new Promise<never>((_, reject) => (this.#close = reject));
    this.#closing.catch(() => undefined);
    events.on("active", ({ jobId }) => this.#onStart.get(jobId)?.());
  }

  /** Waits for Redis (with backoff, like the chain's RPC at start), then opens the queue and its event stream. */
  static async start(config: QueueConfig, log: Pick<FastifyBaseLogger, "warn">): Promise<QueuedEvaluations> {
    await waitForRedis(config.redisUrl, { timeoutMs: config.startTimeoutMs ?? QUEUE_DEFAULTS.startTimeoutMs, log });
    const name = config.name ?? QUEUE_DEFAULTS.name;
    const connections = [redisClient(config.redisUrl, "modelbazaar-front"), redisClient(config.redisUrl, "modelbazaar-front-events")] as const;
    const queue: EvaluationQueue = new Queue(name, { connection: connections[0] });
    const events = new QueueEvents(name, { connection: connections[1] });
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new QueuedEvaluations(queue, events, new RedisBlobs(connections[0], name), connections, log);
  }

  async run(task: ThreadTask, onStart: () => void = () => undefined): Promise<Uint8Array> {
    if (this.#closed) throw new PoolClosedError("the evaluation queue is closed");
    this.#onStart.set(task.jobId, onStart);
    try {
      return await Promise.race([this.#evaluate(task, onStart), this.#closing]);
    } finally {
      this.#onStart.delete(task.jobId);
    }
  }

  /** Jobs on the queue that no node has finished: waiting, delayed or being evaluated. */
  async depth(): Promise<number> {
    const counts = await this.#queue.getJobCounts("wait", "prioritized", "delayed", "active");
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  /** Stops waiting (jobs stay on the queue, nodes keep evaluating them; the next start takes their results). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#close(new PoolClosedError("the worker stopped before this job finished"));
    await this.#events.close();
    await this.#queue.close();
    for (const connection of this.#connections) connection.disconnect();
  }

  async #evaluate(task: ThreadTask, onStart: () => void): Promise<Uint8Array> {
    const uploadKey = this.#blobs.uploadKey(task.jobId);
    for (;;) {
      await this.#blobs.putFile(uploadKey, task.uploadPath);
      const job = (await this.#queue.add(EVALUATE, toJobData(task, uploadKey), {
        jobId: task.jobId,
        attempts: ATTEMPTS,
        backoff: { type: "exponential", delay: 1_000 },
      })) as EvaluationQueueJob;
      if ((await job.getState()) === "active") onStart();
      let outcome: EvaluationJobResult;
      try {
        outcome = await job.waitUntilFinished(this.#events);
      } catch (error) {
        if (this.#closed) throw new PoolClosedError("the worker stopped before this job finished");
        await this.#forget(job, uploadKey);
        throw new EvaluationFailedError(messageOf(error));
      }
      const result = await this.#blobs.read(outcome.resultKey);
      await this.#forget(job, uploadKey, outcome.resultKey);
      if (result) return result;
      this.#log.warn({ jobId: task.jobId }, "the node's result expired before the front took it; evaluating again");
    }
  }

  /** Removes an ended job and its blobs from Redis (this front holds the upload on disk until the job is done). */
  async #forget(job: EvaluationQueueJob, ...keys: string[]): Promise<void> {
    await job.remove();
    await this.#blobs.discard(...keys);
  }
}
