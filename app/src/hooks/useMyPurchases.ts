/** The purchases an account opened (the SDK's findPurchases), each with where it stands (readPurchase), read again at every new block. */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { useBlockNumber, usePublicClient } from "wagmi";
import { findPurchases, readPurchase } from "@modelbazaar/sdk/actions";
import { deployment } from "../marketConfig.ts";

export function useMyPurchases(buyer: Address | undefined) {
  const publicClient = usePublicClient();
  const { data: blockNumber } = useBlockNumber({ watch: true });
  return useQuery({
    queryKey: ["my-purchases", deployment.chainId, deployment.market, buyer, blockNumber?.toString()],
    queryFn: async () => {
      const opened = await findPurchases(publicClient!, deployment, buyer!);
      return Promise.all(opened.map((purchase) => readPurchase(publicClient!, deployment, purchase.purchaseId)));
    },
    enabled: publicClient !== undefined && buyer !== undefined && blockNumber !== undefined,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}
