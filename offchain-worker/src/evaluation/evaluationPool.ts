/**
 * A fixed pool of evaluation threads (worker_threads), each holding its own evaluator. Jobs
 * wait in a FIFO until a thread is free. A thread that dies is replaced; its job fails.
 * Closing the pool terminates the threads and rejects what is pending with {PoolClosedError},
 * which the job runner treats as "leave the job for the next start".
 */
import { Worker } from "node:worker_threads";
import type { Evaluated, Evaluations } from "./evaluations.ts";
import type { EvaluatorOptions, UploadProblem } from "./evaluator.ts";
import type { ThreadReply, ThreadSetup, ThreadTask } from "./threadMessages.ts";

const threadEntry = new URL("./evaluationThread.ts", import.meta.url);

/** The evaluator threw while evaluating (or the thread died). */
export class EvaluationFailedError extends Error {
  override readonly name = "EvaluationFailedError";
  readonly problem: UploadProblem | undefined;

  constructor(message: string, problem?: UploadProblem) {
    super(message);
    this.problem = problem;
  }
}

/** The pool was closed before the job finished. */
export class PoolClosedError extends Error {
  override readonly name = "PoolClosedError";
}

interface Pending {
  readonly task: ThreadTask;
  readonly onStart: () => void;
  /** performance.now() when a thread took it. */
  started?: number;
  resolve(evaluated: Evaluated): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  busy: Pending | undefined;
}

export class EvaluationPool implements Evaluations {
  readonly #setup: ThreadSetup;
  readonly #slots: Slot[] = [];
  readonly #queue: Pending[] = [];
  #closed = false;

  private constructor(setup: ThreadSetup) {
    this.#setup = setup;
  }

  /** Starts `size` threads and resolves once every evaluator is loaded. */
  static async start(size: number, moduleUrl: string, options: EvaluatorOptions): Promise<EvaluationPool> {
    const pool = new EvaluationPool({ moduleUrl, options });
    try {
      await Promise.all(Array.from({ length: size }, () => pool.#spawn()));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** Evaluates `task` on the next free thread; `onStart` runs when a thread takes it. */
  run(task: ThreadTask, onStart: () => void = () => undefined): Promise<Evaluated> {
    if (this.#closed) return Promise.reject(new PoolClosedError("the evaluation pool is closed"));
    return new Promise((resolve, reject) => {
      this.#queue.push({ task, onStart, resolve, reject });
      this.#dispatch();
    });
  }

  /** Jobs waiting for a thread or on one. */
  depth(): Promise<number> {
    return Promise.resolve(this.#queue.length + this.#slots.filter((s) => s.busy).length);
  }

  /** Never: jobs wait in memory, their uploads on the worker's disk. */
  refusal(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }

  /** Nothing to drop: a job the runner failed never reached the pool, or left it. */
  forget(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.#closed = true;
    const stranded = [...this.#queue.splice(0), ...this.#slots.flatMap((s) => (s.busy ? [s.busy] : []))];
    for (const pending of stranded) pending.reject(new PoolClosedError("the worker stopped before this job finished"));
    await Promise.all(this.#slots.splice(0).map((s) => s.worker.terminate()));
  }

  #spawn(): Promise<void> {
    const worker = new Worker(threadEntry, { workerData: this.#setup });
    const slot: Slot = { worker, busy: undefined };
    return new Promise((resolve, reject) => {
      const onInit = (reply: ThreadReply) => {
        if (reply.kind === "initFailed") reject(new Error(`an evaluation thread could not start: ${reply.message}`));
        if (reply.kind !== "ready") return;
        worker.off("message", onInit);
        worker.on("message", (message: ThreadReply) => this.#onReply(slot, message));
        this.#slots.push(slot);
        resolve();
        this.#dispatch();
      };
      worker.on("message", onInit);
      worker.once("error", (error) => reject(error));
      worker.once("exit", (code) => this.#onExit(slot, code));
    });
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      if (slot.busy || this.#queue.length === 0) continue;
      const next = this.#queue.shift()!;
      slot.busy = next;
      next.started = performance.now();
      next.onStart();
      slot.worker.postMessage(next.task);
    }
  }

  #onReply(slot: Slot, reply: ThreadReply): void {
    const pending = slot.busy;
    if (!pending || (reply.kind !== "done" && reply.kind !== "failed") || reply.jobId !== pending.task.jobId) return;
    slot.busy = undefined;
    if (reply.kind === "done") pending.resolve({ result: reply.result, seconds: (performance.now() - (pending.started ?? performance.now())) / 1000 });
    else pending.reject(new EvaluationFailedError(reply.message, reply.problem));
    this.#dispatch();
  }

  #onExit(slot: Slot, code: number): void {
    const index = this.#slots.indexOf(slot);
    if (this.#closed || index < 0) return;
    this.#slots.splice(index, 1);
    slot.busy?.reject(new EvaluationFailedError(`the evaluation thread stopped (exit code ${code}) during this job`));
    void this.#spawn().catch(() => undefined);
  }
}
