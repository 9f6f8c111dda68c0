/**
 * Single-use upload nonces: a buyer's signed upload names a nonce, and the worker accepts
 * each (buyer, nonce) pair once, forever (the table survives restarts).
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
}
