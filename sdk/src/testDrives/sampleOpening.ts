/**
 * A buyer's opening of one sample of a contested refund (docs/DISPUTES.md §5.2–5.3): the sample's
 * features, σ_j and d_j's path in the features root D, with the prediction the buyer committed
 * there; and the form `RefundDisputes.openSamples` and `proveMismatch` take it in (features as
 * two bytes each, big-endian).
 */
import { bytesToHex, encodeAbiParameters, hexToBytes, keccak256, type Hex } from "viem";
import type { SampleOpening } from "../disputes/contestLinearInput.ts";
import { sampleSalt } from "./derivedSalts.ts";
import { requireQuantizedFeatures, type FeatureShape, type QuantizedFeatures } from "./featureRows.ts";
import { FEATURES_TREE_DEPTH, featuresPath } from "./featuresRoot.ts";
import { sampleDigest } from "./sampleDigest.ts";

/** A test set as its buyer keeps it: the quantized features, their shape and the master salt. */
export interface OpenableTestSet {
  features: QuantizedFeatures;
  shape: FeatureShape;
  salt: bigint;
}

/** d_j's siblings in D, leaf level first: the contract's `uint256[10]`. */
export type FeaturesPathSiblings = readonly [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];

/** The contract's `OpenedSample`. */
export interface OpenedSampleCalldata {
  index: number;
  prediction: number;
  sigma: bigint;
  siblings: FeaturesPathSiblings;
  features: Hex;
}

/** `IRefundDisputes.Opening`: what the buyer posts to `openSamples` (prepareSampleOpening) and the audit reads back from its calldata. */
export interface OpeningCalldata {
  readonly buyerSecret: Hex;
  readonly featuresRoot: bigint;
  readonly labels: readonly number[];
  readonly predictions: readonly number[];
  readonly samples: readonly OpenedSampleCalldata[];
}

/** The sample digests d_0..d_{n-1} of a test set (the leaves of D). */
export function sampleDigests(set: OpenableTestSet): bigint[] {
  requireQuantizedFeatures(set.features, set.shape);
  return set.features.map((row, i) => sampleDigest(i, row, sampleSalt(set.salt, i), set.shape));
}

/** The opening of sample `index` with the buyer's committed `prediction` there. */
export function sampleOpening(set: OpenableTestSet, digests: readonly bigint[], index: number, prediction: number): SampleOpening {
  const features = set.features[index];
  if (features === undefined) throw new RangeError(`sample ${index} is not one of the ${set.features.length}`);
  return { index, features: [...features], sigma: sampleSalt(set.salt, index), siblings: featuresPath(digests, index), prediction };
}

/** Features as the contract takes them: each a 2-byte big-endian value. */
export function encodeSampleFeatures(features: readonly number[]): Hex {
  const bytes = new Uint8Array(2 * features.length);
  features.forEach((q, i) => {
    if (!Number.isInteger(q) || q < 0 || q >= 2 ** 16) throw new RangeError(`feature ${i} = ${q} is not a 2-byte value`);
    bytes[2 * i] = q >> 8;
    bytes[2 * i + 1] = q & 0xff;
  });
  return bytesToHex(bytes);
}

/** The features of a contract-encoded opening (the inverse of {encodeSampleFeatures}). */
export function decodeSampleFeatures(encoded: Hex): number[] {
  const bytes = hexToBytes(encoded);
  if (bytes.length % 2 !== 0) throw new RangeError(`encoded features are 2 bytes each, got ${bytes.length} bytes`);
  return Array.from({ length: bytes.length / 2 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
}

/**
 * A posted sample's hash, as `RefundDisputes` stores it (the hash of all of them) and
 * `proveMismatch` checks it: keccak256(abi.encode(index, prediction, σ, siblings, features)).
 */
export function openedSampleHash(sample: OpenedSampleCalldata): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "uint16" }, { type: "uint16" }, { type: "uint256" }, { type: "uint256[10]" }, { type: "bytes" }],
      [sample.index, sample.prediction, sample.sigma, sample.siblings, sample.features],
    ),
  );
}

/** An opening in the contract's form. */
export function openedSampleCalldata(opening: SampleOpening): OpenedSampleCalldata {
  const { siblings } = opening;
  if (siblings.length !== FEATURES_TREE_DEPTH) throw new RangeError(`an opening has ${FEATURES_TREE_DEPTH} siblings, got ${siblings.length}`);
  return {
    index: opening.index,
    prediction: opening.prediction,
    sigma: opening.sigma,
    siblings: siblings as unknown as FeaturesPathSiblings,
    features: encodeSampleFeatures(opening.features),
  };
}
