/**
 * The buyer's side of fair delivery:
 * 1. before accepting, {checkCiphertext}: the ciphertext and the model leaves the seller sent
 *    must match the committed ciphertext root and the model root: the listing's, or the buyer's
 *    copy's when the seller committed one (docs/PROTOCOL.md §7.2) (reject otherwise);
 * 2. after the key is revealed, {checkDelivery}: decrypt and, if a chunk does not match its
 *    leaf, get the proof of misbehaviour that `ModelMarket.complain` takes.
 */
import { bytesToHex, hexToBytes, type Hex } from "viem";
import { ChunkTree, chunkCount, chunkLeaf, fromChunks, xorChunks } from "./chunkMerkle.ts";

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

/** What the buyer received and what the chain says it should be. */
export interface ReceivedDelivery {
  ciphertext: readonly Uint8Array[];
  modelLeaves: readonly Uint8Array[];
  /** From the `DeliveryCommitted` event. */
  ciphertextRoot: Hex;
  /** From the listing's terms, or from `CopyCommitted` when the delivery is the buyer's own copy. */
  modelRoot: Hex;
  modelSize: number;
  /** True when `modelRoot` is the root of a per-buyer copy (`CopyCommitted`), not the listing's. */
  copy?: boolean;
}

/** What the model root of a delivery is, in a sentence. */
export function modelRootName(received: Pick<ReceivedDelivery, "copy">): string {
  return received.copy ? "the root of your copy committed for this purchase" : "the listing's model root";
}

/** Why a delivery must be rejected before accepting, or `ok`. */
export type CiphertextCheck = { ok: true } | { ok: false; reason: string };

/** Checks a delivery before `acceptDelivery`; a failure means `rejectDelivery`. */
export function checkCiphertext(received: ReceivedDelivery): CiphertextCheck {
  const expected = chunkCount(received.modelSize);
  if (received.ciphertext.length !== expected) {
    return { ok: false, reason: `the ciphertext has ${received.ciphertext.length} chunks, the model ${expected}` };
  }
  if (received.modelLeaves.length !== expected) {
    return { ok: false, reason: `${received.modelLeaves.length} model leaves were sent, the model has ${expected} chunks` };
  }
  if (ChunkTree.fromChunks(received.ciphertext).root !== received.ciphertextRoot.toLowerCase()) {
    return { ok: false, reason: "the ciphertext does not hash to the committed ciphertext root" };
  }
  if (ChunkTree.fromLeaves(received.modelLeaves).root !== received.modelRoot.toLowerCase()) {
    return { ok: false, reason: `the model leaves do not hash to ${modelRootName(received)}` };
  }
  return { ok: true };
}

/** What decrypting a delivery found. */
export type DeliveryCheck = { ok: true; file: Uint8Array } | { ok: false; badChunk: number; complaint: Complaint };

/**
 * Decrypts a delivery that passed {checkCiphertext} with the revealed `key` and compares every
 * chunk with its model leaf. Throws if the delivery does not pass {checkCiphertext}: a buyer
 * who accepted such a delivery has no proof to complain with.
 */
export function checkDelivery(received: ReceivedDelivery & { key: Hex }): DeliveryCheck {
  const precheck = checkCiphertext(received);
  if (!precheck.ok) throw new DeliveryCheckError(precheck.reason);
  const { ciphertext, key, modelLeaves, modelSize } = received;
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

/** A delivery that should have been rejected before accepting. */
export class DeliveryCheckError extends Error {
  override readonly name = "DeliveryCheckError";
}
