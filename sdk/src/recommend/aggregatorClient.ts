/**
 * Talking to an aggregator (aggregator/ in this repository, or anyone's): download the public
 * item factors, and send one round's noised upload. Uses fetch, so it runs in the dApp and the
 * CLI alike. A refusal throws an AggregatorError with the aggregator's own sentence. The
 * aggregator may be hostile: every request has a timeout, and an answer is read only up to the
 * most a valid one can take (FACTORS_BODY_MAX_BYTES; an error's sentence, 64 KiB).
 */
import { aggregatorAnswerText } from "./aggregatorAnswer.ts";
import { FACTORS_BODY_MAX_BYTES, parseFactorsBody, type PublishedFactors } from "./factorsWire.ts";
import type { NoisedItemUpdates } from "./noisedUpload.ts";
import { uploadBody } from "./uploadWire.ts";

/** How long a request may take, its answer read whole, by default: ample for the largest factors on a slow link. */
export const AGGREGATOR_TIMEOUT_MS = 60_000;

/** The most of an error answer read: its sentence. */
const REFUSAL_MAX_BYTES = 65_536;

export interface AggregatorRequestOptions {
  /** Aborts the request (with the timeout, whichever comes first). */
  readonly signal?: AbortSignal;
  /** Default AGGREGATOR_TIMEOUT_MS. */
  readonly timeoutMs?: number;
}

/** The aggregator refused a request (`status` and `code` as it answered). */
export class AggregatorError extends Error {
  override readonly name = "AggregatorError";
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The current item factors and the round they open. */
export async function fetchItemFactors(aggregatorUrl: string, options: AggregatorRequestOptions = {}): Promise<PublishedFactors> {
  return withTimeout(aggregatorUrl, options, async (signal) => {
    const response = await fetch(new URL("/factors", aggregatorUrl), { signal });
    if (!response.ok) throw await refusal(response);
    return parseFactorsBody(parseJson(await aggregatorAnswerText(response, FACTORS_BODY_MAX_BYTES)));
  });
}

/** Sends `upload` as the client `clientId` (a random id the device keeps); resolves once accepted. */
export async function sendUpload(aggregatorUrl: string, upload: NoisedItemUpdates, clientId: string, options: AggregatorRequestOptions = {}): Promise<void> {
  return withTimeout(aggregatorUrl, options, async (signal) => {
    const response = await fetch(new URL(`/rounds/${upload.round}/updates`, aggregatorUrl), {
      signal,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(uploadBody(upload, clientId)),
    });
    if (!response.ok) throw await refusal(response);
  });
}

/** Runs `request` under the caller's signal and the timeout; a timeout becomes a sentence naming the aggregator. */
async function withTimeout<T>(aggregatorUrl: string, options: AggregatorRequestOptions, request: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const timeoutMs = options.timeoutMs ?? AGGREGATOR_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    return await request(options.signal ? AbortSignal.any([options.signal, timeout]) : timeout);
  } catch (error) {
    if (timeout.aborted && !options.signal?.aborted) throw new Error(`the aggregator at ${new URL(aggregatorUrl).href} did not answer within ${timeoutMs / 1000} s`);
    throw error;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new RangeError("the aggregator's factors are not JSON");
  }
}

async function refusal(response: Response): Promise<AggregatorError> {
  const text = await aggregatorAnswerText(response, REFUSAL_MAX_BYTES).catch(() => "");
  let body: { error?: unknown; message?: unknown } = {};
  try {
    body = (JSON.parse(text) ?? {}) as typeof body;
  } catch {
    // not JSON: the status says it
  }
  return new AggregatorError(response.status, typeof body.error === "string" ? body.error : "unknown", typeof body.message === "string" ? body.message : `the aggregator answered HTTP ${response.status}`);
}
