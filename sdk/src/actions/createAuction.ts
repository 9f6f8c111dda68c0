/**
 * Opens a sealed-bid auction of one of the caller's auction-mode listings
 * (`SealedBidAuctions.createAuction`) and reads the new auction's id from the receipt.
 */
import { parseEventLogs, type Hash, type Log } from "viem";
import { auctionKindCode, type AuctionKind } from "../auctions/auctionTerms.ts";
import { modelMarketAbi } from "../generated/abis.ts";
import { ON_CLIENT_CHAIN, type MarketWriter } from "./marketHandles.ts";

export interface CreateAuctionParams {
  readonly listingId: bigint;
  readonly kind: AuctionKind;
  /** Lowest winning bid, in wei. */
  readonly reservePrice: bigint;
  /** Seconds bids may be committed (1 s..30 days). */
  readonly commitDuration: number;
  /** Seconds bids may be revealed after the commit phase (1 s..30 days). */
  readonly revealDuration: number;
  /** Only bidders who test-drove the listing may bid. */
  readonly onlyTestDrivers: boolean;
  /** Share of its collateral a bid that is never (validly) revealed pays the seller, in basis points. */
  readonly nonRevealPenaltyBps: number;
}

export function createAuction(market: MarketWriter, params: CreateAuctionParams): Promise<Hash> {
  const { reservePrice, commitDuration, revealDuration, kind, onlyTestDrivers, nonRevealPenaltyBps } = params;
  return market.write.createAuction(
    [params.listingId, { reservePrice, commitDuration, revealDuration, kind: auctionKindCode(kind), onlyTestDrivers, nonRevealPenaltyBps }],
    ON_CLIENT_CHAIN,
  );
}

/** The id of the auction an `AuctionCreated` log of the receipt announces. */
export function createdAuctionId(logs: readonly Log[]): bigint {
  const [event] = parseEventLogs({ abi: modelMarketAbi, logs: [...logs], eventName: "AuctionCreated" });
  if (!event) throw new Error("the transaction created no auction");
  return event.args.auctionId;
}
