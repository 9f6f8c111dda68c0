/**
 * The hostile client of the worker's API, as a named actor the attack tests share (issue #12):
 * the 70-byte container that declares no features and billions of batches, an upload
 * trickled a few bytes at a time, an upload abandoned halfway, and a flood of them; plus what
 * the tests measure it by (the process's open file descriptors).
 */
import { readdirSync } from "node:fs";
import { request as httpRequest } from "node:http";
import type { HeParameters } from "@modelbazaar/sdk/he";
import type { WorkerHandle } from "../../offchain-worker/src/startWorker.ts";
import type { JsonResponse } from "./workerFixture.ts";

/**
 * An upload container (sdk/src/he/container.ts) of `parameters` declaring `samples` samples of
 * `features` features in `batchCount` batches, and no ciphertext at all: with 3 primes, 70 bytes.
 */
export function countsOnlyUpload(parameters: HeParameters, { samples = 1, features = 0, batchCount = 0xffffffff } = {}): Uint8Array {
  const k = parameters.coeffModulusBits.length;
  const bytes = new Uint8Array(40 + 4 + 3 + k + 4 + 16);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode("MBHE"), 0);
  view.setUint16(4, 1, true); // version
  view.setUint16(6, 1, true); // an upload
  let at = 40; // after the 32-byte fingerprint (zeros)
  view.setUint32(at, parameters.polyModulusDegree, true);
  bytes.set([parameters.scaleBits, parameters.maskScaleBits, k, ...parameters.coeffModulusBits], (at += 4));
  at += 3 + k;
  view.setUint32(at, 0, true); // no relinearization keys
  for (const value of [samples, features, parameters.polyModulusDegree / 2, batchCount]) view.setUint32((at += 4), value, true);
  return bytes;
}

export interface SentUpload extends JsonResponse {
  /** Bytes written before the answer came (or all of them). */
  readonly bytesSent: number;
}

/**
 * POSTs (or PUTs) `total` bytes of `fill`, `chunkBytes` every `everyMs`, declaring the full length, and
 * stops writing once the worker answers; resolves with the answer, rejects if the connection closes without one.
 */
export function trickle(
  worker: Pick<WorkerHandle, "url">,
  path: string,
  headers: Record<string, string>,
  { total, chunkBytes, everyMs, method = "POST" }: { total: number; chunkBytes: number; everyMs: number; method?: "POST" | "PUT" },
): Promise<SentUpload> {
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    let answered = false;
    let timer: NodeJS.Timeout | undefined;
    const req = httpRequest(`${worker.url}${path}`, {
      method,
      headers: { "content-type": "application/octet-stream", "content-length": String(total), ...headers },
    });
    req.on("response", (res) => {
      answered = true;
      clearInterval(timer);
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown>, bytesSent });
      });
    });
    req.on("error", (error) => (bytesSent < total ? undefined : reject(error))); // a cut-off body may fail to write: the answer decides
    // No answer at all (the connection dropped before one came): rejected, never left pending.
    req.on("close", () => {
      clearInterval(timer);
      if (!answered) reject(new Error(`the connection closed without an answer after ${bytesSent} of ${total} bytes`));
    });
    req.flushHeaders();
    timer = setInterval(() => {
      const size = Math.min(chunkBytes, total - bytesSent);
      if (size <= 0) return clearInterval(timer);
      req.write(new Uint8Array(size).fill(0x5a));
      bytesSent += size;
    }, everyMs);
  });
}

/** POSTs the first `sent` of `total` declared bytes, then drops the connection; resolves once it is closed. */
export function abandon(worker: Pick<WorkerHandle, "url">, path: string, headers: Record<string, string>, { total, sent }: { total: number; sent: number }): Promise<void> {
  return new Promise((resolve) => {
    const req = httpRequest(`${worker.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream", "content-length": String(total), ...headers },
    });
    req.on("error", () => undefined);
    req.on("close", () => resolve());
    req.write(new Uint8Array(sent), () => setImmediate(() => req.destroy()));
  });
}

/** Open file descriptors of this process (the tests run the worker in-process). */
export function openFileDescriptors(): number {
  return readdirSync("/proc/self/fd").length;
}
