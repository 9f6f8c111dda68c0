/**
 * How the parties of a purchase authenticate to the seller's worker for its delivery
 * (docs/PROTOCOL.md §5.2): an EIP-712 signature over
 * `DeliveryTransfer(uint256 purchaseId, bytes32 nonce, bytes32 bodySha256)` in the worker's
 * domain (the one uploads use: {name: "ModelBazaar Worker", version: "1", chainId,
 * verifyingContract: market}), carried in the upload headers ({UPLOAD_AUTH_HEADERS}). The seller
 * signs the delivery package it hands over (PUT), the buyer signs an empty body to fetch it
 * (GET): the worker serves the encrypted model to that purchase's buyer alone, each nonce once,
 * so a copied request gets nothing. Browser-safe, like uploadAuthorization.ts.
 */
import type { Hex } from "viem";
import {
  UPLOAD_AUTH_HEADERS,
  bodySha256,
  randomNonce,
  workerAuthDomain,
  type UploadAuthorizationContext,
  type UploadAuthorizationHeaders,
  type UploadSigner,
} from "./uploadAuthorization.ts";

/** The header the worker serves a delivery with: its ciphertext root (the buyer checks it against the chain). */
export const DELIVERY_HEADERS = { ciphertextRoot: "x-modelbazaar-ciphertext-root" } as const;

export const deliveryTransferTypes = {
  DeliveryTransfer: [
    { name: "purchaseId", type: "uint256" },
    { name: "nonce", type: "bytes32" },
    { name: "bodySha256", type: "bytes32" },
  ],
} as const;

export function deliveryTransferTypedData(context: UploadAuthorizationContext, purchaseId: bigint, nonce: Hex, digest: Hex) {
  return {
    domain: workerAuthDomain(context),
    types: deliveryTransferTypes,
    primaryType: "DeliveryTransfer",
    message: { purchaseId, nonce, bodySha256: digest },
  } as const;
}

/** Signs `body` (empty for a fetch) for `purchaseId`; returns the headers to send with it. */
export async function signDeliveryTransfer(
  signer: UploadSigner,
  context: UploadAuthorizationContext,
  purchaseId: bigint,
  body: Uint8Array,
  nonce: Hex = randomNonce(),
): Promise<UploadAuthorizationHeaders> {
  const digest = await bodySha256(body);
  const signature = await signer.signTypedData(deliveryTransferTypedData(context, purchaseId, nonce, digest));
  return { [UPLOAD_AUTH_HEADERS.nonce]: nonce, [UPLOAD_AUTH_HEADERS.bodySha256]: digest, [UPLOAD_AUTH_HEADERS.signature]: signature };
}
