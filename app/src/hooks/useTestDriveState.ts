/**
 * A test-drive's state on the chain and its refund dispute's (the SDK's readTest and
 * readDispute), read again at every new block: deadlines pass without events.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useBlockNumber, usePublicClient } from "wagmi";
import { readDispute, readTest } from "@modelbazaar/sdk/actions";
import { deployment } from "../marketConfig.ts";

export function useTestDriveState(testId: bigint | undefined) {
  const publicClient = usePublicClient();
  const { data: blockNumber } = useBlockNumber({ watch: true });
  return useQuery({
    queryKey: ["test-drive-state", deployment.chainId, deployment.market, testId?.toString(), blockNumber?.toString()],
    queryFn: async () => {
      const [test, dispute] = await Promise.all([readTest(publicClient!, deployment, testId!), readDispute(publicClient!, { market: deployment.market, testId: testId! })]);
      return { test, dispute };
    },
    enabled: publicClient !== undefined && testId !== undefined && blockNumber !== undefined,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}
