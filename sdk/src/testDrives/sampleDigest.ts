/**
 * The sample digest d_i of docs/DISPUTES.md §3: one hiding field element per test sample,
 * the leaves of the features root D (featuresRoot.ts). Opening sample i publishes its features,
 * σ_i and D's path, and nothing about other samples; the contest circuit
 * (circuits/contestLinear.circom) recomputes d_i from exactly those.
 *
 *   head  = Poseidon(SAMPLE_DOMAIN, i, featureCount, σ_i)
 *   words = the sample's quantized features packed by featureRows.ts: 16-bit lanes, 15 per
 *           word, least significant first, for featureBits <= 16 (every contestable listing);
 *           32-bit lanes, 7 per word, for wider features
 *   d_i   = the last state of poseidonChain(head, words)
 *
 * σ_i = Poseidon(DOMAIN_SIGMA, salt, i) is derived from the buyer's master salt by the v2
 * commitments; this module takes it as given, so it does not depend on how it was made.
 */
import { poseidon4 } from "poseidon-lite/poseidon4";
import { SNARK_SCALAR_FIELD } from "./fieldElement.ts";
import { packFeatureRow, requireQuantizedFeatures, type FeatureShape } from "./featureRows.ts";
import { asciiDomain, poseidonChain } from "./poseidonChain.ts";

/** Domain separator of a sample digest's head: the ASCII bytes of the tag, big-endian. */
export const SAMPLE_DOMAIN_TAG = "ModelBazaar.sampleDigest.v2";
export const SAMPLE_DOMAIN = asciiDomain(SAMPLE_DOMAIN_TAG);

/** The packed words of one sample's quantized features (what an opening publishes). */
export function sampleWords(features: readonly number[], shape: FeatureShape): bigint[] {
  requireQuantizedFeatures([features], shape);
  return packFeatureRow(features, shape.featureBits);
}

/**
 * d_i for sample `index` with quantized features `features` (each in [0, 2^featureBits), exactly
 * `featureCount` of them) and per-sample salt `sigma`. Throws a FeatureRangeError for a feature
 * out of range, a RangeError for a bad index or salt.
 *
 * @example
 * const d = sampleDigest(0, [2100, 1900, 1380, 1050], sigma0, { featureCount: 4, featureBits: 12 });
 */
export function sampleDigest(index: number, features: readonly number[], sigma: bigint, shape: FeatureShape): bigint {
  if (!Number.isInteger(index) || index < 0 || index >= 2 ** 32) throw new RangeError(`sample index must be an integer in [0, 2^32), got ${index}`);
  if (sigma < 0n || sigma >= SNARK_SCALAR_FIELD) throw new RangeError("sigma must be a BN254 field element");
  const words = sampleWords(features, shape);
  const chain = poseidonChain(poseidon4([SAMPLE_DOMAIN, BigInt(index), BigInt(shape.featureCount), sigma]), words);
  return chain[chain.length - 1]!;
}
