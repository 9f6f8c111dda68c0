/**
 * The SDK's auction refusals (sdk/src/actions/auctionRefusals.ts), which the CLI prints and the
 * dApp shows before anything is signed: each step refused in each phase and case where the
 * contract would revert or the bid could not win, and allowed where it can be taken. Also the
 * ETH amounts people type (labels/etherText.ts). Pure; the views are built by hand.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther } from "viem";
import { auctionPhaseRefusal, bidRefusal, depositBidRefusal, reclaimRefusal, revealRefusal, settleRefusal, type BidView } from "@modelbazaar/sdk/actions";
import { etherFromText } from "@modelbazaar/sdk/labels";
import { AUCTION_BIDDER, AUCTION_SELLER, biddingAuction } from "../helpers/auctionView.ts";

const seller = AUCTION_SELLER;
const bidder = AUCTION_BIDDER;
const bidding = biddingAuction({});
const sealed: BidView = { commitment: "0x01", collateral: parseEther("3"), amount: 0n, revealed: false, reclaimed: false };
const code = (refusal: { code: string } | undefined) => refusal?.code;

describe("auction refusals", () => {
  it("lets a bid of at least the reserve in while bidding is open, and refuses every other bid", () => {
    const two = parseEther("2");
    assert.equal(bidRefusal(bidding, bidder, two, undefined, 0n), undefined);
    assert.equal(code(bidRefusal(bidding, bidder, 0n, undefined, 0n)), "bad-amount");
    assert.equal(code(bidRefusal(bidding, bidder, two, parseEther("1.5"), 0n)), "collateral-below-bid");
    assert.equal(bidRefusal(bidding, bidder, parseEther("0.5"), undefined, 0n)?.sentence, "your bid of 0.5 ETH is below the reserve of 1 ETH, so it could not win");
    assert.equal(code(bidRefusal(bidding, seller, two, undefined, 0n)), "seller-bids");
    assert.equal(code(bidRefusal({ ...bidding, bid: sealed }, bidder, two, undefined, 0n)), "already-bid");
    assert.equal(code(bidRefusal({ ...bidding, onlyTestDrivers: true }, bidder, two, undefined, 0n)), "testers-only");
    assert.equal(bidRefusal({ ...bidding, onlyTestDrivers: true }, bidder, two, undefined, 7n), undefined);
    assert.equal(code(bidRefusal({ ...bidding, phase: "revealing" }, bidder, two, undefined, 0n)), "bidding-closed");
  });

  it("refuses a bid whose ether cannot cover the penalty its deposit-backed collateral could owe, as the market does", () => {
    const deposit = parseEther("1");
    assert.equal(
      depositBidRefusal(bidding, parseEther("0.05"), deposit)?.sentence,
      "with the 1 ETH deposit applied, the collateral of 1.05 ETH could owe a 10% penalty of 0.105 ETH, more than the 0.05 ETH you send: a penalty never takes a deposit, so lock more collateral",
    );
    // 10% of (sent + 1 ETH), rounded down as the market rounds it, is covered from sent = 1/9 ETH.
    assert.equal(depositBidRefusal(bidding, 111_111_111_111_111_111n, deposit), undefined, "ether equal to the penalty covers it");
    assert.equal(code(depositBidRefusal(bidding, 111_111_111_111_111_110n, deposit)), "penalty-not-covered");
    assert.equal(depositBidRefusal(bidding, parseEther("0.01"), 0n), undefined, "no deposit, no floor");
  });

  it("opens the reveal only in the reveal window, once", () => {
    assert.equal(code(revealRefusal(bidding, bidder)), "no-bid");
    assert.match(revealRefusal({ ...bidding, bid: sealed }, bidder)?.sentence ?? "", /^the reveal window of auction 3 opens at .*, in 10 min; reveal then$/);
    assert.equal(revealRefusal({ ...bidding, phase: "revealing", bid: sealed }, bidder), undefined);
    assert.equal(code(revealRefusal({ ...bidding, phase: "revealing", bid: { ...sealed, revealed: true, amount: parseEther("2") } }, bidder)), "already-revealed");
    assert.match(revealRefusal({ ...bidding, phase: "settleable", bid: sealed }, bidder)?.sentence ?? "", /closed at .*; the unrevealed bid pays the 10% penalty$/);
  });

  it("releases a bid and settles only after the reveal window, each once", () => {
    assert.equal(code(reclaimRefusal({ ...bidding, phase: "revealing", bid: sealed }, bidder)), "reclaim-not-open");
    assert.equal(reclaimRefusal({ ...bidding, phase: "settleable", bid: sealed }, bidder), undefined);
    assert.equal(code(reclaimRefusal({ ...bidding, phase: "settled", bid: { ...sealed, reclaimed: true } }, bidder)), "already-reclaimed");
    assert.equal(code(reclaimRefusal({ ...bidding, phase: "settled" }, bidder)), "no-bid");
    assert.equal(code(settleRefusal({ ...bidding, phase: "revealing" })), "settle-not-open");
    assert.equal(settleRefusal({ ...bidding, phase: "settleable" }), undefined);
    assert.equal(settleRefusal({ ...bidding, phase: "settled", purchaseId: 4n })?.sentence, "auction 3 is already settled (purchase 4)");
  });

  it("takes windows from 1 second to 30 days", () => {
    assert.equal(auctionPhaseRefusal(1, "the bidding window"), undefined);
    assert.equal(auctionPhaseRefusal(30 * 86_400, "the bidding window"), undefined);
    for (const seconds of [0, 30 * 86_400 + 1, 1.5, Number.NaN]) assert.equal(auctionPhaseRefusal(seconds, "the reveal window")?.sentence, "the reveal window must last from 1 second to 30 days");
  });

  it("reads the ETH amounts people type, and nothing else", () => {
    assert.deepEqual(["2", "0.5", ".25", " 1.5 ", "0.000000000000000001"].map(etherFromText), [parseEther("2"), parseEther("0.5"), parseEther("0.25"), parseEther("1.5"), 1n]);
    for (const text of ["", "abc", "1,5", "-1", "1e18", "0.0000000000000000001", "1."]) assert.equal(etherFromText(text), undefined, text);
  });
});
