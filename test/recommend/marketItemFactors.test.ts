/**
 * The item factors every client learns from the market's public events
 * (sdk/src/recommend/marketItemFactors.ts), on a small generated market
 * (scripts/study/recommendationData.ts, 6 taste clusters) split by time: ranked on the device
 * against them, a buyer's held-out listings (those it first touched after the cutoff) come up far
 * more often than by chance and than in the most-popular list; the factors are the same on every
 * call and whatever the order of the events; browsing (never on the chain) does not enter; a
 * listing no one test-drove or bought has no factor and is ranked as popular; no public activity
 * gives no factors; and the settings are those the study measured.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Address } from "viem";
import type { MarketEvent } from "@modelbazaar/sdk/internal/audit/collectEvents.ts";
import {
  MARKET_FACTORS,
  marketItemFactors,
  publicItemFactors,
  publicSignalsFromMarketEvents,
  recommendForBuyer,
  type Interaction,
} from "@modelbazaar/sdk/recommend";
import { FULL_STUDY } from "../../scripts/study/recommendation.ts";
import { MOVIELENS_SHAPE, syntheticMarket, timeSplit } from "../../scripts/study/recommendationData.ts";

const ITEMS = 200;
const market = syntheticMarket({ ...MOVIELENS_SHAPE, users: 150, items: ITEMS, clusters: 6, minItemsPerUser: 15, activityLogMean: 2.5, maxItemsPerUser: 60, seed: 3 });
const split = timeSplit(market.histories);

const buyerAddress = (buyer: number): Address => `0x${(buyer + 1).toString(16).padStart(40, "0")}`;
/** The chain's view of the histories: TestOpened and PurchaseOpened events (only the fields the conversion reads). */
function marketEvents(histories: readonly (readonly Interaction[])[]): MarketEvent[] {
  const events = histories.flatMap((history, buyer) =>
    history
      .filter((i) => i.kind !== "browse")
      .map((i) => ({ eventName: i.kind === "buy" ? "PurchaseOpened" : "TestOpened", args: { listingId: BigInt(i.itemId + 1), buyer: buyerAddress(buyer) }, timestamp: BigInt(i.timestamp) }) as unknown as MarketEvent),
  );
  return events.sort((a, b) => Number(a.timestamp - b.timestamp));
}

describe("item factors from the market's public events", () => {
  const events = marketEvents(split.train);
  const factors = marketItemFactors(events)!;
  const signals = publicSignalsFromMarketEvents(events);

  it("rank a buyer's held-out listings far above chance and above the most popular", () => {
    let personal = 0;
    let popular = 0;
    let chance = 0;
    let buyers = 0;
    split.test.forEach((test, buyer) => {
      if (test.size === 0) return;
      const seen = new Set(split.train[buyer]!.map((i) => i.itemId));
      const candidates = Array.from({ length: ITEMS }, (_, i) => i).filter((i) => !seen.has(i));
      const top = (history: readonly Interaction[]) => recommendForBuyer({ profile: { factor: [], history }, factors, candidates, signals, promoted: [], limit: 20 }).ranked;
      const k = Math.min(20, test.size);
      const picks = top(split.train[buyer]!);
      assert.ok(picks.every((p) => p.source === "personal" || p.source === "popular"));
      personal += picks.filter((p) => test.has(p.itemId)).length / k;
      popular += top([]).filter((p) => test.has(p.itemId)).length / k;
      chance += (20 * test.size) / candidates.length / k;
      buyers++;
    });
    [personal, popular, chance] = [personal / buyers, popular / buyers, chance / buyers];
    assert.ok(buyers > 100, `${buyers} buyers have a test set`);
    assert.ok(personal > 3 * chance, `recall@20 ${personal.toFixed(3)} against chance ${chance.toFixed(3)}`);
    assert.ok(personal > 1.3 * popular, `recall@20 ${personal.toFixed(3)} against the most popular's ${popular.toFixed(3)}`);
  });

  it("are the same on every call and whatever the order of the events; browses do not enter", () => {
    const again = marketItemFactors([...events].reverse())!;
    assert.deepEqual(Array.from(again.values), Array.from(factors.values));
    assert.equal(factors.dimension, MARKET_FACTORS.dimension);
    const withBrowses = publicItemFactors(split.train)!;
    const withoutBrowses = publicItemFactors(split.train.map((h) => h.filter((i) => i.kind !== "browse")))!;
    assert.deepEqual(Array.from(withBrowses.values), Array.from(withoutBrowses.values));
  });

  it("give a listing no one test-drove or bought no factor (ranked as popular), and no factors without public activity", () => {
    const history: Interaction[] = [{ itemId: 0, kind: "buy", timestamp: 1 }, { itemId: 2, kind: "testDrive", timestamp: 2 }];
    const small = publicItemFactors([history, [{ itemId: 2, kind: "buy", timestamp: 3 }]])!;
    assert.equal(small.count, 3);
    assert.deepEqual(Array.from(small.values.subarray(MARKET_FACTORS.dimension, 2 * MARKET_FACTORS.dimension)), new Array(MARKET_FACTORS.dimension).fill(0));
    const ranked = recommendForBuyer({ profile: { factor: [], history: [{ itemId: 2, kind: "browse", timestamp: 4 }] }, factors: small, candidates: [0, 1, 2], signals: new Map(), promoted: [], limit: 3 }).ranked;
    assert.equal(ranked.find((r) => r.itemId === 1)!.source, "popular");
    assert.equal(ranked.find((r) => r.itemId === 0)!.source, "personal");
    assert.equal(publicItemFactors([[{ itemId: 1, kind: "browse", timestamp: 1 }]]), undefined);
    assert.equal(marketItemFactors([]), undefined);
  });

  it("use the settings the study measured (docs/studies/recommendation.md, MF on public on-chain events only)", () => {
    assert.equal(MARKET_FACTORS.dimension, FULL_STUDY.federated.dimension);
    assert.equal(MARKET_FACTORS.iterations, FULL_STUDY.centralizedIterations);
    assert.equal(MARKET_FACTORS.regularization, FULL_STUDY.federated.userRegularization);
    assert.equal(MARKET_FACTORS.seed, FULL_STUDY.federated.seed);
  });
});
