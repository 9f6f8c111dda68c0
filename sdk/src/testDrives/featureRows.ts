/**
 * The buyer's quantized features, a row of `featureCount` integers in [0, 2^featureBits) per
 * sample, checked against the listing's shape and packed into field elements: a sample's words
 * are what its sample digest absorbs (sampleDigest.ts) and what an opening publishes.
 *
 *   row i = sample i's features packed lanesPerWord to a field element, laneBits bits each,
 *           least significant first (a row's last word zero-filled)
 *
 * laneBits is 16 (15 lanes per word) for featureBits <= 16, else 32 (7 lanes per word).
 */
import { packLanes } from "./poseidonChain.ts";

/** The widest quantized feature a listing may declare (ModelRegistry: 1 <= featureBits <= 32). */
export const MAX_FEATURE_BITS = 32;
/** Lane width for featureBits up to this; wider features use MAX_FEATURE_BITS-bit lanes. */
export const NARROW_LANE_BITS = 16;
/** Packed words hold at most 240 bits (below the 254-bit field). */
const WORD_BITS = 240;

/** The listing's input shape, as its TaskSpec (and the dispute context) declares it. */
export interface FeatureShape {
  /** Features per sample, at least 1. */
  featureCount: number;
  /** Every quantized feature lies in [0, 2^featureBits); 1 to 32. */
  featureBits: number;
}

/** The buyer's quantized features, one row of `featureCount` integers per sample. */
export type QuantizedFeatures = readonly (readonly number[])[];

/** A quantized feature outside [0, 2^featureBits), or a row of the wrong length. */
export class FeatureRangeError extends RangeError {
  override name = "FeatureRangeError";
}

/** The lane width and lanes per word features of `featureBits` bits are packed with. */
export function featureLanes(featureBits: number): { laneBits: number; lanesPerWord: number } {
  const laneBits = featureBits <= NARROW_LANE_BITS ? NARROW_LANE_BITS : MAX_FEATURE_BITS;
  return { laneBits, lanesPerWord: Math.floor(WORD_BITS / laneBits) };
}

function requireShape({ featureCount, featureBits }: FeatureShape): void {
  if (!Number.isInteger(featureCount) || featureCount < 1 || featureCount >= 2 ** 32) {
    throw new RangeError(`featureCount must be an integer in [1, 2^32), got ${featureCount}`);
  }
  if (!Number.isInteger(featureBits) || featureBits < 1 || featureBits > MAX_FEATURE_BITS) {
    throw new RangeError(`featureBits must be an integer in [1, ${MAX_FEATURE_BITS}], got ${featureBits}`);
  }
}

/** Throws a FeatureRangeError naming the first sample and feature that does not fit `shape`. */
export function requireQuantizedFeatures(features: QuantizedFeatures, shape: FeatureShape): void {
  requireShape(shape);
  if (features.length < 1) throw new FeatureRangeError("a test set has at least one sample");
  const limit = 2 ** shape.featureBits;
  features.forEach((row, i) => {
    if (row.length !== shape.featureCount) {
      throw new FeatureRangeError(`sample ${i} has ${row.length} features; the listing declares ${shape.featureCount}`);
    }
    row.forEach((value, f) => {
      if (!Number.isInteger(value) || value < 0 || value >= limit) {
        throw new FeatureRangeError(
          `feature ${f} of sample ${i} is ${value}, not an integer in [0, 2^${shape.featureBits}): quantize it for this listing first`,
        );
      }
    });
  });
}

/** The packed words of one sample's features. */
export function packFeatureRow(row: readonly number[], featureBits: number): bigint[] {
  const { laneBits, lanesPerWord } = featureLanes(featureBits);
  return packLanes(row, laneBits, lanesPerWord);
}
