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

export interface UploadSlotLimits {
  readonly perSubject: number;
  readonly perSigner: number;
  readonly total: number;
}

export class UploadSlots {
  readonly #limits: UploadSlotLimits;
  readonly #bySubject = new Map<string, number>();
  readonly #bySigner = new Map<string, number>();
  #total = 0;

  constructor(limits: UploadSlotLimits) {
    this.#limits = limits;
  }

  /** Takes a slot for `signer` uploading to `subject` (e.g. "test 4"); returns its release (idempotent). */
  acquire(subject: string, signer: Address): () => void {
    const key = signer.toLowerCase();
    const limits = this.#limits;
    if ((this.#bySubject.get(subject) ?? 0) >= limits.perSubject) {
      throw busy(`${subject} already has ${limits.perSubject} upload(s) in progress; wait for it to finish`);
    }
    if ((this.#bySigner.get(key) ?? 0) >= limits.perSigner) {
      throw busy(`${signer} already has ${limits.perSigner} upload(s) in progress on this worker; wait for one to finish`);
    }
    if (this.#total >= limits.total) throw busy(`this worker is receiving its maximum of ${limits.total} uploads; try again shortly`);
    bump(this.#bySubject, subject, 1);
    bump(this.#bySigner, key, 1);
    this.#total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      bump(this.#bySubject, subject, -1);
      bump(this.#bySigner, key, -1);
      this.#total--;
    };
  }
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next === 0) counts.delete(key);
  else counts.set(key, next);
}

function busy(message: string): HttpError {
  return new HttpError(429, "too_many_uploads", message);
}
