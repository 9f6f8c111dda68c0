/**
 * Releases a bid's collateral after the reveal phase (`SealedBidAuctions.reclaimBid`, anyone
 * may, for any bidder): the refund goes to the bidder (sent at once when the bidder asks,
 * credited for withdrawal otherwise), a non-reveal penalty to the winner (the seller when nobody won); the winner's escrow
 * stays for its purchase. A test-drive deposit in the collateral goes back to its test-drive (`depositReturned`).
 */
import { parseEventLogs, type Address, type Hash, type Log } from "viem";
import { modelMarketAbi } from "../generated/abis.ts";
import { ON_CLIENT_CHAIN, type MarketWriter } from "./marketHandles.ts";

export function reclaimBid(market: MarketWriter, auctionId: bigint, bidder: Address): Promise<Hash> {
  return market.write.reclaimBid([auctionId, bidder], ON_CLIENT_CHAIN);
}

/** The `BidReclaimed` log of the receipt. */
export function reclaimedBid(logs: readonly Log[]): { refund: bigint; depositReturned: bigint; penalty: bigint } {
  const [event] = parseEventLogs({ abi: modelMarketAbi, logs: [...logs], eventName: "BidReclaimed" });
  if (!event) throw new Error("the transaction released no bid");
  return { refund: event.args.refund, depositReturned: event.args.depositReturned, penalty: event.args.penalty };
}
