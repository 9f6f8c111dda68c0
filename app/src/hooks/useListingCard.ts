/** A listing's model card, read once per metadata URI and hash (testDrive/cardLocation.ts). */
import { useQuery } from "@tanstack/react-query";
import type { Hex } from "viem";
import { readListingCardInBrowser } from "../testDrive/cardLocation.ts";

export function useListingCard(offer: { readonly metadataURI: string; readonly metadataHash: Hex } | undefined) {
  return useQuery({
    queryKey: ["listing-card", offer?.metadataURI, offer?.metadataHash],
    queryFn: () => readListingCardInBrowser(offer!),
    enabled: offer !== undefined,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}
