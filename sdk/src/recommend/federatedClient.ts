/**
 * One federated round on the buyer's device (FCF, Ammad-ud-din et al. 2019; decoys after
 * FedRec, Lin et al. 2020): fit the user factor to the public item factors (kept in the local
 * profile, never sent), compute the implicit-feedback loss's gradient for the items the user
 * touched and for `decoys` items it never touched (sampled uniformly; "all" takes every
 * untouched item, so the item set no longer depends on the history), then clip the whole upload
 * and add Gaussian noise. The result's upload holds only those noised item updates.
 *
 * Gradient of Σᵢ cᵢ(pᵢ − x·yᵢ)² for item i (up to the factor 2): gᵢ = cᵢ(x·yᵢ − pᵢ)·x; a sampled
 * decoy is a negative (c = 1, p = 0), weighted by (untouched items)/(decoys) so the sum is an
 * unbiased estimate of the full negative gradient. The aggregator adds regularization.
 */
import { DEFAULT_CONFIDENCE_SCALE, itemConfidences } from "./feedback.ts";
import { itemGram, type ItemFactors } from "./itemFactors.ts";
import { privatizeUpdates, type GaussianMechanism, type NoisedItemUpdates } from "./noisedUpload.ts";
import type { RandomSource } from "./randomSource.ts";
import { DEFAULT_REGULARIZATION, fitUserFactor } from "./userFactor.ts";
import { withFactor, type UserProfile } from "./userProfile.ts";
import { dot } from "./vectorMath.ts";

export interface FederatedClientOptions extends GaussianMechanism {
  /** The aggregator's current round. */
  readonly round: number;
  /** Untouched items sampled into the upload as decoys, or "all" of them. */
  readonly decoys: number | "all";
  /** λ of the user factor's fit; default DEFAULT_REGULARIZATION. */
  readonly regularization?: number;
  /** α of the confidences; default DEFAULT_CONFIDENCE_SCALE. */
  readonly confidenceScale?: number;
  /** YᵀY of `factors`, when many clients share one download. */
  readonly gram?: Float64Array;
}

export interface FederatedClientStep {
  /** The profile with its refitted user factor: stays on the device. */
  readonly profile: UserProfile;
  /** What is sent: noised item updates only. */
  readonly upload: NoisedItemUpdates;
}

/** Runs one round for `profile` against the downloaded `factors`. */
export function federatedClientStep(profile: UserProfile, factors: ItemFactors, options: FederatedClientOptions, random: RandomSource): FederatedClientStep {
  const confidences = itemConfidences(profile.history, options.confidenceScale ?? DEFAULT_CONFIDENCE_SCALE);
  for (const itemId of confidences.keys()) if (itemId >= factors.count) confidences.delete(itemId); // listings newer than the factors
  const factor = fitUserFactor(factors, confidences, options.regularization ?? DEFAULT_REGULARIZATION, options.gram ?? itemGram(factors));
  const decoys = sampleDecoys(factors.count, confidences, options.decoys, random);
  const untouched = factors.count - confidences.size;
  const negativeWeight = decoys.length === 0 ? 0 : untouched / decoys.length;
  const itemIds = [...confidences.keys(), ...decoys].sort((a, b) => a - b);
  const d = factors.dimension;
  const updates = new Float64Array(itemIds.length * d);
  itemIds.forEach((itemId, k) => {
    const confidence = confidences.get(itemId);
    const score = dot(factor, factors.values, d, 0, itemId * d);
    const coefficient = confidence === undefined ? negativeWeight * score : confidence * (score - 1);
    for (let a = 0; a < d; a++) updates[k * d + a] = coefficient * factor[a]!;
  });
  return {
    profile: withFactor(profile, factor),
    upload: privatizeUpdates(options.round, d, itemIds, updates, options, random),
  };
}

/** `count` distinct untouched items drawn uniformly (partial Fisher–Yates), or all of them. */
function sampleDecoys(itemCount: number, touched: ReadonlyMap<number, number>, count: number | "all", random: RandomSource): number[] {
  const pool: number[] = [];
  for (let i = 0; i < itemCount; i++) if (!touched.has(i)) pool.push(i);
  if (count === "all") return pool;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`decoys is a non-negative integer or "all", got ${count}`);
  const take = Math.min(count, pool.length);
  for (let k = 0; k < take; k++) {
    const j = k + Math.floor(random.uniform() * (pool.length - k));
    [pool[k], pool[j]] = [pool[j]!, pool[k]!];
  }
  return pool.slice(0, take);
}
