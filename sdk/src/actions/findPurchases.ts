/**
 * The purchases one buyer opened on the market, newest first, from the `PurchaseOpened` events
 * (the buyer is an indexed topic, so the node filters them): how a buyer finds its purchases again.
 */
import type { Address, PublicClient } from "viem";
import { modelMarketAbi } from "../generated/abis.ts";

export interface OpenedPurchase {
  readonly purchaseId: bigint;
  readonly listingId: bigint;
  readonly price: bigint;
  readonly testId: bigint;
  readonly auctionId: bigint;
  readonly transactionHash: `0x${string}`;
}

export async function findPurchases(client: PublicClient, { market, startBlock }: { market: Address; startBlock: bigint }, buyer: Address): Promise<OpenedPurchase[]> {
  const events = await client.getContractEvents({ address: market, abi: modelMarketAbi, eventName: "PurchaseOpened", args: { buyer }, fromBlock: startBlock, strict: true });
  return events
    .map(({ args, transactionHash }) => ({ purchaseId: args.purchaseId, listingId: args.listingId, price: args.price, testId: args.testId, auctionId: args.auctionId, transactionHash }))
    .sort((a, b) => (a.purchaseId < b.purchaseId ? 1 : -1));
}
