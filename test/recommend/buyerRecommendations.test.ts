/**
 * What the dApp and the CLI share (sdk/src/recommend/buyerRecommendations.ts): cold start says
 * why (no factors, no history), a buyer with history gets personal picks with a why-line naming
 * its own interactions.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  randomItemFactors,
  recommendForBuyer,
  seededRandom,
  whyLine,
  type UserProfile,
} from "@modelbazaar/sdk/recommend";

const factors = randomItemFactors(20, 4, seededRandom(3), 0.5);
const candidates = Array.from({ length: 20 }, (_, i) => i);
const signals = new Map([[7, { testDrives: 5, purchases: 2 }]]);
const buyer: UserProfile = { factor: [], history: [{ itemId: 2, kind: "testDrive", timestamp: 10 }, { itemId: 5, kind: "buy", timestamp: 20 }] };
const name = (itemId: number) => `#${itemId + 1}`;

describe("a buyer's recommendations", () => {
  it("are public-signal cold start without factors (no public activity) or without history, saying which", () => {
    const noFactors = recommendForBuyer({ profile: buyer, candidates, signals, promoted: [], limit: 3 });
    assert.equal(noFactors.coldStart, "no-public-activity");
    assert.equal(noFactors.ranked[0]!.itemId, 7);
    assert.ok(noFactors.ranked.every((r) => r.source === "popular"));
    assert.equal(recommendForBuyer({ profile: { factor: [], history: [] }, factors, candidates, signals, promoted: [], limit: 3 }).coldStart, "no-history");
  });

  it("are personal with factors and history, leave out what was bought, and explain themselves from the buyer's history", () => {
    const { ranked, profile, coldStart } = recommendForBuyer({ profile: buyer, factors, candidates, signals, promoted: [], limit: 5 });
    assert.equal(coldStart, undefined);
    assert.equal(profile.factor.length, 4);
    assert.ok(!ranked.some((r) => r.itemId === 5));
    const explained = ranked.find((r) => r.source === "personal" && r.because.length > 0);
    assert.ok(explained, "at least one personal pick has a reason");
    assert.match(whyLine(buyer, explained.because, name), /^because you (test-drove #3|bought #6)/);
    assert.equal(whyLine(buyer, [5, 2], name), "because you bought #6 and test-drove #3");
    assert.equal(whyLine(buyer, [], name), "ranked by your taste; no other model in your history is close to it");
  });
});
