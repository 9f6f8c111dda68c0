/**
 * One transaction decoded (the SDK's readTransaction), asked again every few seconds until it
 * is mined (a pending or not-yet-known hash), then kept: a mined transaction never changes.
 */
import { useQuery } from "@tanstack/react-query";
import type { Hash } from "viem";
import { usePublicClient } from "wagmi";
import { readTransaction } from "@modelbazaar/sdk/explorer";
import { deployment } from "../marketConfig.ts";

export function useTransactionView(hash: Hash | undefined) {
  const publicClient = usePublicClient();
  return useQuery({
    queryKey: ["transaction", deployment.chainId, hash],
    queryFn: () => readTransaction(publicClient!, deployment, hash!),
    enabled: publicClient !== undefined && hash !== undefined,
    staleTime: Infinity,
    retry: false,
    refetchInterval: (query) => (query.state.data?.receipt ? false : 2_000),
    refetchOnWindowFocus: false,
  });
}
