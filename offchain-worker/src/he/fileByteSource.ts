/**
 * A {ByteSource} over a file on disk, so that the worker's main thread can check an upload's
 * layout (sdk/src/he/container.ts, readUploadLayout) without reading a gigabyte into memory:
 * each read is a positional `readSync` of just the bytes asked for.
 *
 * Small reads that follow one another (the header's fields, the length prefixes of small
 * ciphertexts) are served from one page read ahead. The window is kept to a page on purpose:
 * real ciphertexts are 100 KB to a few MB, so a larger window would pull ciphertext bytes
 * the check never looks at.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { ByteSource } from "@modelbazaar/sdk/he";

const READ_AHEAD_BYTES = 4096;

class FileByteSource implements ByteSource {
  readonly length: number;
  private readonly fd: number;
  /** The bytes last read ahead, and where in the file they start. */
  private window: Uint8Array = new Uint8Array(0);
  private windowStart = 0;

  constructor(fd: number) {
    this.fd = fd;
    this.length = fstatSync(fd).size;
  }

  read(offset: number, length: number): Uint8Array {
    if (length > READ_AHEAD_BYTES) return this.readAt(offset, length);
    if (offset < this.windowStart || offset + length > this.windowStart + this.window.length) {
      this.window = this.readAt(offset, Math.max(length, Math.min(READ_AHEAD_BYTES, this.length - offset)));
      this.windowStart = offset;
    }
    const start = offset - this.windowStart;
    return this.window.slice(start, start + length);
  }

  /** Exactly `length` fresh bytes from `offset`; a file that ends early changed under us. */
  private readAt(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const read = readSync(this.fd, out, filled, length - filled, offset + filled);
      if (read === 0) throw new Error(`the file ended at ${offset + filled} bytes, before the ${this.length} it had when opened`);
      filled += read;
    }
    return out;
  }
}

/** Runs `use` on a source over the file at `path`, which is closed afterwards (also on error). */
export function withFileSource<T>(path: string, use: (source: ByteSource) => T): T {
  const fd = openSync(path, "r");
  try {
    return use(new FileByteSource(fd));
  } finally {
    closeSync(fd);
  }
}
