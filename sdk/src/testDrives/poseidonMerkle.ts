/**
 * The binary Poseidon(2) Merkle tree both dispute commitments use: the features root D over
 * sample digests (featuresRoot.ts, depth 10) and the plan's rowsRoot over row digests
 * (disputes/planCommitment.ts, depth 4). circuits/merklePath.circom is the in-circuit twin.
 *
 *   leaf k          = leaves[k] for k < leaves.length, 0 beyond (up to 2^depth leaves)
 *   parent(l, r)    = Poseidon(l, r)
 *   path of leaf k  = its sibling at each level, leaf level first; bit t of k says whether
 *                     the node at level t is a right child (1) or a left one (0)
 */
import { poseidon2 } from "poseidon-lite/poseidon2";
import { SNARK_SCALAR_FIELD } from "./fieldElement.ts";

/** The levels of a tree: index 0 the leaves (padded with 0 to 2^depth), the last one [root]. */
export function merkleLevels(leaves: readonly bigint[], depth: number): bigint[][] {
  if (!Number.isInteger(depth) || depth < 1 || depth > 32) throw new RangeError(`depth must be an integer in [1, 32], got ${depth}`);
  if (leaves.length > 2 ** depth) throw new RangeError(`${leaves.length} leaves do not fit a tree of depth ${depth}`);
  leaves.forEach((leaf, k) => {
    if (leaf < 0n || leaf >= SNARK_SCALAR_FIELD) throw new RangeError(`leaf ${k} is not a BN254 field element`);
  });
  // Only the nodes above real leaves are hashed; every other node is the root of an all-zero subtree.
  let zero = 0n;
  let level = [...leaves];
  const levels = [level];
  for (let t = 0; t < depth; t++) {
    const next: bigint[] = [];
    for (let k = 0; k < level.length; k += 2) next.push(poseidon2([level[k]!, level[k + 1] ?? zero]));
    zero = poseidon2([zero, zero]);
    level = next.length > 0 ? next : [zero];
    levels.push(level);
  }
  return levels;
}

/** The root of the tree over `leaves`. */
export function merkleRoot(leaves: readonly bigint[], depth: number): bigint {
  return merkleLevels(leaves, depth)[depth]![0]!;
}

/** The siblings of leaf `index`, leaf level first. */
export function merklePath(leaves: readonly bigint[], depth: number, index: number): bigint[] {
  if (!Number.isInteger(index) || index < 0 || index >= 2 ** depth) throw new RangeError(`leaf index ${index} is outside a tree of depth ${depth}`);
  const levels = merkleLevels(leaves, depth);
  let zero = 0n;
  const siblings: bigint[] = [];
  for (let t = 0; t < depth; t++) {
    siblings.push(levels[t]![(index >> t) ^ 1] ?? zero);
    zero = poseidon2([zero, zero]);
  }
  return siblings;
}

/** The root that `leaf` at `index` reaches along `siblings`. */
export function merkleRootFromPath(leaf: bigint, index: number, siblings: readonly bigint[]): bigint {
  let node = leaf;
  siblings.forEach((sibling, t) => {
    node = ((index >> t) & 1) === 0 ? poseidon2([node, sibling]) : poseidon2([sibling, node]);
  });
  return node;
}

/** Whether `leaf` at `index` reaches `root` along `siblings` (one per level). */
export function verifyMerklePath(root: bigint, leaf: bigint, index: number, siblings: readonly bigint[]): boolean {
  if (!Number.isInteger(index) || index < 0 || index >= 2 ** siblings.length) return false;
  return merkleRootFromPath(leaf, index, siblings) === root;
}
