/**
 * What a listing's worker serves for it (the HE plan and its published evaluation speed), after checking the worker is the one the
 * listing means: it serves this deployment's market on this chain, and signs as the listing's
 * `workerSigner` (else its receipts would not count). A buyer asks this before staking
 * anything; `bazaar test-drive` and the dApp's test-drive both do.
 */
import { isAddressEqual, type Address } from "viem";
import { WorkerClientError, type ServedListing, type WorkerClient } from "./workerClient.ts";

export interface ServedListingParameters {
  readonly deployment: { readonly chainId: number; readonly market: Address };
  readonly listingId: bigint;
  /** The listing's `offer.workerSigner`. */
  readonly workerSigner: Address;
}

/** Throws WorkerClientError (a sentence) when the worker is unreachable, does not serve the listing, or is not the listing's. */
export async function servedListing(worker: WorkerClient, { deployment, listingId, workerSigner }: ServedListingParameters): Promise<ServedListing> {
  const served = await worker.listing(listingId);
  if (served.chainId !== deployment.chainId || !isAddressEqual(served.market, deployment.market)) {
    throw new WorkerClientError(`the worker at ${worker.url} serves market ${served.market} on chain ${served.chainId}, not this deployment's`, "wrong_market");
  }
  if (!isAddressEqual(served.worker, workerSigner)) {
    throw new WorkerClientError(`the worker at ${worker.url} signs as ${served.worker}, but listing ${listingId} names ${workerSigner}: its receipts would not count`, "wrong_signer");
  }
  return served.served;
}
