/**
 * How many uploads the worker receives at once: per subject (a test, or a purchase's delivery),
 * per signer (the authenticated buyer or seller) and in total. A slot is taken after the
 * request is authenticated and before its body is read, and given back when the route is done
 * with the body; when any count is at its limit the request is refused with 429
 * `too_many_uploads` and a sentence saying which, so one buyer cannot hold the worker's files
 * and sockets with slow uploads, and all of them together cannot exhaust it.
 */
import type { Address } from "viem";
import { HttpError } from "./httpError.ts";
import { SlotCounter } from "./slotCounter.ts";

export interface UploadSlotLimits {
  readonly perSubject: number;
  readonly perSigner: number;
  readonly total: number;
}

export class UploadSlots {
  readonly #slots: SlotCounter<"subject" | "signer" | "total">;

  constructor(limits: UploadSlotLimits) {
    this.#slots = new SlotCounter({ subject: limits.perSubject, signer: limits.perSigner, total: limits.total });
  }

  /** Takes a slot for `signer` uploading to `subject` (e.g. "test 4"); returns its release (idempotent). */
  acquire(subject: string, signer: Address): () => void {
    const taken = this.#slots.take({ subject, signer: signer.toLowerCase(), total: "" });
    if ("release" in taken) return taken.release;
    const { full, limit } = taken;
    if (full === "subject") throw busy(`${subject} already has ${limit} upload(s) in progress; wait for it to finish`);
    if (full === "signer") throw busy(`${signer} already has ${limit} upload(s) in progress on this worker; wait for one to finish`);
    throw busy(`this worker is receiving its maximum of ${limit} uploads; try again shortly`);
  }
}

function busy(message: string): HttpError {
  return new HttpError(429, "too_many_uploads", message);
}
