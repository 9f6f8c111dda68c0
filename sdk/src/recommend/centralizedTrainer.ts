/**
 * The centralized baseline: implicit-feedback matrix factorization by alternating least squares
 * (Hu, Koren and Volinsky 2008; the model of Koren, Bell and Volinsky 2009) over everyone's
 * interactions in one place. Each half-step is the same exact solve the device runs
 * (userFactor.ts), once with users as the unknowns and once with items.
 */
import { DEFAULT_CONFIDENCE_SCALE, itemConfidences, type Interaction } from "./feedback.ts";
import { itemGram, randomItemFactors, type ItemFactors } from "./itemFactors.ts";
import type { RandomSource } from "./randomSource.ts";
import { DEFAULT_REGULARIZATION, fitUserFactor } from "./userFactor.ts";

export interface CentralizedTrainingOptions {
  readonly itemCount: number;
  readonly dimension: number;
  readonly iterations: number;
  readonly regularization?: number;
  readonly confidenceScale?: number;
}

export interface CentralizedModel {
  readonly items: ItemFactors;
  /** One factor per user, in the order of the histories given. */
  readonly users: ItemFactors;
}

/** Trains on `histories` (one interaction list per user). */
export function trainCentralized(histories: readonly (readonly Interaction[])[], options: CentralizedTrainingOptions, random: RandomSource): CentralizedModel {
  const regularization = options.regularization ?? DEFAULT_REGULARIZATION;
  const byUser = histories.map((history) => itemConfidences(history, options.confidenceScale ?? DEFAULT_CONFIDENCE_SCALE));
  const byItem = Array.from({ length: options.itemCount }, () => new Map<number, number>());
  byUser.forEach((confidences, userId) => {
    for (const [itemId, confidence] of confidences) byItem[itemId]?.set(userId, confidence);
  });
  let items = randomItemFactors(options.itemCount, options.dimension, random);
  let users = randomItemFactors(histories.length, options.dimension, random);
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    users = solveAll(items, byUser, regularization);
    items = solveAll(users, byItem, regularization);
  }
  return { items, users };
}

/** Every row's least-squares factor against the fixed other side. */
function solveAll(fixed: ItemFactors, rows: readonly ReadonlyMap<number, number>[], regularization: number): ItemFactors {
  const gram = itemGram(fixed);
  const values = new Float64Array(rows.length * fixed.dimension);
  rows.forEach((confidences, row) => values.set(fitUserFactor(fixed, confidences, regularization, gram), row * fixed.dimension));
  return { dimension: fixed.dimension, count: rows.length, values };
}
