/**
 * The engine's view of a vector of encrypted values: one operand per plan value (a feature,
 * a hidden unit, a score), each holding one ciphertext per batch of the group evaluated
 * together, with the bookkeeping every batch shares: chain level, exact scale, and size
 * (3 while a product awaits relinearization).
 */
import type { Ciphertext } from "@modelbazaar/sdk/he";

export interface Operand {
  /** One ciphertext per batch of the group. */
  readonly ciphertexts: Ciphertext[];
  level: number;
  scale: number;
  size: number;
  /** A size-3 square left for the next linear layer to relinearize after its sums (layers.ts). */
  lazy?: boolean;
}

export type OperandVector = Operand[];

export function deleteOperands(vector: readonly Operand[]): void {
  for (const operand of vector) for (const ciphertext of operand.ciphertexts) ciphertext.delete();
}
