/**
 * The worker's HTTP errors: every refusal is a 4xx (or 5xx) with a JSON body
 * `{ error, message }`, where `error` is a stable machine-readable code (see README) and
 * `message` a sentence a buyer can act on; a refusal for load (503) also says when to try
 * again (Retry-After).
 */
export type ErrorCode =
  | "invalid_test_id"
  | "malformed_signature"
  | "wrong_signer"
  | "nonce_replayed"
  | "test_not_found"
  | "test_not_open"
  | "listing_not_served"
  | "job_exists"
  | "empty_upload"
  | "body_mismatch"
  | "upload_too_large"
  | "upload_timeout"
  | "upload_too_slow"
  | "upload_aborted"
  | "too_many_uploads"
  | "too_many_waiting"
  | "queue_full"
  | "upload_malformed"
  | "upload_incompatible"
  | "too_many_samples"
  | "no_job"
  | "result_not_ready"
  | "job_failed"
  | "unsupported_media_type"
  | "not_found"
  | "chain_unavailable"
  | "internal"
  // Deliveries (routes/delivery.ts)
  | "invalid_purchase_id"
  | "purchase_not_found"
  | "delivery_not_committed"
  | "purchase_not_awaiting_key"
  | "package_malformed"
  | "wrong_purchase"
  | "commitment_mismatch"
  | "reveal_under_way"
  | "no_delivery";

export class HttpError extends Error {
  override readonly name = "HttpError";
  readonly status: number;
  readonly code: ErrorCode;
  /** Sent as Retry-After: when a refusal for load may be tried again (s). */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, code: ErrorCode, message: string, retryAfterSeconds?: number) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface ErrorBody {
  readonly error: ErrorCode | string;
  readonly message: string;
}
