/**
 * The auctions a listing's seller opened for it (`AuctionCreated` events, the listing id being
 * indexed), oldest first: the model page links to each, the newest first of all.
 */
import type { PublicClient } from "viem";
import type { Deployment } from "../client/deployment.ts";
import { modelMarketAbi } from "../generated/abis.ts";

export async function readListingAuctions(publicClient: PublicClient, deployment: Pick<Deployment, "market" | "startBlock">, listingId: bigint): Promise<bigint[]> {
  const logs = await publicClient.getContractEvents({
    address: deployment.market,
    abi: modelMarketAbi,
    eventName: "AuctionCreated",
    args: { listingId },
    fromBlock: deployment.startBlock,
    toBlock: "latest",
  });
  return logs.map(({ args }) => args.auctionId!);
}
