/**
 * What the dApp and the CLI share about one buyer's recommendations: the ranking of a market's
 * listings on the device (with the item factors learned on the device from the market's public
 * events, marketItemFactors.ts, else cold start from public on-chain signals, saying why) and
 * the why-line of a personal pick. The aggregator's factors do not rank, so a hostile aggregator
 * cannot steer a buyer's list; taking part in its training is participation.ts.
 */
import { FEEDBACK_WEIGHTS, itemConfidences, type Interaction, type InteractionKind } from "./feedback.ts";
import type { ItemFactors } from "./itemFactors.ts";
import { MARKET_FACTORS } from "./marketItemFactors.ts";
import type { PublicSignals } from "./publicSignals.ts";
import { rankListings, type RankedListing } from "./rankListings.ts";
import { fitUserFactor } from "./userFactor.ts";
import { recordInteraction, withFactor, type UserProfile } from "./userProfile.ts";

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
