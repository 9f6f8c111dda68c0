/**
 * Every listing of a deployment, rebuilt from the registry's `ListingCreated` events (which
 * ids exist, in which block they were listed) and completed with the `getListing` view (the
 * current status, offer and promotion total), in listing order.
 */
import type { Address, PublicClient } from "viem";
import { modelRegistryAbi } from "../generated/abis.ts";
import { readListing, type Listing } from "./readListing.ts";

export interface ListingEntry {
  listingId: bigint;
  listedInBlock: bigint;
  listing: Listing;
}

export async function readListings(client: PublicClient, deployment: { registry: Address; startBlock: bigint }): Promise<ListingEntry[]> {
  const events = await client.getContractEvents({ address: deployment.registry, abi: modelRegistryAbi, eventName: "ListingCreated", fromBlock: deployment.startBlock, strict: true });
  return Promise.all(
    events.map(async (event) => ({
      listingId: event.args.listingId,
      listedInBlock: event.blockNumber,
      listing: await readListing(client, deployment, event.args.listingId),
    })),
  );
}
