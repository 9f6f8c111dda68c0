/**
 * What every request to an aggregator shares: a timeout (with the caller's signal), answers read
 * only up to the most a valid one can take (aggregatorAnswerText), and refusals as an
 * AggregatorError carrying the aggregator's own `{ error, message }`. Uses fetch, so it runs in
 * the dApp and the CLI alike.
 */
import { aggregatorAnswerText } from "./aggregatorAnswer.ts";

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

/** The aggregator refused a request (`status` and `code` as it answered), or a round could not go on (`status` 0). */
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

/** Runs `request` under the caller's signal and the timeout; a timeout becomes a sentence naming the aggregator. */
export async function withTimeout<T>(aggregatorUrl: string, options: AggregatorRequestOptions, request: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const timeoutMs = options.timeoutMs ?? AGGREGATOR_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    return await request(options.signal ? AbortSignal.any([options.signal, timeout]) : timeout);
  } catch (error) {
    if (timeout.aborted && !options.signal?.aborted) throw new Error(`the aggregator at ${new URL(aggregatorUrl).href} did not answer within ${timeoutMs / 1000} s`);
    throw error;
  }
}

/** POSTs `body` as JSON to `path`; resolves once the aggregator took it (its answer dropped), or throws its refusal. */
export async function postJson(aggregatorUrl: string, path: string, body: unknown, signal: AbortSignal): Promise<void> {
  const response = await fetch(new URL(path, aggregatorUrl), { signal, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!response.ok) throw await refusal(response);
  await response.body?.cancel();
}

/** The answer's JSON, read up to `maxBytes`; a RangeError says `what` is not JSON. */
export async function answerJson(response: Response, maxBytes: number, what: string): Promise<unknown> {
  const text = await aggregatorAnswerText(response, maxBytes);
  try {
    return JSON.parse(text);
  } catch {
    throw new RangeError(`the aggregator's answer (${what}) is not JSON`);
  }
}

/** The AggregatorError of a refused request, with the aggregator's code and sentence when it gave them. */
export async function refusal(response: Response): Promise<AggregatorError> {
  const text = await aggregatorAnswerText(response, REFUSAL_MAX_BYTES).catch(() => "");
  let body: { error?: unknown; message?: unknown } = {};
  try {
    body = (JSON.parse(text) ?? {}) as typeof body;
  } catch {
    // not JSON: the status says it
  }
  return new AggregatorError(response.status, typeof body.error === "string" ? body.error : "unknown", typeof body.message === "string" ? body.message : `the aggregator answered HTTP ${response.status}`);
}
