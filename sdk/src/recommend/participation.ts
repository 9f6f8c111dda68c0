/**
 * A buyer's opt-in part in the aggregator's federated training, shared by the dApp and the CLI:
 * the settings every client applies (those of the study's public-start rows,
 * docs/studies/recommendation.md), the ledger of rounds the buyer took part in with the privacy
 * they cost per calendar month (UTC) by the Rényi-DP accounting, and one round under secure
 * aggregation (secureRoundClient.ts). The ledger holds round numbers, times and noise levels,
 * never what was uploaded; the user factor fitted for the round stays inside this module.
 *
 * Two privacy readings of the same round, both stated to the buyer:
 * - ε: the round's sum carries N(0, (zC)²) (each of the n roster members adds the share
 *   N(0, (zC)²/n)), so against anyone who reads the factors, and against an aggregator that
 *   follows the protocol (it sees only sums), a round is the Gaussian mechanism of multiplier z.
 * - upload ε: this buyer's own share alone (multiplier z/√n), what is left against an aggregator
 *   that fabricates every other roster member and so unmasks the upload.
 */
import { federatedClientStep } from "./federatedClient.ts";
import type { ItemFactors } from "./itemFactors.ts";
import { DEFAULT_ORDERS, gaussianRdp, rdpToEpsilon } from "./privacyAccounting.ts";
import type { RandomSource } from "./randomSource.ts";
import { takePartInSecureRound, type SecureRoundOptions } from "./secureRoundClient.ts";
import type { UserProfile } from "./userProfile.ts";

/**
 * Every listing's update in every contribution (so its shape says nothing of the history), the
 * whole contribution clipped to L2 norm 5, the round's sum noised with multiplier z = 1.197 (one
 * round costs ε = 4.36, 3 rounds a month ε = 7.99 at δ = 1e-5; test/recommend/participation.test.ts checks it against
 * the accounting), a month's rounds stopped at ε = 8, rosters of fewer than 3 refused, and the
 * user factor's regularization λ = 5 for the round's fit (as for the ranking's).
 */
export const PARTICIPATION = {
  clipNorm: 5,
  sumNoiseMultiplier: 1.197,
  decoys: "all",
  regularization: 5,
  delta: 1e-5,
  monthlyEpsilonBudget: 8,
  minParticipants: 3,
} as const;

/** Noise multiplier of the clear uploads kept in ledgers before secure aggregation (each upload carried it whole). */
const CLEAR_UPLOAD_NOISE_MULTIPLIER = 4;

/** One round the buyer took part in: which, when (seconds since the epoch), and the noise multipliers of its sum and of this buyer's share. */
export interface ParticipationRound {
  readonly round: number;
  readonly at: number;
  /** Absent in rounds kept before secure aggregation: clear uploads with the whole noise (σ = 4) on each. */
  readonly sumNoiseMultiplier?: number;
  readonly uploadNoiseMultiplier?: number;
}

/** The latest time a Date holds, in seconds: a kept round past it has no month. */
const LATEST_SECONDS = 8.64e12;

/**
 * The rounds of a ledger read back from the device's store (localStorage, profiles.json): the
 * well-formed ones; an entry without a round number or a time in a month is dropped, and a noise
 * multiplier no client writes (not positive, or above the clear uploads' σ = 4) is read as absent,
 * so it counts as a clear upload rather than lowering the month's ε.
 */
export function keptRounds(value: unknown): ParticipationRound[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) => {
    if (typeof entry !== "object" || entry === null) return [];
    const { round, at, sumNoiseMultiplier, uploadNoiseMultiplier } = entry as Record<string, unknown>;
    if (!Number.isSafeInteger(round) || (round as number) < 0 || typeof at !== "number" || !(Math.abs(at) <= LATEST_SECONDS)) return [];
    const sum = writtenMultiplier(sumNoiseMultiplier);
    const upload = writtenMultiplier(uploadNoiseMultiplier);
    return [{ round: round as number, at, ...(sum !== undefined && { sumNoiseMultiplier: sum }), ...(upload !== undefined && { uploadNoiseMultiplier: upload }) }];
  });
}

function writtenMultiplier(value: unknown): number | undefined {
  return typeof value === "number" && value > 0 && value <= CLEAR_UPLOAD_NOISE_MULTIPLIER ? value : undefined;
}

/** What a month's rounds cost: ε against readers of the factors and a protocol-following aggregator, and ε of the buyer's own shares alone. */
export interface PrivacySpent {
  readonly epsilon: number;
  readonly uploadEpsilon: number;
  readonly rounds: number;
}

/** The calendar month (UTC) of a time in seconds, e.g. "2026-12". */
export function monthOf(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 7);
}

/** ε (at PARTICIPATION.delta) the buyer's rounds of `month` cost, both readings, and how many there were. */
export function epsilonSpent(rounds: readonly ParticipationRound[], month: string): PrivacySpent {
  const inMonth = rounds.filter((r) => monthOf(r.at) === month);
  if (inMonth.length === 0) return { epsilon: 0, uploadEpsilon: 0, rounds: 0 };
  const compose = (multiplier: (r: ParticipationRound) => number) => {
    const rdp = DEFAULT_ORDERS.map((order) => inMonth.reduce((total, r) => total + gaussianRdp(order, multiplier(r)), 0));
    return rdpToEpsilon(DEFAULT_ORDERS, rdp, PARTICIPATION.delta).epsilon;
  };
  return {
    epsilon: compose((r) => r.sumNoiseMultiplier ?? CLEAR_UPLOAD_NOISE_MULTIPLIER),
    uploadEpsilon: compose((r) => r.uploadNoiseMultiplier ?? CLEAR_UPLOAD_NOISE_MULTIPLIER),
    rounds: inMonth.length,
  };
}

/**
 * Where the buyer's rounds are kept (localStorage, the CLI's profiles.json), read and appended
 * synchronously: a round's last budget check and its entry are one step that no other round of
 * the same process can come between.
 */
export interface ParticipationLedger {
  read(): readonly ParticipationRound[];
  append(round: ParticipationRound): void;
}

/** A ledger held in memory, starting from `rounds` (a buyer whose store is elsewhere, tests). */
export function memoryLedger(rounds: readonly ParticipationRound[] = []): ParticipationLedger {
  let kept = [...rounds];
  return { read: () => kept, append: (round) => void (kept = [...kept, round]) };
}

/** The buyer's participation would exceed the month's privacy budget. */
export class PrivacyBudgetExhausted extends Error {
  override readonly name = "PrivacyBudgetExhausted";
}

/**
 * The contribution of `profile` to a round of `participants` against the aggregator's `factors`:
 * every listing's implicit-feedback gradient, clipped to PARTICIPATION.clipNorm as a whole, with
 * this buyer's share N(0, (zC)²/participants) of the round's noise.
 */
export function participationContribution(profile: UserProfile, factors: ItemFactors, round: number, participants: number, random: RandomSource): Float64Array {
  const { clipNorm, sumNoiseMultiplier, decoys, regularization } = PARTICIPATION;
  const { upload } = federatedClientStep(profile, factors, { round, clipNorm, noiseMultiplier: sumNoiseMultiplier / Math.sqrt(participants), decoys, regularization }, random);
  const values = new Float64Array(factors.count * factors.dimension);
  upload.itemIds.forEach((itemId, k) => values.set(upload.values.subarray(k * factors.dimension, (k + 1) * factors.dimension), itemId * factors.dimension));
  return values;
}

export interface ParticipationReceipt {
  /** The round as the ledger keeps it (appended before the upload was sent). */
  readonly round: ParticipationRound;
  readonly participants: number;
  /** The month's privacy including this round. */
  readonly spent: PrivacySpent;
}

/**
 * Takes part in the aggregator's open `round` (whose factors are `factors`) under secure
 * aggregation. Refused before anything is sent (PrivacyBudgetExhausted) when another round would
 * take the month's ε past the budget, checked when it starts and again against the ledger as it
 * is just before the upload; a roster the client refuses, or one that does not close, throws the
 * secure round's error, also before anything of the history is sent. The round is appended to
 * `ledger` just before the masked upload is sent, so it counts even when the aggregator then
 * answers an error or nothing. `now` is in seconds since the epoch.
 */
export async function takePartInRound(
  aggregatorUrl: string,
  profile: UserProfile,
  published: { readonly round: number; readonly factors: ItemFactors },
  ledger: ParticipationLedger,
  now: number,
  random: RandomSource,
  options: SecureRoundOptions = {},
): Promise<ParticipationReceipt> {
  const month = monthOf(now);
  const { round, factors } = published;
  requireBudget(ledger.read(), { round, at: now, sumNoiseMultiplier: PARTICIPATION.sumNoiseMultiplier }, month);
  let entry: ParticipationRound | undefined;
  const receipt = await takePartInSecureRound(aggregatorUrl, round, (participants) => participationContribution(profile, factors, round, participants, random), {
    minParticipants: PARTICIPATION.minParticipants,
    ...options,
    beforeUpload: (participants) => {
      entry = { round, at: now, sumNoiseMultiplier: PARTICIPATION.sumNoiseMultiplier, uploadNoiseMultiplier: PARTICIPATION.sumNoiseMultiplier / Math.sqrt(participants) };
      requireBudget(ledger.read(), entry, month);
      ledger.append(entry);
    },
  });
  return { round: entry!, participants: receipt.participants, spent: epsilonSpent(ledger.read(), month) };
}

/** Throws PrivacyBudgetExhausted when `next` would take the month's ε past the budget. */
function requireBudget(rounds: readonly ParticipationRound[], next: ParticipationRound, month: string): void {
  const { epsilon } = epsilonSpent([...rounds, next], month);
  if (epsilon > PARTICIPATION.monthlyEpsilonBudget) {
    throw new PrivacyBudgetExhausted(`another round this month would cost ε = ${epsilon.toFixed(2)}, past the budget of ${PARTICIPATION.monthlyEpsilonBudget}; try again next month`);
  }
}
