/** One auction as the SDK's readAuction sees it (with the connected account's bid), read again at every new block. */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { useBlockNumber, usePublicClient } from "wagmi";
import { readAuction } from "@modelbazaar/sdk/actions";
import { deployment } from "../marketConfig.ts";

export function useAuction(auctionId: bigint, bidder: Address | undefined) {
  const publicClient = usePublicClient();
  const { data: blockNumber } = useBlockNumber({ watch: true });
  return useQuery({
    queryKey: ["auction", deployment.chainId, deployment.market, auctionId.toString(), bidder, blockNumber?.toString()],
    queryFn: () => readAuction({ publicClient: publicClient!, deployment }, auctionId, bidder),
    enabled: publicClient !== undefined && blockNumber !== undefined,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
    refetchOnWindowFocus: false,
  });
}
