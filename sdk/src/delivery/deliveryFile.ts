/**
 * The file a seller hands the buyer for one purchase (docs/PROTOCOL.md §5.2, step 2): the
 * encrypted chunks and the leaves of the model tree, which is all {checkCiphertext} and
 * {checkDelivery} need besides what the chain says. Layout: the 8-byte magic "MBZDLV01", the
 * purchase id (uint64), the model size (uint64) and the chunk count (uint32), big-endian, then
 * the ciphertext chunks and the model leaves, 32 bytes each.
 */
import { CHUNK_SIZE, chunkCount } from "./chunkMerkle.ts";

const MAGIC = new TextEncoder().encode("MBZDLV01");
const HEADER_SIZE = MAGIC.length + 8 + 8 + 4;

export interface DeliveryFile {
  purchaseId: bigint;
  modelSize: number;
  ciphertext: Uint8Array[];
  modelLeaves: Uint8Array[];
}

export class DeliveryFileError extends Error {
  override readonly name = "DeliveryFileError";
}

/** The size in bytes of the delivery file of a `modelSize`-byte model: what a buyer takes from a worker at most. */
export function deliveryFileSize(modelSize: number): number {
  return HEADER_SIZE + 2 * chunkCount(modelSize) * CHUNK_SIZE;
}

export function encodeDeliveryFile({ purchaseId, modelSize, ciphertext, modelLeaves }: DeliveryFile): Uint8Array {
  const count = chunkCount(modelSize);
  if (ciphertext.length !== count || modelLeaves.length !== count) throw new DeliveryFileError(`a ${modelSize}-byte model has ${count} chunks and leaves`);
  const bytes = new Uint8Array(deliveryFileSize(modelSize));
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setBigUint64(MAGIC.length, purchaseId);
  view.setBigUint64(MAGIC.length + 8, BigInt(modelSize));
  view.setUint32(MAGIC.length + 16, count);
  [...ciphertext, ...modelLeaves].forEach((block, i) => bytes.set(block, HEADER_SIZE + i * CHUNK_SIZE));
  return bytes;
}

export function decodeDeliveryFile(bytes: Uint8Array): DeliveryFile {
  if (bytes.length < HEADER_SIZE || MAGIC.some((b, i) => bytes[i] !== b)) throw new DeliveryFileError("it is not a ModelBazaar delivery file");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const purchaseId = view.getBigUint64(MAGIC.length);
  const modelSize = Number(view.getBigUint64(MAGIC.length + 8));
  const count = view.getUint32(MAGIC.length + 16);
  if (count !== chunkCount(modelSize) || bytes.length !== deliveryFileSize(modelSize)) throw new DeliveryFileError("the delivery file is truncated or malformed");
  const block = (i: number) => bytes.slice(HEADER_SIZE + i * CHUNK_SIZE, HEADER_SIZE + (i + 1) * CHUNK_SIZE);
  return {
    purchaseId,
    modelSize,
    ciphertext: Array.from({ length: count }, (_, i) => block(i)),
    modelLeaves: Array.from({ length: count }, (_, i) => block(count + i)),
  };
}
