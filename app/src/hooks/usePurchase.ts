/** One purchase (the SDK's readPurchase: facts, computed status, commitments, key, deadlines), read again at every new block. */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useBlockNumber, usePublicClient } from "wagmi";
import { readPurchase } from "@modelbazaar/sdk/actions";
import { deployment } from "../marketConfig.ts";

export function usePurchase(purchaseId: bigint) {
  const publicClient = usePublicClient();
  const { data: blockNumber } = useBlockNumber({ watch: true });
  return useQuery({
    queryKey: ["purchase", deployment.chainId, deployment.market, purchaseId.toString(), blockNumber?.toString()],
    queryFn: () => readPurchase(publicClient!, deployment, purchaseId),
    enabled: publicClient !== undefined && blockNumber !== undefined,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
    refetchOnWindowFocus: false,
  });
}
