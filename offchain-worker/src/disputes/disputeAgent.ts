/**
 * The seller's side of refund disputes, automated (docs/DISPUTES.md §4.2, §7): every poll it
 * reads the chain's phase of each dispute the worker may still act on (the claims the chain
 * watcher stored) and takes the next step, one dispute at a time:
 *   - Claimed: decides once whether to contest (contestPolicy.ts) and stores why; contests with
 *     the listing's seller bond and a secret derived from the worker key (contestSecret.ts);
 *   - Opened: searches the buyer's opened samples for a provable contest (the SDK's
 *     findContest), proves it in a child process (contestProver.ts) and sends `proveMismatch`; an
 *     honest opening is logged and left to the buyer, who collects when the window ends;
 *   - Contested after the open window: closes the dispute, which the seller then wins;
 *   - BuyerWon or SellerWon: stores the end.
 * The phase is never stored, so a restart resumes from the chain; a sent transaction's hash is
 * stored before waiting, and looked up before anything is sent again.
 */
import { join } from "node:path";
import type { FastifyBaseLogger } from "fastify";
import { PollingLoop } from "../chain/pollingLoop.ts";
import type { Hex } from "viem";
import { findContest, readDispute, type DisputeView } from "@modelbazaar/sdk/actions";
import type { MarketClient } from "../chain/marketClient.ts";
import { messageOf } from "../messageOf.ts";
import type { DisputeStore, WatchedDispute } from "../store/disputeStore.ts";
import type { ContestablePlan } from "./contestablePlans.ts";
import { ProverClosedError, type ContestProver } from "./contestProver.ts";
import { contestDecision } from "./contestPolicy.ts";
import { deriveContestSecret } from "./contestSecret.ts";

export interface DisputeAgentOptions {
  readonly market: MarketClient;
  readonly disputes: DisputeStore;
  /** The checked plans of the listings this worker contests, by listing id (decimal). */
  readonly plans: ReadonlyMap<string, ContestablePlan>;
  readonly prover: ContestProver;
  /** circuits/artifacts: <dir>/<circuit>/<circuit>.wasm and .zkey. */
  readonly artifactsDir: string;
  readonly thresholdBps: number;
  readonly pollIntervalMs: number;
  /** How long a dispute whose step failed (RPC, a revert, a failed proof) waits before its next try. */
  readonly retryDelayMs: number;
  readonly log: FastifyBaseLogger;
}

export class DisputeAgent {
  readonly #o: DisputeAgentOptions;
  readonly #loop: PollingLoop;
  /** Test id -> when a dispute whose step failed may be tried again (Date.now() ms). */
  readonly #backoff = new Map<bigint, number>();

  constructor(options: DisputeAgentOptions) {
    this.#o = options;
    this.#loop = new PollingLoop(() => this.#stepAll(), options.pollIntervalMs, (error) => options.log.warn({ err: messageOf(error) }, "dispute agent pass failed; retrying"));
  }

  start(): void {
    this.#loop.start();
  }

  /** Stops after the current step; a proof in progress is abandoned and made again on the next start. */
  async close(): Promise<void> {
    const stopping = this.#loop.close();
    await this.#o.prover.close();
    await stopping;
  }

  async #stepAll(): Promise<void> {
    for (const dispute of this.#o.disputes.unfinished()) {
      if (this.#loop.closed) return;
      if ((this.#backoff.get(dispute.testId) ?? 0) > Date.now()) continue;
      try {
        await this.#step(dispute);
        this.#backoff.delete(dispute.testId);
      } catch (error) {
        if (error instanceof ProverClosedError) return;
        this.#backoff.set(dispute.testId, Date.now() + this.#o.retryDelayMs);
        this.#o.disputes.markError(dispute.testId, messageOf(error));
        this.#o.log.warn({ testId: dispute.testId.toString(), err: messageOf(error) }, "dispute step failed; will retry");
      }
    }
  }

  async #step(dispute: WatchedDispute): Promise<void> {
    const { market, disputes, log } = this.#o;
    const view = await readDispute(market.publicClient, { market: market.market, testId: dispute.testId });
    const testId = view.testId.toString();
    switch (view.phase) {
      case "None":
        return; // the claim is not on the chain the node now follows: look again later
      case "BuyerWon":
      case "SellerWon":
        disputes.markEnded(view.testId, view.phase);
        log.info({ testId, outcome: view.phase }, "refund dispute ended");
        return;
      case "Claimed":
        return this.#contest(dispute, view);
      case "Contested":
        // The buyer did not open the drawn samples in time: closing pays the seller.
        if (view.closable) await this.#send(view.testId, () => market.closeDispute(view.testId), "closeDispute");
        return;
      case "Opened":
        return this.#prove(dispute, view);
    }
  }

  async #contest(dispute: WatchedDispute, view: DisputeView): Promise<void> {
    const { market, disputes, log } = this.#o;
    const testId = view.testId.toString();
    let decision = dispute.decision;
    if (decision === null) {
      const decided = contestDecision(dispute, this.#o.plans.get(dispute.listingId.toString()), this.#o.thresholdBps);
      disputes.decide(view.testId, decided.decision, decided.reason);
      log.info({ testId, decision: decided.decision, reason: decided.reason }, "refund claimed");
      decision = decided.decision;
    }
    if (decision !== "contest") return;
    if (view.closable) {
      disputes.markEnded(view.testId, "the contest window ended before the worker contested");
      log.warn({ testId }, "the contest window ended before the worker contested; the buyer is refunded");
      return;
    }
    if (dispute.contestTx && (await this.#pending(dispute.contestTx))) return;
    const secret = await deriveContestSecret(market.signer, { chainId: market.chainId, disputes: market.disputes, testId: view.testId });
    const txHash = await this.#send(view.testId, () => market.contest(view.testId, secret, view.sellerBond), "contest", "contest");
    log.info({ testId, txHash, sellerBond: view.sellerBond.toString() }, "refund contested");
  }

  async #prove(dispute: WatchedDispute, view: DisputeView): Promise<void> {
    const { market, disputes, log } = this.#o;
    const testId = view.testId.toString();
    const checked = this.#o.plans.get(dispute.listingId.toString());
    if (!checked) return; // contested by the seller by hand: its own `bazaar contest` proves
    if (dispute.proofTx && (await this.#pending(dispute.proofTx))) return;
    const found = await findContest(market.publicClient, { disputes: market.disputes, testId: view.testId, plan: checked.plan, planSalt: checked.planSalt });
    if (found === undefined) {
      disputes.markHonestOpening(view.testId);
      log.info({ testId }, "every opened prediction agrees with the committed plan: nothing to prove; the buyer is refunded when the prove window ends");
      return;
    }
    const { input, circuit, ...contest } = found;
    log.info({ testId, index: contest.sample.index, cls: contest.cls, kind: contest.kind, circuit }, "proving a contest");
    const proof = await this.#o.prover.prove({ input, base: join(this.#o.artifactsDir, circuit, circuit) });
    if (this.#loop.closed) return;
    const txHash = await this.#send(view.testId, () => market.proveMismatch(view.testId, contest, proof), "proveMismatch", "proof");
    log.info({ testId, txHash }, "contest proven");
  }

  /** Sends a transaction, stores its hash (for contest and proof) and waits until it is mined. */
  async #send(testId: bigint, write: () => Promise<Hex>, what: string, step?: "contest" | "proof"): Promise<Hex> {
    const txHash = await write();
    if (step) this.#o.disputes.markSent(testId, step, txHash);
    while (!this.#loop.closed) {
      const status = await this.#o.market.transactionStatus(txHash);
      if (status === "success") return txHash;
      if (status === "reverted") throw new Error(`${what} for test ${testId} reverted (transaction ${txHash})`);
      await new Promise((resolve) => setTimeout(resolve, this.#o.pollIntervalMs));
    }
    return txHash;
  }

  /** True while a transaction sent earlier is known to the node and not yet mined: wait for it rather than send again. */
  async #pending(txHash: Hex): Promise<boolean> {
    const status = await this.#o.market.transactionStatus(txHash);
    return status === undefined && (await this.#o.market.transactionKnown(txHash));
  }
}
