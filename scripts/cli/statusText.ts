/**
 * What `bazaar status test|purchase|auction` prints for people: the state in the words the dApp
 * shows (sdk/src/labels/stateLabels.ts), amounts in ETH, deadlines against the chain's clock,
 * then the caller's next step. `--json` prints the views themselves (members' names, wei).
 */
import type { AuctionView, PurchaseView, TestView } from "@modelbazaar/sdk/actions";
import { etherText as eth, auctionKindLabel, auctionPhaseLabel, stateLabel, formatDeadline } from "@modelbazaar/sdk/labels";

export function testStatusText(view: TestView, next: string): string {
  const t = view.test;
  const state = view.status === "Closed" ? `${stateLabel("TestStatus", "Closed")}: ${stateLabel("TestPhase", view.phase)}` : stateLabel("TestStatus", view.status);
  return [`test-drive #${view.testId} of listing ${t.listingId}: ${state} (${t.sampleCount} samples, deposit ${eth(view.deposit)}, buyer ${t.buyer})`, `next: ${next}`].join("\n");
}

export function purchaseStatusText(view: PurchaseView, next: string): string {
  const p = view.purchase;
  return [`purchase #${view.purchaseId} of listing ${p.listingId}: ${stateLabel("PurchaseStatus", view.status)} (${eth(p.price)}, buyer ${p.buyer}, seller ${p.seller})`, `next: ${next}`].join("\n");
}

export function auctionStatusText(view: AuctionView, next: string): string {
  const lines = [
    `auction ${view.auctionId} of listing ${view.listingId} by ${view.seller}: ${auctionKindLabel(view.kind)}, reserve ${eth(view.reservePrice)}, non-reveal penalty ${view.nonRevealPenaltyBps / 100}%${view.onlyTestDrivers ? ", test-drivers only" : ""}`,
    `  phase:    ${auctionPhaseLabel(view.phase)}`,
    `  bidding:  until ${formatDeadline(view.commitEnd, view.now)}`,
    `  reveals:  until ${formatDeadline(view.revealEnd, view.now)}`,
    `  bids:     ${view.bidCount} committed, ${view.revealedCount} revealed`,
  ];
  if (view.phase !== "bidding") {
    const highest = view.highestBidder ? `${eth(view.highestAmount)} by ${view.highestBidder}` : "none";
    lines.push(`  highest:  ${highest}${view.phase === "revealing" ? " (so far)" : ""}`);
  }
  if (view.phase === "settleable" || view.phase === "settled") {
    const winner = view.winner ? `${view.winner} pays ${eth(view.clearingPrice)}` : "none (no valid bid reached the reserve)";
    lines.push(`  winner:   ${winner}${view.purchaseId === undefined ? "" : `, purchase ${view.purchaseId}`}`);
  }
  if (view.bid) {
    const b = view.bid;
    const state = b.revealed ? `revealed ${eth(b.amount)}` : "sealed";
    lines.push(`  your bid: ${state}, collateral ${eth(b.collateral)}${b.reclaimed ? " (released)" : ""}`);
  }
  lines.push(`next: ${next}`);
  return lines.join("\n");
}
