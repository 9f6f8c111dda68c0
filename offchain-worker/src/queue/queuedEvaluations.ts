/**
 * The HTTP front's side of a scaled-out worker: evaluations done by evaluation nodes
 * (evaluationNode.ts) through a BullMQ queue in Redis, behind the same {Evaluations} interface
 * as the local thread pool, so the job runner keeps doing what only the front does (the chain
 * check, storing the result, signing the receipt, the one receipt transaction per test).
 *
 * `run` copies the upload into Redis (expiring after `uploadTtlSeconds`), puts the job on the
 * queue under the front's job id (so a front restarted with the job still queued, running or
 * finished adds nothing and picks up where it was), and waits for the job to end, Redis being
 * the truth: every `checkIntervalMs` (sooner when the queue's events say the job moved) it
 * looks the job up, and puts back from its own disk copy whatever Redis lost (a restart
 * without persistence, FLUSHALL, a failover): the job, or only its upload. A lost connection
 * is waited out (ioredis reconnects; commands wait for it); a command Redis refuses (out of
 * memory) is retried with backoff. Once the job completed it takes the node's result and the
 * evaluation time the node measured, and removes the job and its blobs. A result that expired
 * before the front took it is evaluated again. A job fails when its evaluation threw, or when
 * it lost its node more than `maxStalledCount` times. Ended jobs BullMQ still holds are removed
 * after `resultTtlSeconds`, so nothing of a job lives in Redis for ever.
 */
import { Queue, QueueEvents, type Job, type JobState } from "bullmq";
import type { Redis } from "ioredis";
import { EvaluationFailedError, PoolClosedError } from "../evaluation/evaluationPool.ts";
import type { Evaluated, Evaluations } from "../evaluation/evaluations.ts";
import type { ThreadTask } from "../evaluation/threadMessages.ts";
import { messageOf } from "../messageOf.ts";
import { EVALUATE, toJobData, UPLOAD_MISSING, type EvaluationJobData, type EvaluationJobResult } from "./evaluationJob.ts";
import { QUEUE_DEFAULTS, type QueueConfig } from "./queueConfig.ts";
import { RedisBlobs } from "./redisBlobs.ts";
import { logRedisErrors, redisClient, waitForRedis, type RedisErrorLog } from "./redisConnection.ts";

/** Attempts of a job whose node failed outside the evaluation (Redis refused a write); an evaluation that throws is not retried. */
const ATTEMPTS = 3;
/** First wait before retrying a command Redis refused (doubled per failure, at most `checkIntervalMs`). */
const FIRST_RETRY_MS = 500;

type EvaluationQueue = Queue<EvaluationJobData, EvaluationJobResult, typeof EVALUATE>;
type EvaluationQueueJob = Job<EvaluationJobData, EvaluationJobResult, typeof EVALUATE>;

/** How a job ended on the queue. */
type Ended = { readonly completed: EvaluationJobResult } | { readonly failed: string };

interface Timings {
  readonly checkIntervalMs: number;
  readonly uploadTtlSeconds: number;
  readonly resultTtlSeconds: number;
  readonly maxQueuedJobs: number;
}

export class QueuedEvaluations implements Evaluations {
  readonly #queue: EvaluationQueue;
  readonly #events: QueueEvents;
  readonly #blobs: RedisBlobs;
  readonly #connections: readonly Redis[];
  readonly #log: RedisErrorLog;
  readonly #timings: Timings;
  /** Each job this front waits for: whether the queue's events said it moved since it was last looked up, and how to end its pause. */
  readonly #signals = new Map<string, Signal>();
  readonly #closing: Promise<never>;
  #close: (error: PoolClosedError) => void = () => undefined;
  #closed = false;

  private constructor(queue: EvaluationQueue, events: QueueEvents, blobs: RedisBlobs, connections: readonly Redis[], log: RedisErrorLog, timings: Timings) {
    this.#queue = queue;
    this.#events = events;
    this.#blobs = blobs;
    this.#connections = connections;
    this.#log = log;
    this.#timings = timings;
    this.#closing = new Promise<never>((_, reject) => (this.#close = reject));
    this.#closing.catch(() => undefined);
    const moved = ({ jobId }: { jobId: string }) => {
      const signal = this.#signals.get(jobId);
      if (!signal) return;
      signal.moved = true;
      signal.wake();
    };
    events.on("active", moved);
    events.on("completed", moved);
    events.on("failed", moved);
  }

  /** Waits for Redis (with backoff, like the chain's RPC at start), then opens the queue and its event stream. */
  static async start(config: QueueConfig, log: RedisErrorLog): Promise<QueuedEvaluations> {
    await waitForRedis(config.redisUrl, { timeoutMs: config.startTimeoutMs ?? QUEUE_DEFAULTS.startTimeoutMs, log });
    const name = config.name ?? QUEUE_DEFAULTS.name;
    const connections = [redisClient(config.redisUrl, "modelbazaar-front", log), redisClient(config.redisUrl, "modelbazaar-front-events", log)] as const;
    const queue: EvaluationQueue = new Queue(name, { connection: connections[0] });
    const events = new QueueEvents(name, { connection: connections[1] });
    logRedisErrors(queue, "modelbazaar-front-queue", log);
    logRedisErrors(events, "modelbazaar-front-events", log);
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new QueuedEvaluations(queue, events, new RedisBlobs(connections[0], name), connections, log, {
      checkIntervalMs: config.checkIntervalMs ?? QUEUE_DEFAULTS.checkIntervalMs,
      uploadTtlSeconds: config.uploadTtlSeconds ?? QUEUE_DEFAULTS.uploadTtlSeconds,
      resultTtlSeconds: config.resultTtlSeconds ?? QUEUE_DEFAULTS.resultTtlSeconds,
      maxQueuedJobs: config.maxQueuedJobs ?? QUEUE_DEFAULTS.maxQueuedJobs,
    });
  }

  async run(task: ThreadTask, onStart: () => void = () => undefined): Promise<Evaluated> {
    if (this.#closed) throw new PoolClosedError("the evaluation queue is closed");
    let started = false;
    const startOnce = () => {
      if (!started) (started = true), onStart();
    };
    const signal: Signal = { moved: false, wake: () => undefined };
    this.#signals.set(task.jobId, signal);
    try {
      return await Promise.race([this.#evaluate(task, signal, startOnce), this.#closing]);
    } finally {
      this.#signals.delete(task.jobId);
    }
  }

  /** Jobs on the queue that no node has finished: waiting, delayed or being evaluated. */
  async depth(): Promise<number> {
    const counts = await this.#queue.getJobCounts("wait", "prioritized", "delayed", "active");
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  async refusal(): Promise<string | undefined> {
    // Commands wait out a lost connection: an upload is not held waiting for a Redis that is down.
    if (this.#connections[0]!.status !== "ready") return "this worker cannot reach its evaluation queue (Redis) right now";
    const depth = await this.depth();
    const limit = this.#timings.maxQueuedJobs;
    return depth >= limit ? `this worker's evaluation queue holds ${depth} jobs, its limit is ${limit}` : undefined;
  }

  async forget(jobId: string): Promise<void> {
    try {
      await this.#queue.remove(jobId);
    } catch (error) {
      // A node holds it (a lock BullMQ will not break): it completes or fails, and BullMQ drops it after resultTtlSeconds.
      this.#log.warn({ jobId, err: messageOf(error) }, "could not remove a given-up job from the queue; it expires");
    }
    await this.#blobs.discard(this.#blobs.uploadKey(jobId));
  }

  /** Stops waiting (jobs stay on the queue, nodes keep evaluating them; the next start takes their results). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#close(new PoolClosedError("the worker stopped before this job finished"));
    for (const signal of this.#signals.values()) signal.wake();
    await this.#events.close();
    await this.#queue.close();
    for (const connection of this.#connections) connection.disconnect();
  }

  async #evaluate(task: ThreadTask, signal: Signal, onStart: () => void): Promise<Evaluated> {
    const uploadKey = this.#blobs.uploadKey(task.jobId);
    for (let failures = 0; ; ) {
      try {
        const ended = await this.#untilEnded(task, uploadKey, signal, onStart);
        if ("failed" in ended) {
          await this.#forget(task.jobId, uploadKey);
          throw new EvaluationFailedError(ended.failed);
        }
        const { resultKey, evaluationMs } = ended.completed;
        const result = await this.#blobs.read(resultKey);
        await this.#forget(task.jobId, uploadKey, resultKey);
        if (result) return { result, seconds: evaluationMs / 1000 };
        this.#log.warn({ jobId: task.jobId }, "the node's result expired before the front took it; evaluating again");
      } catch (error) {
        if (error instanceof EvaluationFailedError || this.#closed) throw error;
        // Not Redis: the disk copy it would put back is gone, and no retry brings it back.
        if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new EvaluationFailedError("the upload is gone from this worker's disk, and Redis no longer holds it");
        failures++;
        this.#log.warn({ jobId: task.jobId, failures, err: messageOf(error).split("\n")[0] }, "Redis refused a command for this job; retrying");
        await pause(signal, Math.min(FIRST_RETRY_MS * 2 ** (failures - 1), this.#timings.checkIntervalMs));
      }
    }
  }

  /** Looks the job up until it has ended, putting back what Redis lost, every check interval or sooner when its events say it moved. */
  async #untilEnded(task: ThreadTask, uploadKey: string, signal: Signal, onStart: () => void): Promise<Ended> {
    for (let added = false; ; ) {
      signal.moved = false; // before the look-up, so an event arriving during it cuts the pause short
      const state = await this.#queue.getJobState(task.jobId);
      if (state === "unknown") {
        if (added) this.#log.warn({ jobId: task.jobId }, "Redis lost this job (restarted without persistence, flushed or failed over); putting it back");
        await this.#blobs.putFile(uploadKey, task.uploadPath, this.#timings.uploadTtlSeconds);
        await this.#add(task, uploadKey);
        added = true;
        continue;
      }
      const ended = isEnded(state) ? await this.#ending(task.jobId) : undefined;
      if (ended && "failed" in ended && ended.failed.startsWith(UPLOAD_MISSING)) {
        this.#log.warn({ jobId: task.jobId }, "Redis lost this job's upload before a node read it; putting both back");
        await this.#forget(task.jobId, uploadKey);
        continue;
      }
      if (ended) return ended;
      if (state === "active") onStart();
      // Redis may have lost the upload alone (it expired while no front ran): put it back (nothing happens when it is there).
      if (!isEnded(state)) await this.#blobs.putFile(uploadKey, task.uploadPath, this.#timings.uploadTtlSeconds);
      await pause(signal, this.#timings.checkIntervalMs);
    }
  }

  async #add(task: ThreadTask, uploadKey: string): Promise<void> {
    const keepEnded = { age: this.#timings.resultTtlSeconds };
    await this.#queue.add(EVALUATE, toJobData(task, uploadKey), {
      jobId: task.jobId,
      attempts: ATTEMPTS,
      backoff: { type: "exponential", delay: 1_000 },
      removeOnComplete: keepEnded,
      removeOnFail: keepEnded,
    });
  }

  /** How an ended job ended; undefined when it is gone meanwhile (the next look finds it unknown). */
  async #ending(jobId: string): Promise<Ended | undefined> {
    const job = (await this.#queue.getJob(jobId)) as EvaluationQueueJob | undefined;
    if (!job) return undefined;
    if (job.returnvalue && typeof job.returnvalue.resultKey === "string") return { completed: job.returnvalue };
    if (job.failedReason) return { failed: job.failedReason };
    return undefined;
  }

  /** Removes an ended job and its blobs from Redis (this front holds the upload on disk until the job is done). */
  async #forget(jobId: string, ...keys: string[]): Promise<void> {
    await this.#queue.remove(jobId);
    await this.#blobs.discard(...keys);
  }
}

interface Signal {
  moved: boolean;
  wake: () => void;
}

/** Waits `ms`, or less when the queue's events say the job moved (or the front closes). */
function pause(signal: Signal, ms: number): Promise<void> {
  if (signal.moved) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => signal.wake(), ms);
    signal.wake = () => {
      clearTimeout(timer);
      signal.wake = () => undefined;
      resolve();
    };
  });
}

function isEnded(state: JobState | "unknown"): boolean {
  return state === "completed" || state === "failed";
}
