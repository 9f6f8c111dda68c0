/**
 * What a buyer's client shows of a listing's metadata document (its model card): the bytes
 * read from where the offer's `metadataURI` points, trusted only when they are the document
 * `metadataHash` pins and valid (listingMetadata.ts); otherwise the name from the URI and one
 * clause saying why there is no card. Reading the bytes is the client's job (the CLI reads
 * paths and URLs, the dApp fetches); judging them is this file's, so both judge alike.
 */
import type { Hex } from "viem";
import { listingDisplayName, ListingMetadataError, MAX_METADATA_BYTES, metadataHashProblem, parseListingMetadata, type ListingMetadata } from "./listingMetadata.ts";

/** What a client read at a metadata URI: the bytes and where they came from, or why none. */
export type DocumentRead = { readonly bytes: Uint8Array; readonly location: string; readonly problem?: undefined } | { readonly problem: string; readonly bytes?: undefined };

/** What a buyer's client shows of a listing's metadata document. */
export interface ListingCard {
  /** The document's name, or the URI's last segment. */
  readonly name: string;
  /** The document, when it was read, is the one the listing pins and is valid. */
  readonly metadata?: ListingMetadata;
  /** Why there is no document (a clause: "its model card cannot be read: ..."). */
  readonly problem?: string;
}

/** The JSON of a document's bytes, checked as a metadata document; a ListingMetadataError when it is not one. */
export function metadataOf(bytes: Uint8Array, source: string): ListingMetadata {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new ListingMetadataError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  return parseListingMetadata(json, source);
}

/** The card of an offer from what was read at its URI, verified against its metadata hash. */
export function listingCard(offer: { readonly metadataURI: string; readonly metadataHash: Hex }, read: DocumentRead): ListingCard {
  const uri = offer.metadataURI;
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

/** Fetches a metadata document over HTTP (5 s, at most MAX_METADATA_BYTES), or says why not: Node and browsers alike. */
export async function fetchMetadataDocument(url: URL, { timeoutMs = 5_000 }: { timeoutMs?: number } = {}): Promise<DocumentRead> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
    if (!response.ok) return { problem: `${url.href} answered HTTP ${response.status}` };
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > MAX_METADATA_BYTES) return { problem: `${url.href} sent more than ${MAX_METADATA_BYTES} bytes` };
    return { bytes, location: url.href };
  } catch (error) {
    const cause = error instanceof Error && error.name === "TimeoutError" ? `no answer in ${timeoutMs / 1000} s` : ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
    return { problem: `${url.href} does not answer (${cause})` };
  }
}
