/**
 * The upload's wire format, shared by the client that sends it and the aggregator that checks
 * it: JSON `{ round, clientId, dimension, itemIds, values }` with the values as base64 of
 * little-endian float32 (4 bytes a value instead of ~20 as JSON numbers). `parseUploadBody`
 * refuses anything malformed with an `UploadFormatError` naming the fault.
 */
import { base64ToFloats, floatsToBase64 } from "./base64Floats.ts";
import { CLIENT_ID_PATTERN, CLIENT_ID_RULE } from "./clientId.ts";
import type { NoisedItemUpdates } from "./noisedUpload.ts";

/** The JSON body of `POST /rounds/:round/updates`. */
export interface UploadBody {
  readonly round: number;
  /** A random id the client chose; the aggregator takes one upload per id per round. */
  readonly clientId: string;
  readonly dimension: number;
  readonly itemIds: readonly number[];
  /** base64 of itemIds.length × dimension little-endian float32. */
  readonly values: string;
}

/** What a parsed upload is checked against: the aggregator's factors. */
export interface UploadLimits {
  readonly dimension: number;
  readonly itemCount: number;
}

/** A parsed, checked upload. */
export interface ParsedUpload {
  readonly round: number;
  readonly clientId: string;
  readonly itemIds: readonly number[];
  readonly values: Float32Array;
}

/** The upload is malformed; `message` says how. */
export class UploadFormatError extends Error {
  override readonly name = "UploadFormatError";
}

/** The body a client posts for `upload`. */
export function uploadBody(upload: NoisedItemUpdates, clientId: string): UploadBody {
  return { round: upload.round, clientId, dimension: upload.dimension, itemIds: upload.itemIds, values: floatsToBase64(upload.values) };
}

/**
 * The largest magnitude of an uploaded value. An honest value is a clipped update (the whole
 * upload's L2 norm at most clipNorm) plus N(0, (σ·clipNorm)²) noise: σ·clipNorm is 80 under
 * PARTICIPATION, so this is 125 standard deviations. Without a bound, one client's finite but
 * huge values (3.4e38) averaged into the factors overflow float32 on the wire, and every client
 * then refuses the served factors for good.
 */
const MAX_UPLOAD_VALUE = 1e4;

/** Checks a received body against the aggregator's factors; throws UploadFormatError on the first fault. */
export function parseUploadBody(body: unknown, limits: UploadLimits): ParsedUpload {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new UploadFormatError("the upload must be a JSON object { round, clientId, dimension, itemIds, values }");
  const { round, clientId, dimension, itemIds, values } = body as Record<string, unknown>;
  if (!Number.isSafeInteger(round) || (round as number) < 0) throw new UploadFormatError("round must be a non-negative integer");
  if (typeof clientId !== "string" || !CLIENT_ID_PATTERN.test(clientId)) throw new UploadFormatError(CLIENT_ID_RULE);
  if (dimension !== limits.dimension) throw new UploadFormatError(`dimension must be the factors' ${limits.dimension}, got ${JSON.stringify(dimension)}`);
  if (!Array.isArray(itemIds) || itemIds.length === 0) throw new UploadFormatError("itemIds must be a non-empty list");
  if (itemIds.length > limits.itemCount) throw new UploadFormatError(`itemIds lists ${itemIds.length} items, more than the ${limits.itemCount} there are`);
  itemIds.forEach((id: unknown, k) => {
    if (!Number.isInteger(id) || (id as number) < 0 || (id as number) >= limits.itemCount) throw new UploadFormatError(`itemIds[${k}] = ${JSON.stringify(id)} is not an item id in [0, ${limits.itemCount})`);
    if (k > 0 && (id as number) <= itemIds[k - 1]) throw new UploadFormatError(`itemIds must be ascending without repeats (itemIds[${k}] = ${id as number})`);
  });
  if (typeof values !== "string") throw new UploadFormatError("values must be a base64 string of float32 values");
  let decoded: Float32Array;
  try {
    decoded = base64ToFloats(values, itemIds.length * limits.dimension);
  } catch (error) {
    throw new UploadFormatError(`values: ${(error as Error).message}`);
  }
  const beyond = decoded.findIndex((value) => Math.abs(value) > MAX_UPLOAD_VALUE);
  if (beyond >= 0) throw new UploadFormatError(`values: value ${beyond} is ${decoded[beyond]}, beyond ±${MAX_UPLOAD_VALUE} (an update is clipped and noised, never that large)`);
  return { round: round as number, clientId, itemIds: itemIds as number[], values: decoded };
}
