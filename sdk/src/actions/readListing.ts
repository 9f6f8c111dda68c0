/**
 * Reads one listing of the registry as clients show it (seller, status, terms, current offer,
 * promotion total), failing with {UnknownIdError} for an id that was never used.
 */
import type { Address, ContractFunctionReturnType, PublicClient } from "viem";
import { modelRegistryAbi } from "../generated/abis.ts";
import { UnknownIdError } from "./unknownIdError.ts";

/** The registry's `Listing` struct as viem decodes it. */
export type Listing = ContractFunctionReturnType<typeof modelRegistryAbi, "view", "getListing">;

/** The registry's `ListingStatus` names, by value. */
export const LISTING_STATUSES = ["none", "active", "paused", "delisted"] as const;

export async function readListing(client: PublicClient, { registry }: { registry: Address }, listingId: bigint): Promise<Listing> {
  const count = await client.readContract({ address: registry, abi: modelRegistryAbi, functionName: "listingCount" });
  if (listingId < 1n || listingId > count) throw new UnknownIdError("listing", listingId);
  return client.readContract({ address: registry, abi: modelRegistryAbi, functionName: "getListing", args: [listingId] });
}
