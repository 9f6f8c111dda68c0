/**
 * The versioned binary wire format of a test-drive's HE traffic (no SEAL needed to read it):
 * the buyer's upload {parameters, relinearization keys, sample count, batches of
 * ciphertexts} and the worker's result. Every variable part has an explicit length, and the
 * header carries the parameters' fingerprint, so a receiver refuses a foreign, truncated or
 * miscounted container before SEAL parses a single ciphertext. Uploads are parsed through a
 * {ByteSource}, so the worker can check a large one on disk (readUploadLayout) reading only
 * its fixed fields and length prefixes. Every count is checked before anything is sized by it:
 * against the container itself (no empty dimension, the batch count that the sample and slot
 * counts imply, one 4-byte length prefix per declared ciphertext within the bytes left) and,
 * when the receiver says what it expects ({UploadExpectation}: the model's features and
 * parameters, the paid sample count), against that, so a few hostile bytes cannot make the
 * parser loop or allocate for billions of parts.
 *
 * Layout, little-endian:
 *   header  "MBHE" | u16 version | u16 kind (1 upload, 2 result) | 32-byte fingerprint
 *   upload  u32 N | u8 scaleBits | u8 maskScaleBits | u8 k | k x u8 chain bits
 *           | u32 relinKeysLength | relinKeys (0 bytes: none)
 *           | u32 samples | u32 features | u32 slots | u32 batches
 *           | batches x features x (u32 length | SEAL ciphertext)   (batch-major)
 *   result  u32 samples | u32 outputs | u32 slots | u32 firstBatch | u32 batches
 *           | batches x outputs x (u32 length | SEAL ciphertext)
 * A result's `samples` counts the scores that are valid (not masked) in its batches.
 */
import { HeError } from "./heError.ts";
import type { HeParameters } from "./parameters.ts";

export const CONTAINER_MAGIC = "MBHE";
export const CONTAINER_VERSION = 1;
const KIND_UPLOAD = 1;
const KIND_RESULT = 2;
const FINGERPRINT_BYTES = 32;
const HEADER_BYTES = 4 + 2 + 2 + FINGERPRINT_BYTES;

export interface HeUpload {
  readonly fingerprint: Uint8Array;
  readonly parameters: HeParameters;
  /** Serialized SEAL RelinKeys, or empty when the plan needs none. */
  readonly relinKeys: Uint8Array;
  readonly samples: number;
  readonly features: number;
  readonly slots: number;
  /** batches[b][i]: the serialized ciphertext of feature i for samples b*slots .. b*slots+slots-1. */
  readonly batches: readonly (readonly Uint8Array[])[];
}

export interface HeResult {
  readonly fingerprint: Uint8Array;
  /** Valid (unmasked) scores in these batches, counted from the first slot of `firstBatch`. */
  readonly samples: number;
  readonly outputs: number;
  readonly slots: number;
  /** Index of the first batch in the upload these results belong to. */
  readonly firstBatch: number;
  readonly batches: readonly (readonly Uint8Array[])[];
}

export function batchCountFor(samples: number, slots: number): number {
  return Math.ceil(samples / slots);
}

class Writer {
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  bytes(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.length += bytes.length;
  }

  private number(size: 1 | 2 | 4, value: number): void {
    const bytes = new Uint8Array(size);
    const view = new DataView(bytes.buffer);
    if (size === 1) view.setUint8(0, value);
    else if (size === 2) view.setUint16(0, value, true);
    else view.setUint32(0, value, true);
    this.bytes(bytes);
  }

  u8(value: number): void {
    this.number(1, value);
  }

  u16(value: number): void {
    this.number(2, value);
  }

  u32(value: number): void {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new HeError("invalid-argument", `${value} does not fit a 32-bit length or count field.`);
    }
    this.number(4, value);
  }

  lengthPrefixed(bytes: Uint8Array): void {
    this.u32(bytes.length);
    this.bytes(bytes);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
}

/**
 * Where a container's bytes come from: a buffer in memory, or (in the worker) a file on disk
 * read piece by piece, so that a large upload's layout can be checked without loading it.
 */
export interface ByteSource {
  readonly length: number;
  /** The `length` bytes at `offset`; the parser only asks for bytes within `this.length`. */
  read(offset: number, length: number): Uint8Array;
}

/** A source over bytes already in memory; its reads are views into them (no copy). */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return { length: bytes.length, read: (offset, length) => bytes.subarray(offset, offset + length) };
}

class Reader {
  private offset = 0;
  private readonly source: ByteSource;

  constructor(source: ByteSource) {
    this.source = source;
  }

  get remaining(): number {
    return this.source.length - this.offset;
  }

  private need(bytes: number, what: string): void {
    if (bytes > this.remaining) {
      throw new HeError(
        "truncated",
        `The HE container is truncated: ${what} needs ${bytes} bytes at offset ${this.offset}, but only ${this.remaining} remain.`,
      );
    }
  }

  bytes(length: number, what: string): Uint8Array {
    this.need(length, what);
    const out = this.source.read(this.offset, length);
    this.offset += length;
    return out;
  }

  /** Moves past `length` bytes without reading them (they must exist, as for `bytes`). */
  skip(length: number, what: string): void {
    this.need(length, what);
    this.offset += length;
  }

  private number(size: 1 | 2 | 4, what: string): number {
    const bytes = this.bytes(size, what);
    let value = 0;
    for (let i = size - 1; i >= 0; --i) value = value * 256 + bytes[i]!;
    return value;
  }

  u8(what: string): number {
    return this.number(1, what);
  }

  u16(what: string): number {
    return this.number(2, what);
  }

  u32(what: string): number {
    return this.number(4, what);
  }

  end(): void {
    if (this.remaining !== 0) {
      throw new HeError("count-mismatch", `The HE container has ${this.remaining} unexpected bytes after its last ciphertext.`);
    }
  }
}

/**
 * How the parser treats a length-prefixed part (relinearization keys, a ciphertext):
 * `keepPart` returns its bytes, `skipPart` only its length, so that the layout check and the
 * full decoder share one parse.
 */
type PartReader<Part> = (reader: Reader, what: string) => Part;

const keepPart: PartReader<Uint8Array> = (reader, what) => reader.bytes(reader.u32(`the length of ${what}`), what);

const skipPart: PartReader<number> = (reader, what) => {
  const length = reader.u32(`the length of ${what}`);
  reader.skip(length, what);
  return length;
};

function writeHeader(writer: Writer, kind: number, fingerprint: Uint8Array): void {
  if (fingerprint.length !== FINGERPRINT_BYTES) {
    throw new HeError("invalid-argument", `A parameters fingerprint has ${FINGERPRINT_BYTES} bytes, got ${fingerprint.length}.`);
  }
  writer.bytes(new TextEncoder().encode(CONTAINER_MAGIC));
  writer.u16(CONTAINER_VERSION);
  writer.u16(kind);
  writer.bytes(fingerprint);
}

function readHeader(reader: Reader, kind: number): Uint8Array {
  if (reader.remaining < HEADER_BYTES) {
    throw new HeError("truncated", `The HE container is truncated: ${reader.remaining} bytes, shorter than its ${HEADER_BYTES}-byte header.`);
  }
  const magic = new TextDecoder().decode(reader.bytes(4, "the magic"));
  if (magic !== CONTAINER_MAGIC) {
    throw new HeError("bad-magic", `This is not a ModelBazaar HE container (magic ${JSON.stringify(magic)}, expected "${CONTAINER_MAGIC}").`);
  }
  const version = reader.u16("the version");
  if (version !== CONTAINER_VERSION) {
    throw new HeError("bad-version", `HE container version ${version} is not supported (this build reads version ${CONTAINER_VERSION}).`);
  }
  const found = reader.u16("the kind");
  if (found !== kind) {
    const name = (k: number) => (k === KIND_UPLOAD ? "an upload" : k === KIND_RESULT ? "a result" : `kind ${k}`);
    throw new HeError("bad-magic", `Expected ${name(kind)} HE container, got ${name(found)}.`);
  }
  return reader.bytes(FINGERPRINT_BYTES, "the fingerprint").slice();
}

function writeCiphertexts(writer: Writer, batches: readonly (readonly Uint8Array[])[]): void {
  for (const batch of batches) for (const ciphertext of batch) writer.lengthPrefixed(ciphertext);
}

function readCiphertexts<Part>(reader: Reader, batchCount: number, perBatch: number, part: PartReader<Part>, what: string): Part[][] {
  // An empty dimension would let any batch count through the length check below.
  if (perBatch === 0) throw new HeError("count-mismatch", `The HE container declares no ${what}s per batch.`);
  // Each ciphertext takes at least its 4-byte length: refuse absurd counts before allocating.
  if (batchCount * perBatch * 4 > reader.remaining) {
    throw new HeError(
      "truncated",
      `The HE container declares ${batchCount} x ${perBatch} ciphertexts but has only ${reader.remaining} bytes left.`,
    );
  }
  const batches: Part[][] = [];
  for (let b = 0; b < batchCount; ++b) {
    const batch: Part[] = [];
    for (let i = 0; i < perBatch; ++i) batch.push(part(reader, `ciphertext ${i} of batch ${b}`));
    batches.push(batch);
  }
  return batches;
}

function checkBatchShape(batches: readonly (readonly unknown[])[], samples: number, slots: number, perBatch: number, what: string): void {
  if (!Number.isInteger(slots) || slots <= 0) throw new HeError("count-mismatch", `An HE container needs a positive slot count, got ${slots}.`);
  const expected = batchCountFor(samples, slots);
  if (batches.length !== expected) {
    throw new HeError("count-mismatch", `${samples} samples in ${slots} slots need ${expected} batches, but the container has ${batches.length}.`);
  }
  batches.forEach((batch, b) => {
    if (batch.length !== perBatch) {
      throw new HeError("count-mismatch", `Batch ${b} has ${batch.length} ciphertexts, expected one per ${what} (${perBatch}).`);
    }
  });
}

export function encodeUpload(upload: HeUpload): Uint8Array {
  checkBatchShape(upload.batches, upload.samples, upload.slots, upload.features, "feature");
  const writer = new Writer();
  writeHeader(writer, KIND_UPLOAD, upload.fingerprint);
  const { parameters } = upload;
  writer.u32(parameters.polyModulusDegree);
  writer.u8(parameters.scaleBits);
  writer.u8(parameters.maskScaleBits);
  writer.u8(parameters.coeffModulusBits.length);
  for (const bits of parameters.coeffModulusBits) writer.u8(bits);
  writer.lengthPrefixed(upload.relinKeys);
  writer.u32(upload.samples);
  writer.u32(upload.features);
  writer.u32(upload.slots);
  writer.u32(upload.batches.length);
  writeCiphertexts(writer, upload.batches);
  return writer.finish();
}

/**
 * What the worker's pre-check needs of an upload: everything but the relinearization keys and
 * the ciphertexts, of which only the lengths were read.
 */
export interface HeUploadLayout {
  readonly fingerprint: Uint8Array;
  readonly parameters: HeParameters;
  /** Length of the serialized RelinKeys; 0 when the upload carries none. */
  readonly relinKeysBytes: number;
  readonly samples: number;
  readonly features: number;
  readonly slots: number;
  readonly batchCount: number;
}

/** An upload as parsed, each length-prefixed part kept or skipped (see {PartReader}). */
interface ParsedUpload<Part> {
  readonly fingerprint: Uint8Array;
  readonly parameters: HeParameters;
  readonly relinKeys: Part;
  readonly samples: number;
  readonly features: number;
  readonly slots: number;
  readonly batches: Part[][];
}

/**
 * What a receiver expects of an upload, checked as soon as the counts are read (before a single
 * ciphertext length): the worker passes its model's and its test's.
 */
export interface UploadExpectation {
  /** The model's input size: one ciphertext per feature and batch. */
  readonly features: number;
  /** The encryption parameters the model needs. */
  readonly parameters: HeParameters;
  /** The most samples the upload may declare (the test's paid count); unbounded when absent. */
  readonly maxSamples?: number;
}

function checkExpected(expected: UploadExpectation, parameters: HeParameters, samples: number, features: number): void {
  if (features !== expected.features) {
    throw new HeError("count-mismatch", `The upload has ${features} features per sample; this model takes ${expected.features}.`);
  }
  if (JSON.stringify(parameters) !== JSON.stringify(expected.parameters)) {
    throw new HeError(
      "parameters-mismatch",
      `The upload was encrypted under parameters ${JSON.stringify(parameters)}; this model needs ${JSON.stringify(expected.parameters)}.`,
    );
  }
  if (expected.maxSamples !== undefined && samples > expected.maxSamples) {
    throw new HeError("too-many-samples", `The upload declares ${samples} samples, more than the ${expected.maxSamples} paid for.`);
  }
}

/** The one parse of an upload: every field, length and count is checked, whatever `part` does. */
function parseUpload<Part>(source: ByteSource, part: PartReader<Part>, expected?: UploadExpectation): ParsedUpload<Part> {
  const reader = new Reader(source);
  const fingerprint = readHeader(reader, KIND_UPLOAD);
  const polyModulusDegree = reader.u32("the ring degree");
  const scaleBits = reader.u8("the scale");
  const maskScaleBits = reader.u8("the mask scale");
  const chainLength = reader.u8("the chain length");
  const coeffModulusBits = Array.from(reader.bytes(chainLength, "the chain"));
  const relinKeys = part(reader, "the relinearization keys");
  const samples = reader.u32("the sample count");
  const features = reader.u32("the feature count");
  const slots = reader.u32("the slot count");
  const batchCount = reader.u32("the batch count");
  const parameters = { polyModulusDegree, coeffModulusBits, scaleBits, maskScaleBits };
  if (slots * 2 !== polyModulusDegree) {
    throw new HeError("count-mismatch", `An upload at ring degree ${polyModulusDegree} has ${polyModulusDegree / 2} slots, not ${slots}.`);
  }
  if (samples === 0) throw new HeError("count-mismatch", "The upload holds no samples.");
  if (expected) checkExpected(expected, parameters, samples, features);
  const needed = batchCountFor(samples, slots);
  if (batchCount !== needed) {
    throw new HeError("count-mismatch", `${samples} samples in ${slots} slots need ${needed} batches, but the container declares ${batchCount}.`);
  }
  const batches = readCiphertexts(reader, batchCount, features, part, "feature");
  reader.end();
  return {
    fingerprint,
    parameters,
    relinKeys,
    samples,
    features,
    slots,
    batches,
  };
}

/** Parses an upload and checks it is consistent with itself and, when given, with what the receiver expects. */
export function decodeUpload(bytes: Uint8Array, expected?: UploadExpectation): HeUpload {
  return parseUpload(bytesSource(bytes), keepPart, expected);
}

/**
 * Checks an upload exactly as {decodeUpload} does (same errors, truncation and trailing bytes
 * included) but reads only its fixed fields and length prefixes, never the keys' or the
 * ciphertexts' bytes: the worker's cheap pre-check of an upload on disk.
 */
export function readUploadLayout(source: ByteSource, expected?: UploadExpectation): HeUploadLayout {
  const { relinKeys, batches, ...fields } = parseUpload(source, skipPart, expected);
  return { ...fields, relinKeysBytes: relinKeys, batchCount: batches.length };
}

export function encodeResult(result: HeResult): Uint8Array {
  if (result.samples > result.batches.length * result.slots) {
    throw new HeError("count-mismatch", `${result.samples} valid samples do not fit ${result.batches.length} batches of ${result.slots}.`);
  }
  const writer = new Writer();
  writeHeader(writer, KIND_RESULT, result.fingerprint);
  writer.u32(result.samples);
  writer.u32(result.outputs);
  writer.u32(result.slots);
  writer.u32(result.firstBatch);
  writer.u32(result.batches.length);
  writeCiphertexts(writer, result.batches);
  return writer.finish();
}

export function decodeResult(bytes: Uint8Array): HeResult {
  const reader = new Reader(bytesSource(bytes));
  const fingerprint = readHeader(reader, KIND_RESULT);
  const samples = reader.u32("the sample count");
  const outputs = reader.u32("the output count");
  const slots = reader.u32("the slot count");
  const firstBatch = reader.u32("the first batch");
  const batchCount = reader.u32("the batch count");
  if (slots === 0 || samples > batchCount * slots) {
    throw new HeError("count-mismatch", `A result of ${batchCount} batches of ${slots} slots cannot hold ${samples} valid samples.`);
  }
  const batches = readCiphertexts(reader, batchCount, outputs, keepPart, "output");
  reader.end();
  return { fingerprint, samples, outputs, slots, firstBatch, batches };
}
