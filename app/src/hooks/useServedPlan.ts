/** The HE plan a listing's worker serves for it, once the SDK's servedPlan has checked the worker is the listing's. */
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { servedPlan } from "../../../sdk/src/worker/servedPlan.ts";
import { WorkerClient } from "../../../sdk/src/worker/workerClient.ts";
import { deployment } from "../marketConfig.ts";

export function useServedPlan(listingId: bigint, offer: { readonly workerEndpoint: string; readonly workerSigner: Address } | undefined) {
  return useQuery({
    queryKey: ["served-plan", deployment.chainId, deployment.market, listingId.toString(), offer?.workerEndpoint, offer?.workerSigner],
    queryFn: () => servedPlan(new WorkerClient(offer!.workerEndpoint), { deployment, listingId, workerSigner: offer!.workerSigner }),
    enabled: offer !== undefined,
    staleTime: 60_000,
    retry: false,
    refetchOnWindowFocus: false,
  });
}
