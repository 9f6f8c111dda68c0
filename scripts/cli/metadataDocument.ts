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
  listingDisplayName,
  ListingMetadataError,
  MAX_METADATA_BYTES,
  metadataHashProblem,
  metadataHttpUrl,
  parseListingMetadata,
  type ListingMetadata,
} from "../../sdk/src/listings/listingMetadata.ts";

/** The ModelBazaar checkout this CLI runs from. */
const CHECKOUT = fileURLToPath(new URL("../../", import.meta.url));
const FETCH_TIMEOUT_MS = 5_000;

export type DocumentRead = { readonly bytes: Uint8Array; readonly location: string; readonly problem?: undefined } | { readonly problem: string; readonly bytes?: undefined };

/** The bytes of the document `uri` names, or why they cannot be read. */
export async function readMetadataDocument(uri: string): Promise<DocumentRead> {
  const url = metadataHttpUrl(uri, { ipfsGateway: process.env.MODELBAZAAR_IPFS_GATEWAY || undefined });
  if (url) return fetchDocument(url);
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

async function fetchDocument(url: URL): Promise<DocumentRead> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: "follow" });
    if (!response.ok) return { problem: `${url.href} answered HTTP ${response.status}` };
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > MAX_METADATA_BYTES) return { problem: `${url.href} sent more than ${MAX_METADATA_BYTES} bytes` };
    return { bytes, location: url.href };
  } catch (error) {
    const cause = error instanceof Error && error.name === "TimeoutError" ? `no answer in ${FETCH_TIMEOUT_MS / 1000} s` : ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
    return { problem: `${url.href} does not answer (${cause})` };
  }
}

/** The JSON of a document's bytes, checked as a metadata document; a ListingMetadataError when it is not one. */
export function metadataOf(bytes: Uint8Array, source: string): ListingMetadata {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (error) {
    throw new ListingMetadataError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  return parseListingMetadata(json, source);
}

/** What a buyer's command shows of a listing's metadata document. */
export interface ListingCard {
  /** The document's name, or the URI's last segment. */
  readonly name: string;
  /** The document, when it was read, is the one the listing pins and is valid. */
  readonly metadata?: ListingMetadata;
  /** Why there is no document (a clause: "no file models/x.json in ..."). */
  readonly problem?: string;
}

/** The metadata document of a listing's offer, verified against its metadata hash. */
export async function readListingCard(offer: { readonly metadataURI: string; readonly metadataHash: Hex }): Promise<ListingCard> {
  const uri = offer.metadataURI;
  const read = await readMetadataDocument(uri);
  if (read.problem !== undefined) return { name: listingDisplayName(uri), problem: `its model card cannot be read: ${read.problem}` };
  const mismatch = metadataHashProblem(read.bytes, offer.metadataHash);
  if (mismatch) return { name: listingDisplayName(uri), problem: `its model card at ${read.location} is not trusted: ${mismatch}` };
  try {
    const metadata = metadataOf(read.bytes, read.location);
    return { name: listingDisplayName(uri, metadata), metadata };
  } catch (error) {
    if (error instanceof ListingMetadataError) return { name: listingDisplayName(uri), problem: `its model card is not valid: ${error.message}` };
    throw error;
  }
}
