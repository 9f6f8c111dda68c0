/**
 * Streams a request body to a file while counting and digesting it (SHA-256, incrementally),
 * and stops at the size limit: the body is never held in memory, and an oversized upload is
 * refused with 413 as soon as it crosses the limit (the request is paused, not destroyed, so
 * the 413 still reaches the client; the route closes the connection afterwards).
 */
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import type { Readable } from "node:stream";
import type { Hex } from "viem";
import { HttpError } from "./httpError.ts";

export interface ReceivedUpload {
  readonly size: number;
  readonly bodySha256: Hex;
}

export function uploadTooLarge(limit: number): HttpError {
  return new HttpError(413, "upload_too_large", `the upload exceeds this worker's limit of ${limit} bytes`);
}

export function receiveUpload(body: Readable, path: string, limit: number): Promise<ReceivedUpload> {
  return new Promise((resolve, reject) => {
    const file = createWriteStream(path, { flush: true });
    const hash = createHash("sha256");
    let size = 0;
    let settled = false;
    let ended = false;

    const stop = (error: Error) => {
      if (settled) return;
      settled = true;
      body.off("data", onData);
      body.pause();
      file.destroy();
      void rm(path, { force: true }).finally(() => reject(error));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return stop(uploadTooLarge(limit));
      hash.update(chunk);
      if (!file.write(chunk)) {
        body.pause();
        file.once("drain", () => body.resume());
      }
    };
    body.on("data", onData);
    body.once("end", () => {
      ended = true;
      if (settled) return;
      file.end(() => {
        settled = true;
        resolve({ size, bodySha256: `0x${hash.digest("hex")}` });
      });
    });
    body.once("error", (error) => stop(error));
    body.once("close", () => ended || stop(new Error("the client closed the connection before the upload was complete")));
    file.once("error", (error) => stop(error));
  });
}
