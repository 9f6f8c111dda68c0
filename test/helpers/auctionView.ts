/** An auction as `readAuction` returns it, open for bids at `now`, for the unit tests of what may be done next. */
import { parseEther, type Address } from "viem";
import type { AuctionView } from "@modelbazaar/sdk/actions";

export const AUCTION_SELLER: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
export const AUCTION_BIDDER: Address = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
export const AUCTION_NOW = 1_800_000_000;

/** Auction 3 of listing 1: second-price, reserve 1 ETH, bidding for 10 more minutes, revealing 10 after; `over` changes any field. */
export function biddingAuction(over: Partial<AuctionView> = {}): AuctionView {
  return {
    auctionId: 3n,
    listingId: 1n,
    seller: AUCTION_SELLER,
    kind: "second-price",
    phase: "bidding",
    reservePrice: parseEther("1"),
    onlyTestDrivers: false,
    nonRevealPenaltyBps: 1_000,
    commitEnd: AUCTION_NOW + 600,
    revealEnd: AUCTION_NOW + 1_200,
    now: AUCTION_NOW,
    bidCount: 0,
    revealedCount: 0,
    reveals: [],
    highestAmount: 0n,
    clearingPrice: 0n,
    unreleased: [],
    ...over,
  };
}
