/**
 * The worker's Prometheus metrics (prom-client), in one registry per worker: what the rest of
 * the worker reports into (jobs accepted, done and failed; evaluation seconds per listing;
 * upload bytes; refusals by error code; receipts sent, mined and failed; chain RPC errors) and
 * what it reads from its sources at scrape time (jobs queued and running, the queue depth).
 * Served as text by GET /metrics (http/routes/metrics.ts). Labels are bounded and public: listing
 * ids, the worker's own error codes, JSON-RPC method names; never a buyer, a test id, a URL or
 * a key. The process's default metrics (memory, CPU, event-loop lag, file descriptors) are
 * included with the same `modelbazaar_worker_` prefix.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

const PREFIX = "modelbazaar_worker_";

/** A job's recorded transitions (store/jobStore.ts reports accepted and failed, jobs/jobRunner.ts done). */
export type JobTransition = "accepted" | "done" | "failed";

/** What the metrics read when scraped. */
export interface MetricsSources {
  /** Jobs waiting for a thread and jobs being evaluated now. */
  readonly activeJobs: () => { readonly queued: number; readonly running: number };
  /** Jobs waiting to be evaluated (the job store's queue; a distributed queue may supply its own). */
  readonly queueDepth: () => Promise<number> | number;
}

/** Upper bounds of the evaluation-time buckets, in seconds (a small model takes a second, an MNIST batch a minute). */
const EVALUATION_BUCKETS_S = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

export class WorkerMetrics {
  readonly registry = new Registry();
  readonly #jobs = new Counter({ name: `${PREFIX}jobs_total`, help: "Evaluation jobs by transition: accepted (upload taken), done (result stored), failed", labelNames: ["outcome"], registers: [this.registry] });
  readonly #evaluationSeconds = new Histogram({ name: `${PREFIX}evaluation_seconds`, help: "Time an evaluation took on its thread, by listing", labelNames: ["listing"], buckets: EVALUATION_BUCKETS_S, registers: [this.registry] });
  readonly #uploadBytes = new Counter({ name: `${PREFIX}upload_bytes_total`, help: "Bytes of uploads received whole (evaluation uploads and delivery hand-overs)", labelNames: ["kind"], registers: [this.registry] });
  readonly #rejects = new Counter({ name: `${PREFIX}rejects_total`, help: "Requests refused with a 4xx, by the error code the worker answered", labelNames: ["code", "status"], registers: [this.registry] });
  readonly #receipts = new Counter({ name: `${PREFIX}receipts_total`, help: "Evaluation receipts: sent (recordReceipt transaction sent), mined (recorded on-chain), failed (cannot be recorded)", labelNames: ["outcome"], registers: [this.registry] });
  readonly #rpcErrors = new Counter({ name: `${PREFIX}chain_rpc_errors_total`, help: "Chain RPC requests that failed after the transport's retries: unreachable (transport, timeout) or refused (a JSON-RPC error, a revert included), by method", labelNames: ["method", "kind"], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
    for (const outcome of ["accepted", "done", "failed"] satisfies JobTransition[]) this.#jobs.inc({ outcome }, 0);
    for (const outcome of ["sent", "mined", "failed"]) this.#receipts.inc({ outcome }, 0);
  }

  /** Reads jobs and the queue depth from `sources` at every scrape. */
  observe(sources: MetricsSources): void {
    new Gauge({
      name: `${PREFIX}jobs`,
      help: "Evaluation jobs now, by state (queued: waiting for a thread; running: being evaluated)",
      labelNames: ["state"],
      registers: [this.registry],
      collect() {
        const { queued, running } = sources.activeJobs();
        this.set({ state: "queued" }, queued);
        this.set({ state: "running" }, running);
      },
    });
    new Gauge({
      name: `${PREFIX}queue_depth`,
      help: "Jobs the evaluators hold, waiting or being evaluated (this machine's threads, or the Redis queue of a scaled-out worker)",
      registers: [this.registry],
      async collect() {
        // A queue in an unreachable Redis would hold the scrape (and its connection) as long as the client retries.
        this.set(await withinDeadline(sources.queueDepth(), QUEUE_DEPTH_DEADLINE_MS, Number.NaN));
      },
    });
  }

  jobTransitioned(outcome: JobTransition): void {
    this.#jobs.inc({ outcome });
  }

  evaluated(listingId: bigint, seconds: number): void {
    this.#evaluationSeconds.observe({ listing: listingId.toString() }, seconds);
  }

  uploadReceived(kind: "evaluation" | "delivery", bytes: number): void {
    this.#uploadBytes.inc({ kind }, bytes);
  }

  /** A 4xx answer: `code` is one of the worker's error codes (http/httpError.ts) or fastify's. */
  rejected(status: number, code: string): void {
    this.#rejects.inc({ code, status: String(status) });
  }

  receipt(outcome: "sent" | "mined" | "failed"): void {
    this.#receipts.inc({ outcome });
  }

  rpcFailed(method: string, kind: "unreachable" | "refused"): void {
    this.#rpcErrors.inc({ method, kind });
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ readonly contentType: string; readonly text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}

/** How long a scrape waits for the queue depth before reporting it as NaN (unknown). */
const QUEUE_DEPTH_DEADLINE_MS = 2_000;

/** `value`, or `fallback` when it has not settled within `ms`. */
async function withinDeadline<T>(value: Promise<T> | T, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  try {
    return await Promise.race([Promise.resolve(value), late]);
  } finally {
    clearTimeout(timer);
  }
}
