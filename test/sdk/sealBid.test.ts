/**
 * Sealing a bid (sdk/src/auctions/sealBid.ts): a fresh salt each time, the commitment of
 * bidCommitment (itself checked against the contract in test/contracts/auctions.test.ts), a
 * default collateral of the bid plus a random pad of at most the bid (rounded up to 0.0001 ETH), and refusals of empty,
 * oversized and under-collateralized bids. Pure; no chain.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther, type Address } from "viem";
import { bidCommitment, BidSealError, COLLATERAL_STEP, MAX_BID, sealBid } from "@modelbazaar/sdk/auctions";

const bidder: Address = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const amount = parseEther("2");

describe("sealBid", () => {
  it("commits to the amount with a fresh salt, bound to the bidder and the auction", () => {
    const first = sealBid({ auctionId: 7n, bidder, amount });
    const second = sealBid({ auctionId: 7n, bidder, amount });
    assert.notEqual(first.salt, second.salt);
    assert.match(first.salt, /^0x[0-9a-f]{64}$/);
    assert.equal(first.commitment, bidCommitment(amount, first.salt, bidder, 7n));
    assert.notEqual(first.commitment, bidCommitment(amount, first.salt, bidder, 8n));
  });

  it("pads the collateral by a random amount of at most the bid, unless the collateral is given", () => {
    const pads = Array.from({ length: 20 }, () => sealBid({ auctionId: 1n, bidder, amount }));
    for (const bid of pads) {
      assert.equal(bid.collateral, bid.amount + bid.pad);
      assert.ok(bid.pad >= 0n && bid.pad <= amount + COLLATERAL_STEP);
      assert.equal(bid.collateral % COLLATERAL_STEP, 0n, "rounded to 0.0001 ETH");
    }
    assert.ok(new Set(pads.map((b) => b.pad)).size > 1, "the pad is random");
    const exact = sealBid({ auctionId: 1n, bidder, amount, collateral: amount });
    assert.deepEqual([exact.collateral, exact.pad], [amount, 0n]);
  });

  it("refuses a zero or oversized bid and collateral below the bid", () => {
    assert.throws(() => sealBid({ auctionId: 1n, bidder, amount: 0n }), BidSealError);
    assert.throws(() => sealBid({ auctionId: 1n, bidder, amount: MAX_BID + 1n }), BidSealError);
    assert.throws(() => sealBid({ auctionId: 1n, bidder, amount, collateral: amount - 1n }), /at least the bid/);
  });
});
