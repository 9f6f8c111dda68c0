/**
 * On-device ranking: listings scored by the local user factor · the public item factor, with
 * the public signals as a small prior (and as the whole score for a buyer with no history or a
 * listing without a factor, newer than the factors or with a zero one, i.e. no one test-drove or
 * bought it: cold start), the listings the buyer already bought left out,
 * promoted listings matched locally (the promoted listing that scores best for this buyer takes
 * each promoted slot), and each personal pick explained from the buyer's own history. Nothing
 * here sends anything anywhere.
 */
import { itemVector, type ItemFactors } from "./itemFactors.ts";
import { publicSignalScore, type PublicSignals } from "./publicSignals.ts";
import type { UserProfile } from "./userProfile.ts";
import { dot } from "./vectorMath.ts";
import { whyThisModel } from "./whyThisModel.ts";

/** Why a listing is in the list. */
export type RankingSource = "personal" | "promoted" | "popular";

export interface RankedListing {
  readonly itemId: number;
  readonly score: number;
  readonly source: RankingSource;
  /** For a personal pick: the buyer's own items most similar to it (whyThisModel). */
  readonly because: readonly number[];
}

export interface RankListingsParameters {
  readonly profile: UserProfile;
  readonly factors: ItemFactors;
  /** The listings that may be shown (open listings), by item id. */
  readonly candidates: readonly number[];
  /** Public test-drive and purchase counts by item id. */
  readonly signals?: ReadonlyMap<number, PublicSignals>;
  /** Promoted listings by item id (public: whoever paid to promote). */
  readonly promoted?: readonly number[];
  /** 0-based positions of the list reserved for a promoted listing; default [2]. */
  readonly promotedSlots?: readonly number[];
  /** How many to return; default 10. */
  readonly limit?: number;
  /** Weight of the public-signal prior beside the personal score; default 0.05. */
  readonly popularityWeight?: number;
}

/** The ranked list for one buyer, best first. */
export function rankListings(parameters: RankListingsParameters): RankedListing[] {
  const { profile, factors, candidates, signals = new Map(), promoted = [], promotedSlots = [2], limit = 10, popularityWeight = 0.05 } = parameters;
  const personal = profile.factor.length === factors.dimension && profile.history.length > 0;
  const bought = new Set(profile.history.filter((i) => i.kind === "buy").map((i) => i.itemId));
  const historyItems = profile.history.map((i) => i.itemId);
  const known = (itemId: number) => itemId >= 0 && itemId < factors.count && itemVector(factors, itemId).some((v) => v !== 0);
  const score = (itemId: number) => {
    const prior = publicSignalScore(signals.get(itemId));
    if (!personal || !known(itemId)) return prior;
    return dot(profile.factor, itemVector(factors, itemId)) + popularityWeight * prior;
  };
  const scored = [...new Set(candidates)]
    .filter((itemId) => !bought.has(itemId))
    .map((itemId) => ({ itemId, score: score(itemId) }))
    .sort((a, b) => b.score - a.score || a.itemId - b.itemId);
  const organic = scored.map(({ itemId, score: s }): RankedListing =>
    personal && known(itemId) ? { itemId, score: s, source: "personal", because: whyThisModel(itemId, historyItems, factors) } : { itemId, score: s, source: "popular", because: [] },
  );
  const promotedSet = new Set(promoted);
  const promotedPicks = scored.filter(({ itemId }) => promotedSet.has(itemId));
  const result: RankedListing[] = [];
  const used = new Set<number>();
  let nextOrganic = 0;
  let nextPromoted = 0;
  while (result.length < limit) {
    const slotIsPromoted = promotedSlots.includes(result.length) && nextPromoted < promotedPicks.length;
    if (slotIsPromoted) {
      const pick = promotedPicks[nextPromoted++]!;
      if (used.has(pick.itemId)) continue;
      used.add(pick.itemId);
      result.push({ itemId: pick.itemId, score: pick.score, source: "promoted", because: [] });
      continue;
    }
    while (nextOrganic < organic.length && used.has(organic[nextOrganic]!.itemId)) nextOrganic++;
    if (nextOrganic >= organic.length) break;
    const pick = organic[nextOrganic++]!;
    used.add(pick.itemId);
    result.push(pick);
  }
  return result;
}
