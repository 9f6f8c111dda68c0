/**
 * Why a step of a sealed-bid auction cannot be taken now, in one sentence, from the auction as
 * read (readAuction): a client refuses before anything is sent or signed (the `bazaar` CLI
 * prints the sentence, the dApp shows it beside the form). Each refusal has a `code`, so a
 * client can add its own way to the next step (a command, a button). If the auction moves on
 * in between, the contract's custom error is phrased by sdk/src/errors/contractErrors.ts.
 */
import { formatEther, isAddressEqual, type Address } from "viem";
import { MAX_BID } from "../auctions/sealBid.ts";
import { formatDeadline } from "../labels/deadlineText.ts";
import type { AuctionView } from "./readAuction.ts";

/** The contract's `MAX_PHASE`: a bidding or reveal window lasts from 1 second to 30 days. */
export const MAX_AUCTION_PHASE_SECONDS = 30 * 86_400;

export type AuctionRefusalCode =
  | "bad-amount"
  | "collateral-below-bid"
  | "bidding-closed"
  | "seller-bids"
  | "already-bid"
  | "below-reserve"
  | "testers-only"
  | "penalty-not-covered"
  | "no-bid"
  | "already-revealed"
  | "reveal-not-open"
  | "reveal-closed"
  | "already-reclaimed"
  | "reclaim-not-open"
  | "already-settled"
  | "settle-not-open"
  | "bad-phase-length";

export interface AuctionRefusal {
  readonly code: AuctionRefusalCode;
  readonly sentence: string;
}

const refusal = (code: AuctionRefusalCode, sentence: string): AuctionRefusal => ({ code, sentence });
const penaltyText = (view: AuctionView) => `${view.nonRevealPenaltyBps / 100}%`;

/** Why a bidding or reveal window of `seconds` cannot be asked for (`what` names it: "the bidding window"). */
export function auctionPhaseRefusal(seconds: number, what: string): AuctionRefusal | undefined {
  if (Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_AUCTION_PHASE_SECONDS) return undefined;
  return refusal("bad-phase-length", `${what} must last from 1 second to 30 days`);
}

/** Why `bidder` cannot commit a bid of `amount` (with `collateral`, if chosen) now; `testId` 0 applies no test-drive. */
export function bidRefusal(view: AuctionView, bidder: Address, amount: bigint, collateral: bigint | undefined, testId: bigint): AuctionRefusal | undefined {
  const id = view.auctionId;
  if (amount <= 0n || amount > MAX_BID) return refusal("bad-amount", `the bid must be more than 0 and at most ${formatEther(MAX_BID)} ETH`);
  if (collateral !== undefined && collateral < amount) {
    return refusal("collateral-below-bid", `the collateral (${formatEther(collateral)} ETH) must be at least the bid (${formatEther(amount)} ETH), or the bid is invalid at the reveal and pays the penalty`);
  }
  if (view.phase !== "bidding") return refusal("bidding-closed", `bidding in auction ${id} closed at ${formatDeadline(view.commitEnd, view.now)}`);
  if (isAddressEqual(view.seller, bidder)) return refusal("seller-bids", `you are the seller of auction ${id} and may not bid in it`);
  if (view.bid) return refusal("already-bid", `you already bid in auction ${id}`);
  if (amount < view.reservePrice) return refusal("below-reserve", `your bid of ${formatEther(amount)} ETH is below the reserve of ${formatEther(view.reservePrice)} ETH, so it could not win`);
  if (view.onlyTestDrivers && testId === 0n) return refusal("testers-only", `auction ${id} admits only bidders who test-drove listing ${view.listingId}`);
  return undefined;
}

/**
 * Why a bid that sends `sent` wei and applies a test-drive's `deposit` cannot be committed: the
 * ether must cover the non-reveal penalty of the whole collateral, so that no penalty ever takes
 * a deposit (the market's AuctionsPenaltyNotCovered).
 */
export function depositBidRefusal(view: AuctionView, sent: bigint, deposit: bigint): AuctionRefusal | undefined {
  const penalty = ((sent + deposit) * BigInt(view.nonRevealPenaltyBps)) / 10_000n;
  if (deposit === 0n || sent >= penalty) return undefined;
  return refusal(
    "penalty-not-covered",
    `with the ${formatEther(deposit)} ETH deposit applied, the collateral of ${formatEther(sent + deposit)} ETH could owe a ${penaltyText(view)} penalty of ${formatEther(penalty)} ETH, more than the ${formatEther(sent)} ETH you send: a penalty never takes a deposit, so lock more collateral`,
  );
}

/** Why `bidder` (whose bid `view.bid` is) cannot reveal now. */
export function revealRefusal(view: AuctionView, bidder: Address): AuctionRefusal | undefined {
  const id = view.auctionId;
  if (!view.bid) return refusal("no-bid", `${bidder} has no bid in auction ${id}`);
  if (view.bid.revealed) return refusal("already-revealed", `your bid in auction ${id} is already revealed (${formatEther(view.bid.amount)} ETH)`);
  if (view.phase === "bidding") return refusal("reveal-not-open", `the reveal window of auction ${id} opens at ${formatDeadline(view.commitEnd, view.now)}; reveal then`);
  if (view.phase !== "revealing") {
    return refusal("reveal-closed", `the reveal window of auction ${id} closed at ${formatDeadline(view.revealEnd, view.now)}; the unrevealed bid pays the ${penaltyText(view)} penalty`);
  }
  return undefined;
}

/** Why the bid of `bidder` (`view` read for that bidder) cannot be released now. */
export function reclaimRefusal(view: AuctionView, bidder: Address): AuctionRefusal | undefined {
  const id = view.auctionId;
  if (!view.bid) return refusal("no-bid", `${bidder} has no bid in auction ${id}`);
  if (view.bid.reclaimed) return refusal("already-reclaimed", `the bid of ${bidder} in auction ${id} was already released`);
  if (view.phase === "bidding" || view.phase === "revealing") return refusal("reclaim-not-open", `bids in auction ${id} can be reclaimed once its reveal window closes, at ${formatDeadline(view.revealEnd, view.now)}`);
  return undefined;
}

/** Why the auction cannot be settled now. */
export function settleRefusal(view: AuctionView): AuctionRefusal | undefined {
  const id = view.auctionId;
  if (view.phase === "settled") {
    const outcome = view.purchaseId === undefined ? "no bid won" : `purchase ${view.purchaseId}`;
    return refusal("already-settled", `auction ${id} is already settled (${outcome})`);
  }
  if (view.phase !== "settleable") return refusal("settle-not-open", `auction ${id} can be settled once its reveal window closes, at ${formatDeadline(view.revealEnd, view.now)}`);
  return undefined;
}
