/**
 * Uploads for a test the chain watcher has not seen yet wait for its next pass (at most 30 s;
 * routes/uploadEvaluation.ts). Such a request has only proved that someone signed it, with any
 * key, so the waits are capped per signer and in total; beyond either cap the request is
 * refused at once with 503 `too_many_waiting` and a Retry-After of one chain poll, instead of
 * parking a socket and a pending request for each.
 */
import type { Address } from "viem";
import { HttpError } from "./httpError.ts";
import { SlotCounter } from "./slotCounter.ts";

export interface ChainWaitLimits {
  readonly perSigner: number;
  readonly total: number;
}

export class ChainWaits {
  readonly #slots: SlotCounter<"signer" | "total">;
  readonly #retryAfterSeconds: number;

  constructor(limits: ChainWaitLimits, pollIntervalMs: number) {
    this.#slots = new SlotCounter({ signer: limits.perSigner, total: limits.total });
    this.#retryAfterSeconds = Math.max(1, Math.ceil(pollIntervalMs / 1000));
  }

  /** Runs `wait` in a slot of `signer`'s, or throws the 503 when no slot is free. */
  async wait<T>(signer: Address, wait: () => Promise<T>): Promise<T> {
    const taken = this.#slots.take({ signer: signer.toLowerCase(), total: "" });
    if (!("release" in taken)) {
      const who = taken.full === "signer" ? `${signer} already has ${taken.limit} upload(s)` : `${taken.limit} uploads already are`;
      throw new HttpError(503, "too_many_waiting", `${who} waiting for this worker to see their test on-chain; try again in ${this.#retryAfterSeconds} s`, this.#retryAfterSeconds);
    }
    try {
      return await wait();
    } finally {
      taken.release();
    }
  }
}
