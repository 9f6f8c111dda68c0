/**
 * Settles an auction after its reveal phase (`SealedBidAuctions.settleAuction`, anyone may):
 * the winner's payment moves into a purchase escrow, whose id the receipt announces.
 */
import { parseEventLogs, zeroAddress, type Address, type Hash, type Log } from "viem";
import { modelMarketAbi } from "../generated/abis.ts";
import { ON_CLIENT_CHAIN, type MarketWriter } from "./marketHandles.ts";

export interface AuctionSettlement {
  /** Undefined when no valid bid reached the reserve. */
  readonly winner?: Address;
  /** What the winner pays (0 without a winner). */
  readonly price: bigint;
  /** The purchase the winner's payment opened (undefined without a winner). */
  readonly purchaseId?: bigint;
}

export function settleAuction(market: MarketWriter, auctionId: bigint): Promise<Hash> {
  return market.write.settleAuction([auctionId], ON_CLIENT_CHAIN);
}

/** The `AuctionSettled` log of the receipt. */
export function auctionSettlement(logs: readonly Log[]): AuctionSettlement {
  const [event] = parseEventLogs({ abi: modelMarketAbi, logs: [...logs], eventName: "AuctionSettled" });
  if (!event) throw new Error("the transaction settled no auction");
  const { winner, price, purchaseId } = event.args;
  return winner === zeroAddress ? { price } : { winner, price, purchaseId };
}
