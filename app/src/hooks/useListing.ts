/** One listing (the SDK's readListing), read again at every new block; an unknown id is an error with its sentence. */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useBlockNumber, usePublicClient } from "wagmi";
import { readListing } from "@modelbazaar/sdk/actions";
import { deployment } from "../marketConfig.ts";

export function useListing(listingId: bigint) {
  const publicClient = usePublicClient();
  const { data: blockNumber } = useBlockNumber({ watch: true });
  return useQuery({
    queryKey: ["listing", deployment.chainId, deployment.registry, listingId.toString(), blockNumber?.toString()],
    queryFn: () => readListing(publicClient!, deployment, listingId),
    enabled: publicClient !== undefined && blockNumber !== undefined,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
    refetchOnWindowFocus: false,
  });
}
