/**
 * The seller's side of fair delivery: encrypt the model under a fresh one-time key and
 * produce what `ModelMarket.commitDelivery` takes and what the buyer needs to check it.
 */
import { bytesToHex, type Hex } from "viem";
import { ChunkTree, chunkLeaf, keyHash, toChunks, xorChunks } from "./chunkMerkle.ts";

/** Everything one delivery needs; `key` stays secret until `revealKey`. */
export interface PreparedDelivery {
  key: Hex;
  keyHash: Hex;
  /** The encrypted chunks, sent to the buyer off-chain. */
  ciphertext: Uint8Array[];
  ciphertextRoot: Hex;
  /** Leaves of the model tree (they hash up to the listing's `modelRoot`), sent with the ciphertext. */
  modelLeaves: Uint8Array[];
}

/**
 * A fresh 32-byte key from the platform's CSPRNG. Never reuse one: a revealed key is public,
 * and a later buyer holding a ciphertext under the same key could decrypt it before paying
 * and then reject the delivery.
 */
export function newDeliveryKey(): Hex {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
}

/** Encrypts `file` for one purchase under a fresh key (or `key`, for reproducible tests). */
export function prepareDelivery(file: Uint8Array, key: Hex = newDeliveryKey()): PreparedDelivery {
  const keyBytes = hexBytes(key);
  const chunks = toChunks(file);
  const ciphertext = xorChunks(chunks, keyBytes);
  return {
    key,
    keyHash: keyHash(keyBytes),
    ciphertext,
    ciphertextRoot: ChunkTree.fromChunks(ciphertext).root,
    modelLeaves: chunks.map(chunkLeaf),
  };
}

function hexBytes(hex: Hex): Uint8Array {
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) throw new TypeError("a delivery key is 32 bytes of hex");
  return Uint8Array.from(Buffer.from(hex.slice(2), "hex"));
}
