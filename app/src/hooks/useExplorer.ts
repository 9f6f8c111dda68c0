/**
 * The market's history as the explorer shows it (the SDK's loadExplorer), following the chain:
 * wagmi's useBlockNumber watches for blocks, each new block number is a new query whose
 * function scans only the blocks after the last result, and the previous result stays on
 * screen meanwhile (no flicker, no reload).
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useBlockNumber, usePublicClient } from "wagmi";
import { loadExplorer, type ExplorerIndex } from "@modelbazaar/sdk/explorer";
import { deployment } from "../marketConfig.ts";

/** The latest result per deployment, shared by every page (one scan per new block, not per page). */
const latest = new Map<string, ExplorerIndex>();

export function useExplorer() {
  const publicClient = usePublicClient();
  const { data: blockNumber } = useBlockNumber({ watch: true });
  const key = `${deployment.chainId}:${deployment.market}`;
  return useQuery({
    queryKey: ["explorer", deployment.chainId, deployment.market, blockNumber?.toString()],
    queryFn: async () => {
      const since = latest.get(key);
      const next = await loadExplorer(publicClient!, deployment, { ...(since ? { since } : {}), toBlock: blockNumber! });
      if (!since || next.toBlock >= since.toBlock) latest.set(key, next);
      return latest.get(key)!;
    },
    enabled: publicClient !== undefined && blockNumber !== undefined,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}
