/**
 * The ids clients give themselves at the aggregator: 8 to 64 characters of [A-Za-z0-9_-], chosen
 * at random by the client (not authenticated), so one device cannot be linked across rounds by it.
 */

import { bytesToHex, randomBytes } from "@noble/hashes/utils.js";

/** What a client id looks like. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** The sentence a refusal of a malformed client id gives. */
export const CLIENT_ID_RULE = "clientId must be 8 to 64 characters of A-Z, a-z, 0-9, _ or -";

/** A fresh random client id: 32 hex characters (128 bits) from the platform's CSPRNG. */
export function randomClientId(): string {
  return bytesToHex(randomBytes(16));
}
