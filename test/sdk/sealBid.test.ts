/**
 * Sealing a bid (sdk/src/auctions/sealBid.ts): a fresh salt each time, the commitment of
 * bidCommitment (itself checked against the contract in test/contracts/auctions.test.ts), a
 * default collateral of the bid plus a random pad of at most the bid (rounded up to 0.0001 ETH), and refusals of empty,
 * oversized and under-collateralized bids. bidSecretRefusal checks a kept secret (an imported
 * file's amount and salt) against the commitment the chain holds by recomputing it, and refuses
 * a wrong amount, salt, bidder or auction, or fields that are not an amount and a salt, in a
 * sentence. Pure; no chain.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther, type Address } from "viem";
import { bidCommitment, BidSealError, bidSecretRefusal, COLLATERAL_STEP, MAX_BID, sealBid } from "@modelbazaar/sdk/auctions";

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

  it("bidSecretRefusal accepts the secret that opens the chain's commitment and refuses any other, recomputing it", () => {
    const sealed = sealBid({ auctionId: 7n, bidder, amount });
    const onChain = { auctionId: 7n, bidder, commitment: sealed.commitment };
    const secret = { amount: amount.toString(), salt: sealed.salt };
    assert.equal(bidSecretRefusal(secret, onChain), undefined);
    assert.equal(bidSecretRefusal({ ...secret, salt: sealed.salt.toUpperCase().replace("0X", "0x") as `0x${string}` }, onChain), undefined, "hex case does not matter");
    const wrong = (what: string) => `the amount and salt do not open the bid the chain holds for ${bidder} in auction 7 (${what}): revealing them would fail and the bid would pay the non-reveal penalty`;
    assert.equal(bidSecretRefusal({ ...secret, amount: parseEther("2.5").toString() }, onChain), wrong(`they hash to ${bidCommitment(parseEther("2.5"), sealed.salt, bidder, 7n)}, the chain holds ${sealed.commitment}`));
    const otherSalt = sealBid({ auctionId: 7n, bidder, amount }).salt;
    assert.equal(bidSecretRefusal({ ...secret, salt: otherSalt }, onChain), wrong(`they hash to ${bidCommitment(amount, otherSalt, bidder, 7n)}, the chain holds ${sealed.commitment}`));
    assert.match(bidSecretRefusal(secret, { ...onChain, auctionId: 8n })!, /^the amount and salt do not open the bid the chain holds for .* in auction 8 /);
    assert.equal(bidSecretRefusal({ ...secret, amount: "2 ETH" }, onChain), 'the amount "2 ETH" is not a bid in wei (a whole number from 1 to 79228162514264337593543950335)');
    assert.equal(bidSecretRefusal({ ...secret, amount: "0" }, onChain), 'the amount "0" is not a bid in wei (a whole number from 1 to 79228162514264337593543950335)');
    assert.equal(bidSecretRefusal({ ...secret, salt: "0x1234" }, onChain), 'the salt "0x1234" is not 32 bytes of hex');
  });
});
