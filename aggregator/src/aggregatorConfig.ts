/**
 * The aggregator's settings: the item factors' shape and start, the averaging step, when a round
 * closes, and the limits every upload is held to. Defaults suit the local chain of `npm start`.
 */

export interface AggregatorConfig {
  /** Listen port (0: any free port). */
  readonly port: number;
  readonly host?: string;
  /** Listings the factors cover (item id = listing id − 1). */
  readonly itemCount: number;
  readonly dimension: number;
  /** Seed of the starting factors (anyone can recompute round 0). */
  readonly seed: number;
  /** Averaging step: learning rate and the items' L2 regularization. */
  readonly learningRate: number;
  readonly regularization: number;
  /** A round closes as soon as this many uploads arrived. */
  readonly uploadsPerRound: number;
  /** A round closes on this timer too, if it holds at least `minUploadsPerRound` uploads (0: no timer). */
  readonly roundIntervalMs: number;
  /** Fewest uploads averaged into a round (the noise of the published average grows with them). */
  readonly minUploadsPerRound: number;
  /** Browser origins allowed to call the API (CORS). */
  readonly corsOrigins: readonly string[];
  /** Largest upload body accepted, in bytes; default: every item's update, encoded, plus 4 KiB. */
  readonly maxUploadBytes?: number;
  /** A connection idle this long, or a request not received whole within it, is dropped (a stalled or trickled body); default 30 s. */
  readonly requestTimeoutMs?: number;
}

export const AGGREGATOR_DEFAULTS = {
  itemCount: 1024,
  dimension: 16,
  seed: 16,
  learningRate: 2,
  regularization: 0.01,
  uploadsPerRound: 100,
  roundIntervalMs: 0,
  minUploadsPerRound: 1,
} as const;

/** Default of `requestTimeoutMs`: ample for the largest upload (about 90 KiB at the defaults) on a slow link. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The byte cap of an upload covering every item: base64 float32 values, item ids as JSON, and slack. */
export function defaultMaxUploadBytes(itemCount: number, dimension: number): number {
  const values = Math.ceil((itemCount * dimension * 4) / 3) * 4;
  const itemIds = itemCount * (String(itemCount).length + 1);
  return values + itemIds + 4096;
}
