/**
 * The quantized plan of docs/DISPUTES.md §3.1: the integer function a contestable listing
 * commits to (disputes/planCommitment.ts) and the contest circuit evaluates on one opened sample
 * (circuits/contestLinear.circom). `evaluatePlanPlain` (plan.ts) stays the float reference.
 *
 * Linear family (one linear layer F -> C, e.g. a logistic regression with its standardization
 * folded in by the compiler):
 *
 *   W_q[c][i] = round(W[c][i] * 2^sw)        16-bit signed, sw the largest that fits
 *   b_q[c]    = round(b[c] * 2^(sw + sx))    64-bit signed, sx = the listing's scaleBits
 *   score_q(c) = sum_i W_q[c][i] * (q_i - 2^(featureBits - 1)) + b_q[c]
 *
 * where q_i is the buyer's quantized feature (quantizeFeatures.ts: q = round(x * 2^sx) +
 * 2^(featureBits - 1)), so score_q(c) / 2^(sw + sx) approximates the float score on x, and is
 * exactly the float plan with weights W_q / 2^sw and biases b_q / 2^(sw + sx) evaluated on the
 * dequantized features (q - 2^(featureBits - 1)) / 2^sx: the dyadic reals a worker evaluating the
 * quantized plan under CKKS uses. Rounding halves away from zero (Math.round on |v|).
 */
import type { HePlan, LinearLayer } from "./plan.ts";

/** Bits of a quantized weight (two's-complement range [-2^15, 2^15)). */
export const WEIGHT_BITS = 16;
/** Bits of a quantized bias (two's-complement range [-2^63, 2^63)). */
export const BIAS_BITS = 64;
/** The widest quantized feature the integer score function takes (16-bit lanes in the circuit). */
export const PLAN_FEATURE_BITS = 16;
const WEIGHT_LIMIT = 2 ** (WEIGHT_BITS - 1);
const BIAS_LIMIT = 1n << BigInt(BIAS_BITS - 1);
/** The largest weight scale tried: 2^30 keeps every product below 2^53 before rounding. */
const MAX_WEIGHT_SCALE_BITS = 30;

/** A plan outside the families a contest circuit can evaluate (docs/DISPUTES.md §5.3). */
export class UncontestablePlanError extends Error {
  override name = "UncontestablePlanError";
}

export interface QuantizedLinearPlan {
  readonly family: "linear";
  /** F, features per sample. */
  readonly inputSize: number;
  /** C, classes. */
  readonly outputSize: number;
  /** sx: the listing's scaleBits (features are scaled by 2^sx). */
  readonly scaleBits: number;
  /** sw: weights are scaled by 2^sw. */
  readonly weightScaleBits: number;
  /** Row-major C x F, weights[c * F + i] = W_q[c][i], each in [-2^15, 2^15). */
  readonly weights: Int32Array;
  /** C biases b_q[c], each in [-2^63, 2^63). */
  readonly bias: readonly bigint[];
}

export type QuantizedPlan = QuantizedLinearPlan;

export interface QuantizeOptions {
  /** sx, the listing's scaleBits. */
  readonly scaleBits: number;
  /** sw; default: the largest scale at which every weight fits 16 bits (at most 30). */
  readonly weightScaleBits?: number;
}

const roundHalfAway = (v: number): number => Math.sign(v) * Math.round(Math.abs(v));

/** The largest sw <= 30 at which round(|W| * 2^sw) < 2^15 for every weight. */
export function chooseWeightScaleBits(weights: ArrayLike<number>): number {
  let maxAbs = 0;
  for (let i = 0; i < weights.length; i++) maxAbs = Math.max(maxAbs, Math.abs(weights[i]!));
  for (let sw = MAX_WEIGHT_SCALE_BITS; sw >= 0; sw--) {
    if (roundHalfAway(maxAbs * 2 ** sw) < WEIGHT_LIMIT) return sw;
  }
  throw new UncontestablePlanError(`a weight of magnitude ${maxAbs} does not fit ${WEIGHT_BITS} signed bits at any scale 2^sw, sw >= 0`);
}

function linearLayerOf(plan: HePlan): LinearLayer {
  const [layer, ...rest] = plan.layers;
  if (layer?.kind !== "linear" || rest.length > 0) {
    const shape = plan.layers.map((l) => (l.kind === "linear" ? `linear ${l.inputSize}->${l.outputSize}` : `x^${l.degree}`)).join(" -> ");
    throw new UncontestablePlanError(`only single-linear-layer plans (the Linear family) are quantized so far; this plan is ${shape}`);
  }
  return layer;
}

/**
 * The quantized plan of a Linear-family plan. Throws an UncontestablePlanError for any other
 * plan, or when a weight or bias does not fit.
 *
 * @example
 * const qplan = quantizePlan(plan, { scaleBits: 8 });
 * const scores = quantizedScores(qplan, quantizedFeatures, 12);
 */
export function quantizePlan(plan: HePlan, options: QuantizeOptions): QuantizedPlan {
  const layer = linearLayerOf(plan);
  const sx = options.scaleBits;
  if (!Number.isInteger(sx) || sx < 0 || sx > 32) throw new RangeError(`scaleBits must be an integer in [0, 32], got ${sx}`);
  const sw = options.weightScaleBits ?? chooseWeightScaleBits(layer.weights);
  if (!Number.isInteger(sw) || sw < 0 || sw > MAX_WEIGHT_SCALE_BITS) throw new RangeError(`weightScaleBits must be an integer in [0, ${MAX_WEIGHT_SCALE_BITS}], got ${sw}`);
  const weights = new Int32Array(layer.weights.length);
  layer.weights.forEach((w, k) => {
    const q = roundHalfAway(w * 2 ** sw);
    if (!Number.isFinite(q) || q < -WEIGHT_LIMIT || q >= WEIGHT_LIMIT) {
      throw new UncontestablePlanError(`weight ${k} = ${w} does not fit ${WEIGHT_BITS} signed bits at scale 2^${sw}`);
    }
    weights[k] = q;
  });
  const bias = Array.from(layer.bias, (b, c) => {
    const scaled = b * 2 ** (sw + sx);
    if (!Number.isFinite(scaled)) throw new UncontestablePlanError(`bias ${c} = ${b} is not finite`);
    const q = BigInt(roundHalfAway(scaled));
    if (q < -BIAS_LIMIT || q >= BIAS_LIMIT) throw new UncontestablePlanError(`bias ${c} = ${b} does not fit ${BIAS_BITS} signed bits at scale 2^${sw + sx}`);
    return q;
  });
  return { family: "linear", inputSize: layer.inputSize, outputSize: layer.outputSize, scaleBits: sx, weightScaleBits: sw, weights, bias };
}

/** The number of fractional bits of an integer score: score_q = score * 2^(sw + sx). */
export function scoreScaleBits(plan: QuantizedPlan): number {
  return plan.weightScaleBits + plan.scaleBits;
}

/**
 * score_q(c) for every class, on one sample's quantized features q (each in [0, 2^featureBits),
 * featureBits <= 16): the integer function of §3.1, exactly what the contest circuit computes.
 */
export function quantizedScores(plan: QuantizedPlan, features: ArrayLike<number>, featureBits: number): bigint[] {
  const F = plan.inputSize;
  if (features.length !== F) throw new RangeError(`expected ${F} features, got ${features.length}`);
  if (!Number.isInteger(featureBits) || featureBits < 1 || featureBits > PLAN_FEATURE_BITS) {
    throw new RangeError(`featureBits must be an integer in [1, ${PLAN_FEATURE_BITS}], got ${featureBits}`);
  }
  const offset = 2 ** (featureBits - 1);
  const centered = new Array<number>(F);
  for (let i = 0; i < F; i++) {
    const q = features[i]!;
    if (!Number.isInteger(q) || q < 0 || q >= 2 * offset) throw new RangeError(`feature ${i} = ${q} is not in [0, 2^${featureBits})`);
    centered[i] = q - offset;
  }
  return plan.bias.map((b, c) => {
    // |W_q * x| < 2^31 and F < 2^20 terms: a double sums them exactly (< 2^51).
    let sum = 0;
    const row = c * F;
    for (let i = 0; i < F; i++) sum += plan.weights[row + i]! * centered[i]!;
    return BigInt(sum) + b;
  });
}

/** The integer scores as reals: score_q / 2^(sw + sx), to compare with the float plan. */
export function dequantizedScores(plan: QuantizedPlan, features: ArrayLike<number>, featureBits: number): number[] {
  const scale = 2 ** scoreScaleBits(plan);
  return quantizedScores(plan, features, featureBits).map((s) => Number(s) / scale);
}

/** The class with the highest score (the lowest index among equal ones), as the buyer's argmax does. */
export function argmaxScore<T extends number | bigint>(scores: readonly T[]): number {
  let best = 0;
  for (let c = 1; c < scores.length; c++) if (scores[c]! > scores[best]!) best = c;
  return best;
}
