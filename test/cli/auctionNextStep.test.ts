/**
 * The "what to do next" sentence of `bazaar status auction` (scripts/cli/auctionNextStep.ts)
 * for the seller, a bidder with or without its secret on this machine, the winner and anyone
 * else, in every phase. Pure; the views are built by hand.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther } from "viem";
import { auctionNextStep } from "../../scripts/cli/auctionNextStep.ts";
import { AUCTION_BIDDER, AUCTION_NOW, AUCTION_SELLER, biddingAuction } from "../helpers/auctionView.ts";

const seller = AUCTION_SELLER;
const bidder = AUCTION_BIDDER;
const now = AUCTION_NOW;
const base = biddingAuction({ bidCount: 1 });
const sealed = { commitment: `0x${"11".repeat(32)}`, collateral: parseEther("3"), amount: 0n, revealed: false, reclaimed: false } as const;

describe("auctionNextStep", () => {
  it("bidding: the seller waits, a bidder reveals later (where its secret is), others bid", () => {
    assert.match(auctionNextStep(base, { address: seller, hasSecret: false }), /^wait for bids; bidders reveal from .* then anyone settles with `bazaar auction settle 3`\.$/);
    assert.match(auctionNextStep({ ...base, bid: sealed }, { address: bidder, hasSecret: true }), /^your bid is sealed; reveal it with `bazaar reveal 3` from .*, in 10 min, until .*, in 20 min\.$/);
    assert.match(auctionNextStep({ ...base, bid: sealed }, { address: bidder, hasSecret: false }), /its secret is not on this machine/);
    assert.match(auctionNextStep(base, { hasSecret: false }), /^bid with `bazaar bid 3 <amount in ETH>` before /);
  });

  it("revealing: an unrevealed bidder is warned of the penalty, everyone else waits to settle", () => {
    const revealing = { ...base, phase: "revealing" as const, now: now + 700 };
    assert.match(auctionNextStep({ ...revealing, bid: sealed }, { address: bidder, hasSecret: true }), /^reveal your bid now with `bazaar reveal 3` before .* or it pays the 10% non-reveal penalty\.$/);
    assert.match(auctionNextStep({ ...revealing, bid: { ...sealed, revealed: true } }, { address: bidder, hasSecret: true }), /^wait until the reveal window closes/);
  });

  it("after the reveal window: settle, reclaim, deliver or wait for the delivery", () => {
    const over = { ...base, phase: "settleable" as const, now: now + 2_000 };
    assert.equal(auctionNextStep({ ...over, bid: sealed }, { address: bidder, hasSecret: true }), "settle the auction with `bazaar auction settle 3` and reclaim your collateral with `bazaar bid reclaim 3`.");
    const settled = { ...over, phase: "settled" as const, winner: bidder, clearingPrice: parseEther("2"), purchaseId: 9n };
    assert.equal(auctionNextStep(settled, { address: seller, hasSecret: false }), "deliver the model to the winner with `bazaar deliver 9`.");
    assert.equal(
      auctionNextStep({ ...settled, bid: { ...sealed, revealed: true } }, { address: bidder, hasSecret: true }),
      "you won: reclaim your collateral beyond the 2 ETH price with `bazaar bid reclaim 3`, then wait for the seller's delivery of purchase 9 (`bazaar status purchase 9`, then `bazaar download 9`).",
    );
    assert.equal(auctionNextStep({ ...over, phase: "settled" }, { hasSecret: false }), "no bid won; nothing is left to do.");
  });
});
