/**
 * The seller's side of a contest on a Linear-family plan (docs/DISPUTES.md §5.3): the
 * reference of circuits/contestLinear.circom (which contest it can prove on an opening) and the
 * circuit's input. The opening is what the buyer posted: sample j's quantized features, σ_j and
 * d_j's path in the features root D (testDrives/sampleDigest.ts, featuresRoot.ts).
 */
import { PLAN_FEATURE_BITS, quantizedScores, type QuantizedLinearPlan, type QuantizedPlan } from "../he/quantizedPlan.ts";
import { verifyFeaturesPath, FEATURES_TREE_DEPTH } from "../testDrives/featuresRoot.ts";
import { packLanes } from "../testDrives/poseidonChain.ts";
import { sampleDigest } from "../testDrives/sampleDigest.ts";
import { ContestKind, packContestMeta, type ContestKindCode } from "./contestMeta.ts";
import { WEIGHTS_PER_WORD, biasWord, planRow, rowPath } from "./planCommitment.ts";

/** One opened sample, as the buyer posts it. */
export interface SampleOpening {
  /** j. */
  index: number;
  /** The quantized features as posted (2-byte values; a valid opening has each < 2^featureBits). */
  features: readonly number[];
  /** σ_j. */
  sigma: bigint;
  /** d_j's 10 siblings in D, leaf level first. */
  siblings: readonly bigint[];
  /** ŷ_j, the buyer's opened prediction. */
  prediction: number;
}

/** The listing's terms a contest reads. */
export interface ContestTerms {
  featureBits: number;
  /** τ_q in integer score units. */
  toleranceQ: bigint;
}

/** The sizes of a contest circuit: at most `features` features and `classes` classes. */
export interface ContestCircuitShape {
  features: number;
  classes: number;
}

/** The contest circuit's mains, by name. */
export const CONTEST_LINEAR_CIRCUITS = {
  contest_linear_4x3: { features: 4, classes: 3 },
  contest_linear_784x10: { features: 784, classes: 10 },
} as const satisfies Record<string, ContestCircuitShape>;

/**
 * Whether an opening opens D: every feature below 2^featureBits, and d_j (from σ_j and the
 * features) reaching D along the posted path. A kind-1 contest proves it is not.
 */
export function openingIsValid(featuresRoot: bigint, opening: SampleOpening, featureBits: number): boolean {
  const limit = 2 ** featureBits;
  if (opening.features.some((q) => !Number.isInteger(q) || q < 0 || q >= limit)) return false;
  if (opening.siblings.length !== FEATURES_TREE_DEPTH) return false;
  const digest = sampleDigest(opening.index, opening.features, opening.sigma, { featureCount: opening.features.length, featureBits });
  return verifyFeaturesPath(featuresRoot, digest, opening.index, opening.siblings);
}

/** score_q(c) - score_q(ŷ): what the circuit compares with τ_q (kind 0 needs it > τ_q). Any family. */
export function contestMargin(plan: QuantizedPlan, features: readonly number[], featureBits: number, cls: number, prediction: number): bigint {
  const scores = quantizedScores(plan, features, featureBits);
  return scores[cls]! - scores[prediction]!;
}

/**
 * The contest the seller can prove on an opening, or undefined: kind 1 when the opening is
 * invalid (with c the plan's class, or any other class than ŷ), kind 0 when the plan's best
 * class beats ŷ by more than τ_q. Any family (Linear or SquareMlp).
 */
export function provableContest(
  plan: QuantizedPlan,
  featuresRoot: bigint,
  opening: SampleOpening,
  terms: ContestTerms,
): { kind: ContestKindCode; cls: number } | undefined {
  const { prediction } = opening;
  if (!Number.isInteger(prediction) || prediction < 0 || prediction >= plan.outputSize) return undefined;
  if (!openingIsValid(featuresRoot, opening, terms.featureBits)) {
    return { kind: ContestKind.InvalidOpening, cls: prediction === 0 ? 1 : 0 };
  }
  const scores = quantizedScores(plan, opening.features, terms.featureBits);
  let cls = prediction === 0 ? 1 : 0;
  scores.forEach((s, k) => {
    if (k !== prediction && s > scores[cls]!) cls = k;
  });
  return scores[cls]! - scores[prediction]! > terms.toleranceQ ? { kind: ContestKind.Mismatch, cls } : undefined;
}

/** The input every contest circuit takes, as decimal strings (snarkjs's input JSON): the
 * public signals, the opened sample, the two output rows and the plan's scales and salt. */
export interface ContestCircuitInput extends ContestCommonInput {
  rowLanes: string[][];
  planScales: string[];
  [signal: string]: string | string[] | string[][];
}

/** The part of {ContestCircuitInput} that does not depend on the plan family ({contestCommonInput}). */
export interface ContestCommonInput {
  planCommitment: string;
  featuresRoot: string;
  meta: string;
  sigma: string;
  siblings: string[];
  featureWords: string[];
  rowBias: string[];
  rowSiblings: string[][];
  planSalt: string;
}

/**
 * A contest circuit's public signals, in order, as the contract builds them for the verifier:
 * plan commitment, D, meta, σ, the 10 siblings, the feature words.
 */
export function contestPublicSignals(input: ContestCommonInput): bigint[] {
  return [input.planCommitment, input.featuresRoot, input.meta, input.sigma, ...input.siblings, ...input.featureWords].map(BigInt);
}

/** The input of ContestLinear(F, C). */
export type ContestLinearCircuitInput = ContestCircuitInput;

/** Everything the seller's prover takes, for a plan of type `P`. */
export interface ContestSource<P> {
  plan: P;
  planSalt: bigint;
  /** The listing's planCommitment (planCommitment(plan, planSalt) for an honest seller). */
  planCommitment: bigint;
  featuresRoot: bigint;
  opening: SampleOpening;
  terms: ContestTerms;
  cls: number;
  kind: ContestKindCode;
}

/** Everything the seller's prover takes for a Linear-family plan. */
export type ContestLinearSource = ContestSource<QuantizedLinearPlan>;

/**
 * The input of ContestLinear(F, C) for `circuit`. Checks only what the input needs to exist
 * (sizes, 16-bit posted features); whether the contest holds is the circuit's to decide, so
 * tests can feed it false claims.
 */
export function contestLinearInput(source: ContestLinearSource, circuit: ContestCircuitShape): ContestLinearCircuitInput {
  const { plan, opening, cls } = source;
  const F = circuit.features;
  if (plan.inputSize > F || plan.outputSize > circuit.classes) {
    throw new RangeError(`a plan of ${plan.inputSize} features and ${plan.outputSize} classes does not fit a circuit of ${F} and ${circuit.classes}`);
  }
  const row = (c: number): string[] => {
    const weights = planRow(plan, c);
    return Array.from({ length: F }, (_, i) => String(i < weights.length ? weights[i]! + 2 ** 15 : 0));
  };
  return {
    ...contestCommonInput(source, Math.ceil(F / WEIGHTS_PER_WORD)),
    rowLanes: [row(cls), row(opening.prediction)],
    planScales: [String(plan.scaleBits), String(plan.weightScaleBits)],
  };
}

/**
 * What every contest circuit's input holds whatever the plan family: the public signals built
 * from the opening (checked: its feature count, featureBits, 2-byte posted features; packed into
 * `featureWords` words, zero-padded), the two output rows' biases and paths, and the plan salt.
 */
export function contestCommonInput(source: ContestSource<QuantizedPlan>, featureWords: number): ContestCommonInput {
  const { plan, opening, terms, cls, kind } = source;
  if (opening.features.length !== plan.inputSize) throw new RangeError(`the opening has ${opening.features.length} features, the plan ${plan.inputSize}`);
  if (terms.featureBits < 1 || terms.featureBits > PLAN_FEATURE_BITS) throw new RangeError(`featureBits ${terms.featureBits} is not in [1, ${PLAN_FEATURE_BITS}]`);
  opening.features.forEach((q, i) => {
    if (!Number.isInteger(q) || q < 0 || q >= 2 ** PLAN_FEATURE_BITS) throw new RangeError(`posted feature ${i} = ${q} is not a 2-byte value`);
  });
  const words = packLanes(opening.features, PLAN_FEATURE_BITS, WEIGHTS_PER_WORD);
  while (words.length < featureWords) words.push(0n);
  const meta = packContestMeta({
    index: opening.index,
    prediction: opening.prediction,
    cls,
    kind,
    featureCount: plan.inputSize,
    featureBits: terms.featureBits,
    classCount: plan.outputSize,
    toleranceQ: terms.toleranceQ,
  });
  return {
    planCommitment: source.planCommitment.toString(),
    featuresRoot: source.featuresRoot.toString(),
    meta: meta.toString(),
    sigma: opening.sigma.toString(),
    siblings: opening.siblings.map(String),
    featureWords: words.map(String),
    rowBias: [biasWord(plan.bias[cls]!), biasWord(plan.bias[opening.prediction]!)].map(String),
    rowSiblings: [rowPath(plan, cls), rowPath(plan, opening.prediction)].map((path) => path.map(String)),
    planSalt: source.planSalt.toString(),
  };
}
