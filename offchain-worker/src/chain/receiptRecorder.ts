/**
 * Records evaluation receipts on-chain from the worker signer, one transaction at a time
 * (so the signer's nonces never collide), and survives restarts: a receipt row moves
 * pending -> sent (hash stored before waiting) -> mined | failed, and on start every pending
 * or sent receipt is resumed. Before sending it always reconciles with the chain:
 *   - a receipt already recorded for the test with our hash (our earlier transaction, or the
 *     buyer submitting our signed receipt) is adopted, never sent twice;
 *   - a test whose service window has passed cannot take a receipt any more: the receipt and
 *     its job fail with that reason (the buyer may reclaim deposit and fee).
 * RPC failures are retried after a delay; contract reverts trigger a fresh reconciliation.
 */
import type { FastifyBaseLogger } from "fastify";
import type { Hex } from "viem";
import type { JobStore } from "../store/jobStore.ts";
import type { Receipt, ReceiptStore } from "../store/receiptStore.ts";
import { messageOf } from "../messageOf.ts";
import type { MarketClient } from "./marketClient.ts";
import type { WorkerMetrics } from "../metrics/workerMetrics.ts";

/** How many reconcile-and-send rounds one receipt gets before it waits for the next retry. */
const ROUNDS = 3;

export interface ReceiptRecorderOptions {
  readonly market: MarketClient;
  readonly receipts: ReceiptStore;
  readonly jobs: JobStore;
  readonly log: FastifyBaseLogger;
  /** Told of each receipt sent, mined or failed. */
  readonly metrics: WorkerMetrics;
  readonly pollIntervalMs: number;
  readonly retryDelayMs: number;
}

type Outcome = { kind: "mined"; txHash: Hex } | { kind: "failed"; reason: string } | { kind: "retry" };

export class ReceiptRecorder {
  readonly #o: ReceiptRecorderOptions;
  #tail: Promise<void> = Promise.resolve();
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(options: ReceiptRecorderOptions) {
    this.#o = options;
  }

  /** Queues a receipt for recording; resolves when this attempt is over. */
  submit(receipt: Receipt): Promise<void> {
    const run = this.#tail.then(() => this.#record(receipt.jobId));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Resubmits every receipt a previous run left pending or sent. */
  resume(): void {
    for (const receipt of this.#o.receipts.unfinished()) void this.submit(receipt);
  }

  /** Stops after the current step; unfinished receipts stay in the store for the next start. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await this.#tail;
  }

  async #record(jobId: string): Promise<void> {
    const receipt = this.#o.receipts.get(jobId);
    if (this.#closed || !receipt || receipt.status === "mined" || receipt.status === "failed") return;
    let outcome: Outcome;
    try {
      outcome = await this.#settle(receipt);
    } catch (error) {
      this.#o.log.warn({ testId: receipt.testId.toString(), err: messageOf(error) }, "receipt attempt failed; will retry");
      outcome = { kind: "retry" };
    }
    // Outcomes are stored even while closing: close() waits for this step, the store is still open.
    if (outcome.kind === "mined") {
      this.#o.receipts.markMined(jobId, outcome.txHash);
      this.#o.metrics.receipt("mined");
      this.#o.log.info({ testId: receipt.testId.toString(), txHash: outcome.txHash }, "receipt recorded on-chain");
    } else if (outcome.kind === "failed") {
      this.#o.receipts.markFailed(jobId, outcome.reason);
      this.#o.metrics.receipt("failed");
      this.#o.jobs.markFailed(jobId, outcome.reason);
      this.#o.log.warn({ testId: receipt.testId.toString(), reason: outcome.reason }, "receipt cannot be recorded");
    } else {
      this.#scheduleRetry(receipt);
    }
  }

  async #settle(receipt: Receipt): Promise<Outcome> {
    if (receipt.status === "sent" && receipt.txHash) {
      const mined = await this.#waitForTransaction(receipt.txHash);
      if (mined === "success") return { kind: "mined", txHash: receipt.txHash };
    }
    for (let round = 0; round < ROUNDS && !this.#closed; round++) {
      const decided = await this.#reconcile(receipt);
      if (decided) return decided;
      let txHash: Hex;
      try {
        txHash = await this.#o.market.recordReceipt(receipt.testId, receipt.resultHash);
      } catch (error) {
        // A revert (e.g. the window closed, or a receipt landed meanwhile): reconcile again.
        this.#o.log.warn({ testId: receipt.testId.toString(), err: messageOf(error) }, "recordReceipt was refused");
        continue;
      }
      this.#o.receipts.markSent(receipt.jobId, txHash); // even when closing: the next start looks it up
      this.#o.metrics.receipt("sent");
      const mined = await this.#waitForTransaction(txHash);
      if (mined === "success") return { kind: "mined", txHash };
    }
    return { kind: "retry" };
  }

  /** Decides from the chain alone, or returns undefined when a transaction should be sent. */
  async #reconcile(receipt: Receipt): Promise<Outcome | undefined> {
    const { market } = this.#o;
    const recorded = await market.findRecordedReceipt(receipt.testId);
    if (recorded) {
      return recorded.resultHash.toLowerCase() === receipt.resultHash.toLowerCase()
        ? { kind: "mined", txHash: recorded.txHash }
        : { kind: "failed", reason: `test ${receipt.testId} already has a receipt for another result (${recorded.resultHash})` };
    }
    const status = await market.testStatus(receipt.testId);
    if (status === "AwaitingReceipt") return undefined;
    if (status === "Unserved") {
      return {
        kind: "failed",
        reason: `the service window of test ${receipt.testId} passed before the receipt was recorded; the buyer may reclaim deposit and fee`,
      };
    }
    return { kind: "failed", reason: `test ${receipt.testId} no longer takes a receipt (status ${status})` };
  }

  /** Polls until the transaction is mined (or the recorder closes). */
  async #waitForTransaction(txHash: Hex): Promise<"success" | "reverted" | undefined> {
    while (!this.#closed) {
      const status = await this.#o.market.transactionStatus(txHash);
      if (status) return status;
      await delay(this.#o.pollIntervalMs);
      // A transaction that vanished (dropped by its node) is handled by reconciling.
      if (!(await this.#o.market.transactionKnown(txHash))) return undefined;
    }
    return undefined;
  }

  #scheduleRetry(receipt: Receipt): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      void this.submit(receipt);
    }, this.#o.retryDelayMs);
    this.#timers.add(timer);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
