/** The connected seller's listings (the SDK's readListings, filtered by seller), read again at every new block. */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { isAddressEqual, type Address } from "viem";
import { useBlockNumber, usePublicClient } from "wagmi";
import { readListings } from "@modelbazaar/sdk/actions";
import { deployment } from "../marketConfig.ts";

export function useSellerListings(seller: Address | undefined) {
  const publicClient = usePublicClient();
  const { data: blockNumber } = useBlockNumber({ watch: true });
  return useQuery({
    queryKey: ["seller-listings", deployment.chainId, deployment.registry, seller, blockNumber?.toString()],
    queryFn: async () => (await readListings(publicClient!, deployment)).filter((entry) => isAddressEqual(entry.listing.seller, seller!)),
    enabled: publicClient !== undefined && blockNumber !== undefined && seller !== undefined,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}
