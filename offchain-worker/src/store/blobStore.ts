/**
 * Where uploads, results and deliveries live on disk:
 * `<dataDir>/blobs/{incoming,uploads,results,deliveries}/`.
 * An upload streams into `incoming/` and is moved into `uploads/` (same file system, atomic
 * rename) only once accepted; results are written to a temporary name and renamed, so a
 * crash never leaves a half-written file under a final name. {sweep} clears what a crash left.
 */
import { mkdirSync } from "node:fs";
import { readdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export class BlobStore {
  readonly #incomingDir: string;
  readonly #uploadsDir: string;
  readonly #resultsDir: string;
  readonly #deliveriesDir: string;

  constructor(dataDir: string) {
    this.#incomingDir = join(dataDir, "blobs", "incoming");
    this.#uploadsDir = join(dataDir, "blobs", "uploads");
    this.#resultsDir = join(dataDir, "blobs", "results");
    this.#deliveriesDir = join(dataDir, "blobs", "deliveries");
    for (const dir of [this.#incomingDir, this.#uploadsDir, this.#resultsDir, this.#deliveriesDir]) mkdirSync(dir, { recursive: true });
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

  /** Writes a purchase's delivery file (temporary name, then rename); returns its path. */
  writeDelivery(purchaseId: bigint, bytes: Uint8Array): Promise<string> {
    return writeAtomically(join(this.#deliveriesDir, `${purchaseId}.bin`), bytes);
  }

  writeResult(jobId: string, bytes: Uint8Array): Promise<string> {
    return writeAtomically(join(this.#resultsDir, `${jobId}.bin`), bytes);
  }

  async discard(path: string): Promise<void> {
    await rm(path, { force: true });
  }

  /**
   * At start, removes what a stopped or crashed run left behind: uploads it was still
   * receiving (`incoming/`), accepted uploads no live job refers to (`uploads/`: a kill between
   * the move and the job row, or a job that ended while its file could not be removed), and
   * half-written results and deliveries (`*.partial`). Returns how many files went.
   */
  async sweep(liveUploads: ReadonlySet<string>): Promise<number> {
    const doomed = (await readdir(this.#uploadsDir)).map((name) => join(this.#uploadsDir, name)).filter((path) => !liveUploads.has(path));
    for (const dir of [this.#resultsDir, this.#deliveriesDir]) {
      doomed.push(...(await readdir(dir)).filter((name) => name.endsWith(PARTIAL)).map((name) => join(dir, name)));
    }
    const incoming = (await readdir(this.#incomingDir)).length;
    await rm(this.#incomingDir, { recursive: true, force: true });
    mkdirSync(this.#incomingDir, { recursive: true });
    await Promise.all(doomed.map((path) => rm(path, { force: true })));
    return incoming + doomed.length;
  }
}

const PARTIAL = ".partial";

/**
 * Writes under a temporary name, flushed, then renames: a crash never leaves half a file at
 * `path`, and a failed write (a full disk) removes its temporary file before it throws.
 */
async function writeAtomically(path: string, bytes: Uint8Array): Promise<string> {
  const partial = `${path}${PARTIAL}`;
  try {
    await writeFile(partial, bytes, { flush: true });
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return path;
}
