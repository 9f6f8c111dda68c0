/**
 * Commits a sealed bid (`SealedBidAuctions.commitBid`): the commitment of `sealBid` with its
 * collateral as the value, optionally converting the bidder's evaluated test-drive deposit of
 * the listing into extra collateral. Reads the collateral the contract recorded.
 */
import { parseEventLogs, type Hash, type Log } from "viem";
import type { SealedBid } from "../auctions/sealBid.ts";
import { modelMarketAbi } from "../generated/abis.ts";
import { ON_CLIENT_CHAIN, type MarketWriter } from "./marketHandles.ts";

/** `testId` 0 (the default) applies no test-drive. */
export function commitBid(market: MarketWriter, bid: SealedBid, testId = 0n): Promise<Hash> {
  return market.write.commitBid([bid.auctionId, bid.commitment, testId], { ...ON_CLIENT_CHAIN, value: bid.collateral });
}

/** The collateral a `BidCommitted` log of the receipt records (value plus any applied deposit). */
export function committedCollateral(logs: readonly Log[]): bigint {
  const [event] = parseEventLogs({ abi: modelMarketAbi, logs: [...logs], eventName: "BidCommitted" });
  if (!event) throw new Error("the transaction committed no bid");
  return event.args.collateral;
}
