/**
 * Reveals the one-time key of every delivery this worker holds as soon as its purchase awaits
 * the key (the buyer accepted the ciphertext, or the acceptance window closed), so a buyer's
 * `bazaar download` gets the model in one run without waiting for the seller to come back
 * (docs/PROTOCOL.md §5.2). Polls the chain every `pollIntervalMs`; each delivery moves
 * held -> revealing (transaction hash stored before waiting) -> revealed -> closed, and the
 * store survives restarts: a reveal sent before a crash is checked on the chain, never sent
 * blindly again. When a purchase ends (completed or refunded) its file and its transfer nonces
 * are dropped. RPC failures and reverts are logged and retried on the next poll.
 */
import type { FastifyBaseLogger } from "fastify";
import { messageOf } from "../messageOf.ts";
import type { BlobStore } from "../store/blobStore.ts";
import type { DeliveryStore, HeldDelivery } from "../store/deliveryStore.ts";
import type { NonceStore } from "../store/nonceStore.ts";
import type { MarketClient } from "./marketClient.ts";
import { PollingLoop } from "./pollingLoop.ts";

export interface KeyRevealerOptions {
  readonly market: MarketClient;
  readonly deliveries: DeliveryStore;
  readonly nonces: NonceStore;
  readonly blobs: BlobStore;
  readonly pollIntervalMs: number;
  readonly log: FastifyBaseLogger;
}

/** Purchase statuses after the key is on-chain. */
const KEY_ON_CHAIN = new Set(["ComplaintWindow", "Completable"]);
/** Purchase statuses of an ended purchase. */
const ENDED = new Set(["Completed", "Refunded"]);

export class KeyRevealer {
  readonly #o: KeyRevealerOptions;
  readonly #loop: PollingLoop;

  constructor(options: KeyRevealerOptions) {
    this.#o = options;
    this.#loop = new PollingLoop(() => this.advance(), options.pollIntervalMs, (error) => options.log.warn({ err: messageOf(error) }, "key revealer pass failed; retrying"));
  }

  start(): void {
    this.#loop.start();
  }

  async close(): Promise<void> {
    await this.#loop.close();
  }

  /** One pass over the open deliveries. */
  async advance(): Promise<void> {
    for (const delivery of this.#o.deliveries.open()) {
      if (this.#loop.closed) return;
      try {
        await this.#advanceOne(delivery);
      } catch (error) {
        this.#o.deliveries.setStatus(delivery.purchaseId, delivery.status, { error: messageOf(error).split("\n")[0] ?? "" });
        this.#o.log.warn({ purchaseId: delivery.purchaseId.toString(), err: messageOf(error) }, "key reveal attempt failed; will retry");
      }
    }
  }

  async #advanceOne(delivery: HeldDelivery): Promise<void> {
    const { market, deliveries, log } = this.#o;
    const id = delivery.purchaseId;
    const purchase = await market.readPurchase(id);
    const status = purchase?.status ?? "None";
    if (ENDED.has(status) || status === "None") return this.#end(delivery, status);
    if (KEY_ON_CHAIN.has(status)) {
      if (delivery.status !== "revealed") deliveries.setStatus(id, "revealed");
      return;
    }
    if (delivery.status === "revealing" && delivery.revealTx) {
      const mined = await market.transactionStatus(delivery.revealTx);
      if (mined === undefined && (await market.transactionKnown(delivery.revealTx))) return; // still pending
      // Reverted or dropped while the key is still not on-chain: try again below.
    }
    if (status !== "AwaitingKey") return; // AwaitingAcceptance: the buyer has not decided yet; KeyOverdue: too late, ends as a refund
    const revealTx = await market.revealKey(id, delivery.ciphertextRoot, delivery.key);
    deliveries.setStatus(id, "revealing", { revealTx });
    log.info({ purchaseId: id.toString(), txHash: revealTx }, "delivery key reveal sent");
  }

  async #end(delivery: HeldDelivery, status: string): Promise<void> {
    this.#o.deliveries.setStatus(delivery.purchaseId, "closed");
    this.#o.nonces.forgetPurchase(delivery.purchaseId);
    await this.#o.blobs.discard(delivery.path);
    this.#o.log.info({ purchaseId: delivery.purchaseId.toString(), status }, "purchase ended; delivery dropped");
  }
}
