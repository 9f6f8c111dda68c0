/**
 * The operations on operands (operands.ts) that every layer evaluator shares: bring a held
 * value into SEAL and hold it out again, relinearize, bring down a level, rescale, free, and
 * finish a linear layer's sum, with the errors a plan the engine cannot follow gets.
 */
import { HeError, type LinearLayer, type RelinKeys } from "@modelbazaar/sdk/he";
import { constantInteger } from "./constantPlaintexts.ts";
import type { CiphertextStore } from "./ciphertextStore.ts";
import { isLive, releaseOperand, type HeldCiphertext, type Operand } from "./operands.ts";
import type { EngineContext } from "./runtime.ts";

/** Brings a held value (operands.ts) into SEAL, batch by batch, freeing the held copy. */
export function inSeal(operand: Operand): Operand {
  const { held } = operand;
  if (!held) return operand;
  operand.held = undefined;
  try {
    for (const value of held) operand.ciphertexts.push(value.load());
  } finally {
    for (const value of held) value.release();
  }
  return operand;
}

/** Moves a value out of SEAL into `store` (none: it stays in SEAL). */
export function hold(store: CiphertextStore | undefined, operand: Operand): Operand {
  if (!store || operand.ciphertexts.length === 0) return operand;
  const held: HeldCiphertext[] = [];
  try {
    for (const ciphertext of operand.ciphertexts) held.push(store.hold(ciphertext)); // deletes the ciphertext, even on failure
  } catch (error) {
    for (const value of held) value.release();
    for (const ciphertext of operand.ciphertexts.slice(held.length + 1)) ciphertext.delete();
    throw error;
  } finally {
    operand.ciphertexts.length = 0;
  }
  operand.held = held;
  return operand;
}

/** Relinearizes a size-3 operand; `unlessLazy` leaves one marked for lazy relinearization alone. */
export function relinearize(engine: EngineContext, operand: Operand, keys: RelinKeys | undefined, unlessLazy = false): void {
  if (operand.size <= 2 || (unlessLazy && operand.lazy)) return;
  if (!keys) throw new HeError("missing-keys", "The plan multiplies ciphertexts, but the upload carries no relinearization keys.");
  inSeal(operand);
  for (const ciphertext of operand.ciphertexts) engine.evaluator.relinearizeInplace(ciphertext, keys);
  operand.size = 2;
}

export function modSwitchTo(engine: EngineContext, operand: Operand, level: number): void {
  if (operand.level === level) return;
  inSeal(operand);
  for (const ciphertext of operand.ciphertexts) engine.evaluator.cipherModSwitchToInplace(ciphertext, engine.parmsIds[level]!);
  operand.level = level;
}

export function rescale(engine: EngineContext, operand: Operand): void {
  if (operand.level === 0) {
    throw new HeError("unsupported-plan", "The plan is deeper than its encryption parameters: no level is left to rescale.");
  }
  const prime = engine.droppedPrime[operand.level]!;
  inSeal(operand);
  for (const ciphertext of operand.ciphertexts) engine.evaluator.rescaleToNextInplace(ciphertext);
  operand.level -= 1;
  operand.scale /= prime;
  for (const ciphertext of operand.ciphertexts) ciphertext.setScale(operand.scale);
}

/** Frees an operand nothing will read; it stays in its vector, empty (layers skip it). */
export function drop(operand: Operand): Operand {
  releaseOperand(operand);
  return operand;
}

/**
 * Where a linear layer's sums are made: every input at `level`, every product at scale
 * `target`, rescaled to `outputScale` unless `fused` (a square rescales it).
 */
export interface LinearTarget {
  readonly level: number;
  readonly target: number;
  readonly outputScale: number;
  readonly fused: boolean;
  readonly keys: RelinKeys | undefined;
  /** Takes output j once its sum is made: finishes it (finishLinearOutput) and hands it on. */
  readonly complete: OutputSink;
}

/** Takes a complete value `j` of a layer (and owns it from then on). */
export type OutputSink = (j: number, output: Operand) => void;

/** A linear layer's sum, complete: relinearized and rescaled to exactly `outputScale` (2^scaleBits but for the scores), unless `fused`. */
export function finishLinearOutput(engine: EngineContext, output: Operand, { keys, fused, outputScale }: LinearTarget): void {
  if (fused) return;
  relinearize(engine, output, keys);
  rescale(engine, output);
  output.scale = outputScale;
  for (const sum of output.ciphertexts) sum.setScale(output.scale);
}

export function droppedInputError(layer: LinearLayer, input: number): HeError {
  return new HeError("unsupported-plan", `Layer ${layer.source.join("+")} reads value ${input}, which an earlier layer dropped as unused.`);
}

/** One product of a linear layer's output: input `input` times the integer `integer` (its weight at scale target / the input's scale). */
export interface LinearTerm {
  readonly input: number;
  readonly integer: bigint;
}

/**
 * The products of output `j` (weights that round to 0 at their scale skipped). An output that
 * does not depend on the input (a constant Pad border, a pruned unit: only its bias) reads the
 * first live input times the integer 1, the smallest non-zero constant: SEAL refuses a
 * ciphertext that is exactly zero, and the term adds at most 1 / target times that input, less
 * than the rounding of any other weight of the layer.
 */
export function rowTerms(layer: LinearLayer, inputs: readonly Operand[], j: number, target: number): LinearTerm[] {
  const terms: LinearTerm[] = [];
  for (let k = layer.rowStarts[j]!; k < layer.rowStarts[j + 1]!; ++k) {
    const i = layer.inputs[k]!;
    const input = inputs[i]!;
    if (!isLive(input)) throw droppedInputError(layer, i);
    const integer = constantInteger(layer.weights[k]!, target / input.scale);
    if (integer !== 0n) terms.push({ input: i, integer });
  }
  if (terms.length > 0) return terms;
  const carrier = inputs.findIndex(isLive);
  if (carrier === -1) throw new HeError("unsupported-plan", `Layer ${layer.source.join("+")} has no live input.`);
  return [{ input: carrier, integer: 1n }];
}
