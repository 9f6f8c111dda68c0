/**
 * The seller's planCommitment (docs/DISPUTES.md §3.1), a listing term: a hiding commitment to
 * the quantized plan (he/quantizedPlan.ts), structured so that a contest proof opens two output
 * rows and not the whole model. circuits/contestLinear.circom recomputes it from two rows and
 * their paths; this module owns the constants and test/circuits/contestLinear.test.ts checks
 * the circuit agrees.
 *
 *   shapeWord     = family | F << 8 | H << 40 | C << 72 | sx << 88 | sw1 << 96 | sw2 << 104
 *                   (family 1 = Linear, 2 = SquareMlp; H = 0 and sw2 = 0 for Linear)
 *   r_c           = poseidonChain(Poseidon(ROW_DOMAIN, c, len, b_q[c] + 2^63),
 *                                 row c's weights + 2^15 in 16-bit lanes, 15 per word)
 *   rowsRoot      = Poseidon(2) Merkle tree of depth 4 over r_0..r_{C-1}, leaves >= C are 0
 *   hiddenDigest  = 0 for Linear; for SquareMlp
 *                   poseidonChain(Poseidon(HIDDEN_DOMAIN, F, H), W1 + 2^15 row-major in 16-bit
 *                                 lanes 15 per word, then b1 + 2^63 in 64-bit lanes 3 per word)
 *   planCommitment = Poseidon(PLAN_DOMAIN, shapeWord, hiddenDigest, rowsRoot, planSalt)
 *
 * SquareMlp rows are the output layer's: r_c covers W2_q[c] (2H weights, [on h | on h^2]) and
 * b2_q[c], with len = 2H. circuits/contestSquareMlp.circom recomputes hiddenDigest whole.
 *
 * One change from the design's wording ("row c's weights in 16-bit lanes, then its bias"): the
 * bias goes into the row's head hash instead of after the weights, so it sits at a fixed place
 * whatever the listing's featureCount. A circuit built for F features (ContestLinear(16, 16)
 * serves Iris' 4) then needs no selector to find the bias, and the head stays one Poseidon(4).
 */
import { poseidon4 } from "poseidon-lite/poseidon4";
import { poseidon5 } from "poseidon-lite/poseidon5";
import { SNARK_SCALAR_FIELD } from "../testDrives/fieldElement.ts";
import { asciiDomain, packLanes, poseidonChain } from "../testDrives/poseidonChain.ts";
import { merklePath, merkleRoot, verifyMerklePath } from "../testDrives/poseidonMerkle.ts";
import { poseidon3 } from "poseidon-lite/poseidon3";
import { BIAS_BITS, WEIGHT_BITS, type QuantizedPlan, type QuantizedSquareMlpPlan } from "../he/quantizedPlan.ts";

export const ROW_DOMAIN_TAG = "ModelBazaar.planRow.v1";
export const ROW_DOMAIN = asciiDomain(ROW_DOMAIN_TAG);
export const PLAN_DOMAIN_TAG = "ModelBazaar.planCommitment.v1";
export const PLAN_DOMAIN = asciiDomain(PLAN_DOMAIN_TAG);
export const HIDDEN_DOMAIN_TAG = "ModelBazaar.planHidden.v1";
export const HIDDEN_DOMAIN = asciiDomain(HIDDEN_DOMAIN_TAG);
/** Hidden biases per packed word (64-bit offset lanes, 192 bits). */
export const BIASES_PER_WORD = 3;
/** Depth of the rows tree: a contestable plan has at most 2^4 = 16 classes. */
export const ROWS_TREE_DEPTH = 4;
export const MAX_PLAN_CLASSES = 2 ** ROWS_TREE_DEPTH;
/** Weights per packed word (16-bit offset lanes, 240 bits). */
export const WEIGHTS_PER_WORD = 15;
const WEIGHT_OFFSET = 2 ** (WEIGHT_BITS - 1);
const BIAS_OFFSET = 1n << BigInt(BIAS_BITS - 1);

/** The plan families a listing's `planFamily` names; 0 = not contestable. */
export const PlanFamily = { Linear: 1, SquareMlp: 2 } as const;
export type PlanFamilyCode = (typeof PlanFamily)[keyof typeof PlanFamily];

/** What shapeWord packs. */
export interface PlanShape {
  family: PlanFamilyCode;
  /** F, features. */
  featureCount: number;
  /** H, hidden units (0 for Linear). */
  hiddenCount: number;
  /** C, classes. */
  classCount: number;
  /** sx, the listing's scaleBits. */
  scaleBits: number;
  /** sw1, the (first) layer's weight scale bits. */
  weightScaleBits1: number;
  /** sw2, the second layer's weight scale bits (0 for Linear). */
  weightScaleBits2: number;
}

const SHAPE_FIELDS = [
  ["family", 8],
  ["featureCount", 32],
  ["hiddenCount", 32],
  ["classCount", 16],
  ["scaleBits", 8],
  ["weightScaleBits1", 8],
  ["weightScaleBits2", 8],
] as const;

/** The packed shape, least significant field first (112 bits). */
export function shapeWord(shape: PlanShape): bigint {
  let word = 0n;
  let shift = 0n;
  for (const [name, bits] of SHAPE_FIELDS) {
    const value = shape[name];
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) throw new RangeError(`${name} = ${value} does not fit ${bits} bits`);
    word |= BigInt(value) << shift;
    shift += BigInt(bits);
  }
  return word;
}

/** The shape of a quantized plan. */
export function planShape(plan: QuantizedPlan): PlanShape {
  if (plan.family === "squareMlp") {
    return {
      family: PlanFamily.SquareMlp,
      featureCount: plan.inputSize,
      hiddenCount: plan.hiddenSize,
      classCount: plan.outputSize,
      scaleBits: plan.scaleBits,
      weightScaleBits1: plan.hiddenWeightScaleBits,
      weightScaleBits2: plan.weightScaleBits,
    };
  }
  return {
    family: PlanFamily.Linear,
    featureCount: plan.inputSize,
    hiddenCount: 0,
    classCount: plan.outputSize,
    scaleBits: plan.scaleBits,
    weightScaleBits1: plan.weightScaleBits,
    weightScaleBits2: 0,
  };
}

/** Row c's weights as packed words (each weight + 2^15 in a 16-bit lane). */
export function rowWords(weights: ArrayLike<number>): bigint[] {
  const lanes = Array.from(weights, (w, i) => {
    if (!Number.isInteger(w) || w < -WEIGHT_OFFSET || w >= WEIGHT_OFFSET) throw new RangeError(`weight ${i} = ${w} is not a ${WEIGHT_BITS}-bit signed integer`);
    return w + WEIGHT_OFFSET;
  });
  return packLanes(lanes, WEIGHT_BITS, WEIGHTS_PER_WORD);
}

/** The bias as the row head carries it: b + 2^63, in [0, 2^64). */
export function biasWord(bias: bigint): bigint {
  if (bias < -BIAS_OFFSET || bias >= BIAS_OFFSET) throw new RangeError(`bias ${bias} is not a ${BIAS_BITS}-bit signed integer`);
  return bias + BIAS_OFFSET;
}

/** r_c, the digest of row c (its weights and bias). */
export function rowDigest(c: number, weights: ArrayLike<number>, bias: bigint): bigint {
  if (!Number.isInteger(c) || c < 0 || c >= MAX_PLAN_CLASSES) throw new RangeError(`row ${c} is not in [0, ${MAX_PLAN_CLASSES})`);
  if (weights.length < 1) throw new RangeError("a row has at least one weight");
  const chain = poseidonChain(poseidon4([ROW_DOMAIN, BigInt(c), BigInt(weights.length), biasWord(bias)]), rowWords(weights));
  return chain[chain.length - 1]!;
}

/** Weights per output row: F (Linear), 2H (SquareMlp). */
export function rowLength(plan: QuantizedPlan): number {
  return plan.family === "linear" ? plan.inputSize : 2 * plan.hiddenSize;
}

/** Row c's weights. */
export function planRow(plan: QuantizedPlan, c: number): Int32Array {
  if (!Number.isInteger(c) || c < 0 || c >= plan.outputSize) throw new RangeError(`class ${c} is not one of the plan's ${plan.outputSize}`);
  const len = rowLength(plan);
  return plan.weights.subarray(c * len, (c + 1) * len);
}

function requireContestable(plan: QuantizedPlan): void {
  if (plan.outputSize < 2 || plan.outputSize > MAX_PLAN_CLASSES) throw new RangeError(`a contestable plan has 2 to ${MAX_PLAN_CLASSES} classes, got ${plan.outputSize}`);
}

/** r_0..r_{C-1}. */
export function rowDigests(plan: QuantizedPlan): bigint[] {
  requireContestable(plan);
  return Array.from({ length: plan.outputSize }, (_, c) => rowDigest(c, planRow(plan, c), plan.bias[c]!));
}

/** The root of the rows tree. */
export function rowsRoot(plan: QuantizedPlan): bigint {
  return merkleRoot(rowDigests(plan), ROWS_TREE_DEPTH);
}

/** The 4 siblings of row c's digest in the rows tree, leaf level first. */
export function rowPath(plan: QuantizedPlan, c: number): bigint[] {
  planRow(plan, c);
  return merklePath(rowDigests(plan), ROWS_TREE_DEPTH, c);
}

/** Whether row digest `digest` of class c reaches `root` along `siblings`. */
export function verifyRowPath(root: bigint, digest: bigint, c: number, siblings: readonly bigint[]): boolean {
  return siblings.length === ROWS_TREE_DEPTH && verifyMerklePath(root, digest, c, siblings);
}

/** The words hiddenDigest chains: W1 + 2^15 (16-bit lanes, 15 per word), then b1 + 2^63 (64-bit lanes, 3 per word). */
export function hiddenWords(plan: QuantizedSquareMlpPlan): bigint[] {
  const biasLanes = plan.hiddenBias.map(biasWord);
  const biasWords: bigint[] = [];
  for (let at = 0; at < biasLanes.length; at += BIASES_PER_WORD) {
    biasWords.push(biasLanes.slice(at, at + BIASES_PER_WORD).reduce((word, lane, l) => word | (lane << BigInt(BIAS_BITS * l)), 0n));
  }
  return [...rowWords(plan.hiddenWeights), ...biasWords];
}

/** hiddenDigest: 0 for the Linear family (no hidden layer); the chain over W1 and b1 for SquareMlp. */
export function hiddenDigest(plan: QuantizedPlan): bigint {
  if (plan.family === "linear") return 0n;
  if (plan.hiddenWeights.length !== plan.inputSize * plan.hiddenSize || plan.hiddenBias.length !== plan.hiddenSize) throw new RangeError("the hidden layer's sizes do not match F x H");
  const chain = poseidonChain(poseidon3([HIDDEN_DOMAIN, BigInt(plan.inputSize), BigInt(plan.hiddenSize)]), hiddenWords(plan));
  return chain[chain.length - 1]!;
}

/** The planCommitment of a quantized plan under `planSalt` (a secret random field element). */
export function planCommitment(plan: QuantizedPlan, planSalt: bigint): bigint {
  if (planSalt < 0n || planSalt >= SNARK_SCALAR_FIELD) throw new RangeError("planSalt must be a BN254 field element");
  return poseidon5([PLAN_DOMAIN, shapeWord(planShape(plan)), hiddenDigest(plan), rowsRoot(plan), planSalt]);
}
