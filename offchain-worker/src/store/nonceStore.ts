/**
 * Single-use upload nonces: a buyer's signed upload names a nonce, and the worker accepts
 * each (buyer, nonce) pair once (the table survives restarts). A signature also names its test,
 * and a test takes uploads only while it awaits its receipt, so once the chain watcher sees the
 * test's receipt or its close, its nonces can never matter again and are forgotten, so the
 * table does not grow with the worker's history.
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
    try {
      this.#db
        .prepare("INSERT INTO nonces (buyer, nonce, test_id, used_at) VALUES (?, ?, ?, ?)")
        .run(buyer.toLowerCase(), nonce.toLowerCase(), testId.toString(), now);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** Forgets the nonces of a test that takes no more uploads; returns how many there were. */
  forgetTest(testId: bigint): number {
    return Number(this.#db.prepare("DELETE FROM nonces WHERE test_id = ?").run(testId.toString()).changes);
  }
}
