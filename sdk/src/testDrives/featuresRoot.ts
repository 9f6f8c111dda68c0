/**
 * The features root D of docs/DISPUTES.md §3: a binary Poseidon(2) Merkle tree of depth 10 over
 * the sample digests d_0..d_{n-1} (sampleDigest.ts), leaves n..1023 are 0. D enters the v2
 * dataCommitment; opening sample j publishes d_j's preimage and the 10 siblings of its path,
 * which the contest circuit checks against D.
 */
import { merkleLevels, merklePath, merkleRoot, verifyMerklePath } from "./poseidonMerkle.ts";

/** Depth of the features tree: a test set has at most 2^10 = 1,024 samples. */
export const FEATURES_TREE_DEPTH = 10;
export const MAX_TREE_SAMPLES = 2 ** FEATURES_TREE_DEPTH;

function requireDigests(digests: readonly bigint[]): void {
  if (digests.length < 1 || digests.length > MAX_TREE_SAMPLES) {
    throw new RangeError(`a test set has 1 to ${MAX_TREE_SAMPLES} samples, got ${digests.length}`);
  }
}

/** D over the sample digests d_0..d_{n-1}. */
export function featuresRoot(digests: readonly bigint[]): bigint {
  requireDigests(digests);
  return merkleRoot(digests, FEATURES_TREE_DEPTH);
}

/** The 10 siblings of sample `index`'s digest, leaf level first (what an opening publishes). */
export function featuresPath(digests: readonly bigint[], index: number): bigint[] {
  requireDigests(digests);
  if (!Number.isInteger(index) || index < 0 || index >= digests.length) throw new RangeError(`sample ${index} is not one of the ${digests.length}`);
  return merklePath(digests, FEATURES_TREE_DEPTH, index);
}

/** Whether digest `digest` of sample `index` reaches the root `root` along `siblings`. */
export function verifyFeaturesPath(root: bigint, digest: bigint, index: number, siblings: readonly bigint[]): boolean {
  return siblings.length === FEATURES_TREE_DEPTH && verifyMerklePath(root, digest, index, siblings);
}

/** Every level of the tree (leaves first), for callers that open many samples. */
export function featuresTree(digests: readonly bigint[]): bigint[][] {
  requireDigests(digests);
  return merkleLevels(digests, FEATURES_TREE_DEPTH);
}
