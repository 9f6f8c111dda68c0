/** What the market owes an account now, each credit named by its source (the SDK's findPayouts, as `bazaar withdraw` collects it), read again at every new block. */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { useBlockNumber, usePublicClient } from "wagmi";
import { findPayouts } from "@modelbazaar/sdk/actions";
import { deployment } from "../marketConfig.ts";

export function usePayouts(account: Address | undefined) {
  const publicClient = usePublicClient();
  const { data: blockNumber } = useBlockNumber({ watch: true });
  return useQuery({
    queryKey: ["payouts", deployment.chainId, deployment.market, account, blockNumber?.toString()],
    queryFn: () => findPayouts(publicClient!, deployment, account!),
    enabled: publicClient !== undefined && blockNumber !== undefined && account !== undefined,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}
