/**
 * Single-use upload nonces: a buyer's signed upload names a nonce, and the worker accepts
 * each (buyer, nonce) pair once (the table survives restarts). A nonce is recorded only when
 * its request is accepted (a refused upload leaves no row, so refusals cannot fill the table);
 * a used one is refused before the body is read. A signature also names its test,
 * and a test takes uploads only while it awaits its receipt, so once the chain watcher sees the
 * test's receipt or its close, its nonces can never matter again and are forgotten, so the
 * table does not grow with the worker's history. Signed delivery transfers (a seller handing
 * over a delivery, its buyer fetching it) use the same table under the scope "purchase:<id>",
 * forgotten once the purchase ends.
 */
import type { DatabaseSync } from "node:sqlite";
import type { Address, Hex } from "viem";
import { isUniqueViolation } from "./database.ts";

export class NonceStore {
  readonly #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Records the nonce as used; false when it was used before. */
  consume(buyer: Address, nonce: Hex, testId: bigint, now = Date.now()): boolean {
    return this.#consume(buyer, nonce, testId.toString(), now);
  }

  #consume(signer: Address, nonce: Hex, scope: string, now: number): boolean {
    try {
      this.#db
        .prepare("INSERT INTO nonces (buyer, nonce, test_id, used_at) VALUES (?, ?, ?, ?)")
        .run(signer.toLowerCase(), nonce.toLowerCase(), scope, now);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** True when `signer` has used `nonce` (on any test or purchase still open). */
  isUsed(signer: Address, nonce: Hex): boolean {
    return this.#db.prepare("SELECT 1 FROM nonces WHERE buyer = ? AND nonce = ?").get(signer.toLowerCase(), nonce.toLowerCase()) !== undefined;
  }

  /** Gives back a nonce recorded for a request that was not accepted after all. */
  release(signer: Address, nonce: Hex): void {
    this.#db.prepare("DELETE FROM nonces WHERE buyer = ? AND nonce = ?").run(signer.toLowerCase(), nonce.toLowerCase());
  }

  /** Records a delivery transfer's nonce as used; false when it was used before. */
  consumeForPurchase(signer: Address, nonce: Hex, purchaseId: bigint, now = Date.now()): boolean {
    return this.#consume(signer, nonce, `purchase:${purchaseId}`, now);
  }

  /** Forgets the nonces of a purchase that has ended. */
  forgetPurchase(purchaseId: bigint): number {
    return Number(this.#db.prepare("DELETE FROM nonces WHERE test_id = ?").run(`purchase:${purchaseId}`).changes);
  }

  /** Forgets the nonces of a test that takes no more uploads; returns how many there were. */
  forgetTest(testId: bigint): number {
    return Number(this.#db.prepare("DELETE FROM nonces WHERE test_id = ?").run(testId.toString()).changes);
  }
}
