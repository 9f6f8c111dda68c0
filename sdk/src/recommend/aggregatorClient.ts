/**
 * Talking to an aggregator (aggregator/ in this repository, or anyone's): download the public
 * item factors, and send one round's noised upload. Uses fetch, so it runs in the dApp and the
 * CLI alike. A refusal throws an AggregatorError with the aggregator's own sentence.
 */
import { parseFactorsBody, type PublishedFactors } from "./factorsWire.ts";
import type { NoisedItemUpdates } from "./noisedUpload.ts";
import { uploadBody } from "./uploadWire.ts";

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
export async function fetchItemFactors(aggregatorUrl: string, init: RequestInit = {}): Promise<PublishedFactors> {
  const response = await fetch(new URL("/factors", aggregatorUrl), init);
  if (!response.ok) throw await refusal(response);
  return parseFactorsBody(await response.json());
}

/** Sends `upload` as the client `clientId` (a random id the device keeps); resolves once accepted. */
export async function sendUpload(aggregatorUrl: string, upload: NoisedItemUpdates, clientId: string, init: RequestInit = {}): Promise<void> {
  const response = await fetch(new URL(`/rounds/${upload.round}/updates`, aggregatorUrl), {
    ...init,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(uploadBody(upload, clientId)),
  });
  if (!response.ok) throw await refusal(response);
}

async function refusal(response: Response): Promise<AggregatorError> {
  const body = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
  return new AggregatorError(response.status, body.error ?? "unknown", body.message ?? `the aggregator answered HTTP ${response.status}`);
}
