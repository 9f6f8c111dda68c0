/**
 * The bytes a scaled-out worker moves between its front and its evaluation nodes, kept in the
 * same Redis as the queue: each accepted upload (the buyer's evaluation keys and ciphertexts)
 * until its evaluation ends, and each node's result until the front has taken it; every blob
 * expires (nothing lives in Redis for ever if its front goes away). A blob is a
 * Redis list of chunks of at most {CHUNK_BYTES}, so no value nears Redis's 512 MB string
 * limit; it is written under a temporary key and renamed, so a reader never sees half of one.
 * Everything lives in Redis's memory meanwhile: size it for the uploads in flight
 * (offchain-worker/README.md).
 */
import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import type { ChainableCommander, Redis } from "ioredis";

/** Largest chunk of a blob (one list element). */
export const CHUNK_BYTES = 8 * 1024 * 1024;

/** How long a half-written blob (its writer killed) stays before Redis drops it. */
const ABANDONED_WRITE_TTL_SECONDS = 60 * 60;

export class BlobMissingError extends Error {
  override readonly name = "BlobMissingError";
}

export class RedisBlobs {
  readonly #redis: Redis;
  readonly #namespace: string;

  constructor(redis: Redis, queueName: string) {
    this.#redis = redis;
    this.#namespace = `modelbazaar:${queueName}`;
  }

  uploadKey(jobId: string): string {
    return `${this.#namespace}:upload:${jobId}`;
  }

  /** One key per evaluation attempt (a node's lock token), so a node that lost its job never overwrites the winner's result. */
  resultKey(jobId: string, attempt: string): string {
    return `${this.#namespace}:result:${jobId}:${attempt}`;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.#redis.exists(key)) === 1;
  }

  /** Copies a file into `key`, expiring after `ttlSeconds` (unless it is there already). */
  async putFile(key: string, path: string, ttlSeconds: number): Promise<void> {
    if (await this.exists(key)) return;
    await this.#putChunks(key, createReadStream(path, { highWaterMark: CHUNK_BYTES }), ttlSeconds);
  }

  /** Stores `bytes` at `key`, expiring after `ttlSeconds`. */
  async putBytes(key: string, bytes: Uint8Array, ttlSeconds: number): Promise<void> {
    const chunks: Buffer[] = [];
    for (let at = 0; at < bytes.byteLength; at += CHUNK_BYTES) chunks.push(Buffer.from(bytes.buffer, bytes.byteOffset + at, Math.min(CHUNK_BYTES, bytes.byteLength - at)));
    await this.#putChunks(key, chunks, ttlSeconds);
  }

  /** Writes the blob at `key` into a file, chunk by chunk; throws {BlobMissingError} when there is none. */
  async writeToFile(key: string, path: string): Promise<number> {
    const count = await this.#redis.llen(key);
    if (count === 0) throw new BlobMissingError(`no blob at ${key}`);
    const out = createWriteStream(path);
    let size = 0;
    try {
      for (let i = 0; i < count; i++) {
        const chunk = await this.#redis.lindexBuffer(key, i);
        if (chunk === null) throw new BlobMissingError(`the blob at ${key} went away while it was read`);
        size += chunk.byteLength;
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      }
    } finally {
      out.end();
      await finished(out);
    }
    return size;
  }

  /** The blob at `key`, or undefined when there is none (expired, or never written). */
  async read(key: string): Promise<Uint8Array | undefined> {
    const chunks = await this.#redis.lrangeBuffer(key, 0, -1);
    return chunks.length === 0 ? undefined : new Uint8Array(Buffer.concat(chunks));
  }

  async discard(...keys: string[]): Promise<void> {
    if (keys.length > 0) await this.#redis.del(...keys);
  }

  async #putChunks(key: string, chunks: AsyncIterable<Buffer | string> | Iterable<Buffer>, ttlSeconds: number): Promise<void> {
    const temporary = `${key}:writing:${randomUUID()}`;
    try {
      for await (const chunk of chunks) {
        // The temporary key expires, so a writer killed halfway leaves nothing behind for long.
        await execAll(this.#redis.multi().rpush(temporary, typeof chunk === "string" ? Buffer.from(chunk) : chunk).expire(temporary, ABANDONED_WRITE_TTL_SECONDS));
      }
      // An empty blob would read as missing: blobs are never empty (an empty upload is refused before it is accepted).
      // RENAME keeps the temporary key's expiry: set the blob's own.
      await execAll(this.#redis.multi().rename(temporary, key).expire(key, ttlSeconds));
    } catch (error) {
      await this.#redis.del(temporary);
      throw error;
    }
  }
}

/**
 * Runs a MULTI; throws the first command's error: the one Redis refused to queue (e.g. OOM, which
 * ioredis reports as EXECABORT with the cause in `previousErrors`), or the one that failed in it.
 */
async function execAll(multi: ChainableCommander): Promise<void> {
  let replies;
  try {
    replies = await multi.exec();
  } catch (error) {
    throw (error as { previousErrors?: Error[] }).previousErrors?.[0] ?? error;
  }
  const failed = replies?.find(([error]) => error);
  if (failed) throw failed[0];
}
