/**
 * The buyer's download of a purchase's delivery (docs/PROTOCOL.md §5.2, step 3): the listing's
 * worker, reached at the endpoint its on-chain offer names, serves the encrypted delivery file
 * to the purchase's buyer alone (a signed `DeliveryTransfer`); the file is decoded and paired
 * with what the chain says it must match (the committed ciphertext root, the listing's model
 * root and size), ready for `checkCiphertext` before accepting and `checkDelivery` once the key
 * is revealed. Shared by `bazaar download` and the dApp's purchase page.
 */
import type { Address, PublicClient } from "viem";
import { decodeDeliveryFile, type DeliveryFile } from "../delivery/deliveryFile.ts";
import type { ReceivedDelivery } from "../delivery/buyerDelivery.ts";
import { modelRegistryAbi } from "../generated/abis.ts";
import type { UploadAuthorizationContext, UploadSigner } from "../worker/uploadAuthorization.ts";
import { WorkerClient } from "../worker/workerClient.ts";
import type { PurchaseView } from "./readPurchase.ts";
import { readListing } from "./readListing.ts";

/** A delivery that cannot be checked against this purchase at all (not committed yet, or another purchase's file). */
export class PurchaseDeliveryError extends Error {
  override readonly name = "PurchaseDeliveryError";
}

/** The worker named by listing `listingId`'s offer. */
export async function listingWorker(client: PublicClient, deployment: { registry: Address }, listingId: bigint): Promise<WorkerClient> {
  const listing = await readListing(client, deployment, listingId);
  return new WorkerClient(listing.offer.workerEndpoint);
}

/** A delivery file paired with what the chain says it must match; `source` names where it came from in errors. */
export async function receivedDelivery(client: PublicClient, { registry }: { registry: Address }, view: PurchaseView, file: DeliveryFile, source: string): Promise<ReceivedDelivery> {
  if (view.ciphertextRoot === undefined) throw new PurchaseDeliveryError(`the seller has not committed a delivery of purchase ${view.purchaseId} yet`);
  if (file.purchaseId !== view.purchaseId) throw new PurchaseDeliveryError(`${source} holds the delivery of purchase ${file.purchaseId}, not of purchase ${view.purchaseId}`);
  const [modelRoot, modelSize] = await client.readContract({ address: registry, abi: modelRegistryAbi, functionName: "deliveryTerms", args: [BigInt(view.purchase.listingId)] });
  return { ciphertext: file.ciphertext, modelLeaves: file.modelLeaves, ciphertextRoot: view.ciphertextRoot, modelRoot, modelSize: Number(modelSize) };
}

export interface FetchPurchaseDeliveryParameters {
  /** The purchase's buyer, who signs the request. */
  readonly signer: UploadSigner;
  /** The chain and market the signature is bound to. */
  readonly context: UploadAuthorizationContext;
  readonly view: PurchaseView;
  /** Hears the bytes as they arrive from the worker at `worker` (`total` when it announced it). */
  readonly onProgress?: (received: number, total: number | undefined, worker: string) => void;
}

/**
 * Fetches the delivery from the listing's worker and pairs it with the chain's commitments.
 * Throws `WorkerClientError` when the worker refuses or is unreachable, `DeliveryFileError`
 * when it sends something that is not a delivery file, `PurchaseDeliveryError` as above.
 */
export async function fetchPurchaseDelivery(
  client: PublicClient,
  deployment: { registry: Address },
  { signer, context, view, onProgress }: FetchPurchaseDeliveryParameters,
): Promise<{ readonly worker: string; readonly received: ReceivedDelivery }> {
  if (view.ciphertextRoot === undefined) throw new PurchaseDeliveryError(`the seller has not committed a delivery of purchase ${view.purchaseId} yet`);
  const worker = await listingWorker(client, deployment, BigInt(view.purchase.listingId));
  const bytes = await worker.fetchDelivery(signer, context, view.purchaseId, onProgress && ((received, total) => onProgress(received, total, worker.url)));
  const received = await receivedDelivery(client, deployment, view, decodeDeliveryFile(bytes), "the seller's worker");
  return { worker: worker.url, received };
}
