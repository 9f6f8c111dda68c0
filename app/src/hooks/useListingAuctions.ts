/** The auctions opened for a listing (the SDK's readListingAuctions), read again at every new block. */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useBlockNumber, usePublicClient } from "wagmi";
import { readListingAuctions } from "@modelbazaar/sdk/actions";
import { deployment } from "../marketConfig.ts";

export function useListingAuctions(listingId: bigint) {
  const publicClient = usePublicClient();
  const { data: blockNumber } = useBlockNumber({ watch: true });
  return useQuery({
    queryKey: ["listing-auctions", deployment.chainId, deployment.market, listingId.toString(), blockNumber?.toString()],
    queryFn: () => readListingAuctions(publicClient!, deployment, listingId),
    enabled: publicClient !== undefined && blockNumber !== undefined,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}
