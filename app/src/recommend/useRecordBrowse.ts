/**
 * Records in this browser's recommendation profile (keptProfile.ts) that the connected account
 * opened a model's page: a browse, the weakest implicit signal. Test-drives and purchases are
 * read from the account's own on-chain events instead (useRecommendations.ts). Nothing is sent.
 */
import { useEffect } from "react";
import { useAccount } from "wagmi";
import { itemIdOfListing } from "@modelbazaar/sdk/recommend";
import { recordBrowse } from "./keptProfile.ts";

export function useRecordBrowse(listingId: bigint): void {
  const { address } = useAccount();
  useEffect(() => {
    if (address && listingId >= 1n) recordBrowse(address, itemIdOfListing(listingId));
  }, [address, listingId]);
}
