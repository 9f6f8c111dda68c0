/**
 * A per-thread instance of the residue kernel (residueKernelWasm.ts): WebAssembly memory the
 * engine lays out itself (primes, a term table, input residues, accumulators) and the two
 * kernel calls. The memory only grows (WebAssembly memory cannot shrink): it stays at the
 * largest layer the thread has evaluated.
 */
import { HeError } from "@modelbazaar/sdk/he";
import { MAX_PAGES, residueKernelBytes } from "./residueKernelWasm.ts";

const PAGE_BYTES = 65536;

interface KernelExports {
  readonly memory: WebAssembly.Memory;
  readonly accumulate: (table: number, n: number, primes: number, primeCount: number, segments: number, accShift: number, block: number) => void;
  readonly finish: (acc: number, n: number, primes: number, primeCount: number, polys: number, bias: number) => void;
}

let compiled: WebAssembly.Module | undefined;

export class ResidueKernel {
  private readonly exports: KernelExports;

  constructor() {
    compiled ??= new WebAssembly.Module(residueKernelBytes());
    this.exports = new WebAssembly.Instance(compiled).exports as unknown as KernelExports;
  }

  /** Grows the memory to at least `bytes` (an error beyond wasm32's 4 GiB). */
  reserve(bytes: number): void {
    const { memory } = this.exports;
    const pages = Math.ceil(bytes / PAGE_BYTES);
    if (pages > MAX_PAGES) throw new HeError("unsupported-plan", `A linear layer needs ${(bytes / 2 ** 30).toFixed(1)} GiB of residues, more than the kernel's 4 GiB.`);
    const current = memory.buffer.byteLength / PAGE_BYTES;
    if (pages > current) memory.grow(pages - current);
  }

  /** Bytes of the memory (a new view after every `reserve`). */
  bytes(offset: number, length: number): Uint8Array {
    return new Uint8Array(this.exports.memory.buffer, offset, length);
  }

  /** The whole memory as a DataView (a new view after every `reserve`). */
  view(): DataView {
    return new DataView(this.exports.memory.buffer);
  }

  /** 64-bit words of the memory at `offset` (8-aligned). */
  words(offset: number, count: number): BigUint64Array {
    return new BigUint64Array(this.exports.memory.buffer, offset, count);
  }

  /** 32-bit words of the memory at `offset` (4-aligned). */
  ints(offset: number, count: number): Int32Array {
    return new Int32Array(this.exports.memory.buffer, offset, count);
  }

  /** Writes the primes table the kernel calls read at `offset` (8-aligned): per prime, q and 4q. */
  setPrimes(offset: number, moduli: readonly bigint[]): void {
    this.words(offset, 2 * moduli.length).set(moduli.flatMap((q) => [q, 4n * q]));
  }

  /** See residueKernelWasm.ts. Offsets are byte offsets into the memory. */
  accumulate(table: number, n: number, primes: number, primeCount: number, segments: number, accShift: number, block: number): void {
    this.exports.accumulate(table, n, primes, primeCount, segments, accShift, block);
  }

  finish(acc: number, n: number, primes: number, primeCount: number, polys: number, bias: number): void {
    this.exports.finish(acc, n, primes, primeCount, polys, bias);
  }
}

/** Shoup's companion of a weight residue c < q: floor(c * 2^64 / q). */
export function shoupCompanion(c: bigint, q: bigint): bigint {
  return (c << 64n) / q;
}
