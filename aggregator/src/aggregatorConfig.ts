/**
 * The aggregator's settings: the item factors' shape and start, the trainer's two functions (the
 * contribution's length and how a round's decoded sum updates the factors), when a round's roster
 * closes and how long its members have to upload, and the limits every request is held to.
 * Defaults suit the local chain of `npm start`.
 */
import { applyUpdateSum, contributionLength, MAX_SECURE_PARTICIPANTS, type ItemFactors } from "@modelbazaar/sdk/recommend";

/** The factors after a round: `sum` is the decoded sum of the round's `participants` contributions. */
export type ApplySum = (factors: ItemFactors, sum: Float64Array, participants: number) => ItemFactors;

/** The length of every contribution of a round, for factors of `itemCount` items of `dimension`. */
export type ContributionLength = (itemCount: number, dimension: number) => number;

export interface AggregatorConfig {
  /** Listen port (0: any free port). */
  readonly port: number;
  readonly host?: string;
  /** Listings the factors cover (item id = listing id − 1). */
  readonly itemCount: number;
  readonly dimension: number;
  /** Seed of the starting factors (anyone can recompute round 0). */
  readonly seed: number;
  /** Round 0's factors, itemCount × dimension (default: seeded random; npm start gives the chain's public ones, publicStart.ts). */
  readonly startFactors?: ItemFactors;
  /** How a round's decoded sum becomes the next factors (the trainer's step). */
  readonly applySum: ApplySum;
  /** The length of a round's contributions (the trainer's vector). */
  readonly contributionLength: ContributionLength;
  /** The roster closes as soon as this many clients enrolled (at most MAX_SECURE_PARTICIPANTS). */
  readonly participantsPerRound: number;
  /** The fewest members a roster closes with (at least 2: the sum of one is that client's contribution). */
  readonly minParticipants: number;
  /** The enrolment timer: every this many ms the roster closes if at least `minParticipants` enrolled (0: no timer). */
  readonly enrolmentMs: number;
  /** Once the roster closed, its members have this long to upload; then the round is aborted. */
  readonly collectMs: number;
  /** Browser origins allowed to call the API (CORS). */
  readonly corsOrigins: readonly string[];
  /** Largest request body accepted, in bytes; default: a masked upload's base64 plus 4 KiB. */
  readonly maxUploadBytes?: number;
  /** A connection idle this long, or a request not received whole within it, is dropped (a stalled or trickled body); default 30 s. */
  readonly requestTimeoutMs?: number;
  /** How long `GET /rounds/:round/roster?wait=1` is held while enrolling; default 20 s (and at most half of requestTimeoutMs). */
  readonly rosterWaitMs?: number;
  /** Most roster requests held at once (more are answered at once, and their clients ask again); default 2,048. */
  readonly maxHeldRosterRequests?: number;
}

/** The federated trainer's step: the round's mean update applied with learning rate 2 and item regularization 0.01 (the study's). */
const gradientStep: ApplySum = (factors, sum, participants) => applyUpdateSum(factors, sum, participants, { learningRate: 2, regularization: 0.01 });

export const AGGREGATOR_DEFAULTS = {
  itemCount: 1024,
  dimension: 16,
  seed: 16,
  applySum: gradientStep,
  contributionLength,
  participantsPerRound: 100,
  minParticipants: 3,
  enrolmentMs: 60_000,
  collectMs: 60_000,
} as const satisfies Partial<AggregatorConfig>;

/** Default of `requestTimeoutMs`: ample for the largest upload (about 90 KiB at the defaults) on a slow link. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Default of `maxHeldRosterRequests`: twice the largest roster, so every member of one can wait. */
export const DEFAULT_MAX_HELD_ROSTER_REQUESTS = 2 * MAX_SECURE_PARTICIPANTS;

/** Default of `rosterWaitMs`. */
export const DEFAULT_ROSTER_WAIT_MS = 20_000;

/** The byte cap of a request: a masked upload of `length` uint32 as base64, and slack for the rest of the JSON. */
export function defaultMaxUploadBytes(length: number): number {
  return Math.ceil((length * 4) / 3) * 4 + 4096;
}

/** Throws a RangeError naming the first setting a secure round cannot run with. */
export function checkAggregatorConfig(config: AggregatorConfig): void {
  const { minParticipants, participantsPerRound, enrolmentMs, collectMs } = config;
  if (!Number.isSafeInteger(minParticipants) || minParticipants < 2) throw new RangeError(`minParticipants must be an integer of at least 2 (the sum of one client is its contribution), got ${minParticipants}`);
  if (!Number.isSafeInteger(participantsPerRound) || participantsPerRound < minParticipants || participantsPerRound > MAX_SECURE_PARTICIPANTS) {
    throw new RangeError(`participantsPerRound must be an integer from minParticipants (${minParticipants}) to ${MAX_SECURE_PARTICIPANTS}, got ${participantsPerRound}`);
  }
  if (!(enrolmentMs >= 0) || !(collectMs > 0)) throw new RangeError(`enrolmentMs must be at least 0 and collectMs positive, got ${enrolmentMs} and ${collectMs}`);
  const { startFactors } = config;
  if (startFactors && (startFactors.count !== config.itemCount || startFactors.dimension !== config.dimension || startFactors.values.length !== config.itemCount * config.dimension || !startFactors.values.every(Number.isFinite))) {
    throw new RangeError(`startFactors must be ${config.itemCount} finite factors of dimension ${config.dimension}, got ${startFactors.count} of dimension ${startFactors.dimension}`);
  }
  const length = config.contributionLength(config.itemCount, config.dimension);
  if (!Number.isSafeInteger(length) || length < 1) throw new RangeError(`contributionLength must give a positive integer, got ${length}`);
}
