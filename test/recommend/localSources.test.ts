/**
 * Where a profile's interactions come from besides the device's own browsing
 * (sdk/src/recommend/marketInteractions.ts): the market's TestOpened and PurchaseOpened events,
 * as collectEvents decodes them, become test-drives and purchases per buyer (listing id 1 is item
 * 0) and public counts per listing; other events are ignored. And the profile's storage
 * (userProfile.ts) round-trips and refuses a damaged one with a sentence.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Address } from "viem";
import type { MarketEvent } from "@modelbazaar/sdk/internal/audit/collectEvents.ts";
import {
  emptyProfile,
  interactionsFromMarketEvents,
  itemIdOfListing,
  listingIdOfItem,
  profileFromJson,
  profileToJson,
  publicSignalsFromMarketEvents,
  recordInteraction,
} from "@modelbazaar/sdk/recommend";

const ALICE: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const BOB: Address = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
/** Only the fields the conversion reads; the rest of a decoded log does not matter here. */
const event = (eventName: string, args: Record<string, unknown>, timestamp: bigint) => ({ eventName, args, timestamp }) as unknown as MarketEvent;

const events = [
  event("TestOpened", { testId: 1n, listingId: 2n, buyer: ALICE }, 100n),
  event("TestOpened", { testId: 2n, listingId: 1n, buyer: BOB }, 110n),
  event("ReceiptRecorded", { testId: 1n, feePaid: 0n }, 120n),
  event("PurchaseOpened", { purchaseId: 1n, listingId: 2n, buyer: ALICE, auctionId: 0n, escrow: 5n }, 130n),
  event("TestOpened", { testId: 3n, listingId: 2n, buyer: BOB }, 140n),
];

describe("interactions from the local chain", () => {
  it("turns test-drives and purchases into each buyer's interactions, in time order", () => {
    const byBuyer = interactionsFromMarketEvents(events);
    assert.deepEqual([...byBuyer.keys()].sort(), [ALICE.toLowerCase(), BOB.toLowerCase()].sort());
    assert.deepEqual(byBuyer.get(ALICE.toLowerCase() as Address), [
      { itemId: 1, kind: "testDrive", timestamp: 100 },
      { itemId: 1, kind: "buy", timestamp: 130 },
    ]);
    assert.deepEqual(byBuyer.get(BOB.toLowerCase() as Address)!.map((i) => i.itemId), [0, 1]);
  });

  it("counts public test-drives and purchases per listing", () => {
    const signals = publicSignalsFromMarketEvents(events);
    assert.deepEqual(signals.get(1), { testDrives: 2, purchases: 1 });
    assert.deepEqual(signals.get(0), { testDrives: 1, purchases: 0 });
    assert.equal(itemIdOfListing(1n), 0);
    assert.equal(listingIdOfItem(0), 1n);
    assert.throws(() => itemIdOfListing(0n), /listing ids start at 1/);
  });
});

describe("the profile's storage", () => {
  it("round-trips, keeps history in time order, and refuses a damaged profile with a sentence", () => {
    let profile = recordInteraction(emptyProfile(), { itemId: 4, kind: "buy", timestamp: 20 });
    profile = recordInteraction(profile, { itemId: 2, kind: "browse", timestamp: 10 });
    assert.deepEqual(profile.history.map((i) => i.timestamp), [10, 20]);
    assert.deepEqual(profileFromJson(profileToJson(profile)), profile);
    assert.throws(() => profileFromJson('{"factor":[1,"x"],"history":[]}'), /factor is not a list of finite numbers/);
    assert.throws(() => profileFromJson('{"factor":[],"history":[{"itemId":1,"kind":"like","timestamp":1}]}'), /interaction #0 is not/);
  });
});
