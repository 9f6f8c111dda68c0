/**
 * Chooses CKKS encryption parameters from a plan's public summary, at 128-bit security.
 *
 * The modulus chain is [q0, q1..qD, P]:
 * - q1..qD are the D rescaling primes of `scaleBits` each, one per level of the plan's depth
 *   (every multiply is followed by a rescale that drops one of them);
 * - q0 is what is left at the end; it holds the scores at scale 2^scaleBits, their magnitude,
 *   and the output mask. The mask is multiplied in at scale 2^maskScaleBits and *not*
 *   rescaled, so it costs bits in q0 (which is one 64-bit word anyway) instead of a whole
 *   level: every ciphertext operation of the plan then runs with one prime fewer;
 * - P is the special (key-switching) prime. Plans that may relinearize (depth >= 2) need
 *   P >= every data prime to keep key-switching noise small; linear plans never key-switch,
 *   so theirs is `scaleBits` only.
 *
 * Ring degree N is the smallest whose 128-bit budget (SEAL's CoeffModulus.MaxBitCount) holds
 * the chain with a scale of at least MIN_SCALE_BITS; within it the largest scale that fits
 * is chosen, keeping the mask scale within MASK_SCALE_SLACK bits of it (more precision for free: the cost of an operation depends on N and the number
 * of primes, not on their size). Both sides derive the same parameters from the summary.
 */
import { HeError } from "./heError.ts";
import type { HePlanSummary } from "./plan.ts";

export interface HeParameters {
  readonly polyModulusDegree: number;
  /** Bit sizes of the chain, q0 first and the special prime P last. */
  readonly coeffModulusBits: readonly number[];
  /** Inputs and every linear layer's output have scale exactly 2^scaleBits. */
  readonly scaleBits: number;
  /** Scale of the output mask plaintext (kept in q0, no level spent). */
  readonly maskScaleBits: number;
}

export const RING_DEGREES = [4096, 8192, 16384, 32768] as const;
export const MIN_SCALE_BITS = 25;
export const MAX_SCALE_BITS = 40;
export const MIN_MASK_SCALE_BITS = 18;
export const MAX_MASK_SCALE_BITS = 30;
const MAX_PRIME_BITS = 60;
/**
 * The mask's relative error (~2^-maskScaleBits) scales with the score, the inputs' absolute
 * error with 2^-scaleBits: a mask scale far below the input scale would waste precision.
 */
const MASK_SCALE_SLACK = 6;

/** SEAL's CoeffModulus.MaxBitCount(N, tc128) (homomorphicencryption.org standard), so this file needs no SEAL. */
export const MAX_BITS_128: Readonly<Record<number, number>> = { 4096: 109, 8192: 218, 16384: 438, 32768: 881 };

/** Bits that hold 2 * maxMagnitude with one bit of margin. */
export function magnitudeBits(maxMagnitude: number): number {
  const magnitude = Number.isFinite(maxMagnitude) && maxMagnitude > 1 ? maxMagnitude : 1;
  return Math.ceil(Math.log2(magnitude)) + 2;
}

/** The chain for one ring degree and scale, or undefined if it does not fit. */
function chainFor(summary: HePlanSummary, degree: number, scaleBits: number): HeParameters | undefined {
  const budget = MAX_BITS_128[degree]!;
  const relinearizes = mayRelinearize(summary);
  const head = scaleBits + magnitudeBits(summary.maxMagnitude);
  const middle = Array<number>(summary.depth).fill(scaleBits);
  const leastMaskBits = Math.max(MIN_MASK_SCALE_BITS, scaleBits - MASK_SCALE_SLACK);
  for (let maskBits = Math.min(MAX_MASK_SCALE_BITS, MAX_PRIME_BITS - head); maskBits >= leastMaskBits; --maskBits) {
    const q0 = head + maskBits;
    const special = relinearizes ? q0 : scaleBits;
    const total = q0 + scaleBits * summary.depth + special;
    if (total <= budget) {
      return { polyModulusDegree: degree, coeffModulusBits: [q0, ...middle, special], scaleBits, maskScaleBits: maskBits };
    }
  }
  return undefined;
}

/** The smallest ring degree, then the largest scale, that fit the plan at 128-bit security. */
export function chooseParameters(summary: HePlanSummary): HeParameters {
  if (!Number.isInteger(summary.depth) || summary.depth < 1) {
    throw new HeError("invalid-argument", `A plan's depth must be a positive integer, got ${summary.depth}.`);
  }
  for (const degree of RING_DEGREES) {
    for (let scaleBits = MAX_SCALE_BITS; scaleBits >= MIN_SCALE_BITS; --scaleBits) {
      const parameters = chainFor(summary, degree, scaleBits);
      if (parameters) return parameters;
    }
  }
  throw new HeError(
    "no-parameters",
    `No CKKS parameters at 128-bit security fit a plan of depth ${summary.depth} with magnitudes up to ${summary.maxMagnitude} (N <= 32768); reduce the depth.`,
  );
}

/** Plans of depth >= 2 may multiply ciphertexts (monomials), so they need relinearization keys. */
export function mayRelinearize(summary: HePlanSummary): boolean {
  return summary.depth >= 2;
}

/** Samples per ciphertext: one per CKKS slot. */
export function slotCount(parameters: HeParameters): number {
  return parameters.polyModulusDegree / 2;
}
