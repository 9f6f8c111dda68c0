/**
 * On-device ranking (sdk/src/recommend/rankListings.ts, whyThisModel.ts, publicSignals.ts) on a
 * small generated market (scripts/study/recommendationData.ts, 6 taste clusters): a buyer's
 * personal picks come mostly from its own taste clusters, leave out what it bought, and are
 * explained by items of its own history from the same cluster; the promoted slot takes the
 * promoted listing that matches the buyer best; a buyer with no history (and a listing newer
 * than the factors) is ranked by the public test-drive and purchase counts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { emptyProfile, fitUserFactor, itemConfidences, rankListings, seededRandom, trainCentralized, whyThisModel, withFactor, type PublicSignals } from "@modelbazaar/sdk/recommend";
import { MOVIELENS_SHAPE, syntheticMarket } from "../../scripts/study/recommendationData.ts";

const market = syntheticMarket({ ...MOVIELENS_SHAPE, users: 120, items: 240, clusters: 6, minItemsPerUser: 15, activityLogMean: 2.5, maxItemsPerUser: 60, seed: 3 });
const model = trainCentralized(market.histories, { itemCount: 240, dimension: 8, iterations: 8, regularization: 1 }, seededRandom(5));
const candidates = Array.from({ length: 240 }, (_, i) => i);
const userId = 7;
const history = market.histories[userId]!;
const profile = withFactor({ factor: [], history }, fitUserFactor(model.items, itemConfidences(history), 1));
/** The buyer's two most frequent clusters in its own history. */
const favourite = (() => {
  const counts = new Map<number, number>();
  for (const { itemId } of history) counts.set(market.itemCluster[itemId]!, (counts.get(market.itemCluster[itemId]!) ?? 0) + 1);
  return new Set([...counts].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([c]) => c));
})();

describe("ranking listings on the device", () => {
  it("picks mostly from the buyer's own taste clusters, leaves out what it bought, and explains each pick from its history", () => {
    const ranked = rankListings({ profile, factors: model.items, candidates, limit: 10 });
    assert.equal(ranked.length, 10);
    assert.ok(ranked.every((r) => r.source === "personal"));
    const inTaste = ranked.filter((r) => favourite.has(market.itemCluster[r.itemId]!)).length;
    assert.ok(inTaste >= 7, `${inTaste} of 10 picks in the buyer's two favourite of 6 clusters (chance: about 3)`);
    const bought = new Set(history.filter((i) => i.kind === "buy").map((i) => i.itemId));
    assert.ok(bought.size > 0 && ranked.every((r) => !bought.has(r.itemId)));
    const own = new Set(history.map((i) => i.itemId));
    for (const { itemId, because } of ranked) {
      assert.ok(because.length > 0 && because.every((b) => own.has(b) && b !== itemId), `pick ${itemId} is explained by the buyer's own items`);
      assert.equal(market.itemCluster[because[0]!], market.itemCluster[itemId], `pick ${itemId}'s first reason shares its cluster`);
    }
  });

  it("the why names the most similar items of the history, most similar first", () => {
    const [pick] = rankListings({ profile, factors: model.items, candidates, limit: 1 });
    const reasons = whyThisModel(pick!.itemId, history.map((i) => i.itemId), model.items, 5);
    assert.deepEqual(pick!.because, reasons.slice(0, 3));
    assert.deepEqual(whyThisModel(pick!.itemId, [], model.items), []);
  });

  it("fills the promoted slot with the promoted listing that matches this buyer best", () => {
    const organic = rankListings({ profile, factors: model.items, candidates, limit: 240 });
    const promoted = [organic[150]!.itemId, organic[40]!.itemId, organic[200]!.itemId];
    const ranked = rankListings({ profile, factors: model.items, candidates, promoted, promotedSlots: [2], limit: 10 });
    assert.equal(ranked[2]!.itemId, organic[40]!.itemId);
    assert.equal(ranked[2]!.source, "promoted");
    assert.deepEqual(ranked.filter((r) => r.source === "personal").map((r) => r.itemId), organic.slice(0, 9).map((r) => r.itemId));
  });

  it("cold start: a buyer with no history, and a listing newer than the factors, are ranked by public test-drives and purchases", () => {
    const signals = new Map<number, PublicSignals>([
      [10, { testDrives: 2, purchases: 0 }],
      [20, { testDrives: 1, purchases: 3 }],
      [245, { testDrives: 50, purchases: 9 }],
    ]);
    const ranked = rankListings({ profile: emptyProfile(), factors: model.items, candidates: [...candidates, 245], signals, promotedSlots: [], limit: 3 });
    assert.deepEqual(ranked.map((r) => r.itemId), [245, 20, 10]);
    assert.ok(ranked.every((r) => r.source === "popular" && r.because.length === 0));
    const forBuyer = rankListings({ profile, factors: model.items, candidates: [245, 0], signals, limit: 2 });
    assert.equal(forBuyer.find((r) => r.itemId === 245)!.source, "popular");
  });
});
