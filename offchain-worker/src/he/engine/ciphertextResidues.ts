/**
 * A ciphertext's residues in and out of SEAL. node-seal exposes no pointer to a ciphertext's
 * data, only its serialization, so the residues travel through `saveToArray` /
 * `loadFromArray` with compression none (measured at N = 4096 with 2 primes: 0.06 ms CPU to
 * save, 0.05 ms to load, a fifth of one ciphertext x constant product).
 *
 * Serialized Ciphertext layout (SEAL 4.1, compression none): SEALHeader (16 bytes, u64 total
 * size at 8) | parms_id (32) | is_ntt_form u8 (48) | size u64 (49) | N u64 (57) | L u64 (65) |
 * scale f64 (73) | correction factor u64 (81) | DynArray: SEALHeader (16, u64 size at 97) |
 * count u64 (105) | count x u64 residues (113), polynomial-major, then prime, then coefficient.
 * Checked on every read: a SEAL build that serializes otherwise is refused, not misread.
 */
import { HeError, sealCall, type Ciphertext } from "@modelbazaar/sdk/he";
import type { EngineContext } from "./runtime.ts";

const TOTAL_SIZE_OFFSET = 8;
const NTT_FORM_OFFSET = 48;
const SIZE_OFFSET = 49;
const DEGREE_OFFSET = 57;
const PRIMES_OFFSET = 65;
const SCALE_OFFSET = 73;
const ARRAY_SIZE_OFFSET = 97;
const COUNT_OFFSET = 105;
const DATA_OFFSET = 113;
/** The DynArray's own header and count, before its data. */
const ARRAY_HEADER_BYTES = 24;

function layoutError(what: string): HeError {
  return new HeError("seal", `This SEAL build serializes ciphertexts in an unexpected layout (${what}); the residue kernel cannot read them.`);
}

/** Serializes `ciphertext` and copies its residues into `target` (which must hold them all); returns its polynomial count. */
export function readResidues(engine: EngineContext, ciphertext: Ciphertext, primes: number, target: Uint8Array): number {
  return copyResidues(engine, serialize(engine, ciphertext), primes, target);
}

/** A ciphertext's serialization with compression none, in a buffer of its own (node-seal's may be reused). */
export function serialize(engine: EngineContext, ciphertext: Ciphertext): Uint8Array {
  const bytes = sealCall("serializing a ciphertext", () => ciphertext.saveToArray(engine.he.seal.ComprModeType.none) as Uint8Array);
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

/** Copies the residues of a serialized ciphertext (compression none) into `target`, checking the layout; returns its polynomial count. */
export function copyResidues(engine: EngineContext, bytes: Uint8Array, primes: number, target: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = engine.he.parameters.polyModulusDegree;
  const size = Number(view.getBigUint64(SIZE_OFFSET, true));
  const count = size * n * primes;
  if (bytes[NTT_FORM_OFFSET] !== 1) throw layoutError("not in NTT form");
  if (Number(view.getBigUint64(DEGREE_OFFSET, true)) !== n || Number(view.getBigUint64(PRIMES_OFFSET, true)) !== primes) throw layoutError("degree or prime count");
  if (Number(view.getBigUint64(COUNT_OFFSET, true)) !== count || bytes.length !== DATA_OFFSET + 8 * count) throw layoutError("data size");
  if (target.length < 8 * count) throw new HeError("unsupported-plan", `A ciphertext of size ${size} does not fit the kernel's input slot.`);
  target.set(bytes.subarray(DATA_OFFSET));
  return size;
}

/**
 * Writes residues back into SEAL ciphertexts of one level: a serialized ciphertext of that
 * level is the template, whose size fields, scale and data are patched for each write.
 */
export class CiphertextWriter {
  private readonly engine: EngineContext;
  private readonly primes: number;
  private readonly header: Uint8Array;
  private readonly buffers = new Map<number, Uint8Array>();

  /** `sample`: any ciphertext at the level the written ones will have (`primes` data primes). */
  constructor(engine: EngineContext, sample: Ciphertext, primes: number) {
    this.engine = engine;
    this.primes = primes;
    this.header = serialize(engine, sample).slice(0, DATA_OFFSET);
  }

  /** A new ciphertext of `size` polynomials at `scale` holding `residues` (size x N x L words, each < its prime). */
  write(residues: Uint8Array, size: number, scale: number): Ciphertext {
    const count = size * this.engine.he.parameters.polyModulusDegree * this.primes;
    let buffer = this.buffers.get(size);
    if (!buffer) {
      buffer = new Uint8Array(DATA_OFFSET + 8 * count);
      buffer.set(this.header);
      const view = new DataView(buffer.buffer);
      view.setBigUint64(TOTAL_SIZE_OFFSET, BigInt(buffer.length), true);
      view.setBigUint64(SIZE_OFFSET, BigInt(size), true);
      view.setBigUint64(ARRAY_SIZE_OFFSET, BigInt(ARRAY_HEADER_BYTES + 8 * count), true);
      view.setBigUint64(COUNT_OFFSET, BigInt(count), true);
      this.buffers.set(size, buffer);
    }
    new DataView(buffer.buffer).setFloat64(SCALE_OFFSET, scale, true);
    buffer.set(residues.subarray(0, 8 * count), DATA_OFFSET);
    const ciphertext = new this.engine.he.seal.Ciphertext();
    try {
      sealCall("writing a ciphertext's residues", () => ciphertext.loadFromArray(this.engine.he.context, buffer));
    } catch (error) {
      ciphertext.delete();
      throw error;
    }
    return ciphertext;
  }
}
