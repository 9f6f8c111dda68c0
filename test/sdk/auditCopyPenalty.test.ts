/**
 * The audit's rule for a rejected per-buyer copy (docs/PROTOCOL.md §7.2): an auction winner
 * that rejects a copy pays no rejection penalty, so a refund that took one from it is a finding,
 * while the same penalty on a rejected delivery of the listed model is in order. Checked on a
 * purchase record as the event trail gives it.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keccak256, parseEther, toHex, type Address } from "viem";
import type { MarketTrail, PurchaseRecord, Step } from "@modelbazaar/sdk/internal/audit/marketTrail.ts";
import { checkPurchases } from "@modelbazaar/sdk/internal/audit/purchaseChecks.ts";
import { WINDOWS } from "../helpers/market.ts";

const at = (timestamp: number): Step => ({ timestamp: BigInt(timestamp), blockNumber: BigInt(timestamp), logIndex: 0, transactionHash: keccak256(toHex(timestamp)) });
const BUYER: Address = "0x00000000000000000000000000000000000000b1";
const SELLER: Address = "0x00000000000000000000000000000000000000a1";
const PENALTY = parseEther("0.4");

/** Purchase 1, opened by auction 1 (escrow: price plus the winner's penalty), delivered, rejected paying `penalty` to the seller. */
function rejectedWinner(copy: boolean, penalty: bigint): MarketTrail {
  const price = parseEther("3");
  const purchase: PurchaseRecord = {
    purchaseId: 1n, listingId: 1n, buyer: BUYER, seller: SELLER, price, escrow: price + PENALTY, depositApplied: 0n, testId: 0n, auctionId: 1n,
    opened: at(1_000),
    delivery: { ciphertextRoot: keccak256(toHex("ciphertext")), keyHash: keccak256(toHex("key")), at: at(1_100) },
    ...(copy ? { copy: { copyRoot: keccak256(toHex("copy")), copySize: 640n } } : {}),
    refunded: { buyer: BUYER, toBuyer: price + PENALTY - penalty, depositReturned: 0n, penalty, reason: "DeliveryRejected", at: at(1_200) },
  };
  return { listings: new Map(), tests: new Map(), auctions: new Map(), purchases: new Map([[1n, purchase]]), disputes: new Map(), promotionFees: { paid: 0n, withdrawn: 0n }, orphans: [] };
}

const rejection = (trail: MarketTrail) => checkPurchases(trail, WINDOWS, new Map()).find((f) => f.check === "purchase.DeliveryRejected")!;

describe("the audit of a rejected per-buyer copy", () => {
  it("finds a penalty taken from an auction winner that rejected a copy, and none in the penalty-free refund", () => {
    assert.equal(rejection(rejectedWinner(false, PENALTY)).ok, true, "the listed model: the winner pays its penalty");
    assert.equal(rejection(rejectedWinner(true, 0n)).ok, true, "a copy: no penalty");
    const taken = rejection(rejectedWinner(true, PENALTY));
    assert.equal(taken.ok, false, "a penalty on a rejected copy breaks the rule");
    assert.match(taken.detail, /penalty/);
  });
});
