/**
 * How the engine spends a plan's multiplicative depth on rescales, shared by the buyer's
 * parameter choice (parameters.ts) and the seller's engine so both build the same chain.
 *
 * Normally every linear layer and every power is followed by one rescale by a prime of
 * `scaleBits` ("narrow"). A linear layer followed by a square whose linear half nobody reads
 * (CryptoNets: conv -> x^2 -> dense on the squares only) is *fused* into one "wide" rescale:
 * the linear layer is not rescaled, its weights are encoded at scale sqrt(q / 2^scaleBits)
 * (about 2^16 with a 60-bit prime q) so that the square lands exactly on 2^scaleBits once q is
 * dropped. Two levels then cost one 60-bit prime instead of two primes, and every operation
 * before them runs with one prime fewer (cost is proportional to the primes at its level).
 */
import type { HePlan, PlanLayer } from "./plan.ts";
import { readInputs } from "./sparseWeights.ts";

export type PlanRescale = "narrow" | "wide";

/** Bits of a wide (fused linear + square) prime: SEAL's largest. */
export const WIDE_PRIME_BITS = 60;

/** Which of the next layer's inputs it reads: for a linear layer, the columns with a non-zero weight. */
export function readsInput(layer: PlanLayer | undefined, index: number): boolean {
  if (!layer || layer.kind === "monomials") return true;
  return readInputs(layer)[index] === 1;
}

/** Whether linear layer `index` is fused with the square after it (see the file comment). */
export function fusedWithSquare(layers: readonly PlanLayer[], index: number): boolean {
  const linear = layers[index];
  const square = layers[index + 1];
  const consumer = layers[index + 2];
  if (linear?.kind !== "linear" || square?.kind !== "monomials" || square.degree !== 2 || consumer?.kind !== "linear") return false;
  for (let i = 0; i < square.inputSize; ++i) if (readsInput(consumer, i)) return false;
  return true;
}

/** The plan's rescales in order of use. */
export function planRescales(plan: Pick<HePlan, "layers">): PlanRescale[] {
  const rescales: PlanRescale[] = [];
  for (let k = 0; k < plan.layers.length; ++k) {
    const layer = plan.layers[k]!;
    if (fusedWithSquare(plan.layers, k)) {
      rescales.push("wide");
      k += 1;
    } else if (layer.kind === "linear") {
      rescales.push("narrow");
    } else {
      for (let d = 0; d < Math.ceil(Math.log2(layer.degree)); ++d) rescales.push("narrow");
    }
  }
  return rescales;
}
