/**
 * The aggregator's step (FedAvg for the item side): the mean of a round's contributions, which
 * secure aggregation hands over only as their sum, plus the items' L2 regularization, applied as
 * one gradient step. Shared by the aggregator service and the study.
 */
import type { ItemFactors } from "./itemFactors.ts";

export interface AggregationOptions {
  /** The step size applied to the mean update. */
  readonly learningRate: number;
  /** λ of the item factors. */
  readonly regularization: number;
}

/** The length of a round's contribution for factors of `itemCount` × `dimension`: every item's update. */
export function contributionLength(itemCount: number, dimension: number): number {
  return itemCount * dimension;
}

/**
 * The factors after one step over `sum`, the sum of `participants` contributions (item i's
 * update at [i·dimension, (i+1)·dimension)); a new object, `factors` is unchanged.
 */
export function applyUpdateSum(factors: ItemFactors, sum: Float64Array, participants: number, options: AggregationOptions): ItemFactors {
  if (sum.length !== contributionLength(factors.count, factors.dimension)) throw new RangeError(`a sum over ${factors.count} items of dimension ${factors.dimension} has ${contributionLength(factors.count, factors.dimension)} values, got ${sum.length}`);
  const values = Float64Array.from(factors.values);
  if (participants === 0) return { ...factors, values };
  const { learningRate, regularization } = options;
  for (let k = 0; k < values.length; k++) values[k]! -= learningRate * (sum[k]! / participants + regularization * values[k]!);
  return { ...factors, values };
}
