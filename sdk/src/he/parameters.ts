/**
 * Chooses CKKS encryption parameters from a plan's public summary, at 128-bit security.
 *
 * The modulus chain is [q0, q1..qR, P]:
 * - q1..qR are the rescaling primes, one per rescale of the plan (levels.ts), listed in
 *   reverse order of use (a rescale drops the chain's last data prime): `scaleBits` for a
 *   narrow one (a linear layer or a power), WIDE_PRIME_BITS for a linear layer fused with the
 *   square after it (whose weights then get (WIDE_PRIME_BITS - scaleBits) / 2 bits, so plans
 *   with wide rescales keep scaleBits <= WIDE_PRIME_BITS - 2 * MIN_FUSED_WEIGHT_BITS);
 * - q0 is what is left at the end; it holds the scores at scale 2^scaleBits, their magnitude,
 *   and the output mask. The mask is multiplied in at scale 2^maskScaleBits and *not*
 *   rescaled, so it costs bits in q0 (which is one 64-bit word anyway) instead of a whole
 *   level: every ciphertext operation of the plan then runs with one prime fewer;
 * - P is the special (key-switching) prime. Plans that may relinearize (depth >= 2) need
 *   P >= every data prime (q0 and any wide prime) to keep key-switching noise small; linear plans never key-switch,
 *   so theirs is `scaleBits` only.
 *
 * Ring degree N is the smallest whose 128-bit budget (SEAL's CoeffModulus.MaxBitCount) holds
 * the chain with a scale of at least MIN_SCALE_BITS; within it the largest scale that fits
 * is chosen, keeping the mask scale within MASK_SCALE_SLACK bits of it (more precision for free: the cost of an operation depends on N and the number
 * of primes, not on their size). Both sides derive the same parameters from the summary.
 */
import { HeError } from "./heError.ts";
import { WIDE_PRIME_BITS, type PlanRescale } from "./levels.ts";
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
/** Fused linear layers encode their weights with (WIDE_PRIME_BITS - scaleBits) / 2 bits: at least this many. */
export const MIN_FUSED_WEIGHT_BITS = 15;

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
  const rescales = rescalesOf(summary);
  if (rescales.includes("wide") && scaleBits > WIDE_PRIME_BITS - 2 * MIN_FUSED_WEIGHT_BITS) return undefined;
  const middle = rescales.map((rescale) => (rescale === "wide" ? WIDE_PRIME_BITS : scaleBits)).reverse();
  const widest = Math.max(0, ...middle);
  const leastMaskBits = Math.max(MIN_MASK_SCALE_BITS, scaleBits - MASK_SCALE_SLACK);
  for (let maskBits = Math.min(MAX_MASK_SCALE_BITS, MAX_PRIME_BITS - head); maskBits >= leastMaskBits; --maskBits) {
    const q0 = head + maskBits;
    const special = relinearizes ? Math.max(q0, widest) : scaleBits;
    const total = q0 + middle.reduce((sum, bits) => sum + bits, 0) + special;
    if (total <= budget) {
      return { polyModulusDegree: degree, coeffModulusBits: [q0, ...middle, special], scaleBits, maskScaleBits: maskBits };
    }
  }
  return undefined;
}

/** The summary's rescales in order of use: `depth` narrow ones when it does not say. */
function rescalesOf(summary: HePlanSummary): readonly PlanRescale[] {
  const rescales = summary.rescales ?? Array<PlanRescale>(summary.depth).fill("narrow");
  const wide = rescales.filter((rescale) => rescale === "wide").length;
  if (rescales.length + wide !== summary.depth || rescales.some((rescale) => rescale !== "narrow" && rescale !== "wide")) {
    throw new HeError("invalid-argument", `The plan summary's rescales (${rescales.join(", ")}) do not add up to its depth ${summary.depth}.`);
  }
  return rescales;
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
  const largest = RING_DEGREES[RING_DEGREES.length - 1]!;
  const deepest = deepestFitting(summary.maxMagnitude, largest);
  throw new HeError(
    "no-parameters",
    `No CKKS parameters at 128-bit security fit a plan of depth ${summary.depth} with magnitudes up to ${summary.maxMagnitude}: ` +
      (deepest === 0
        ? `even depth 1 does not fit N = ${largest} (${MAX_BITS_128[largest]} bits) with these magnitudes.`
        : `N = ${largest} (${MAX_BITS_128[largest]} bits) holds at most depth ${deepest} (one ${MIN_SCALE_BITS}-bit prime per level); reduce the depth by ${summary.depth - deepest} (fewer linear layers or activations, lower-degree polynomials).`),
  );
}

/** The deepest plan (narrow rescales) that fits ring degree `degree` at 128-bit security with these magnitudes; 0 when none does. */
function deepestFitting(maxMagnitude: number, degree: number): number {
  let depth = 0;
  while (chainFor({ inputSize: 1, outputSize: 1, depth: depth + 1, maxMagnitude }, degree, MIN_SCALE_BITS)) depth += 1;
  return depth;
}

/** Plans of depth >= 2 may multiply ciphertexts (monomials), so they need relinearization keys. */
export function mayRelinearize(summary: HePlanSummary): boolean {
  return summary.depth >= 2;
}

/** Samples per ciphertext: one per CKKS slot. */
export function slotCount(parameters: HeParameters): number {
  return parameters.polyModulusDegree / 2;
}
