/**
 * What a seller hands its worker for one purchase so that the worker can deliver on its behalf
 * (docs/PROTOCOL.md §5.2): the delivery file the buyer fetches (deliveryFile.ts) and the one-time
 * key the worker reveals on-chain once the buyer accepts. Layout: the 8-byte magic "MBZDPK01",
 * the 32-byte key, then the delivery file. The worker checks both against the on-chain
 * commitment before it keeps them, so it never holds a delivery the chain would refuse.
 */
import { bytesToHex, hexToBytes, type Hex } from "viem";
import { ChunkTree, keyHash } from "./chunkMerkle.ts";
import { DeliveryFileError, decodeDeliveryFile, type DeliveryFile } from "./deliveryFile.ts";

const MAGIC = new TextEncoder().encode("MBZDPK01");
const KEY_SIZE = 32;

export interface DeliveryPackage {
  readonly key: Hex;
  /** The encoded delivery file, as the buyer receives it. */
  readonly file: Uint8Array;
}

/** A delivery package, opened and checked for shape. */
export interface OpenedDeliveryPackage extends DeliveryPackage {
  readonly delivery: DeliveryFile;
  readonly ciphertextRoot: Hex;
  readonly keyHash: Hex;
}

export function encodeDeliveryPackage({ key, file }: DeliveryPackage): Uint8Array {
  const keyBytes = hexToBytes(key);
  if (keyBytes.length !== KEY_SIZE) throw new DeliveryFileError("a delivery key is 32 bytes");
  const bytes = new Uint8Array(MAGIC.length + KEY_SIZE + file.length);
  bytes.set(MAGIC, 0);
  bytes.set(keyBytes, MAGIC.length);
  bytes.set(file, MAGIC.length + KEY_SIZE);
  return bytes;
}

/** Opens a package; throws {DeliveryFileError} with the reason when it is not one. */
export function decodeDeliveryPackage(bytes: Uint8Array): OpenedDeliveryPackage {
  if (bytes.length < MAGIC.length + KEY_SIZE || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new DeliveryFileError("it is not a ModelBazaar delivery package (a key and a delivery file)");
  }
  const keyBytes = bytes.slice(MAGIC.length, MAGIC.length + KEY_SIZE);
  const file = bytes.slice(MAGIC.length + KEY_SIZE);
  const delivery = decodeDeliveryFile(file);
  return { key: bytesToHex(keyBytes), file, delivery, ciphertextRoot: ChunkTree.fromChunks(delivery.ciphertext).root, keyHash: keyHash(keyBytes) };
}
