/**
 * A listing's worker as its seller sees it: GET /health (can it serve now, and whom), then
 * whether it serves the listing and signs as the listing names (the SDK's servedListing, with
 * the HE plan it runs). Polled every 15 s; a worker that does not answer is a sentence, not a crash.
 */
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { servedListing, WorkerClient, WorkerClientError } from "@modelbazaar/sdk/worker";
import { deployment } from "../marketConfig.ts";

export function useWorkerStatus(listingId: bigint, offer: { readonly workerEndpoint: string; readonly workerSigner: Address }) {
  return useQuery({
    queryKey: ["worker-status", deployment.chainId, listingId.toString(), offer.workerEndpoint, offer.workerSigner],
    queryFn: async () => {
      const worker = new WorkerClient(offer.workerEndpoint);
      const health = await worker.health();
      try {
        return { health, served: await servedListing(worker, { deployment, listingId, workerSigner: offer.workerSigner }), notServed: undefined };
      } catch (error) {
        if (error instanceof WorkerClientError) return { health, served: undefined, notServed: error.message };
        throw error;
      }
    },
    refetchInterval: 15_000,
    retry: false,
    refetchOnWindowFocus: false,
  });
}
