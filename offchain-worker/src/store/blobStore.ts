/**
 * Where uploads and results live on disk: `<dataDir>/blobs/{incoming,uploads,results}/`.
 * An upload streams into `incoming/` and is moved into `uploads/` (same file system, atomic
 * rename) only once accepted; results are written to a temporary name and renamed, so a
 * crash never leaves a half-written file under a final name.
 */
import { mkdirSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export class BlobStore {
  readonly #incomingDir: string;
  readonly #uploadsDir: string;
  readonly #resultsDir: string;

  constructor(dataDir: string) {
    this.#incomingDir = join(dataDir, "blobs", "incoming");
    this.#uploadsDir = join(dataDir, "blobs", "uploads");
    this.#resultsDir = join(dataDir, "blobs", "results");
    for (const dir of [this.#incomingDir, this.#uploadsDir, this.#resultsDir]) mkdirSync(dir, { recursive: true });
  }

  incomingPath(name: string): string {
    return join(this.#incomingDir, name);
  }

  /** Moves an accepted upload under its job id; returns the new path. */
  async adoptUpload(incomingPath: string, jobId: string): Promise<string> {
    const path = join(this.#uploadsDir, `${jobId}.bin`);
    await rename(incomingPath, path);
    return path;
  }

  async writeResult(jobId: string, bytes: Uint8Array): Promise<string> {
    const path = join(this.#resultsDir, `${jobId}.bin`);
    await writeFile(`${path}.partial`, bytes, { flush: true });
    await rename(`${path}.partial`, path);
    return path;
  }

  async discard(path: string): Promise<void> {
    await rm(path, { force: true });
  }

  /** Removes uploads that a previous run was still receiving when it stopped. */
  async clearIncoming(): Promise<void> {
    await rm(this.#incomingDir, { recursive: true, force: true });
    mkdirSync(this.#incomingDir, { recursive: true });
  }
}
