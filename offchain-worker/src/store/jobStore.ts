/**
 * Evaluation jobs in SQLite: created when an upload is accepted, then queued -> running ->
 * done | failed, with `error` saying why a job failed or why its last attempt did while it is
 * retried. On start the worker requeues every job that was queued or running.
 */
import type { DatabaseSync } from "node:sqlite";
import type { Address } from "viem";
import { isUniqueViolation } from "./database.ts";

export type JobStatus = "queued" | "running" | "done" | "failed";

export interface Job {
  readonly id: string;
  readonly testId: bigint;
  readonly listingId: bigint;
  readonly modelId: string;
  readonly buyer: Address;
  readonly paidSamples: number;
  readonly status: JobStatus;
  readonly uploadPath: string;
  readonly resultPath: string | null;
  readonly error: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export type NewJob = Pick<Job, "id" | "testId" | "listingId" | "modelId" | "buyer" | "paidSamples" | "uploadPath">;

/** The test already has a job that is queued, running or done. */
export class JobExistsError extends Error {
  override readonly name = "JobExistsError";
}

interface JobRow {
  id: string;
  test_id: string;
  listing_id: string;
  model_id: string;
  buyer: string;
  paid_samples: number;
  status: JobStatus;
  upload_path: string;
  result_path: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

/**
 * Told of every job accepted or failed (the worker's metrics, metrics/workerMetrics.ts). A job
 * done is reported by the job runner once its transaction commits (markDone runs inside one).
 */
export interface JobTransitionListener {
  jobTransitioned(outcome: "accepted" | "failed"): void;
}

export class JobStore {
  readonly #db: DatabaseSync;
  readonly #listener: JobTransitionListener | undefined;

  constructor(db: DatabaseSync, listener?: JobTransitionListener) {
    this.#db = db;
    this.#listener = listener;
  }

  /** Inserts a queued job; throws {JobExistsError} when the test has a live one. */
  create(job: NewJob, now = Date.now()): Job {
    try {
      this.#db
        .prepare(
          `INSERT INTO jobs (id, test_id, listing_id, model_id, buyer, paid_samples, status, upload_path, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)`,
        )
        .run(job.id, job.testId.toString(), job.listingId.toString(), job.modelId, job.buyer, job.paidSamples, job.uploadPath, now, now);
    } catch (error) {
      if (isUniqueViolation(error)) throw new JobExistsError(`test ${job.testId} already has an evaluation job`);
      throw error;
    }
    this.#listener?.jobTransitioned("accepted");
    return this.get(job.id)!;
  }

  get(id: string): Job | undefined {
    const row = this.#db.prepare("SELECT * FROM jobs WHERE id = ?").get(id);
    return row ? toJob(row as unknown as JobRow) : undefined;
  }

  /** The test's live job if it has one, else its latest failed one. */
  latestForTest(testId: bigint): Job | undefined {
    const row = this.#db
      .prepare("SELECT * FROM jobs WHERE test_id = ? ORDER BY (status != 'failed') DESC, created_at DESC, rowid DESC LIMIT 1")
      .get(testId.toString());
    return row ? toJob(row as unknown as JobRow) : undefined;
  }

  /** Jobs a previous run left queued or running, oldest first, now all queued again. */
  requeueUnfinished(now = Date.now()): Job[] {
    this.#db.prepare("UPDATE jobs SET status = 'queued', updated_at = ? WHERE status = 'running'").run(now);
    return this.#db
      .prepare("SELECT * FROM jobs WHERE status = 'queued' ORDER BY created_at, rowid")
      .all()
      .map((row) => toJob(row as unknown as JobRow));
  }

  markRunning(id: string, now = Date.now()): void {
    this.#db.prepare("UPDATE jobs SET status = 'running', updated_at = ? WHERE id = ?").run(now, id);
  }

  markDone(id: string, resultPath: string, now = Date.now()): void {
    this.#db.prepare("UPDATE jobs SET status = 'done', result_path = ?, error = NULL, updated_at = ? WHERE id = ?").run(resultPath, now, id);
  }

  /** Keeps the job running while noting why its last attempt failed and when it is tried again (the buyer reads it). */
  noteRetry(id: string, error: string, now = Date.now()): void {
    this.#db.prepare("UPDATE jobs SET error = ?, updated_at = ? WHERE id = ?").run(error, now, id);
  }

  /** Upload files that jobs still need (queued or running). */
  liveUploadPaths(): Set<string> {
    const rows = this.#db.prepare("SELECT upload_path FROM jobs WHERE status IN ('queued', 'running')").all() as unknown as { upload_path: string }[];
    return new Set(rows.map((row) => row.upload_path));
  }

  markFailed(id: string, error: string, now = Date.now()): void {
    this.#db.prepare("UPDATE jobs SET status = 'failed', error = ?, updated_at = ? WHERE id = ?").run(error, now, id);
    this.#listener?.jobTransitioned("failed");
  }

  /** Jobs queued (waiting for a thread) and running now. */
  activeCounts(): { queued: number; running: number } {
    const rows = this.#db.prepare("SELECT status, COUNT(*) AS n FROM jobs WHERE status IN ('queued', 'running') GROUP BY status").all() as unknown as { status: "queued" | "running"; n: number }[];
    const counts = { queued: 0, running: 0 };
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  countByListing(): Map<string, Record<JobStatus, number>> {
    const counts = new Map<string, Record<JobStatus, number>>();
    const rows = this.#db.prepare("SELECT listing_id, status, COUNT(*) AS n FROM jobs GROUP BY listing_id, status").all();
    for (const row of rows as unknown as { listing_id: string; status: JobStatus; n: number }[]) {
      const entry = counts.get(row.listing_id) ?? { queued: 0, running: 0, done: 0, failed: 0 };
      entry[row.status] = row.n;
      counts.set(row.listing_id, entry);
    }
    return counts;
  }
}

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    testId: BigInt(row.test_id),
    listingId: BigInt(row.listing_id),
    modelId: row.model_id,
    buyer: row.buyer as Address,
    paidSamples: row.paid_samples,
    status: row.status,
    uploadPath: row.upload_path,
    resultPath: row.result_path,
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
