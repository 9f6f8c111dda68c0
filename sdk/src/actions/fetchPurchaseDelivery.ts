/**
 * The buyer's download of a purchase's delivery (docs/PROTOCOL.md §5.2, step 3): the listing's
 * worker, reached at the endpoint its on-chain offer names, serves the encrypted delivery file
 * to the purchase's buyer alone (a signed `DeliveryTransfer`); the file is decoded and paired
 * with what the chain says it must match (the committed ciphertext root, the listing's model
 * root and size, or the buyer's copy's when the seller committed one), ready for `checkCiphertext` before accepting and `checkDelivery` once the key
 * is revealed. Shared by `bazaar download` and the dApp's purchase page.
 */
import type { Address, Hex, PublicClient } from "viem";
import { decodeDeliveryFile, deliveryFileSize, type DeliveryFile } from "../delivery/deliveryFile.ts";
import type { ReceivedDelivery } from "../delivery/buyerDelivery.ts";
import { modelRegistryAbi } from "../generated/abis.ts";
import type { UploadAuthorizationContext, UploadSigner } from "../worker/uploadAuthorization.ts";
import { WorkerClient } from "../worker/workerClient.ts";
import { purchaseCopy, type PurchaseView } from "./readPurchase.ts";
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

/**
 * What the chain says a purchase's delivery must match: the buyer's copy when the seller
 * committed one (`commitCopyDelivery`, docs/PROTOCOL.md §7.2), else the listing's model root
 * and size (`ModelRegistry.deliveryTerms`).
 */
async function deliveryTerms(client: PublicClient, registry: Address, view: PurchaseView): Promise<{ modelRoot: Hex; modelSize: number; copy?: true }> {
  const copy = purchaseCopy(view);
  if (copy) {
    if (copy.copySize > BigInt(Number.MAX_SAFE_INTEGER)) throw new PurchaseDeliveryError(`the copy committed for purchase ${view.purchaseId} claims ${copy.copySize} bytes, more than any model file this client handles`);
    return { modelRoot: copy.copyRoot, modelSize: Number(copy.copySize), copy: true };
  }
  const [modelRoot, modelSize] = await client.readContract({ address: registry, abi: modelRegistryAbi, functionName: "deliveryTerms", args: [BigInt(view.purchase.listingId)] });
  return { modelRoot, modelSize: Number(modelSize) };
}

/** A delivery file paired with what the chain says it must match; `source` names where it came from in errors. */
export async function receivedDelivery(client: PublicClient, { registry }: { registry: Address }, view: PurchaseView, file: DeliveryFile, source: string): Promise<ReceivedDelivery> {
  return pairedDelivery(view, file, source, await deliveryTerms(client, registry, view));
}

function pairedDelivery(view: PurchaseView, file: DeliveryFile, source: string, terms: { modelRoot: Hex; modelSize: number; copy?: true }): ReceivedDelivery {
  if (view.ciphertextRoot === undefined) throw new PurchaseDeliveryError(`the seller has not committed a delivery of purchase ${view.purchaseId} yet`);
  if (file.purchaseId !== view.purchaseId) throw new PurchaseDeliveryError(`${source} holds the delivery of purchase ${file.purchaseId}, not of purchase ${view.purchaseId}`);
  return { ciphertext: file.ciphertext, modelLeaves: file.modelLeaves, ciphertextRoot: view.ciphertextRoot, ...terms };
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
 * Fetches the delivery from the listing's worker, taking no more bytes than the delivery file of
 * the listing's on-chain model size, and pairs it with the chain's commitments. Throws
 * `WorkerClientError` when the worker refuses, is unreachable or sends too much ("too_large"),
 * `DeliveryFileError` when it sends something that is not a delivery file,
 * `PurchaseDeliveryError` as above. Answers the file's bytes too, for the buyer to keep.
 */
export async function fetchPurchaseDelivery(
  client: PublicClient,
  deployment: { registry: Address },
  { signer, context, view, onProgress }: FetchPurchaseDeliveryParameters,
): Promise<{ readonly worker: string; readonly received: ReceivedDelivery; readonly file: Uint8Array }> {
  if (view.ciphertextRoot === undefined) throw new PurchaseDeliveryError(`the seller has not committed a delivery of purchase ${view.purchaseId} yet`);
  const [worker, terms] = await Promise.all([listingWorker(client, deployment, BigInt(view.purchase.listingId)), deliveryTerms(client, deployment.registry, view)]);
  const file = await worker.fetchDelivery(signer, context, view.purchaseId, {
    maxBytes: deliveryFileSize(terms.modelSize),
    tooLarge: `its listing's model is ${terms.modelSize} bytes on-chain`,
    ...(onProgress ? { onProgress: (received: number, total: number | undefined) => onProgress(received, total, worker.url) } : {}),
  });
  return { worker: worker.url, received: pairedDelivery(view, decodeDeliveryFile(file), "the seller's worker", terms), file };
}
