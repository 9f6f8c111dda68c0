/**
 * The engine's view of a vector of encrypted values: one operand per plan value (a feature,
 * a hidden unit, a score), each holding one ciphertext per batch of the group evaluated
 * together, with the bookkeeping every batch shares: chain level, exact scale, and size
 * (3 while a product awaits relinearization).
 *
 * A value lives either in SEAL (`ciphertexts`) or, between the layers that make and read it,
 * outside SEAL (`held`: serialized, in memory or in a spill file, see ciphertextStore.ts; or
 * still in the buyer's upload): SEAL's heap is WebAssembly memory, which never shrinks, and
 * its memory pool keeps every block it ever allocated, so values held in SEAL set its size for
 * the thread's lifetime.
 */
import type { Ciphertext } from "@modelbazaar/sdk/he";

/** One batch's ciphertext of a value held outside SEAL. */
export interface HeldCiphertext {
  /** A new SEAL ciphertext with the value (the caller deletes it). */
  load(): Ciphertext;
  /** Copies the value's residues (polynomial-major, then prime, then coefficient) into `target`; returns its polynomial count. */
  residues(primes: number, target: Uint8Array): number;
  /** Frees the held copy (nothing reads it any more). */
  release(): void;
}

export interface Operand {
  /** One ciphertext per batch of the group, while the value is in SEAL. */
  readonly ciphertexts: Ciphertext[];
  /** One per batch while the value is held outside SEAL (`ciphertexts` is then empty). */
  held?: HeldCiphertext[];
  level: number;
  scale: number;
  size: number;
  /** A size-3 square left for the next linear layer to relinearize after its sums (layers.ts). */
  lazy?: boolean;
}

export type OperandVector = Operand[];

/** Whether the operand still holds its value (values nothing reads are dropped: operandOps.ts). */
export function isLive(operand: Operand): boolean {
  return operand.ciphertexts.length > 0 || (operand.held?.length ?? 0) > 0;
}

/** The batches of the group an operand holds. */
export function batchesOf(operand: Operand): number {
  return operand.held?.length ?? operand.ciphertexts.length;
}

/** The batches of the group a vector holds (its dropped operands hold none). */
export function vectorBatches(vector: readonly Operand[]): number {
  const live = vector.find(isLive);
  return live ? batchesOf(live) : 0;
}

/** Frees an operand's value, wherever it is held. */
export function releaseOperand(operand: Operand): void {
  for (const ciphertext of operand.ciphertexts) ciphertext.delete();
  operand.ciphertexts.length = 0;
  for (const held of operand.held ?? []) held.release();
  operand.held = undefined;
}

export function deleteOperands(vector: readonly Operand[]): void {
  for (const operand of vector) releaseOperand(operand);
}
