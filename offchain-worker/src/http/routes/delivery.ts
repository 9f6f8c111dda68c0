/**
 * A purchase's delivery through the seller's worker (docs/PROTOCOL.md §5.2):
 *
 * PUT /purchases/:purchaseId/delivery — the seller hands over the delivery package (its one-time
 * key and the encrypted model file, sdk/src/delivery/deliveryPackage.ts), signed as a
 * `DeliveryTransfer` by the purchase's seller. Checked, cheapest first: the headers and declared
 * length; without reading the chain, the signature recovers to a key, its nonce is fresh and
 * the signer sells a listing served here (servedSellers.ts: an unauthenticated hand-over costs no
 * chain read); on-chain now, the purchase exists, is of a listing served here, and has a
 * committed delivery whose key is not yet revealed, and the signer is its seller; then, under the
 * same limits and code as test uploads (signedUpload.ts), an upload slot is free (per purchase,
 * per seller, in total: else 429) and the body arrives within the upload limits (size,
 * deadline, minimum rate) and is the one signed; it must be a well-formed package for this
 * purchase that opens the on-chain commitment (so the worker never holds a delivery whose
 * reveal the chain would refuse). Then the nonce is recorded, the file is kept and the key
 * reveal is left to the KeyRevealer: 201.
 *
 * GET /purchases/:purchaseId/delivery — the purchase's buyer fetches the encrypted file, signing
 * a `DeliveryTransfer` over the empty body with a fresh nonce; nobody else gets a byte (the key
 * becomes public on-chain when revealed, so the ciphertext must go to the buyer alone).
 */
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import type { FastifyInstance } from "fastify";
import { encodeAbiParameters, isAddressEqual, keccak256, type Address } from "viem";
import { recoverDeliverySigner } from "../../auth/uploadAuthorization.ts";
import type { OnChainPurchase } from "../../chain/marketClient.ts";
import { decodeDeliveryPackage, type OpenedDeliveryPackage, DeliveryFileError } from "@modelbazaar/sdk/delivery";
import { DELIVERY_HEADERS, bodySha256, type UploadAuthorization } from "@modelbazaar/sdk/worker";
import { HttpError } from "../httpError.ts";
import { parsePurchaseId, type RouteContext } from "../routeContext.ts";
import { ServedSellers } from "../servedSellers.ts";
import { uploadBody, withReceivedUpload, type UploadKind } from "../signedUpload.ts";
import { chainRead, parseAuthorization, recoverRequestSigner, requireServedHere } from "../signedRequest.ts";

/** SHA-256 of the empty body a buyer signs to fetch. */
const EMPTY_BODY_SHA256 = await bodySha256(new Uint8Array(0));

const DELIVERY_UPLOAD: UploadKind = { kind: "delivery", role: "seller", content: "the delivery package" };

export function deliveryRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const sellers = new ServedSellers(ctx.market, [...ctx.listings.values()].map((l) => l.listingId));

  app.put<{ Params: { purchaseId: string } }>("/purchases/:purchaseId/delivery", async (request, reply) => {
    const purchaseId = parsePurchaseId(request.params.purchaseId);
    const authorization = parseAuthorization(request.headers);
    const body = uploadBody(ctx, request, DELIVERY_UPLOAD);
    // The signature first: whoever sells no listing served here is refused without a chain read.
    const signer = await recoverDeliveryRequestSigner(ctx, purchaseId, authorization);
    if (ctx.nonces.isUsed(signer, authorization.nonce)) throw nonceReplayed(authorization);
    if (!(await chainRead(() => sellers.includes(signer)))) throw wrongSigner(purchaseId, "seller");
    const purchase = await committedPurchase(ctx, purchaseId);
    if (!isAddressEqual(signer, purchase.seller)) throw wrongSigner(purchaseId, "seller");
    const seller = purchase.seller;

    // The nonce is recorded only once the delivery is held: a refused hand-over leaves no row.
    const upload = { kind: DELIVERY_UPLOAD, subject: `purchase ${purchaseId}`, signer: seller, authorization };
    return withReceivedUpload(ctx, body, upload, async ({ path: incomingPath }) => {
      const opened = openPackage(await readFile(incomingPath), purchase);
      const path = await ctx.blobs.writeDelivery(purchaseId, opened.file);
      if (!ctx.nonces.consumeForPurchase(seller, authorization.nonce, purchaseId)) throw nonceReplayed(authorization);
      if (!ctx.deliveries.hold({ purchaseId, buyer: purchase.buyer, path, ciphertextRoot: opened.ciphertextRoot, key: opened.key })) {
        ctx.nonces.release(seller, authorization.nonce);
        throw new HttpError(409, "reveal_under_way", `this worker is already revealing the key of purchase ${purchaseId}`);
      }
      request.log.info({ purchaseId: purchaseId.toString(), bytes: opened.file.length }, "delivery held");
      return reply.code(201).send({ purchaseId: purchaseId.toString(), status: "held", deliveryUrl: `/purchases/${purchaseId}/delivery` });
    });
  });

  app.get<{ Params: { purchaseId: string } }>("/purchases/:purchaseId/delivery", async (request, reply) => {
    const purchaseId = parsePurchaseId(request.params.purchaseId);
    const authorization = parseAuthorization(request.headers);
    if (authorization.bodySha256 !== EMPTY_BODY_SHA256) {
      throw new HttpError(400, "body_mismatch", `a fetch signs the empty body (SHA-256 ${EMPTY_BODY_SHA256}), not ${authorization.bodySha256}`);
    }
    const held = ctx.deliveries.get(purchaseId);
    if (!held) throw new HttpError(404, "no_delivery", `this worker holds no delivery for purchase ${purchaseId}; the seller has not handed it over (yet)`);
    if (held.status === "closed") throw new HttpError(404, "no_delivery", `purchase ${purchaseId} has ended (completed or refunded), so this worker no longer serves its delivery`);
    // The buyer was read from the chain when the seller handed the delivery over, and a purchase's
    // buyer never changes: the request is authenticated against it with no chain read.
    await authenticateBuyer(ctx, held, authorization);
    const { size } = await stat(held.path);
    return reply
      .type("application/octet-stream")
      .header("content-length", size)
      .header(DELIVERY_HEADERS.ciphertextRoot, held.ciphertextRoot)
      .send(createReadStream(held.path));
  });
}

/** The purchase, on a listing served here, with a committed delivery whose key is not revealed yet. */
async function committedPurchase(ctx: RouteContext, purchaseId: bigint): Promise<OnChainPurchase> {
  const purchase = await chainRead(() => ctx.market.readPurchase(purchaseId));
  if (!purchase) throw new HttpError(404, "purchase_not_found", `purchase ${purchaseId} does not exist on the market ${ctx.market.market}`);
  await requireServedHere(ctx, purchase.listingId, `purchase ${purchaseId}`);
  if (purchase.status === "AwaitingDelivery") {
    throw new HttpError(409, "delivery_not_committed", `purchase ${purchaseId}'s delivery is not committed on-chain yet: commit it (commitDelivery), then hand it over`);
  }
  if (purchase.status !== "AwaitingAcceptance" && purchase.status !== "AwaitingKey") {
    throw new HttpError(409, "purchase_not_awaiting_key", `purchase ${purchaseId} no longer awaits its key (status ${purchase.status}): there is nothing left to deliver`);
  }
  return purchase;
}

/** Who signed this delivery transfer of `purchaseId` (no chain read). */
function recoverDeliveryRequestSigner(ctx: RouteContext, purchaseId: bigint, authorization: UploadAuthorization): Promise<Address> {
  const context = { chainId: ctx.market.chainId, market: ctx.market.market };
  return recoverRequestSigner(() => recoverDeliverySigner(context, purchaseId, authorization));
}

/** The buyer's fetch: the request's signer must be the purchase's buyer, with an unused nonce, recorded now. */
async function authenticateBuyer(ctx: RouteContext, purchase: { readonly purchaseId: bigint; readonly buyer: Address }, authorization: UploadAuthorization): Promise<void> {
  const signer = await recoverDeliveryRequestSigner(ctx, purchase.purchaseId, authorization);
  if (!isAddressEqual(signer, purchase.buyer)) throw wrongSigner(purchase.purchaseId, "buyer");
  if (!ctx.nonces.consumeForPurchase(signer, authorization.nonce, purchase.purchaseId)) throw nonceReplayed(authorization);
}

function wrongSigner(purchaseId: bigint, role: "seller" | "buyer"): HttpError {
  return new HttpError(
    401,
    "wrong_signer",
    `the signature is not by the ${role} of purchase ${purchaseId}: it was made for another purchase, another body, another chain or market, or by another account`,
  );
}

function nonceReplayed(authorization: UploadAuthorization): HttpError {
  return new HttpError(409, "nonce_replayed", `nonce ${authorization.nonce} was already used; sign the request again with a fresh nonce`);
}

/** The package, for this purchase, opening its on-chain commitment. */
function openPackage(bytes: Uint8Array, purchase: OnChainPurchase): OpenedDeliveryPackage {
  let opened: OpenedDeliveryPackage;
  try {
    opened = decodeDeliveryPackage(bytes);
  } catch (error) {
    if (error instanceof DeliveryFileError) throw new HttpError(400, "package_malformed", `the delivery package is malformed: ${error.message}`);
    throw error;
  }
  if (opened.delivery.purchaseId !== purchase.purchaseId) {
    throw new HttpError(422, "wrong_purchase", `the delivery file is for purchase ${opened.delivery.purchaseId}, not ${purchase.purchaseId}`);
  }
  const commitment = keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "bytes32" }], [opened.ciphertextRoot, opened.keyHash]));
  if (commitment !== purchase.deliveryCommitment.toLowerCase()) {
    throw new HttpError(409, "commitment_mismatch", `the package's ciphertext root and key do not open purchase ${purchase.purchaseId}'s on-chain delivery commitment`);
  }
  return opened;
}
