/** What a listing's worker serves for it (plan and published speed), once the SDK's servedListing has checked the worker is the listing's. */
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { servedListing, WorkerClient } from "@modelbazaar/sdk/worker";
import { deployment } from "../marketConfig.ts";

export function useServedListing(listingId: bigint, offer: { readonly workerEndpoint: string; readonly workerSigner: Address } | undefined) {
  return useQuery({
    queryKey: ["served-listing", deployment.chainId, deployment.market, listingId.toString(), offer?.workerEndpoint, offer?.workerSigner],
    queryFn: () => servedListing(new WorkerClient(offer!.workerEndpoint), { deployment, listingId, workerSigner: offer!.workerSigner }),
    enabled: offer !== undefined,
    staleTime: 60_000,
    retry: false,
    refetchOnWindowFocus: false,
  });
}
