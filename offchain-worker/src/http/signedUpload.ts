/**
 * What the two upload routes share (a buyer's evaluation upload, a seller's delivery hand-over),
 * so both are received under the same limits by the same code: before anything is read, the
 * declared length must fit the size limit and the request must have a body; once the signer is
 * authenticated, an upload slot (per subject, per signer, in total; else 429) is taken, the body
 * streams to a temporary file within the size limit, its deadline and its minimum rate
 * (receiveUpload.ts), must not be empty and must be the body signed; then the route uses the
 * file, and the slot and the file are given back whatever happens. Received bytes are counted
 * in the metrics.
 */
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { Address } from "viem";
import type { UploadAuthorization } from "@modelbazaar/sdk/worker";
import { HttpError } from "./httpError.ts";
import { receiveUpload, uploadTooLarge } from "./receiveUpload.ts";
import type { RouteContext } from "./routeContext.ts";

export interface UploadKind {
  /** The metrics label. */
  readonly kind: "evaluation" | "delivery";
  /** Who signs it, e.g. "buyer". */
  readonly role: string;
  /** What the body must be, e.g. "the evaluation keys and ciphertexts". */
  readonly content: string;
}

/** The request's body stream; 413 when its declared length is over the limit, 400 `empty_upload` when it has none. */
export function uploadBody(ctx: RouteContext, request: { headers: Record<string, unknown>; body: unknown }, kind: UploadKind): Readable {
  if (Number(request.headers["content-length"]) > ctx.uploadLimits.maxBytes) throw uploadTooLarge(ctx.uploadLimits.maxBytes);
  const body = request.body as Readable | undefined;
  if (!body || typeof body.on !== "function") throw emptyUpload(kind);
  return body;
}

/** Receives `body`, signed by the authenticated `signer` for `subject` (e.g. "test 4"), and hands its file to `use`. */
export async function withReceivedUpload<T>(
  ctx: RouteContext,
  body: Readable,
  upload: { readonly kind: UploadKind; readonly subject: string; readonly signer: Address; readonly authorization: UploadAuthorization },
  use: (received: { readonly path: string; readonly size: number }) => Promise<T>,
): Promise<T> {
  const release = ctx.uploadSlots.acquire(upload.subject, upload.signer);
  const path = ctx.blobs.incomingPath(randomUUID());
  try {
    const { size, bodySha256 } = await receiveUpload(body, path, ctx.uploadLimits);
    if (size === 0) throw emptyUpload(upload.kind);
    if (bodySha256 !== upload.authorization.bodySha256) {
      throw new HttpError(400, "body_mismatch", `the body's SHA-256 is ${bodySha256}, not the ${upload.authorization.bodySha256} the ${upload.kind.role} signed`);
    }
    ctx.metrics.uploadReceived(upload.kind.kind, size);
    return await use({ path, size });
  } finally {
    release();
    await ctx.blobs.discard(path);
  }
}

function emptyUpload(kind: UploadKind): HttpError {
  return new HttpError(400, "empty_upload", `the request has no body: send ${kind.content} as application/octet-stream`);
}
