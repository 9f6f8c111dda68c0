/**
 * The file commitment of fair delivery, byte for byte what `contracts/libraries/ChunkMerkle.sol`
 * computes: 32-byte chunks (the last zero-padded), leaf `keccak256(chunk)`, a tree of depth
 * `ceil(log2(chunkCount))` padded with zero leaves, parents `keccak256(left ++ right)`, and
 * the keystream word `keccak256(abi.encode(key, index))` that encrypts chunk `index` by XOR.
 */
import { bytesToHex, concatBytes, hexToBytes, keccak256, numberToBytes, type Hex } from "viem";

/** Bytes per chunk. */
export const CHUNK_SIZE = 32;

const ZERO_LEAF = new Uint8Array(32);

/** Splits a file into 32-byte chunks, zero-padding the last one. */
export function toChunks(file: Uint8Array): Uint8Array[] {
  if (file.length === 0) throw new RangeError("cannot chunk an empty file");
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < file.length; offset += CHUNK_SIZE) {
    const chunk = new Uint8Array(CHUNK_SIZE);
    chunk.set(file.subarray(offset, offset + CHUNK_SIZE));
    chunks.push(chunk);
  }
  return chunks;
}

/** Reassembles a file of `size` bytes from its chunks. */
export function fromChunks(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (size > chunks.length * CHUNK_SIZE) throw new RangeError(`${chunks.length} chunks cannot hold ${size} bytes`);
  return concatBytes([...chunks]).subarray(0, size);
}

/** Number of chunks of a file of `size` bytes. */
export function chunkCount(size: number): number {
  return Math.ceil(size / CHUNK_SIZE);
}

/** Depth of the tree over `count` leaves: the smallest d with 2**d >= count. */
export function treeDepth(count: number): number {
  let depth = 0;
  while (2 ** depth < count) depth++;
  return depth;
}

/** The leaf of a chunk. */
export function chunkLeaf(chunk: Uint8Array): Uint8Array {
  return keccak256(chunk, "bytes");
}

/** The keystream word that encrypts chunk `index` under `key`. */
export function keystream(key: Uint8Array, index: number): Uint8Array {
  return keccak256(concatBytes([key, numberToBytes(index, { size: 32 })]), "bytes");
}

/** Encrypts (or decrypts: XOR is its own inverse) chunks with the one-time `key`. */
export function xorChunks(chunks: readonly Uint8Array[], key: Uint8Array): Uint8Array[] {
  return chunks.map((chunk, index) => {
    const stream = keystream(key, index);
    return chunk.map((byte, i) => byte ^ stream[i]!);
  });
}

/** The hash the market stores for a key: `keccak256(abi.encode(key))`. */
export function keyHash(key: Uint8Array): Hex {
  return keccak256(key);
}

/** A Merkle tree over chunks, keeping every level so proofs are cheap. */
export class ChunkTree {
  /** levels[0] are the leaves (padded to a power of two), the last level is the root. */
  private readonly levels: Uint8Array[][];

  private constructor(levels: Uint8Array[][]) {
    this.levels = levels;
  }

  /** Builds the tree over the leaves of `chunks`. */
  static fromChunks(chunks: readonly Uint8Array[]): ChunkTree {
    return ChunkTree.fromLeaves(chunks.map(chunkLeaf));
  }

  /** Builds the tree over precomputed leaves. */
  static fromLeaves(leaves: readonly Uint8Array[]): ChunkTree {
    if (leaves.length === 0) throw new RangeError("a tree needs at least one leaf");
    const width = 2 ** treeDepth(leaves.length);
    let level = [...leaves];
    while (level.length < width) level.push(ZERO_LEAF);
    const levels = [level];
    while (level.length > 1) {
      const next: Uint8Array[] = [];
      for (let i = 0; i < level.length; i += 2) next.push(keccak256(concatBytes([level[i]!, level[i + 1]!]), "bytes"));
      levels.push(next);
      level = next;
    }
    return new ChunkTree(levels);
  }

  /** Number of levels above the leaves. */
  get depth(): number {
    return this.levels.length - 1;
  }

  get root(): Hex {
    return bytesToHex(this.levels[this.depth]![0]!);
  }

  /** The leaf at `index`. */
  leaf(index: number): Hex {
    return bytesToHex(this.nodeAt(0, index));
  }

  /** The sibling path of leaf `index`, from the leaves up. */
  proof(index: number): Hex[] {
    const path: Hex[] = [];
    for (let level = 0; level < this.depth; level++) path.push(bytesToHex(this.nodeAt(level, (index >> level) ^ 1)));
    return path;
  }

  private nodeAt(level: number, index: number): Uint8Array {
    const node = this.levels[level]?.[index];
    if (node === undefined) throw new RangeError(`no node ${index} at level ${level}`);
    return node;
  }
}

/** Recomputes a root from a leaf, its index and its sibling path (as the contract does). */
export function rootFromProof(leaf: Hex, index: number, proof: readonly Hex[]): Hex {
  let node = hexToBytes(leaf);
  proof.forEach((sibling, level) => {
    const s = hexToBytes(sibling);
    node = keccak256((index >> level) & 1 ? concatBytes([s, node]) : concatBytes([node, s]), "bytes");
  });
  return bytesToHex(node);
}
