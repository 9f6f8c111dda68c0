/**
 * The trainer the aggregator runs until the private-ALS trainer is wired in (`applyContributionSum`
 * and `contributionLength` of @modelbazaar/sdk/recommend replace these in AGGREGATOR_DEFAULTS):
 * a contribution is one update per item factor value (itemCount × dimension, the shape of a
 * federated client's upload with every item), and a round takes one gradient step with the mean
 * update and the items' L2 regularization, as the clear-text averaging did.
 */
import type { ItemFactors } from "@modelbazaar/sdk/recommend";

const LEARNING_RATE = 2;
const REGULARIZATION = 0.01;

export function interimContributionLength(itemCount: number, dimension: number): number {
  return itemCount * dimension;
}

export function interimApplySum(factors: ItemFactors, sum: Float64Array, participants: number): ItemFactors {
  const values = Float64Array.from(factors.values, (value, k) => value - LEARNING_RATE * (sum[k]! / participants + REGULARIZATION * value));
  return { ...factors, values };
}
