/**
 * The seller's side of a contest on a SquareMlp-family plan (docs/DISPUTES.md §5.3): the input
 * of circuits/contestSquareMlp.circom. Which contest an opening allows, and the margin, are
 * contestLinearInput.ts's `provableContest` and `contestMargin` (they take either family).
 */
import type { QuantizedSquareMlpPlan } from "../he/quantizedPlan.ts";
import { contestCommonInput, type ContestCircuitInput, type ContestSource } from "./contestLinearInput.ts";
import { WEIGHTS_PER_WORD, biasWord, planRow } from "./planCommitment.ts";

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
  const { plan, opening, cls } = source;
  if (plan.inputSize !== circuit.features || plan.hiddenSize !== circuit.hidden || plan.outputSize > circuit.classes) {
    throw new RangeError(
      `a plan of ${plan.inputSize} features, ${plan.hiddenSize} hidden units and ${plan.outputSize} classes does not fit a circuit of exactly ${circuit.features}, exactly ${circuit.hidden} and at most ${circuit.classes}`,
    );
  }
  const F = plan.inputSize;
  const lanes = (weights: ArrayLike<number>): string[] => Array.from(weights, (w) => String(w + 2 ** 15));
  return {
    ...contestCommonInput(source, Math.ceil(F / WEIGHTS_PER_WORD)),
    hiddenLanes: Array.from({ length: plan.hiddenSize }, (_, k) => lanes(plan.hiddenWeights.subarray(k * F, (k + 1) * F))),
    hiddenBias: plan.hiddenBias.map((b) => biasWord(b).toString()),
    rowLanes: [lanes(planRow(plan, cls)), lanes(planRow(plan, opening.prediction))],
    planScales: [String(plan.scaleBits), String(plan.hiddenWeightScaleBits), String(plan.weightScaleBits)],
  };
}
