/**
 * Where an evaluation keeps the values between the layer that makes them and the layers that
 * read them: outside SEAL, serialized (compression none), in memory up to a byte budget and
 * beyond it in a spill file, so that a plan whose live values exceed the memory (LeNet-5's
 * 4,704 squares at N = 16384: 5.9 GB per batch) still runs within a fixed budget.
 *
 * The spill file lives in a directory of its own under `directory` (the worker's data
 * directory, or the system's temporary one), made on the first spill; `close()` removes it and
 * must run on every path (evaluateUpload.ts calls it in a `finally`). Freed extents are reused
 * by values of the same length (a layer's values all have one length).
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { HeError, sealCall, type Ciphertext } from "@modelbazaar/sdk/he";
import { copyResidues, serialize } from "./ciphertextResidues.ts";
import type { HeldCiphertext } from "./operands.ts";
import type { EngineContext } from "./runtime.ts";

interface Spill {
  readonly directory: string;
  readonly fd: number;
  end: number;
  /** Freed extents by length. */
  readonly free: Map<number, number[]>;
}

export class CiphertextStore {
  private readonly engine: EngineContext;
  private readonly budgetBytes: number;
  private readonly directory: string;
  private spill: Spill | undefined;
  /** Bytes held in memory now. */
  private inMemory = 0;
  /** Bytes written to the spill file over the store's life (for reports). */
  spilledBytes = 0;

  /** `budgetBytes`: serialized bytes kept in memory at most; `directory`: where the spill file's own directory is made. */
  constructor(engine: EngineContext, budgetBytes: number, directory: string) {
    this.engine = engine;
    this.budgetBytes = budgetBytes;
    this.directory = directory;
  }

  /** Moves `ciphertext` out of SEAL (it is deleted) into the store. */
  hold(ciphertext: Ciphertext): HeldCiphertext {
    let bytes;
    try {
      bytes = serialize(this.engine, ciphertext);
    } finally {
      ciphertext.delete();
    }
    if (this.inMemory + bytes.length <= this.budgetBytes) {
      this.inMemory += bytes.length;
      return this.inMemoryValue(bytes);
    }
    return this.spilledValue(bytes);
  }

  /** Removes the spill file and its directory (the values still held become unreadable). */
  close(): void {
    if (!this.spill) return;
    const { fd, directory } = this.spill;
    this.spill = undefined;
    try {
      closeSync(fd);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }

  /** The spill file's directory while it exists (tests check that it is gone). */
  get spillDirectory(): string | undefined {
    return this.spill?.directory;
  }

  private inMemoryValue(bytes: Uint8Array): HeldCiphertext {
    let held: Uint8Array | undefined = bytes;
    const read = () => {
      if (!held) throw new Error("a released ciphertext was read");
      return held;
    };
    return this.value(read, () => {
      if (held) this.inMemory -= held.length;
      held = undefined;
    });
  }

  private spilledValue(bytes: Uint8Array): HeldCiphertext {
    const spill = (this.spill ??= this.openSpill());
    const length = bytes.length;
    const offset = spill.free.get(length)?.pop() ?? spill.end;
    if (offset === spill.end) spill.end += length;
    writeFully(spill, bytes, offset);
    this.spilledBytes += length;
    let released = false;
    const read = () => {
      if (released || !this.spill) throw new Error("a released ciphertext was read");
      const copy = new Uint8Array(length);
      if (readSync(this.spill.fd, copy, 0, length, offset) !== length) throw new Error("the spill file is shorter than written");
      return copy;
    };
    return this.value(read, () => {
      if (released) return;
      released = true;
      const free = spill.free.get(length) ?? [];
      free.push(offset);
      spill.free.set(length, free);
    });
  }

  private value(read: () => Uint8Array, release: () => void): HeldCiphertext {
    const { engine } = this;
    return {
      load() {
        const bytes = read();
        const ciphertext = new engine.he.seal.Ciphertext();
        try {
          sealCall("loading a held ciphertext", () => ciphertext.loadFromArray(engine.he.context, bytes));
        } catch (error) {
          ciphertext.delete();
          throw error;
        }
        return ciphertext;
      },
      residues: (primes, target) => copyResidues(engine, read(), primes, target),
      release,
    };
  }

  private openSpill(): Spill {
    const directory = mkdtempSync(join(this.directory, "modelbazaar-spill-"));
    try {
      return { directory, fd: openSync(join(directory, "ciphertexts.bin"), "w+"), end: 0, free: new Map() };
    } catch (error) {
      rmSync(directory, { recursive: true, force: true });
      throw error;
    }
  }
}

/**
 * Writes all of `bytes` at `offset`: a full disk or a file-size limit shows as a short write or
 * an error, either way one sentence naming the directory and what to change.
 */
function writeFully(spill: Spill, bytes: Uint8Array, offset: number): void {
  let written = 0;
  try {
    while (written < bytes.length) {
      const n = writeSync(spill.fd, bytes, written, bytes.length - written, offset + written);
      if (n <= 0) break;
      written += n;
    }
  } catch (error) {
    throw new HeError("storage", `cannot spill ciphertexts to ${spill.directory} (${(error as Error).message}): free space there, point spillDirectory elsewhere or raise memoryBudgetMiB`, { cause: error });
  }
  if (written < bytes.length) {
    throw new HeError("storage", `cannot spill ciphertexts to ${spill.directory}: wrote ${written} of ${bytes.length} bytes (disk full or a file-size limit); free space there, point spillDirectory elsewhere or raise memoryBudgetMiB`);
  }
}
