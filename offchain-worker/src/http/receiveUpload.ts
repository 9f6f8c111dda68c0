/**
 * Streams a request body to a file while counting and digesting it (SHA-256, incrementally),
 * within the worker's upload limits: the body is never held in memory; an oversized upload is
 * refused with 413 as soon as it crosses the size limit; an upload that has not arrived by its
 * deadline (408 `upload_timeout`) or that arrives slower than the minimum average rate once
 * the grace period has passed (408 `upload_too_slow`) is cut off, so a trickling client cannot
 * hold a file, a socket and an upload slot for ever. A client that goes away mid-body is a
 * client error (`upload_aborted`), not a failure of the worker. On every refusal the request
 * is paused, not destroyed, so the answer still reaches the client; the error handler closes
 * the connection afterwards, and the file is closed and removed before the promise settles.
 */
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import type { Readable } from "node:stream";
import type { Hex } from "viem";
import { HttpError } from "./httpError.ts";

export interface UploadLimits {
  readonly maxBytes: number;
  /** The whole body must have arrived within this many ms. */
  readonly deadlineMs: number;
  /** Slowest average rate accepted, in bytes per second, from `rateGraceMs` on. */
  readonly minBytesPerSecond: number;
  readonly rateGraceMs: number;
}

export interface ReceivedUpload {
  readonly size: number;
  readonly bodySha256: Hex;
}

export function uploadTooLarge(limit: number): HttpError {
  return new HttpError(413, "upload_too_large", `the upload exceeds this worker's limit of ${limit} bytes`);
}

export function receiveUpload(body: Readable, path: string, limits: UploadLimits): Promise<ReceivedUpload> {
  return new Promise((resolve, reject) => {
    const file = createWriteStream(path, { flush: true });
    const hash = createHash("sha256");
    const started = performance.now();
    let size = 0;
    let settled = false;
    let ended = false;

    const stop = (error: Error) => {
      if (settled) return;
      settled = true;
      clearInterval(pace);
      body.off("data", onData);
      body.pause();
      file.destroy();
      void rm(path, { force: true }).finally(() => reject(error));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) return stop(uploadTooLarge(limits.maxBytes));
      hash.update(chunk);
      if (!file.write(chunk)) {
        body.pause();
        file.once("drain", () => body.resume());
      }
    };
    // The pace is checked on a clock, not on data: a client that sends nothing is cut off too.
    const pace = setInterval(() => {
      const refusal = paceRefusal(limits, size, performance.now() - started);
      if (refusal) stop(refusal);
    }, Math.min(1_000, limits.rateGraceMs, limits.deadlineMs));
    body.on("data", onData);
    body.once("end", () => {
      ended = true;
      if (settled) return;
      clearInterval(pace);
      file.end(() => {
        settled = true;
        resolve({ size, bodySha256: `0x${hash.digest("hex")}` });
      });
    });
    body.once("error", () => stop(aborted()));
    body.once("close", () => ended || stop(aborted()));
    file.once("error", (error) => stop(error));
    // A client that left while the request was being authorized closed the stream before we listened.
    if (body.destroyed && !body.readableEnded) stop(aborted());
  });
}

/** The refusal due after `elapsedMs` with `size` bytes received, if any. */
function paceRefusal(limits: UploadLimits, size: number, elapsedMs: number): HttpError | undefined {
  if (elapsedMs >= limits.deadlineMs) {
    return new HttpError(408, "upload_timeout", `the upload did not arrive within this worker's deadline of ${Math.round(limits.deadlineMs / 1000)} s (${size} bytes received); send it again, faster`);
  }
  const rate = (size * 1000) / elapsedMs;
  if (elapsedMs >= limits.rateGraceMs && rate < limits.minBytesPerSecond) {
    return new HttpError(
      408,
      "upload_too_slow",
      `the upload arrived at ${Math.floor(rate)} bytes/s, slower than this worker's minimum of ${limits.minBytesPerSecond} bytes/s; send it again over a faster connection`,
    );
  }
  return undefined;
}

function aborted(): HttpError {
  return new HttpError(400, "upload_aborted", "the client closed the connection before the upload was complete");
}
