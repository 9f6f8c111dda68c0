/**
 * The aggregator's step (FedAvg for the item side): the mean of a round's noised updates per
 * item (an item missing from an upload counts as a zero update from it), plus the items'
 * L2 regularization, applied as one gradient step. Shared by the aggregator service and the study.
 */
import type { ItemFactors } from "./itemFactors.ts";

export interface AggregationOptions {
  /** The step size applied to the mean update. */
  readonly learningRate: number;
  /** λ of the item factors. */
  readonly regularization: number;
}

/** One round's updates: each with its item ids and itemIds.length × dimension values. */
export interface RoundUpdate {
  readonly itemIds: readonly number[];
  readonly values: ArrayLike<number>;
}

/** The factors after one aggregation step over `updates` (a new object; `factors` is unchanged). */
export function aggregateUpdates(factors: ItemFactors, updates: readonly RoundUpdate[], options: AggregationOptions): ItemFactors {
  const { dimension: d } = factors;
  const values = Float64Array.from(factors.values);
  if (updates.length === 0) return { ...factors, values };
  const sum = new Float64Array(values.length);
  for (const { itemIds, values: update } of updates) {
    itemIds.forEach((itemId, k) => {
      for (let a = 0; a < d; a++) sum[itemId * d + a]! += update[k * d + a]!;
    });
  }
  const { learningRate, regularization } = options;
  for (let k = 0; k < values.length; k++) values[k]! -= learningRate * (sum[k]! / updates.length + regularization * values[k]!);
  return { ...factors, values };
}
