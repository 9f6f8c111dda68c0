/**
 * Runs the two attacks over their budgets for one victim, query source and defence setting,
 * each returning a curve. Queries are drawn once per source for the largest budget (a smaller
 * budget is a prefix of it), the victim's exact scores computed once, and only the channel's
 * answers depend on the setting.
 */
import { agreement } from "./agreement.ts";
import { answerQueries, type ChannelShape } from "./channel.ts";
import type { CurvePoint } from "./curves.ts";
import type { DefenceSetting } from "./defences.ts";
import { maxParameterError, planAsLinearModel, predictLinear, solveLinearModel } from "./equationSolving.ts";
import { predictNetwork, trainSurrogate } from "./knockoff.ts";
import type { Victim } from "./victims.ts";

/** A victim's queries from one source, with its exact scores and its top-1 on the test split. */
export interface QueryPool {
  readonly victim: Victim;
  readonly shape: ChannelShape;
  readonly queries: Float64Array;
  readonly exact: Float64Array;
  readonly victimTestLabels: Uint8Array;
}

export function equationSolvingCurve(pool: QueryPool, setting: DefenceSetting, budgets: readonly number[]): CurvePoint[] {
  const { victim, shape, queries, exact } = pool;
  const test = victim.split.test;
  const truth = planAsLinearModel(victim.plan);
  return budgets.map((queriesAsked) => {
    const answer = answerQueries(exact, queriesAsked, shape, setting);
    const model = solveLinearModel(queries, queriesAsked, victim.plan.inputSize, victim.plan.outputSize, answer);
    const predicted = predictLinear(model, test.features, test.sampleCount);
    return {
      queries: queriesAsked,
      testDrives: answer.testDrives,
      fidelity: agreement(predicted, pool.victimTestLabels),
      accuracy: agreement(predicted, test.labels),
      parameterError: maxParameterError(model, truth),
    };
  });
}

/**
 * Knockoff curve. Training is deterministic, so a budget whose labels are those of an earlier
 * run (top-1 and rounding give the undefended labels) reuses that run's surrogate: `trained`
 * maps a key of (budget, labels) to the test-split predictions: one map per pool.
 */
export function knockoffCurve(pool: QueryPool, setting: DefenceSetting, budgets: readonly number[], seed: number, trained: Map<string, Uint8Array>): CurvePoint[] {
  const { victim, shape, queries, exact } = pool;
  const test = victim.split.test;
  return budgets.map((queriesAsked) => {
    const answer = answerQueries(exact, queriesAsked, shape, setting);
    const key = `${queriesAsked}:${Buffer.from(answer.labels).toString("base64")}`;
    let predicted = trained.get(key);
    if (!predicted) {
      predicted = predictNetwork(trainSurrogate(victim, queries, queriesAsked, answer.labels, seed), test.features, test.sampleCount);
      trained.set(key, predicted);
    }
    return { queries: queriesAsked, testDrives: answer.testDrives, fidelity: agreement(predicted, pool.victimTestLabels), accuracy: agreement(predicted, test.labels) };
  });
}
