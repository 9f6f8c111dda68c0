/**
 * The buyer's side of fair delivery: check a received ciphertext, decrypt it with the revealed
 * key, and, if a chunk does not match the listing's model root, build the proof of misbehaviour
 * the market's `complain` takes.
 */
import { bytesToHex, hexToBytes, type Hex } from "viem";
import { ChunkTree, chunkLeaf, fromChunks, xorChunks } from "./chunkMerkle.js";

/** The argument of `ModelMarket.complain`. */
export interface Complaint {
  ciphertextRoot: Hex;
  key: Hex;
  index: bigint;
  ciphertextChunk: Hex;
  ciphertextProof: Hex[];
  plaintextLeaf: Hex;
  plaintextProof: Hex[];
}

/** What decrypting a delivery found. */
export type DeliveryCheck =
  | { ok: true; file: Uint8Array }
  | { ok: false; badChunk: number; complaint: Complaint };

/**
 * Decrypts `ciphertext` (its chunks) with `key` and compares every chunk with `modelLeaves`,
 * the leaves of the listing's model tree, which the seller hands over with the ciphertext and
 * the buyer checks against `modelRoot` before accepting.
 */
export function checkDelivery(params: {
  ciphertext: readonly Uint8Array[];
  key: Hex;
  modelLeaves: readonly Uint8Array[];
  modelSize: number;
}): DeliveryCheck {
  const { ciphertext, key, modelLeaves, modelSize } = params;
  if (ciphertext.length !== modelLeaves.length) {
    throw new RangeError(`ciphertext has ${ciphertext.length} chunks, the model ${modelLeaves.length}`);
  }
  const plain = xorChunks(ciphertext, hexToBytes(key));
  const badChunk = plain.findIndex((chunk, i) => bytesToHex(chunkLeaf(chunk)) !== bytesToHex(modelLeaves[i]!));
  if (badChunk === -1) return { ok: true, file: fromChunks(plain, modelSize) };
  const cipherTree = ChunkTree.fromChunks(ciphertext);
  const modelTree = ChunkTree.fromLeaves(modelLeaves);
  return {
    ok: false,
    badChunk,
    complaint: {
      ciphertextRoot: cipherTree.root,
      key,
      index: BigInt(badChunk),
      ciphertextChunk: bytesToHex(ciphertext[badChunk]!),
      ciphertextProof: cipherTree.proof(badChunk),
      plaintextLeaf: modelTree.leaf(badChunk),
      plaintextProof: modelTree.proof(badChunk),
    },
  };
}
