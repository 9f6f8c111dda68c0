/**
 * What the dApp and the CLI share about one buyer's recommendations: the ranking of a market's
 * listings on the device (with the item factors learned on the device from the market's public
 * events, marketItemFactors.ts, else cold start from public on-chain signals, saying why), the
 * participation settings every buyer's client applies when it opts in to train the aggregator's
 * federated factors (clipping, noise, decoys), the ledger of rounds the buyer took part in, and
 * the privacy cost of those rounds per calendar month (UTC) by the Rényi-DP accounting. The
 * ledger holds round numbers and times only, never what was uploaded. The aggregator's factors do
 * not rank: at the noise each upload carries they rank close to chance (docs/studies/recommendation.md).
 */
import { FEEDBACK_WEIGHTS, itemConfidences, type Interaction, type InteractionKind } from "./feedback.ts";
import type { ItemFactors } from "./itemFactors.ts";
import { MARKET_FACTORS } from "./marketItemFactors.ts";
import { federatedClientStep } from "./federatedClient.ts";
import type { NoisedItemUpdates } from "./noisedUpload.ts";
import { gaussianEpsilon } from "./privacyAccounting.ts";
import type { PublicSignals } from "./publicSignals.ts";
import type { RandomSource } from "./randomSource.ts";
import { rankListings, type RankedListing } from "./rankListings.ts";
import { fitUserFactor } from "./userFactor.ts";
import { recordInteraction, withFactor, type UserProfile } from "./userProfile.ts";

/**
 * The settings of every round a buyer's client joins, those of the study's defended setting
 * (docs/studies/recommendation.md): every listing's update in every upload (decoys "all", so
 * the item set says nothing about the history; sampled decoys do not hide membership), the whole
 * upload clipped to L2 norm 20, noise σ = 4 (one round costs ε ≈ 1.23 and 30 in a month ε ≈ 7.51,
 * at δ = 1e-5), a month's rounds stopped at ε = 8, and the user factor's regularization λ = 5
 * for the round's fit (as for the ranking's, MARKET_FACTORS). No subsampling is assumed (q = 1).
 */
export const PARTICIPATION = { clipNorm: 20, noiseMultiplier: 4, decoys: "all", regularization: 5, delta: 1e-5, monthlyEpsilonBudget: 8 } as const;

/** One round the buyer took part in: which, and when (seconds since the epoch). */
export interface ParticipationRound {
  readonly round: number;
  readonly at: number;
}

/** Why a list is not personal: no public test-drive or purchase on the chain to learn factors from, or no history yet. */
export type ColdStartReason = "no-public-activity" | "no-history";

export interface BuyerRecommendations {
  readonly ranked: RankedListing[];
  /** The profile with its user factor refitted to the market's factors (store it back on the device). */
  readonly profile: UserProfile;
  readonly coldStart?: ColdStartReason;
}

export interface BuyerRecommendationsInput {
  readonly profile: UserProfile;
  /** The market's item factors, marketItemFactors of the chain's public events (undefined: none yet). */
  readonly factors?: ItemFactors;
  /** Item ids that may be shown (open listings). */
  readonly candidates: readonly number[];
  readonly signals: ReadonlyMap<number, PublicSignals>;
  readonly promoted: readonly number[];
  readonly limit: number;
}

const NO_FACTORS: ItemFactors = { dimension: 1, count: 0, values: new Float64Array(0) };

/** The buyer's list, ranked on the device; cold start (public signals only) says why it is one. */
export function recommendForBuyer(input: BuyerRecommendationsInput): BuyerRecommendations {
  const { factors, candidates, signals, promoted, limit } = input;
  const coldStart: ColdStartReason | undefined = !factors ? "no-public-activity" : input.profile.history.length === 0 ? "no-history" : undefined;
  const profile = factors && !coldStart ? withFactor(input.profile, fitUserFactor(factors, itemConfidences(input.profile.history), MARKET_FACTORS.regularization)) : input.profile;
  const ranked = rankListings({ profile: coldStart ? { ...profile, factor: [] } : profile, factors: factors ?? NO_FACTORS, candidates, signals, promoted, limit });
  return { ranked, profile, coldStart };
}

/** The profile with those of `interactions` (e.g. the buyer's own on-chain events, read again each time) it does not hold yet. */
export function withInteractions(profile: UserProfile, interactions: readonly Interaction[]): UserProfile {
  const key = ({ itemId, kind, timestamp }: Interaction) => `${itemId}:${kind}:${timestamp}`;
  const has = new Set(profile.history.map(key));
  return interactions.filter((i) => !has.has(key(i))).reduce(recordInteraction, profile);
}

/**
 * A personal pick's why-line from the buyer's own history, e.g. "because you bought Iris v2 and
 * test-drove Wine": each item of `because` with the strongest thing the buyer did with it, or
 * that no other item of the history is close when `because` is empty.
 */
export function whyLine(profile: UserProfile, because: readonly number[], nameOf: (itemId: number) => string): string {
  const parts = because.map((itemId) => {
    const kinds = profile.history.filter((i) => i.itemId === itemId).map((i) => i.kind);
    const strongest = kinds.reduce((a, b) => (FEEDBACK_WEIGHTS[b] > FEEDBACK_WEIGHTS[a] ? b : a), kinds[0] ?? "browse");
    return `${PAST_TENSE[strongest]} ${nameOf(itemId)}`;
  });
  if (parts.length === 0) return "ranked by your taste; no other model in your history is close to it";
  return `because you ${parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`}`;
}

const PAST_TENSE: Readonly<Record<InteractionKind, string>> = { browse: "looked at", testDrive: "test-drove", buy: "bought" };

/** The calendar month (UTC) of a time in seconds, e.g. "2026-12". */
export function monthOf(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 7);
}

/** ε (at PARTICIPATION.delta) the buyer's rounds of `month` cost, and how many there were. */
export function epsilonSpent(rounds: readonly ParticipationRound[], month: string): { epsilon: number; rounds: number } {
  const count = rounds.filter((r) => monthOf(r.at) === month).length;
  if (count === 0) return { epsilon: 0, rounds: 0 };
  const { noiseMultiplier, delta } = PARTICIPATION;
  return { epsilon: gaussianEpsilon({ noiseMultiplier, samplingRate: 1, rounds: count, delta }).epsilon, rounds: count };
}

/** The buyer's participation would exceed the month's privacy budget. */
export class PrivacyBudgetExhausted extends Error {
  override readonly name = "PrivacyBudgetExhausted";
}

export interface ParticipationStep {
  /** What is sent: noised item updates only. */
  readonly upload: NoisedItemUpdates;
  /** Append to the ledger once the aggregator accepted the upload. */
  readonly round: ParticipationRound;
  /** ε of the month including this round. */
  readonly epsilonThisMonth: number;
}

/**
 * One round of the federated client with PARTICIPATION's settings against the aggregator's
 * `factors` (the user factor it fits to them stays inside this function), refused (PrivacyBudgetExhausted)
 * when it would take the month's ε past the budget. `now` is in seconds since the epoch.
 */
export function participate(profile: UserProfile, factors: ItemFactors, round: number, ledger: readonly ParticipationRound[], now: number, random: RandomSource): ParticipationStep {
  const next: ParticipationRound = { round, at: now };
  const { epsilon } = epsilonSpent([...ledger, next], monthOf(now));
  if (epsilon > PARTICIPATION.monthlyEpsilonBudget) {
    throw new PrivacyBudgetExhausted(`another round this month would cost ε = ${epsilon.toFixed(2)}, past the budget of ${PARTICIPATION.monthlyEpsilonBudget}; try again next month`);
  }
  const { clipNorm, noiseMultiplier, decoys, regularization } = PARTICIPATION;
  const step = federatedClientStep(profile, factors, { round, clipNorm, noiseMultiplier, decoys, regularization }, random);
  return { upload: step.upload, round: next, epsilonThisMonth: epsilon };
}
