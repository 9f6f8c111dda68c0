/**
 * Polls the market's logs (getLogs, in bounded block ranges) for test-drives opened on the
 * listings this worker serves, and for receipts recorded on them, into the local table of
 * known tests. The cursor is persisted, so a restart continues where it stopped. The cache
 * serves status pages only; authorization always re-reads the chain. A receipt or a close
 * also ends the test's uploads, so its upload nonces are forgotten (NonceStore). Refund claims
 * (`RefundDisputes.RefundClaimed`) on known tests go into the dispute store, where the dispute
 * agent takes them up. The last scanned block's hash is checkpointed (store/chainBinding.ts),
 * so a later start notices a chain that was reset under it. An upload for a test not seen yet
 * waits for the next pass ({nextPass}) instead of reading the chain itself.
 */
import type { FastifyBaseLogger } from "fastify";
import { messageOf } from "../messageOf.ts";
import type { ChainBinding } from "../store/chainBinding.ts";
import type { DisputeStore } from "../store/disputeStore.ts";
import type { NonceStore } from "../store/nonceStore.ts";
import type { TestStore } from "../store/testStore.ts";
import type { MarketClient } from "./marketClient.ts";
import { PollingLoop } from "./pollingLoop.ts";

/** Largest block range per getLogs call (public RPCs often refuse more). */
const MAX_RANGE = 5_000n;

export interface ChainWatcherOptions {
  readonly market: MarketClient;
  readonly tests: TestStore;
  readonly nonces: NonceStore;
  readonly disputes: DisputeStore;
  /** Where the last scanned block is checkpointed, so a later start notices a reset chain. */
  readonly binding: ChainBinding;
  readonly listingIds: readonly bigint[];
  readonly startBlock: bigint;
  readonly pollIntervalMs: number;
  readonly log: FastifyBaseLogger;
}

interface PassWaiter {
  resolve(): void;
  reject(error: unknown): void;
}

export class ChainWatcher {
  readonly #o: ChainWatcherOptions;
  readonly #loop: PollingLoop;
  /** Callers of {nextPass} waiting for a pass to begin. */
  readonly #waiting = new Set<PassWaiter>();

  constructor(options: ChainWatcherOptions) {
    this.#o = options;
    this.#loop = new PollingLoop(() => this.#pass(), options.pollIntervalMs, (error) => options.log.warn({ err: messageOf(error) }, "chain watcher poll failed; retrying"));
  }

  start(): void {
    this.#loop.start();
  }

  async close(): Promise<void> {
    for (const waiter of this.#waiting) waiter.reject(new Error("the worker is stopping"));
    this.#waiting.clear();
    await this.#loop.close();
  }

  /**
   * Resolves once a pass begun after this call has scanned to the head (the known tests are then
   * at least as new as the chain was at the call); rejects when that pass fails, when the
   * watcher closes, or when no pass completes within `timeoutMs`. Costs no chain read of its own.
   */
  nextPass(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(waiter);
        reject(new Error(`the chain watcher did not complete a pass within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      const waiter: PassWaiter = {
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (error) => (clearTimeout(timer), reject(error)),
      };
      this.#waiting.add(waiter);
    });
  }

  /** One poll: a catch-up, reported to the callers of {nextPass} that were waiting when it began. */
  async #pass(): Promise<void> {
    const waiting = [...this.#waiting];
    this.#waiting.clear();
    try {
      await this.catchUp();
    } catch (error) {
      for (const waiter of waiting) waiter.reject(error);
      throw error;
    }
    for (const waiter of waiting) waiter.resolve();
  }

  /** Scans every block up to the chain head now (asked of the node, never viem's cache); resolves when caught up. */
  async catchUp(): Promise<void> {
    const head = await this.#o.market.blockNumber({ fresh: true });
    let from = this.#o.tests.nextBlock(this.#o.startBlock);
    while (!this.#loop.closed && from <= head) {
      const to = from + MAX_RANGE - 1n < head ? from + MAX_RANGE - 1n : head;
      await this.#scan(from, to);
      from = to + 1n;
    }
  }

  async #scan(from: bigint, to: bigint): Promise<void> {
    const { market, tests, nonces, disputes, listingIds } = this.#o;
    const opened = listingIds.length === 0 ? [] : await market.testOpenedLogs(listingIds, from, to);
    const receipts = await market.receiptRecordedLogs(from, to);
    const closed = await market.testClosedLogs(from, to);
    const claims = await market.refundClaimedLogs(from, to);
    const scannedHash = await market.blockHash(to);
    if (this.#loop.closed) return;
    for (const log of opened) {
      const a = log.args;
      if (a.testId === undefined || a.listingId === undefined || !a.buyer || a.sampleCount === undefined || !a.dataCommitment) continue;
      tests.upsert({
        testId: a.testId,
        listingId: a.listingId,
        buyer: a.buyer,
        sampleCount: a.sampleCount,
        dataCommitment: a.dataCommitment,
        openedBlock: log.blockNumber ?? from,
      });
    }
    for (const log of receipts) {
      if (log.args.testId === undefined) continue;
      if (log.args.resultHash) tests.setReceiptHash(log.args.testId, log.args.resultHash);
      nonces.forgetTest(log.args.testId);
    }
    for (const log of closed) {
      if (log.args.testId !== undefined) nonces.forgetTest(log.args.testId);
    }
    for (const log of claims) {
      const { testId, refund, freeSamplesFee } = log.args;
      const test = testId === undefined ? undefined : tests.get(testId);
      if (!test || refund === undefined || freeSamplesFee === undefined) continue; // not a test of a served listing
      disputes.recordClaim({ testId: test.testId, listingId: test.listingId, refund, freeSamplesFee });
    }
    tests.setNextBlock(to + 1n);
    if (scannedHash) this.#o.binding.checkpoint(to, scannedHash);
  }
}
