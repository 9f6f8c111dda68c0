/**
 * The bidder's evaluated test-drives of a listing whose deposit can join a bid (the SDK's
 * findBidTestDrives, from the chain's TestOpened events and the ids this browser kept),
 * read again at every new block.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { useBlockNumber, usePublicClient } from "wagmi";
import { findBidTestDrives } from "@modelbazaar/sdk/actions";
import { deployment } from "../marketConfig.ts";
import { keptTestDrives } from "../testDrive/keptTestDrive.ts";

export function useBidTestDrives(listingId: bigint, bidder: Address) {
  const publicClient = usePublicClient();
  const { data: blockNumber } = useBlockNumber({ watch: true });
  return useQuery({
    queryKey: ["bid-test-drives", deployment.chainId, deployment.market, listingId.toString(), bidder, blockNumber?.toString()],
    queryFn: () => {
      const kept = keptTestDrives(deployment.chainId, deployment.market, { listingId, buyer: bidder }).flatMap((record) => (record.testId === undefined ? [] : [BigInt(record.testId)]));
      return findBidTestDrives(publicClient!, deployment, listingId, bidder, kept);
    },
    enabled: publicClient !== undefined && blockNumber !== undefined,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}
