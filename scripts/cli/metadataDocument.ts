/**
 * Reads a listing's metadata document (its model card: sdk/src/listings/listingMetadata.ts)
 * from where its URI points, for `bazaar list` (the seller's document, checked before listing)
 * and the buyer's commands (`test-drive`, `listings`: the model's name and class names).
 *
 * A URI may be an http(s) URL (fetched, 5 s, at most 1 MiB), an `ipfs://` URI (through the
 * gateway MODELBAZAAR_IPFS_GATEWAY names, e.g. https://ipfs.io), a `file:` URL or a path: an
 * absolute one, or a relative one looked up in the current directory and then in the
 * ModelBazaar checkout (where the demo listings' model cards, `models/<name>.json`, live). A
 * path only reaches buyers on the same machine: real listings use https or ipfs.
 *
 * A document that cannot be read, is not the one the listing's metadata hash pins, or is not
 * a valid document is never used: the buyer's commands say why and go on without it.
 */
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Hex } from "viem";
import {
  fetchMetadataDocument,
  listingCard,
  type DocumentRead,
  type ListingCard,
  MAX_METADATA_BYTES,
  metadataHttpUrl,
} from "@modelbazaar/sdk/listings";

export { type DocumentRead, type ListingCard };

/** The ModelBazaar checkout this CLI runs from. */
const CHECKOUT = fileURLToPath(new URL("../../", import.meta.url));

/** The bytes of the document `uri` names, or why they cannot be read. */
export async function readMetadataDocument(uri: string): Promise<DocumentRead> {
  const url = metadataHttpUrl(uri, { ipfsGateway: process.env.MODELBAZAAR_IPFS_GATEWAY || undefined });
  if (url) return fetchMetadataDocument(url);
  if (/^ipfs:\/\//i.test(uri)) return { problem: `set MODELBAZAAR_IPFS_GATEWAY (e.g. https://ipfs.io) to read ${uri}` };
  let path: string;
  if (/^file:/i.test(uri)) {
    try {
      path = fileURLToPath(uri);
    } catch {
      return { problem: `${uri} is not a valid file: URL` };
    }
  } else if (/^[a-z][a-z0-9+.-]+:/i.test(uri)) {
    return { problem: `${uri} is not a location this CLI reads (an http(s) URL, ipfs:// with MODELBAZAAR_IPFS_GATEWAY, a file: URL or a path)` };
  } else {
    const dirs = [...new Set([process.cwd(), resolve(CHECKOUT)])];
    const candidates = isAbsolute(uri) ? [uri] : dirs.map((dir) => resolve(dir, uri));
    const found = candidates.find((p) => existsSync(p));
    if (!found) return { problem: isAbsolute(uri) ? `no file ${uri} exists` : `no file ${uri} in ${dirs.join(" nor in ")}` };
    path = found;
  }
  try {
    const bytes = readFileSync(path);
    if (bytes.length > MAX_METADATA_BYTES) return { problem: `${path} is larger than ${MAX_METADATA_BYTES} bytes` };
    return { bytes, location: path };
  } catch (error) {
    return { problem: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
}

/** The metadata document of a listing's offer, verified against its metadata hash (sdk/src/listings/listingCard.ts judges it). */
export async function readListingCard(offer: { readonly metadataURI: string; readonly metadataHash: Hex }): Promise<ListingCard> {
  return listingCard(offer, await readMetadataDocument(offer.metadataURI));
}
