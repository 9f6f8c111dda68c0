/**
 * A backdoor watermark's reveal (Adi et al. 2018): the secret trigger inputs, the label the
 * watermarked model gives each, and a random salt, as the seller keeps them and shows them in
 * an ownership dispute; its digest, and the commitment a listing's `watermarkCommitment` holds
 * (docs/PROTOCOL.md §7):
 *
 *   digest     = keccak256(abi.encode(WATERMARK_DOMAIN, uint32 featureCount, uint32 classCount,
 *                                     bytes labels, bytes inputs, bytes32 salt))
 *   commitment = keccak256(abi.encode(WATERMARK_DOMAIN, address seller, bytes32 digest))
 *
 * with WATERMARK_DOMAIN = keccak256("ModelBazaar watermark v1"), `labels` one byte per trigger
 * and `inputs` the triggers' features as float32 little-endian, trigger after trigger. The
 * salt hides the trigger set until it is revealed (a guessed trigger set cannot be checked
 * against the commitment). The seller's address binds the claim to the account that listed:
 * a commitment copied into another account's listing (even one front-run into an earlier
 * block) is not opened by the reveal for that account. The file is JSON: {kind, version,
 * featureCount, classCount, salt, labels, inputs (0x-hex of the float32 bytes), digest}.
 */
import { bytesToHex, encodeAbiParameters, hexToBytes, isHex, keccak256, toHex, type Address, type Hex } from "viem";

export const WATERMARK_DOMAIN: Hex = keccak256(toHex("ModelBazaar watermark v1"));
export const WATERMARK_REVEAL_KIND = "modelbazaar-watermark-reveal";

export interface WatermarkReveal {
  readonly featureCount: number;
  readonly classCount: number;
  /** The trigger inputs, row-major, float32 values. */
  readonly inputs: Float32Array;
  /** The label the watermarked model gives each trigger. */
  readonly labels: Uint8Array;
  /** 32 random bytes. */
  readonly salt: Hex;
}

/** A reveal file that is not one, or contradicts itself. */
export class WatermarkRevealError extends Error {
  override readonly name = "WatermarkRevealError";
}

export function triggerCount(reveal: WatermarkReveal): number {
  return reveal.labels.length;
}

/** The commitment a listing by `seller` holds for this reveal. */
export function watermarkCommitment(reveal: WatermarkReveal, seller: Address): Hex {
  return keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "address" }, { type: "bytes32" }], [WATERMARK_DOMAIN, seller, watermarkDigest(reveal)]));
}

/** The hash of the trigger set, its labels, the task's sizes and the salt: what the reveal file records of itself. */
export function watermarkDigest(reveal: WatermarkReveal): Hex {
  const inputs = float32Bytes(reveal.inputs);
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "uint32" }, { type: "uint32" }, { type: "bytes" }, { type: "bytes" }, { type: "bytes32" }],
      [WATERMARK_DOMAIN, reveal.featureCount, reveal.classCount, bytesToHex(reveal.labels), bytesToHex(inputs), reveal.salt],
    ),
  );
}

/** The reveal as its JSON file, with its digest. */
export function serializeWatermarkReveal(reveal: WatermarkReveal): string {
  const inputs = float32Bytes(reveal.inputs);
  return `${JSON.stringify(
    {
      kind: WATERMARK_REVEAL_KIND,
      version: 1,
      featureCount: reveal.featureCount,
      classCount: reveal.classCount,
      salt: reveal.salt,
      digest: watermarkDigest(reveal),
      labels: [...reveal.labels],
      inputs: bytesToHex(inputs),
    },
    null,
    1,
  )}\n`;
}

/** Reads a reveal file; `source` names it in every refusal. */
export function parseWatermarkReveal(text: string, source: string): WatermarkReveal {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WatermarkRevealError(`${source} is not JSON, so not a watermark reveal file`);
  }
  const file = json as Record<string, unknown>;
  if (typeof json !== "object" || json === null || file.kind !== WATERMARK_REVEAL_KIND || file.version !== 1) {
    throw new WatermarkRevealError(`${source} is not a watermark reveal file (kind "${WATERMARK_REVEAL_KIND}", version 1), as \`node scripts/train/train.ts --watermark\` writes`);
  }
  const featureCount = positiveInteger(file.featureCount, "featureCount", source);
  const classCount = positiveInteger(file.classCount, "classCount", source);
  if (classCount < 2 || classCount > 256) throw new WatermarkRevealError(`${source}: "classCount" must be 2 to 256, got ${classCount}`);
  if (typeof file.salt !== "string" || !isHex(file.salt) || file.salt.length !== 66) throw new WatermarkRevealError(`${source}: "salt" must be 32 bytes of 0x-hex`);
  const labelList = file.labels;
  if (!Array.isArray(labelList) || labelList.length === 0 || !labelList.every((l) => Number.isInteger(l) && l >= 0 && l < classCount)) {
    throw new WatermarkRevealError(`${source}: "labels" must be a non-empty list of class indices below ${classCount}`);
  }
  if (typeof file.inputs !== "string" || !isHex(file.inputs)) throw new WatermarkRevealError(`${source}: "inputs" must be 0x-hex of float32 values`);
  const bytes = hexToBytes(file.inputs);
  if (bytes.length !== labelList.length * featureCount * 4) {
    throw new WatermarkRevealError(`${source}: "inputs" holds ${bytes.length} bytes, but ${labelList.length} triggers of ${featureCount} float32 features need ${labelList.length * featureCount * 4}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const inputs = Float32Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
  const notFinite = inputs.findIndex((value) => !Number.isFinite(value));
  if (notFinite >= 0) throw new WatermarkRevealError(`${source}: "inputs" value ${notFinite} is not a finite number, so no model's answer on it is evidence`);
  const reveal: WatermarkReveal = { featureCount, classCount, inputs, labels: Uint8Array.from(labelList as number[]), salt: file.salt };
  if (file.digest !== undefined && file.digest !== watermarkDigest(reveal)) {
    throw new WatermarkRevealError(`${source}: its "digest" ${String(file.digest)} is not the digest of its own contents (${watermarkDigest(reveal)}): the file was altered`);
  }
  return reveal;
}

/** The values as float32 little-endian bytes, the encoding the digest hashes. */
function float32Bytes(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return bytes;
}

function positiveInteger(value: unknown, field: string, source: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) throw new WatermarkRevealError(`${source}: "${field}" must be a positive whole number`);
  return value;
}
