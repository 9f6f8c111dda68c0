/**
 * Where the browser reads a listing's model card: http(s) URLs as they are, `ipfs://` through
 * a public gateway, and a relative path (the demo listings' `models/<name>.json`) from the site
 * serving the dApp. Whatever comes back is trusted only if it hashes to the listing's
 * metadata hash (the SDK's listingCard judges it).
 */
import { listingCard, fetchMetadataDocument, type DocumentRead, type ListingCard, metadataHttpUrl } from "@modelbazaar/sdk/listings";
import type { Hex } from "viem";

const IPFS_GATEWAY = "https://ipfs.io";

export function cardUrl(uri: string): URL | undefined {
  const remote = metadataHttpUrl(uri, { ipfsGateway: IPFS_GATEWAY });
  if (remote) return remote;
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.split(/[/\\]/).includes("..")) return undefined;
  return new URL(uri.replace(/^\/+/, ""), `${window.location.origin}/`);
}

/** The bytes of the document `uri` names, or why a browser cannot read them. */
export async function readCardDocument(uri: string): Promise<DocumentRead> {
  const url = cardUrl(uri);
  return url ? fetchMetadataDocument(url) : { problem: `${uri} is not a location a browser reads (an http(s) URL, ipfs:// or a path on this site)` };
}

export async function readListingCardInBrowser(offer: { readonly metadataURI: string; readonly metadataHash: Hex }): Promise<ListingCard> {
  return listingCard(offer, await readCardDocument(offer.metadataURI));
}
