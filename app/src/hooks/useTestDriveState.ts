/**
 * A test-drive's state on the chain and its refund dispute's (the SDK's readTest and
 * readDispute), read again at every new block: deadlines pass without events. A test id this
 * chain does not have (a record kept from an earlier chain at the same address) is an answer,
 * `{ missing: true }`, not an error: an error would be retried and dropped at every block, so a
 * page could never tell that record foreign.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useBlockNumber, usePublicClient } from "wagmi";
import { readDispute, readTest, UnknownIdError } from "@modelbazaar/sdk/actions";
import { deployment } from "../marketConfig.ts";

export function useTestDriveState(testId: bigint | undefined) {
  const publicClient = usePublicClient();
  const { data: blockNumber } = useBlockNumber({ watch: true });
  return useQuery({
    queryKey: ["test-drive-state", deployment.chainId, deployment.market, testId?.toString(), blockNumber?.toString()],
    queryFn: async () => {
      try {
        const [test, dispute] = await Promise.all([readTest(publicClient!, deployment, testId!), readDispute(publicClient!, { market: deployment.market, testId: testId! })]);
        return { testId: testId!, missing: false, test, dispute } as const;
      } catch (error) {
        if (error instanceof UnknownIdError) return { testId: testId!, missing: true, test: undefined, dispute: undefined } as const;
        throw error;
      }
    },
    enabled: publicClient !== undefined && testId !== undefined && blockNumber !== undefined,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}
