/**
 * An explorer entity's status now (the SDK's readEntityStatus), read again at every new block:
 * statuses follow the chain's clock, so a deadline passing changes them without an event.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useBlockNumber, usePublicClient } from "wagmi";
import { readEntityStatus } from "@modelbazaar/sdk/actions";
import type { EntityKind } from "@modelbazaar/sdk/explorer";
import { deployment } from "../marketConfig.ts";

export function useEntityStatus(kind: EntityKind, id: bigint) {
  const publicClient = usePublicClient();
  const { data: blockNumber } = useBlockNumber({ watch: true });
  return useQuery({
    queryKey: ["entity-status", deployment.chainId, deployment.market, kind, id.toString(), blockNumber?.toString()],
    queryFn: () => readEntityStatus(publicClient!, deployment, kind, id),
    enabled: publicClient !== undefined && blockNumber !== undefined,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}
