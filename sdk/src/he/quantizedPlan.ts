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
 *
 * SquareMlp family (linear F -> H, monomials [h, h^2], linear 2H -> C; iris-square-mlp):
 *
 *   W1_q[k][i] = round(W1[k][i] * 2^sw1)            16-bit signed
 *   b1_q[k]    = round(b1[k] * 2^s1), s1 = sw1 + sx  64-bit signed
 *   h_q[k]     = sum_i W1_q[k][i] * (q_i - 2^(featureBits - 1)) + b1_q[k]    (h * 2^s1)
 *   W2_q[c][m] = round(W2[c][m] * 2^sw2), m < 2H     16-bit signed ([linear part | square part])
 *   b2_q[c]    = round(b2[c] * 2^(sw2 + 2 s1))       64-bit signed
 *   score_q(c) = 2^s1 * sum_k W2_q[c][k] * h_q[k] + sum_k W2_q[c][H + k] * h_q[k]^2 + b2_q[c]
 *
 * so score_q / 2^(sw2 + 2 s1) is exactly the float plan with dyadic weights on the dequantized
 * features: the two scales of the second layer (h at 2^s1, h^2 at 2^(2 s1)) are aligned by the
 * constant factor 2^s1 on the linear part.
 */
import type { HePlan, LinearLayer } from "./plan.ts";
import { denseWeights } from "./sparseWeights.ts";

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

export interface QuantizedSquareMlpPlan {
  readonly family: "squareMlp";
  /** F, features per sample. */
  readonly inputSize: number;
  /** H, hidden units. */
  readonly hiddenSize: number;
  /** C, classes. */
  readonly outputSize: number;
  /** sx: the listing's scaleBits. */
  readonly scaleBits: number;
  /** sw1: the hidden layer's weights are scaled by 2^sw1. */
  readonly hiddenWeightScaleBits: number;
  /** Row-major H x F, hiddenWeights[k * F + i] = W1_q[k][i], each in [-2^15, 2^15). */
  readonly hiddenWeights: Int32Array;
  /** H biases b1_q[k] at scale 2^(sw1 + sx), each in [-2^63, 2^63). */
  readonly hiddenBias: readonly bigint[];
  /** sw2: the output layer's weights are scaled by 2^sw2. */
  readonly weightScaleBits: number;
  /** Row-major C x 2H, weights[c * 2H + m] = W2_q[c][m] (m < H: on h_k, m >= H: on h_k^2). */
  readonly weights: Int32Array;
  /** C biases b2_q[c] at scale 2^(sw2 + 2 (sw1 + sx)), each in [-2^63, 2^63). */
  readonly bias: readonly bigint[];
}

export type QuantizedPlan = QuantizedLinearPlan | QuantizedSquareMlpPlan;

/**
 * The largest score scale a SquareMlp plan may use: the contest circuit checks margins in
 * [0, 2^128) (circuits/contestSquareMlp.circom), so a scale of at most 2^96 leaves room for
 * margins up to 2^32 score units.
 */
export const MAX_SQUARE_MLP_SCORE_SCALE_BITS = 96;

export interface QuantizeOptions {
  /** sx, the listing's scaleBits. */
  readonly scaleBits: number;
  /** sw (Linear) or sw2 (SquareMlp's output layer); default: the largest scale at which every weight fits 16 bits (at most 30). */
  readonly weightScaleBits?: number;
  /** sw1 (SquareMlp's hidden layer); default as for weightScaleBits. */
  readonly hiddenWeightScaleBits?: number;
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

const describePlan = (plan: HePlan): string =>
  plan.layers.map((l) => (l.kind === "linear" ? `linear ${l.inputSize}->${l.outputSize}` : `x^${l.degree}`)).join(" -> ");

/** The family a plan belongs to, with its layers; throws an UncontestablePlanError for any other shape. */
function familyOf(plan: HePlan): { family: "linear"; layer: LinearLayer } | { family: "squareMlp"; hidden: LinearLayer; output: LinearLayer } {
  const [first, second, third, ...rest] = plan.layers;
  if (first?.kind === "linear" && second === undefined) return { family: "linear", layer: first };
  if (first?.kind === "linear" && second?.kind === "monomials" && third?.kind === "linear" && rest.length === 0) {
    if (second.degree === 2 && second.inputSize === first.outputSize && third.inputSize === 2 * first.outputSize) {
      return { family: "squareMlp", hidden: first, output: third };
    }
  }
  throw new UncontestablePlanError(
    `only single-linear-layer plans (the Linear family) and linear -> x^2 -> linear plans (the SquareMlp family) are quantized; this plan is ${describePlan(plan)}`,
  );
}

function checkScale(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`${name} must be an integer in [0, ${max}], got ${value}`);
}

function quantizeWeights(weights: ArrayLike<number>, sw: number, what: string): Int32Array {
  const out = new Int32Array(weights.length);
  for (let k = 0; k < weights.length; k++) {
    const w = weights[k]!;
    const q = roundHalfAway(w * 2 ** sw);
    if (!Number.isFinite(q) || q < -WEIGHT_LIMIT || q >= WEIGHT_LIMIT) {
      throw new UncontestablePlanError(`${what} ${k} = ${w} does not fit ${WEIGHT_BITS} signed bits at scale 2^${sw}`);
    }
    out[k] = q;
  }
  return out;
}

function quantizeBiases(bias: ArrayLike<number>, scaleBits: number, what: string): bigint[] {
  return Array.from(bias, (b, c) => {
    const scaled = b * 2 ** scaleBits;
    if (!Number.isFinite(scaled)) throw new UncontestablePlanError(`${what} ${c} = ${b} is not finite`);
    const q = BigInt(roundHalfAway(scaled));
    if (q < -BIAS_LIMIT || q >= BIAS_LIMIT) throw new UncontestablePlanError(`${what} ${c} = ${b} does not fit ${BIAS_BITS} signed bits at scale 2^${scaleBits}`);
    return q;
  });
}

/**
 * The quantized plan of a Linear- or SquareMlp-family plan. Throws an UncontestablePlanError for
 * any other plan, or when a weight or bias does not fit.
 *
 * @example
 * const qplan = quantizePlan(plan, { scaleBits: 8 });
 * const scores = quantizedScores(qplan, quantizedFeatures, 12);
 */
export function quantizePlan(plan: HePlan, options: QuantizeOptions): QuantizedPlan {
  const shape = familyOf(plan);
  const sx = options.scaleBits;
  checkScale("scaleBits", sx, 32);
  if (shape.family === "linear") {
    const { layer } = shape;
    const dense = denseWeights(layer);
    const sw = options.weightScaleBits ?? chooseWeightScaleBits(dense);
    checkScale("weightScaleBits", sw, MAX_WEIGHT_SCALE_BITS);
    const weights = quantizeWeights(dense, sw, "weight");
    const bias = quantizeBiases(layer.bias, sw + sx, "bias");
    return { family: "linear", inputSize: layer.inputSize, outputSize: layer.outputSize, scaleBits: sx, weightScaleBits: sw, weights, bias };
  }
  const { hidden, output } = shape;
  const [hiddenWeights, outputWeights] = [denseWeights(hidden), denseWeights(output)];
  const sw1 = options.hiddenWeightScaleBits ?? chooseWeightScaleBits(hiddenWeights);
  checkScale("hiddenWeightScaleBits", sw1, MAX_WEIGHT_SCALE_BITS);
  const sw2 = options.weightScaleBits ?? chooseWeightScaleBits(outputWeights);
  checkScale("weightScaleBits", sw2, MAX_WEIGHT_SCALE_BITS);
  const s1 = sw1 + sx;
  if (sw2 + 2 * s1 > MAX_SQUARE_MLP_SCORE_SCALE_BITS) {
    throw new UncontestablePlanError(`the score scale 2^(sw2 + 2 (sw1 + sx)) = 2^${sw2 + 2 * s1} exceeds 2^${MAX_SQUARE_MLP_SCORE_SCALE_BITS}; choose smaller weight scales`);
  }
  return {
    family: "squareMlp",
    inputSize: hidden.inputSize,
    hiddenSize: hidden.outputSize,
    outputSize: output.outputSize,
    scaleBits: sx,
    hiddenWeightScaleBits: sw1,
    hiddenWeights: quantizeWeights(hiddenWeights, sw1, "hidden weight"),
    hiddenBias: quantizeBiases(hidden.bias, s1, "hidden bias"),
    weightScaleBits: sw2,
    weights: quantizeWeights(outputWeights, sw2, "weight"),
    bias: quantizeBiases(output.bias, sw2 + 2 * s1, "bias"),
  };
}

/** The number of fractional bits of an integer score: score_q = score * 2^(sw + sx) (Linear), 2^(sw2 + 2 (sw1 + sx)) (SquareMlp). */
export function scoreScaleBits(plan: QuantizedPlan): number {
  if (plan.family === "linear") return plan.weightScaleBits + plan.scaleBits;
  return plan.weightScaleBits + 2 * hiddenScaleBits(plan);
}

/** s1 = sw1 + sx, the fractional bits of a SquareMlp's integer hidden values h_q. */
export function hiddenScaleBits(plan: QuantizedSquareMlpPlan): number {
  return plan.hiddenWeightScaleBits + plan.scaleBits;
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
  // |W_q * x| < 2^31 and F < 2^20 terms: a double sums them exactly (< 2^51).
  const dot = (weights: Int32Array, row: number): number => {
    let sum = 0;
    for (let i = 0; i < F; i++) sum += weights[row + i]! * centered[i]!;
    return sum;
  };
  if (plan.family === "linear") return plan.bias.map((b, c) => BigInt(dot(plan.weights, c * F)) + b);
  const H = plan.hiddenSize;
  const hidden = plan.hiddenBias.map((b, k) => BigInt(dot(plan.hiddenWeights, k * F)) + b);
  const shift = 1n << BigInt(hiddenScaleBits(plan));
  return plan.bias.map((b, c) => {
    let linear = 0n;
    let square = 0n;
    for (let k = 0; k < H; k++) {
      linear += BigInt(plan.weights[c * 2 * H + k]!) * hidden[k]!;
      square += BigInt(plan.weights[c * 2 * H + H + k]!) * hidden[k]! * hidden[k]!;
    }
    return shift * linear + square + b;
  });
}

/** h_q[k] of a SquareMlp plan on one sample's quantized features (what the circuit squares). */
export function quantizedHidden(plan: QuantizedSquareMlpPlan, features: ArrayLike<number>, featureBits: number): bigint[] {
  const offset = 2 ** (featureBits - 1);
  const F = plan.inputSize;
  return plan.hiddenBias.map((b, k) => {
    let sum = 0;
    for (let i = 0; i < F; i++) sum += plan.hiddenWeights[k * F + i]! * (features[i]! - offset);
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
