/**
 * What every signed route shares: reading the authentication headers as a 400 when they are
 * malformed, the check that a listing is served here and names this worker's signer, and chain
 * reads that answer 503 (not 500) when the RPC is down, since a signed
 * request is always authorized against the chain as it is now.
 */
import { MalformedAuthorizationError, parseUploadAuthorization } from "../auth/uploadAuthorization.ts";
import type { UploadAuthorization } from "@modelbazaar/sdk/worker";
import { isAddressEqual } from "viem";
import { messageOf } from "../messageOf.ts";
import { HttpError } from "./httpError.ts";
import type { RouteContext, ServedListing } from "./routeContext.ts";

/** The nonce, body digest and signature headers; 400 `malformed_signature` when they are not well-formed. */
export function parseAuthorization(headers: Parameters<typeof parseUploadAuthorization>[0]): UploadAuthorization {
  try {
    return parseUploadAuthorization(headers);
  } catch (error) {
    if (error instanceof MalformedAuthorizationError) throw new HttpError(400, "malformed_signature", error.message);
    throw error;
  }
}

/** Recovers a request's signer; a signature that recovers to no key is a 400 `malformed_signature`. */
export async function recoverRequestSigner<T>(recover: () => Promise<T>): Promise<T> {
  try {
    return await recover();
  } catch (error) {
    if (error instanceof MalformedAuthorizationError) throw new HttpError(400, "malformed_signature", error.message);
    throw error;
  }
}

/** A read the route cannot do without: when the chain is unreachable, say so (503), not 500. */
export async function chainRead<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new HttpError(503, "chain_unavailable", `the worker cannot read the chain right now (${messageOf(error).split("\n")[0]}); try again later`);
  }
}

/** The served listing `listingId` of `subject` (e.g. "test 4"); 403 `listing_not_served` unless this worker serves it and the chain names its signer. */
export async function requireServedHere(ctx: RouteContext, listingId: bigint, subject: string): Promise<ServedListing> {
  const listing = ctx.listings.get(listingId.toString());
  if (!listing) throw new HttpError(403, "listing_not_served", `${subject} is of listing ${listingId}, which this worker does not serve`);
  const workerSigner = await chainRead(() => ctx.market.workerSignerOf(listingId));
  if (!isAddressEqual(workerSigner, ctx.market.signer.address)) {
    throw new HttpError(403, "listing_not_served", `listing ${listingId} names worker signer ${workerSigner}, not this worker (${ctx.market.signer.address})`);
  }
  return listing;
}
