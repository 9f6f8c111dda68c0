/**
 * The input of a feature dispute circuit (dispute_<N>_f<F>, circuits/disputeWithFeatures.circom):
 * the digest-only input of dataCommitment.ts with the quantized features in place of their
 * digest, zero-padded to N samples of F features. The circuit recomputes featuresDigest
 * (featuresDigest.ts) from them, so the commitment is the same one the buyer posted.
 */
import {
  disputeCircuitInput,
  type DisputeWitnessSource,
  type FeatureDisputeCircuitInput,
} from "./dataCommitment.ts";
import { FeatureRangeError, NARROW_LANE_BITS, featuresDigest, type QuantizedFeatures } from "./featuresDigest.ts";

/** What the buyer feeds a feature circuit: the witness source with the features instead of their digest. */
export interface FeatureWitnessSource extends Omit<DisputeWitnessSource, "featuresDigest"> {
  /** The quantized features, samples x fields.featureCount, each in [0, 2^fields.featureBits). */
  features: QuantizedFeatures;
}

/** The circuits a feature circuit of `featureColumns` columns can prove: the listing's shape fits. */
export function fitsFeatureCircuit(shape: { featureCount: number; featureBits: number }, featureColumns: number): boolean {
  return shape.featureCount <= featureColumns && shape.featureBits <= NARROW_LANE_BITS;
}

/**
 * Builds the input of the feature circuit holding `circuitSize` (N) samples of `featureColumns`
 * (F) features. Throws when the listing's shape does not fit the circuit, or (FeatureRangeError)
 * when a feature is out of the listing's range.
 */
export function featureCircuitInput(
  source: FeatureWitnessSource,
  circuitSize: number,
  featureColumns: number,
): FeatureDisputeCircuitInput {
  const { features, fields } = source;
  if (!fitsFeatureCircuit(fields, featureColumns)) {
    throw new RangeError(
      `a listing with ${fields.featureCount} features of ${fields.featureBits} bits does not fit a feature circuit of ${featureColumns} features of at most ${NARROW_LANE_BITS} bits`,
    );
  }
  if (features.length !== source.labels.length) {
    throw new FeatureRangeError(`${features.length} feature rows for ${source.labels.length} labels`);
  }
  const digest = featuresDigest(features, fields);
  const { featuresDigest: _taken, ...input } = disputeCircuitInput({ ...source, featuresDigest: digest }, circuitSize);
  const flat: string[] = [];
  for (let i = 0; i < circuitSize; i++) {
    for (let f = 0; f < featureColumns; f++) flat.push(String(features[i]?.[f] ?? 0));
  }
  return { ...input, features: flat };
}
