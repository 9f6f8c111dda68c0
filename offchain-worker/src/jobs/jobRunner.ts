/**
 * Runs accepted jobs to completion: re-checks on-chain that the test still awaits its
 * receipt, evaluates on the thread pool, stores the result, signs the EIP-712 receipt (and,
 * for a job evaluated with a buyer's own copy, the CopyReceipt naming the copy), marks the job
 * done and hands the receipt to the recorder. A job interrupted by a shutdown keeps
 * its row (queued or running) and is requeued by {resume} on the next start.
 *
 * Every failure ends in a retry or a reason the buyer reads (GET /tests/:id): a chain read
 * that fails is retried with backoff until the test's status is known; a result that cannot be
 * stored (a full disk) is retried with backoff, with the reason noted on the job, and after
 * {FINISH_ATTEMPTS} attempts the job fails saying the buyer may reclaim deposit and fee once
 * the service window passes; an evaluation that throws fails the job with its message.
 */
import type { FastifyBaseLogger } from "fastify";
import { keccak256 } from "viem";
import { signCopyReceipt, signReceipt } from "../auth/signedReceipt.ts";
import type { MarketClient, TestStatusName } from "../chain/marketClient.ts";
import type { ReceiptRecorder } from "../chain/receiptRecorder.ts";
import { PoolClosedError } from "../evaluation/evaluationPool.ts";
import type { Evaluations } from "../evaluation/evaluations.ts";
import { messageOf } from "../messageOf.ts";
import type { BlobStore } from "../store/blobStore.ts";
import type { DatabaseSync } from "node:sqlite";
import type { Job, JobStore } from "../store/jobStore.ts";
import type { ReceiptStore } from "../store/receiptStore.ts";
import type { CopyReceiptStore } from "../store/copyReceiptStore.ts";
import type { ServedCopies } from "../copies/servedCopies.ts";
import type { WorkerMetrics } from "../metrics/workerMetrics.ts";

/** Attempts at storing a finished evaluation's result before the job fails. */
const FINISH_ATTEMPTS = 5;
/** The longest wait between two attempts. */
const MAX_BACKOFF_MS = 60_000;

export interface JobRunnerOptions {
  readonly db: DatabaseSync;
  readonly jobs: JobStore;
  readonly receipts: ReceiptStore;
  readonly copyReceipts: CopyReceiptStore;
  /** Which jobs were evaluated with a buyer's copy, and its root. */
  readonly copies: ServedCopies;
  readonly blobs: BlobStore;
  /** This machine's thread pool, or evaluation nodes behind a queue. */
  readonly pool: Evaluations;
  readonly market: MarketClient;
  readonly recorder: ReceiptRecorder;
  readonly log: FastifyBaseLogger;
  /** Told of each evaluation's time and each job done. */
  readonly metrics: WorkerMetrics;
  /** First delay before retrying a job whose chain check or result write failed; doubled per attempt. */
  readonly retryDelayMs: number;
}

export class JobRunner {
  readonly #o: JobRunnerOptions;
  readonly #inFlight = new Set<Promise<void>>();
  /** Pending backoff waits, and how to end each early on close. */
  readonly #retries = new Map<NodeJS.Timeout, () => void>();
  #closed = false;

  constructor(options: JobRunnerOptions) {
    this.#o = options;
  }

  /** Starts a job in the background (the pool queues it until a thread is free). */
  enqueue(job: Job, attempt = 1): void {
    if (this.#closed) return;
    const run = this.#run(job, attempt).catch((error: unknown) =>
      this.#o.log.error({ jobId: job.id, err: messageOf(error) }, "job runner error"),
    );
    this.#inFlight.add(run);
    void run.finally(() => this.#inFlight.delete(run));
  }

  /** Requeues what a previous run left unfinished, then resumes its receipts. */
  resume(): number {
    const jobs = this.#o.jobs.requeueUnfinished();
    for (const job of jobs) this.enqueue(job);
    this.#o.recorder.resume();
    return jobs.length;
  }

  /** Stops the pool (jobs in it stay queued or running in the store) and waits for the runs to unwind. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const [timer, wake] of this.#retries) {
      clearTimeout(timer);
      wake();
    }
    this.#retries.clear();
    await this.#o.pool.close();
    await Promise.all(this.#inFlight);
  }

  async #run(job: Job, attempt: number): Promise<void> {
    const { jobs, market } = this.#o;
    let status: TestStatusName;
    try {
      status = await market.testStatus(job.testId);
    } catch (error) {
      this.#o.log.warn({ jobId: job.id, attempt, err: messageOf(error) }, "cannot read the test's status; will retry");
      if (await this.#backOff(attempt)) this.enqueue(job, attempt + 1);
      return;
    }
    if (this.#closed) return;
    if (status !== "AwaitingReceipt") {
      return this.#fail(job, `test ${job.testId} no longer awaits a receipt (status ${status}); it was not evaluated`);
    }
    let result: Uint8Array;
    try {
      const task = {
        jobId: job.id,
        testId: job.testId,
        listingId: job.listingId,
        modelId: job.modelId,
        paidSamples: job.paidSamples,
        uploadPath: job.uploadPath,
      };
      const evaluated = await this.#o.pool.run(task, () => jobs.markRunning(job.id));
      result = evaluated.result;
      // The evaluation's own time, as its evaluator measured it: not the wait for a thread, nor, for a job resumed after a restart, the time since the start.
      this.#o.metrics.evaluated(job.listingId, evaluated.seconds);
    } catch (error) {
      if (error instanceof PoolClosedError) return; // requeued on the next start
      return this.#fail(job, `evaluation failed: ${messageOf(error)}`);
    }
    // A finished evaluation is kept even while closing: close() waits for this, the store is still open.
    await this.#store(job, result);
  }

  /** {#finish}, retried with backoff; after {FINISH_ATTEMPTS} failures the job fails with a reason the buyer can act on. */
  async #store(job: Job, result: Uint8Array): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#finish(job, result);
      } catch (error) {
        const why = `the worker could not store the result (${messageOf(error).split("\n")[0]})`;
        if (attempt >= FINISH_ATTEMPTS) {
          const reason = `${why} after ${attempt} attempts; no receipt will be recorded, so the buyer may reclaim deposit and fee once the service window of test ${job.testId} passes`;
          return this.#fail(job, reason);
        }
        this.#o.jobs.noteRetry(job.id, `${why}; attempt ${attempt} of ${FINISH_ATTEMPTS}, trying again`);
        this.#o.log.warn({ jobId: job.id, attempt, err: messageOf(error) }, "storing the result failed; will retry");
        if (!(await this.#backOff(attempt))) return; // closing: the job stays running and is evaluated again on the next start
      }
    }
  }

  async #finish(job: Job, result: Uint8Array): Promise<void> {
    const { db, jobs, receipts, copyReceipts, blobs, market } = this.#o;
    if (jobs.get(job.id)?.status === "done") {
      // One result per job, so one receipt per test: a second evaluation's result never replaces the one served and signed.
      this.#o.log.warn({ jobId: job.id, testId: job.testId.toString() }, "a second result for a finished job was refused");
      return;
    }
    const resultPath = await blobs.writeResult(job.id, result);
    const resultHash = keccak256(result);
    const signature = await signReceipt(market.signer, market.receiptDomain, job.testId, resultHash);
    const copy = this.#o.copies.ofJob(job.listingId, job.modelId);
    const copySignature = copy && (await signCopyReceipt(market.signer, market.receiptDomain, { testId: job.testId, ...copy }));
    db.exec("BEGIN IMMEDIATE");
    try {
      jobs.markDone(job.id, resultPath);
      receipts.create({ jobId: job.id, testId: job.testId, resultHash, signature });
      if (copy && copySignature) copyReceipts.create({ jobId: job.id, copyRoot: copy.copyRoot, copySize: copy.copySize, signature: copySignature });
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
    this.#o.metrics.jobTransitioned("done");
    await blobs.discard(job.uploadPath);
    this.#o.log.info({ jobId: job.id, testId: job.testId.toString(), resultHash }, "evaluation done");
    void this.#o.recorder.submit(receipts.get(job.id)!);
  }

  /** Waits `retryDelayMs` doubled per attempt (at most {MAX_BACKOFF_MS}); false when the runner closed meanwhile. */
  #backOff(attempt: number): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    const delayMs = Math.min(this.#o.retryDelayMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#retries.delete(timer);
        resolve(!this.#closed);
      }, delayMs);
      this.#retries.set(timer, () => resolve(false));
    });
  }

  async #fail(job: Job, reason: string): Promise<void> {
    // Before the job reads failed, so nothing of it is left once it does: its upload here, and what the evaluators hold (a queued job's entry and upload in Redis).
    await this.#o.blobs.discard(job.uploadPath);
    await this.#o.pool.forget(job.id).catch((error: unknown) => this.#o.log.warn({ jobId: job.id, err: messageOf(error) }, "could not drop the failed job from the evaluators; it expires"));
    this.#o.jobs.markFailed(job.id, reason);
    this.#o.log.warn({ jobId: job.id, testId: job.testId.toString(), reason }, "job failed");
  }
}
