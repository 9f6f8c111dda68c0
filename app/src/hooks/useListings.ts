/**
 * Every listing of the registry: its count, then each listing's view, in one multicall-free
 * batch of reads (wagmi's useReadContracts). Wiring only: the ABI comes from the SDK.
 */
import { useReadContract, useReadContracts } from "wagmi";
import { modelRegistryAbi } from "@modelbazaar/sdk/abis";
import { market } from "../marketConfig.ts";

export function useListings() {
  const registry = { address: market.deployment.registry, abi: modelRegistryAbi } as const;
  const count = useReadContract({ ...registry, functionName: "listingCount" });
  const ids = Array.from({ length: Number(count.data ?? 0n) }, (_, i) => BigInt(i + 1));
  const listings = useReadContracts({
    allowFailure: false,
    contracts: ids.map((id) => ({ ...registry, functionName: "getListing", args: [id] }) as const),
    query: { enabled: count.isSuccess },
  });
  return {
    listings: listings.data?.map((listing, i) => ({ id: ids[i]!, ...listing })) ?? [],
    isLoading: count.isLoading || listings.isLoading,
    error: count.error ?? listings.error,
  };
}
