/**
 * Chooses CKKS encryption parameters from a plan's public summary, at 128-bit security.
 *
 * The modulus chain is [q0, q1..qR, P]:
 * - q1..qR are the rescaling primes, one per rescale of the plan (levels.ts), listed in
 *   reverse order of use (a rescale drops the chain's last data prime): `scaleBits` for a
 *   narrow one (a linear layer or a power), WIDE_PRIME_BITS for a linear layer fused with the
 *   square after it (whose weights then get (WIDE_PRIME_BITS - scaleBits) / 2 bits, so plans
 *   with wide rescales keep scaleBits <= WIDE_PRIME_BITS - 2 * MIN_FUSED_WEIGHT_BITS);
 * - q0 is what is left at the end; it holds the scores at scale 2^outputScaleBits, their magnitude,
 *   and the output mask. The mask is multiplied in at scale 2^maskScaleBits and *not*
 *   rescaled, so it costs bits in q0 (which is one 64-bit word anyway) instead of a whole
 *   level: every ciphertext operation of the plan then runs with one prime fewer. The scores
 *   normally keep the input scale 2^scaleBits; when the plan's magnitude leaves q0 less than
 *   MIN_SCALE_BITS for them, the last linear layer computes them at a smaller scale instead
 *   (`outputScaleBits`): only q0 is capped at 60 bits, every value before the last rescale
 *   lives modulo q0 * q1 * ... and has room to spare;
 * - P is the special (key-switching) prime. Plans that may relinearize (depth >= 2) need
 *   P >= every data prime (q0 and any wide prime) to keep key-switching noise small; linear plans never key-switch,
 *   so theirs is `scaleBits` only.
 *
 * Ring degree N is the smallest whose 128-bit budget (SEAL's CoeffModulus.MaxBitCount) holds
 * the chain with a scale of at least MIN_SCALE_BITS; within it the largest scale that fits
 * is chosen, keeping the mask scale within MASK_SCALE_SLACK bits of the scores' (more precision for free: the cost of an operation depends on N and the number
 * of primes, not on their size). Both sides derive the same parameters from the summary.
 * A plan is refused for one of two limits, and the error says which: its magnitude (the
 * scores cannot keep MIN_OUTPUT_SCALE_BITS of precision in a 60-bit q0) or its depth (the
 * chain does not fit the 128-bit budget of the largest ring).
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
/**
 * The smallest scale the scores may have in q0 (`outputScaleBits`). The last linear layer's
 * weights are encoded with 2^outputScaleBits (q1 * 2^outputScaleBits / 2^scaleBits, q1 ~ 2^scaleBits),
 * so they keep at least as many fractional bits as a fused layer's.
 */
export const MIN_OUTPUT_SCALE_BITS = MIN_FUSED_WEIGHT_BITS;

/** SEAL's CoeffModulus.MaxBitCount(N, tc128) (homomorphicencryption.org standard), so this file needs no SEAL. */
export const MAX_BITS_128: Readonly<Record<number, number>> = { 4096: 109, 8192: 218, 16384: 438, 32768: 881 };

/** Bits that hold 2 * maxMagnitude with one bit of margin. */
export function magnitudeBits(maxMagnitude: number): number {
  return Math.ceil(Math.log2(Math.max(1, maxMagnitude))) + 2;
}

/** The least mask scale for scores at 2^scoreBits. */
function leastMaskBits(scoreBits: number): number {
  return Math.max(MIN_MASK_SCALE_BITS, scoreBits - MASK_SCALE_SLACK);
}

/** The largest score scale (at most MAX_SCALE_BITS) at which q0 holds the scores, their magnitude and the least mask. */
function largestOutputScaleBits(maxMagnitude: number): number {
  const head = magnitudeBits(maxMagnitude);
  let scoreBits = MAX_SCALE_BITS;
  while (scoreBits > 0 && scoreBits + head + leastMaskBits(scoreBits) > MAX_PRIME_BITS) --scoreBits;
  return scoreBits;
}

/**
 * The scale of the scores at the last level, 2^outputScaleBits: the input scale, unless the
 * magnitude leaves q0 less than MIN_SCALE_BITS for the scores; then the largest that fits, for
 * every input scale (the engine's last linear layer computes its outputs at it). Buyer and
 * seller both derive it from the plan's summary and the parameters; the scores' ciphertexts
 * carry it, so decryption needs nothing more.
 */
export function outputScaleBits(scaleBits: number, maxMagnitude: number): number {
  const largest = largestOutputScaleBits(maxMagnitude);
  return largest >= MIN_SCALE_BITS ? scaleBits : largest;
}

/** The chain's bit sizes for one scale and mask scale, q0 first and the special prime last. */
function chainBits(summary: HePlanSummary, scaleBits: number, maskBits: number): number[] {
  const q0 = outputScaleBits(scaleBits, summary.maxMagnitude) + magnitudeBits(summary.maxMagnitude) + maskBits;
  const middle = rescalesOf(summary).map((rescale) => (rescale === "wide" ? WIDE_PRIME_BITS : scaleBits)).reverse();
  const special = mayRelinearize(summary) ? Math.max(q0, ...middle) : scaleBits;
  return [q0, ...middle, special];
}

const sum = (bits: readonly number[]): number => bits.reduce((total, b) => total + b, 0);

/** The chain for one ring degree and scale, or undefined if it does not fit. */
function chainFor(summary: HePlanSummary, degree: number, scaleBits: number): HeParameters | undefined {
  if (rescalesOf(summary).includes("wide") && scaleBits > WIDE_PRIME_BITS - 2 * MIN_FUSED_WEIGHT_BITS) return undefined;
  const scoreBits = outputScaleBits(scaleBits, summary.maxMagnitude);
  const head = scoreBits + magnitudeBits(summary.maxMagnitude);
  for (let maskBits = Math.min(MAX_MASK_SCALE_BITS, MAX_PRIME_BITS - head); maskBits >= leastMaskBits(scoreBits); --maskBits) {
    const coeffModulusBits = chainBits(summary, scaleBits, maskBits);
    if (sum(coeffModulusBits) <= MAX_BITS_128[degree]!) return { polyModulusDegree: degree, coeffModulusBits, scaleBits, maskScaleBits: maskBits };
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

/** The largest magnitude a plan may have: scores at MIN_OUTPUT_SCALE_BITS with the least mask fill q0. */
export const MAX_MAGNITUDE_BITS = MAX_PRIME_BITS - MIN_OUTPUT_SCALE_BITS - leastMaskBits(MIN_OUTPUT_SCALE_BITS) - 2;

/**
 * The smallest ring degree, then the largest scale, that fit the plan at 128-bit security.
 * @throws HeError "no-parameters" saying which limit the plan exceeds (magnitude, or depth at the largest ring) and what to change
 */
export function chooseParameters(summary: HePlanSummary): HeParameters {
  if (!Number.isInteger(summary.depth) || summary.depth < 1) {
    throw new HeError("invalid-argument", `A plan's depth must be a positive integer, got ${summary.depth}.`);
  }
  if (!(summary.maxMagnitude >= 0) || !Number.isFinite(summary.maxMagnitude)) {
    throw new HeError("invalid-argument", `A plan's magnitude must be a finite number >= 0, got ${summary.maxMagnitude}.`);
  }
  if (largestOutputScaleBits(summary.maxMagnitude) < MIN_OUTPUT_SCALE_BITS) {
    throw new HeError(
      "no-parameters",
      `No CKKS parameters hold values up to ${summary.maxMagnitude.toPrecision(6)} (the plan's largest magnitude on the calibration data): ` +
        `the last prime has at most ${MAX_PRIME_BITS} bits and must hold the scores with ${MIN_OUTPUT_SCALE_BITS} fractional bits and the ${leastMaskBits(MIN_OUTPUT_SCALE_BITS)}-bit output mask, ` +
        `which leaves room for magnitudes up to 2^${MAX_MAGNITUDE_BITS} (${(2 ** MAX_MAGNITUDE_BITS).toLocaleString("en-US")}); this limit is the values' magnitude, not the depth. ` +
        "Scale the model's values down (standardize its input features, or divide its last layer's weights and bias), or calibrate with samples like the buyers' (synthetic standard-normal samples can overstate the magnitude).",
    );
  }
  for (const degree of RING_DEGREES) {
    for (let scaleBits = MAX_SCALE_BITS; scaleBits >= MIN_SCALE_BITS; --scaleBits) {
      const parameters = chainFor(summary, degree, scaleBits);
      if (parameters) return parameters;
    }
  }
  const largest = RING_DEGREES[RING_DEGREES.length - 1]!;
  const least = chainBits(summary, MIN_SCALE_BITS, leastMaskBits(outputScaleBits(MIN_SCALE_BITS, summary.maxMagnitude)));
  const deepest = deepestFitting(summary.maxMagnitude, largest);
  throw new HeError(
    "no-parameters",
    `No CKKS parameters at 128-bit security hold this plan: depth ${summary.depth} needs a modulus chain of at least ${sum(least)} bits ` +
      `(one prime per rescale, ${MIN_SCALE_BITS} bits at the least scale or ${WIDE_PRIME_BITS} for a fused linear layer and square, plus the last and the special prime), ` +
      `more than the ${MAX_BITS_128[largest]} bits 128-bit security allows at N = ${largest}, the largest ring; this limit is the depth. ` +
      `At these magnitudes N = ${largest} holds at most depth ${deepest}: reduce the depth by ${summary.depth - deepest} (fewer activations or multiplications in sequence, or degree 2 instead of 3 for approximated activations).`,
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
