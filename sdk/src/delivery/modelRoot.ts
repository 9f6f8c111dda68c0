/**
 * A model file's on-chain commitment: the chunk Merkle root and byte size a listing's
 * `modelRoot` and `modelSize` hold for the listed model (docs/PROTOCOL.md §5), and what a
 * worker's CopyReceipt names for a buyer's fingerprinted copy (§7.2). One function, so the
 * listing and the copy are committed alike.
 */
import type { Hex } from "viem";
import { ChunkTree, toChunks } from "./chunkMerkle.ts";

export interface ModelRoot {
  /** The chunk Merkle root of the file's bytes (32-byte chunks, chunkMerkle.ts). */
  readonly root: Hex;
  /** The file's size in bytes. */
  readonly size: bigint;
}

/**
 * @example
 * const { root, size } = modelRootOf(readFileSync("models/iris-logreg.onnx"));
 */
export function modelRootOf(file: Uint8Array): ModelRoot {
  return { root: ChunkTree.fromChunks(toChunks(file)).root, size: BigInt(file.length) };
}
