/**
 * What a federated client sends the aggregator: item-factor updates for a set of item ids, after
 * per-user L2 clipping of the whole upload and Gaussian noise (the Gaussian mechanism). The type
 * has no field for a user factor, and its brand can only be set here, by `privatizeUpdates`,
 * which clips and noises: code that holds a `NoisedItemUpdates` holds noised values, and nothing
 * else can be put in one without a cast (test/recommend/federatedClient.test.ts checks both).
 */
import { normalDraw, type RandomSource } from "./randomSource.ts";
import { l2Norm } from "./vectorMath.ts";

declare const noised: unique symbol;

export interface NoisedItemUpdates {
  /** The aggregator's round the update was computed for. */
  readonly round: number;
  readonly dimension: number;
  /** Item ids, ascending, each once. */
  readonly itemIds: readonly number[];
  /** itemIds.length × dimension noised update values (item k at [k·dimension, (k+1)·dimension)). */
  readonly values: Float32Array;
  readonly [noised]: true;
}

/** The clipping bound and noise of the Gaussian mechanism a client applies. */
export interface GaussianMechanism {
  /** Per-user L2 bound C of the whole upload. */
  readonly clipNorm: number;
  /** σ: the noise's standard deviation is σ·C on every value. */
  readonly noiseMultiplier: number;
}

/**
 * Clips `updates` (itemIds.length × dimension raw values) to L2 norm `clipNorm` as a whole and
 * adds N(0, (σ·C)²) to every value. `updates` is left untouched; the result holds only noised values.
 */
export function privatizeUpdates(
  round: number,
  dimension: number,
  itemIds: readonly number[],
  updates: Float64Array,
  mechanism: GaussianMechanism,
  random: RandomSource,
): NoisedItemUpdates {
  const { clipNorm, noiseMultiplier } = mechanism;
  if (!(clipNorm > 0)) throw new RangeError(`the clipping norm must be positive, got ${clipNorm}`);
  if (!(noiseMultiplier >= 0)) throw new RangeError(`the noise multiplier must be zero or positive, got ${noiseMultiplier}`);
  if (updates.length !== itemIds.length * dimension) throw new RangeError(`${itemIds.length} items of dimension ${dimension} need ${itemIds.length * dimension} values, got ${updates.length}`);
  const scale = Math.min(1, clipNorm / (l2Norm(updates) || 1));
  const deviation = noiseMultiplier * clipNorm;
  const values = new Float32Array(updates.length);
  for (let k = 0; k < updates.length; k++) values[k] = updates[k]! * scale + (deviation > 0 ? deviation * normalDraw(random) : 0);
  return { round, dimension, itemIds: [...itemIds], values } as unknown as NoisedItemUpdates;
}
