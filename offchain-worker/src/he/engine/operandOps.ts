/**
 * The operations on operands (operands.ts) that every layer evaluator shares: relinearize,
 * bring down a level, rescale, free, and finish a linear layer's sum, with the errors a plan
 * the engine cannot follow gets.
 */
import { HeError, type LinearLayer, type RelinKeys } from "@modelbazaar/sdk/he";
import type { Operand } from "./operands.ts";
import type { EngineContext } from "./runtime.ts";

/** Relinearizes a size-3 operand; `unlessLazy` leaves one marked for lazy relinearization alone. */
export function relinearize(engine: EngineContext, operand: Operand, keys: RelinKeys | undefined, unlessLazy = false): void {
  if (operand.size <= 2 || (unlessLazy && operand.lazy)) return;
  if (!keys) throw new HeError("missing-keys", "The plan multiplies ciphertexts, but the upload carries no relinearization keys.");
  for (const ciphertext of operand.ciphertexts) engine.evaluator.relinearizeInplace(ciphertext, keys);
  operand.size = 2;
}

export function modSwitchTo(engine: EngineContext, operand: Operand, level: number): void {
  if (operand.level === level) return;
  for (const ciphertext of operand.ciphertexts) engine.evaluator.cipherModSwitchToInplace(ciphertext, engine.parmsIds[level]!);
  operand.level = level;
}

export function rescale(engine: EngineContext, operand: Operand): void {
  if (operand.level === 0) {
    throw new HeError("unsupported-plan", "The plan is deeper than its encryption parameters: no level is left to rescale.");
  }
  const prime = engine.droppedPrime[operand.level]!;
  for (const ciphertext of operand.ciphertexts) engine.evaluator.rescaleToNextInplace(ciphertext);
  operand.level -= 1;
  operand.scale /= prime;
  for (const ciphertext of operand.ciphertexts) ciphertext.setScale(operand.scale);
}

/** Frees an operand nothing will read; it stays in its vector, empty (layers skip it). */
export function drop(operand: Operand): Operand {
  for (const ciphertext of operand.ciphertexts) ciphertext.delete();
  operand.ciphertexts.length = 0;
  return operand;
}

/** Where a linear layer's sums are made: every input at `level`, every product at scale `target`, rescaled unless `fused`. */
export interface LinearTarget {
  readonly level: number;
  readonly target: number;
  readonly fused: boolean;
  readonly keys: RelinKeys | undefined;
}

/** A linear layer's sum, complete: relinearized and rescaled to exactly the plan's scale, unless `fused` (a square rescales it). */
export function finishLinearOutput(engine: EngineContext, output: Operand, keys: RelinKeys | undefined, fused: boolean): void {
  if (fused) return;
  relinearize(engine, output, keys);
  rescale(engine, output);
  output.scale = engine.he.scale;
  for (const sum of output.ciphertexts) sum.setScale(output.scale);
}

export function droppedInputError(layer: LinearLayer, input: number): HeError {
  return new HeError("unsupported-plan", `Layer ${layer.source.join("+")} reads value ${input}, which an earlier layer dropped as unused.`);
}

export function constantOutputError(layer: LinearLayer, output: number): HeError {
  return new HeError("unsupported-plan", `Output ${output} of layer ${layer.source.join("+")} has no non-zero weight; fold the constant into the next layer.`);
}
