/**
 * Releases a bid's collateral after the reveal phase (`SealedBidAuctions.reclaimBid`, anyone
 * may, for any bidder): the refund goes to the bidder (sent at once when the bidder asks,
 * credited for withdrawal otherwise), a non-reveal penalty to the seller; the winner's price
 * stays for its purchase.
 */
import { parseEventLogs, type Address, type Hash, type Log } from "viem";
import { modelMarketAbi } from "../generated/abis.ts";
import { ON_CLIENT_CHAIN, type MarketWriter } from "./marketHandles.ts";

export function reclaimBid(market: MarketWriter, auctionId: bigint, bidder: Address): Promise<Hash> {
  return market.write.reclaimBid([auctionId, bidder], ON_CLIENT_CHAIN);
}

/** The `BidReclaimed` log of the receipt. */
export function reclaimedBid(logs: readonly Log[]): { refund: bigint; penalty: bigint } {
  const [event] = parseEventLogs({ abi: modelMarketAbi, logs: [...logs], eventName: "BidReclaimed" });
  if (!event) throw new Error("the transaction released no bid");
  return { refund: event.args.refund, penalty: event.args.penalty };
}
