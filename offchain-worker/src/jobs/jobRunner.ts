/**
 * Runs accepted jobs to completion: re-checks on-chain that the test still awaits its
 * receipt, evaluates on the thread pool, stores the result, signs the EIP-712 receipt, marks
 * the job done and hands the receipt to the recorder. A job interrupted by a shutdown keeps
 * its row (queued or running) and is requeued by {resume} on the next start.
 */
import type { FastifyBaseLogger } from "fastify";
import { keccak256 } from "viem";
import { signReceipt } from "../auth/signedReceipt.ts";
import type { MarketClient, TestStatusName } from "../chain/marketClient.ts";
import type { ReceiptRecorder } from "../chain/receiptRecorder.ts";
import { PoolClosedError, type EvaluationPool } from "../evaluation/evaluationPool.ts";
import { messageOf } from "../messageOf.ts";
import type { BlobStore } from "../store/blobStore.ts";
import type { DatabaseSync } from "node:sqlite";
import type { Job, JobStore } from "../store/jobStore.ts";
import type { ReceiptStore } from "../store/receiptStore.ts";

export interface JobRunnerOptions {
  readonly db: DatabaseSync;
  readonly jobs: JobStore;
  readonly receipts: ReceiptStore;
  readonly blobs: BlobStore;
  readonly pool: EvaluationPool;
  readonly market: MarketClient;
  readonly recorder: ReceiptRecorder;
  readonly log: FastifyBaseLogger;
  /** Delay before retrying a job whose chain check failed (RPC unreachable). */
  readonly retryDelayMs: number;
}

export class JobRunner {
  readonly #o: JobRunnerOptions;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #retries = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(options: JobRunnerOptions) {
    this.#o = options;
  }

  /** Starts a job in the background (the pool queues it until a thread is free). */
  enqueue(job: Job): void {
    if (this.#closed) return;
    const run = this.#run(job).catch((error: unknown) =>
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
    for (const timer of this.#retries) clearTimeout(timer);
    this.#retries.clear();
    await this.#o.pool.close();
    await Promise.all(this.#inFlight);
  }

  async #run(job: Job): Promise<void> {
    const { jobs, market } = this.#o;
    let status: TestStatusName;
    try {
      status = await market.testStatus(job.testId);
    } catch (error) {
      this.#o.log.warn({ jobId: job.id, err: messageOf(error) }, "cannot read the test's status; will retry");
      return this.#retryLater(job);
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
      result = await this.#o.pool.run(task, () => jobs.markRunning(job.id));
    } catch (error) {
      if (error instanceof PoolClosedError) return; // requeued on the next start
      return this.#fail(job, `evaluation failed: ${messageOf(error)}`);
    }
    // A finished evaluation is kept even while closing: close() waits for this, the store is still open.
    await this.#finish(job, result);
  }

  async #finish(job: Job, result: Uint8Array): Promise<void> {
    const { db, jobs, receipts, blobs, market } = this.#o;
    const resultPath = await blobs.writeResult(job.id, result);
    const resultHash = keccak256(result);
    const signature = await signReceipt(market.signer, market.receiptDomain, job.testId, resultHash);
    db.exec("BEGIN IMMEDIATE");
    try {
      jobs.markDone(job.id, resultPath);
      receipts.create({ jobId: job.id, testId: job.testId, resultHash, signature });
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
    await blobs.discard(job.uploadPath);
    this.#o.log.info({ jobId: job.id, testId: job.testId.toString(), resultHash }, "evaluation done");
    void this.#o.recorder.submit(receipts.get(job.id)!);
  }

  #retryLater(job: Job): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#retries.delete(timer);
      this.enqueue(job);
    }, this.#o.retryDelayMs);
    this.#retries.add(timer);
  }

  async #fail(job: Job, reason: string): Promise<void> {
    this.#o.jobs.markFailed(job.id, reason);
    await this.#o.blobs.discard(job.uploadPath);
    this.#o.log.warn({ jobId: job.id, testId: job.testId.toString(), reason }, "job failed");
  }
}
