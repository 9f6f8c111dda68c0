/**
 * The seller's side of a contest on a SquareMlp-family plan (docs/DISPUTES.md §5.3): the input
 * of circuits/contestSquareMlp.circom. Which contest an opening allows, and the margin, are
 * contestLinearInput.ts's `provableContest` and `contestMargin` (they take either family).
 */
import { PLAN_FEATURE_BITS, type QuantizedSquareMlpPlan } from "../he/quantizedPlan.ts";
import { packLanes } from "../testDrives/poseidonChain.ts";
import type { ContestCircuitInput, ContestSource } from "./contestLinearInput.ts";
import { packContestMeta } from "./contestMeta.ts";
import { WEIGHTS_PER_WORD, biasWord, planRow, rowPath } from "./planCommitment.ts";

/** The sizes of a SquareMlp contest circuit: exactly `features` features and `hidden` hidden units, at most `classes` classes. */
export interface ContestSquareMlpShape {
  features: number;
  hidden: number;
  classes: number;
}

/** The SquareMlp contest circuit's mains, by name. */
export const CONTEST_SQUARE_MLP_CIRCUITS = {
  contest_squaremlp_iris: { features: 4, hidden: 8, classes: 3 },
} as const satisfies Record<string, ContestSquareMlpShape>;

/** The input of ContestSquareMlp(F, H, C): every contest circuit's, plus the hidden layer. */
export interface ContestSquareMlpCircuitInput extends ContestCircuitInput {
  hiddenLanes: string[][];
  hiddenBias: string[];
}

/** Everything the seller's prover takes for a SquareMlp-family plan. */
export type ContestSquareMlpSource = ContestSource<QuantizedSquareMlpPlan>;

/**
 * The input of ContestSquareMlp(F, H, C) for `circuit`. Checks only what the input needs to
 * exist (the plan's F and H equal the circuit's, C fits, 16-bit posted features); whether the
 * contest holds is the circuit's to decide, so tests can feed it false claims.
 */
export function contestSquareMlpInput(source: ContestSquareMlpSource, circuit: ContestSquareMlpShape): ContestSquareMlpCircuitInput {
  const { plan, opening, terms, cls, kind } = source;
  if (plan.inputSize !== circuit.features || plan.hiddenSize !== circuit.hidden || plan.outputSize > circuit.classes) {
    throw new RangeError(
      `a plan of ${plan.inputSize} features, ${plan.hiddenSize} hidden units and ${plan.outputSize} classes does not fit a circuit of exactly ${circuit.features}, exactly ${circuit.hidden} and at most ${circuit.classes}`,
    );
  }
  if (opening.features.length !== plan.inputSize) throw new RangeError(`the opening has ${opening.features.length} features, the plan ${plan.inputSize}`);
  if (terms.featureBits < 1 || terms.featureBits > PLAN_FEATURE_BITS) throw new RangeError(`featureBits ${terms.featureBits} is not in [1, ${PLAN_FEATURE_BITS}]`);
  opening.features.forEach((q, i) => {
    if (!Number.isInteger(q) || q < 0 || q >= 2 ** PLAN_FEATURE_BITS) throw new RangeError(`posted feature ${i} = ${q} is not a 2-byte value`);
  });
  const F = plan.inputSize;
  const H = plan.hiddenSize;
  const featureWords = packLanes(opening.features, PLAN_FEATURE_BITS, WEIGHTS_PER_WORD);
  const lanes = (weights: ArrayLike<number>): string[] => Array.from(weights, (w) => String(w + 2 ** 15));
  const meta = packContestMeta({
    index: opening.index,
    prediction: opening.prediction,
    cls,
    kind,
    featureCount: F,
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
    featureWords: featureWords.map(String),
    hiddenLanes: Array.from({ length: H }, (_, k) => lanes(plan.hiddenWeights.subarray(k * F, (k + 1) * F))),
    hiddenBias: plan.hiddenBias.map((b) => biasWord(b).toString()),
    rowLanes: [lanes(planRow(plan, cls)), lanes(planRow(plan, opening.prediction))],
    rowBias: [biasWord(plan.bias[cls]!), biasWord(plan.bias[opening.prediction]!)].map(String),
    rowSiblings: [rowPath(plan, cls), rowPath(plan, opening.prediction)].map((path) => path.map(String)),
    planScales: [String(plan.scaleBits), String(plan.hiddenWeightScaleBits), String(plan.weightScaleBits)],
    planSalt: source.planSalt.toString(),
  };
}
