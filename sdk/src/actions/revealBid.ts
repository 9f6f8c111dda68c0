/**
 * Reveals the caller's sealed bid (`SealedBidAuctions.revealBid`) and reads whether it is
 * valid (within its collateral) and so competes.
 */
import { parseEventLogs, type Hash, type Hex, type Log } from "viem";
import { modelMarketAbi } from "../generated/abis.ts";
import { ON_CLIENT_CHAIN, type MarketWriter } from "./marketHandles.ts";

export interface RevealBidParams {
  readonly auctionId: bigint;
  readonly amount: bigint;
  readonly salt: Hex;
}

export function revealBid(market: MarketWriter, { auctionId, amount, salt }: RevealBidParams): Promise<Hash> {
  return market.write.revealBid([auctionId, amount, salt], ON_CLIENT_CHAIN);
}

/** The `BidRevealed` log of the receipt: the amount and whether it competes. */
export function revealedBid(logs: readonly Log[]): { amount: bigint; valid: boolean } {
  const [event] = parseEventLogs({ abi: modelMarketAbi, logs: [...logs], eventName: "BidRevealed" });
  if (!event) throw new Error("the transaction revealed no bid");
  return { amount: event.args.amount, valid: event.args.valid };
}
