/**
 * Step 4: a sealed-bid (first-price) auction of the auction-mode listing: three bidders commit
 * padded bids, reveal them after the bidding window, anyone settles after the reveal window,
 * the highest bid wins and pays into a purchase escrow, the winner receives the model by fair
 * exchange, the seller is paid after the complaint window, and every bidder reclaims its collateral (the winner less its price).
 */
import { parseEther } from "viem";
import {
  commitBid,
  committedCollateral,
  createAuction,
  createdAuctionId,
  reclaimBid,
  reclaimedBid,
  revealBid,
  revealedBid,
  auctionSettlement,
  settleAuction,
} from "@modelbazaar/sdk/actions";
import { sealBid } from "@modelbazaar/sdk/auctions";
import type { DemoContext } from "../context.ts";
import { completePurchase, deliver } from "../delivery.ts";
import { eth, type Step } from "../trade.ts";

const BIDS = [parseEther("2"), parseEther("3.5"), parseEther("3")] as const;
const WINDOW_SECONDS = 600;

export async function auctionStep(ctx: DemoContext, step: Step): Promise<void> {
  const { seller, bidders } = ctx;
  const created = await step.send(seller, "creating the auction", () =>
    createAuction(seller.contracts.market, { listingId: ctx.listings.auctioned, kind: "first-price", reservePrice: parseEther("1"), commitDuration: WINDOW_SECONDS, revealDuration: WINDOW_SECONDS, onlyTestDrivers: false, nonRevealPenaltyBps: 1_000 }),
  );
  const auctionId = createdAuctionId(created.logs);
  step.say(`${seller.name} opened first-price auction #${auctionId} of listing #${ctx.listings.auctioned} (reserve 1 ETH, ${WINDOW_SECONDS / 60} min to bid, ${WINDOW_SECONDS / 60} min to reveal)`);

  const sealed = bidders.map((bidder, i) => sealBid({ auctionId, bidder: bidder.address, amount: BIDS[i]!, collateral: undefined }));
  const collaterals: bigint[] = [];
  for (const [i, bidder] of bidders.entries()) {
    const receipt = await step.send(bidder, "committing a sealed bid", () => commitBid(bidder.contracts.market, sealed[i]!));
    collaterals.push(committedCollateral(receipt.logs));
  }
  step.say(`sealed bids committed with collateral ${bidders.map((b, i) => `${b.name} ${eth(collaterals[i]!)}`).join(", ")}`);
  await step.skip(WINDOW_SECONDS + 1);
  for (const [i, bidder] of bidders.entries()) {
    const receipt = await step.send(bidder, "revealing the bid", () => revealBid(bidder.contracts.market, { auctionId, amount: sealed[i]!.amount, salt: sealed[i]!.salt }));
    step.check(`${bidder.name}'s revealed bid is valid`, revealedBid(receipt.logs).valid);
  }
  step.say(`revealed: ${bidders.map((b, i) => `${b.name} ${eth(BIDS[i]!)}`).join(", ")}`);
  await step.skip(WINDOW_SECONDS + 1);
  const settled = auctionSettlement((await step.send(seller, "settling the auction", () => settleAuction(seller.contracts.market, auctionId))).logs);
  const top = BIDS.indexOf(BIDS.reduce((a, b) => (b > a ? b : a)));
  const winner = bidders[top]!;
  step.say(`settled: ${settled.winner === winner.address ? winner.name : settled.winner} won and pays ${eth(settled.price)} into escrow as purchase #${settled.purchaseId}`);
  step.check("the highest bidder won at its own bid (first price)", settled.winner === winner.address && settled.price === BIDS[top] && settled.purchaseId !== undefined);

  const outcome = await deliver(step, { seller, buyer: winner, purchaseId: settled.purchaseId!, model: ctx.model });
  const exact = outcome.outcome === "downloaded" && Buffer.from(outcome.file).equals(Buffer.from(ctx.model));
  step.say(exact ? `winner ${winner.name} received the exact committed file through the escrow` : `winner ${winner.name} did NOT receive the committed file`);
  step.check("the auction winner received the exact committed file", exact);
  const paid = await completePurchase(step, seller, settled.purchaseId!);
  step.say(`after the complaint window ${seller.name} completed purchase #${settled.purchaseId} and was paid ${eth(paid)}`);
  step.check("the seller was paid the winning price once the purchase completed", paid === settled.price);

  for (const [i, bidder] of bidders.entries()) {
    const receipt = await step.send(bidder, "reclaiming the bid", () => reclaimBid(bidder.contracts.market, auctionId, bidder.address));
    const { refund } = reclaimedBid(receipt.logs);
    const expected = i === top ? collaterals[i]! - settled.price : collaterals[i]!;
    step.say(`${bidder.name} reclaimed ${eth(refund)}${i === top ? " (its collateral less the price)" : " (its whole collateral)"}`);
    step.check(`${bidder.name} reclaimed ${i === top ? "the rest of its collateral" : "its whole collateral"}`, refund === expected);
  }
}
