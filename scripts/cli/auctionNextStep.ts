/**
 * What the person asking should do next in an auction, as one sentence naming the command:
 * the seller, a bidder (with or without the bid's secret on this machine) or anyone else.
 */
import { formatEther, type Address } from "viem";
import type { AuctionView } from "@modelbazaar/sdk/actions";
import { formatDeadline } from "@modelbazaar/sdk/labels";

export interface AuctionCaller {
  readonly address?: Address;
  /** Whether this machine keeps a secret for the caller's bid. */
  readonly hasSecret: boolean;
}

export function auctionNextStep(view: AuctionView, caller: AuctionCaller): string {
  const id = view.auctionId;
  const me = caller.address?.toLowerCase();
  const isSeller = me === view.seller.toLowerCase();
  const bid = view.bid;
  const penalty = `${view.nonRevealPenaltyBps / 100}%`;
  const revealOpens = formatDeadline(view.commitEnd, view.now);
  const revealCloses = formatDeadline(view.revealEnd, view.now);
  switch (view.phase) {
    case "bidding":
      if (isSeller) return `wait for bids; bidders reveal from ${revealOpens}, until ${revealCloses}, then anyone settles with \`bazaar auction settle ${id}\`.`;
      if (bid) return `your bid is sealed; reveal it with \`bazaar reveal ${id}\` from ${revealOpens}, until ${revealCloses}${caller.hasSecret ? "" : " (its secret is not on this machine: run the reveal where you bid)"}.`;
      return `bid with \`bazaar bid ${id} <amount in ETH>\` before ${revealOpens}.`;
    case "revealing":
      if (bid && !bid.revealed) return `reveal your bid now with \`bazaar reveal ${id}\` before ${revealCloses}, or it pays the ${penalty} non-reveal penalty${caller.hasSecret ? "" : " (its secret is not on this machine: run the reveal where you bid)"}.`;
      return `wait until the reveal window closes (${revealCloses}), then anyone can settle with \`bazaar auction settle ${id}\`.`;
    case "settleable": {
      const reclaim = bid && !bid.reclaimed ? ` and reclaim your collateral with \`bazaar bid reclaim ${id}\`` : "";
      return `settle the auction with \`bazaar auction settle ${id}\`${reclaim}.`;
    }
    case "settled": {
      const won = me !== undefined && view.winner?.toLowerCase() === me;
      const reclaim = bid && !bid.reclaimed ? `reclaim your collateral${won ? ` beyond the ${formatEther(view.clearingPrice)} ETH price` : ""} with \`bazaar bid reclaim ${id}\`` : "";
      if (view.purchaseId === undefined) return reclaim ? `no bid won; ${reclaim}.` : "no bid won; nothing is left to do.";
      if (isSeller) return `deliver the model to the winner with \`bazaar deliver ${view.purchaseId}\`.`;
      if (won) return `you won: ${reclaim ? `${reclaim}, then ` : ""}wait for the seller's delivery of purchase ${view.purchaseId} (\`bazaar status purchase ${view.purchaseId}\`, then \`bazaar download ${view.purchaseId}\`).`;
      return reclaim ? `the auction is over; ${reclaim}.` : "the auction is over; nothing is left for you to do.";
    }
  }
}
