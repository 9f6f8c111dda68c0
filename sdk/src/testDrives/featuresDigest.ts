/**
 * The `featuresDigest` of a buyer's test set: one field element committing the quantized
 * features, which the `dataCommitment` (dataCommitment.ts) absorbs. It is the same function
 * for every listing; only who checks it differs (docs/ZK.md, "Which checks a proof covers"):
 * the feature circuit (circuits/featuresDigest.circom) recomputes it from the features and
 * checks their ranges, the digest-only circuits take it as given.
 *
 *   h0      = Poseidon(FEATURES_DIGEST_DOMAIN, n, featureCount, featureBits)
 *   row i   = sample i's features packed lanesPerWord to a field element, laneBits bits each,
 *             least significant first (a row's last word zero-filled; a new row starts a new word)
 *   digest  = the last state of poseidonChain(h0, row 0 words, row 1 words, ...)
 *
 * laneBits is 16 (15 lanes per word) for featureBits <= 16, else 32 (7 lanes per word). With at
 * most 15 features (and featureBits <= 16) a sample is exactly one word, which is what lets the
 * circuit pack a row at a fixed position whatever the listing's featureCount. This module owns
 * the constants; test/circuits/disputeWithFeatures.test.ts checks the circuit agrees.
 */
import { poseidon4 } from "poseidon-lite/poseidon4";
import { asciiDomain, packLanes, poseidonChain } from "./poseidonChain.ts";

/** Domain separator of the digest's start: the ASCII bytes of the tag below, big-endian. */
export const FEATURES_DIGEST_DOMAIN_TAG = "ModelBazaar.featuresDigest.v1";
export const FEATURES_DIGEST_DOMAIN = asciiDomain(FEATURES_DIGEST_DOMAIN_TAG);
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

/** The lane width and lanes per word the digest packs features of `featureBits` bits with. */
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

/** The chain states of the digest: index 0 is h0, the last one the digest. */
export function featuresDigestChain(features: QuantizedFeatures, shape: FeatureShape): bigint[] {
  requireQuantizedFeatures(features, shape);
  const h0 = poseidon4([FEATURES_DIGEST_DOMAIN, BigInt(features.length), BigInt(shape.featureCount), BigInt(shape.featureBits)]);
  return poseidonChain(h0, features.flatMap((row) => packFeatureRow(row, shape.featureBits)));
}

/**
 * The `featuresDigest` of a test set's quantized features (samples x featureCount, each in
 * [0, 2^featureBits)), a BN254 field element. Throws a FeatureRangeError for a value out of
 * range or a row of the wrong length.
 *
 * @example
 * const digest = featuresDigest([[3, 4000], [17, 0]], { featureCount: 2, featureBits: 12 });
 * const commitment = dataCommitment({ featuresDigest: digest, labels: [1, 0], salt });
 */
export function featuresDigest(features: QuantizedFeatures, shape: FeatureShape): bigint {
  const chain = featuresDigestChain(features, shape);
  return chain[chain.length - 1]!;
}
