/**
 * A seller's terms completed by the model card they name, before listing (`bazaar list` and
 * the dApp's create form judge alike; each reads the card its own way): the metadata hash
 * becomes the card's keccak256 when the terms give none, and the card is checked against the
 * task (class names, one per class). A card that cannot be read is refused unless the terms pin
 * it with `metadata.hash` (then a warning); a card that is not the one the hash pins, or not a
 * valid card, is refused. Every refusal is a ListingMetadataError naming the terms and the fix.
 */
import { keccak256, zeroHash } from "viem";
import { metadataOf, type DocumentRead } from "./listingCard.ts";
import { checkMetadataAgainstTask, ListingMetadataError, type ListingMetadata } from "./listingMetadata.ts";
import type { ListingSpec } from "./listingSpec.ts";

export interface TermsWithMetadata {
  /** The terms with the card's hash. */
  readonly spec: ListingSpec;
  /** The card, when it was read. */
  readonly metadata?: ListingMetadata;
  /** Why the card was not checked (it could not be read, and the terms pin its hash). */
  readonly warning?: string;
}

/** `spec` (from the terms file `termsSource`) with what was read at its metadata URI (`read`). */
export function termsWithMetadata(spec: ListingSpec, read: DocumentRead, termsSource: string): TermsWithMetadata {
  const uri = spec.metadataURI;
  if (read.problem !== undefined) {
    if (spec.metadataHash === zeroHash) {
      throw new ListingMetadataError(
        `${termsSource}: the model card "metadata.uri" names cannot be read (${read.problem}); fix the URI, or give the document's keccak256 as "metadata.hash" if it is published where this machine cannot read it`,
      );
    }
    return { spec, warning: `the model card ${uri} cannot be read from here (${read.problem}); listing with the "metadata.hash" of the terms, unchecked` };
  }
  const hash = keccak256(read.bytes);
  if (spec.metadataHash !== zeroHash && spec.metadataHash.toLowerCase() !== hash) {
    throw new ListingMetadataError(
      `${termsSource}: "metadata.hash" is ${spec.metadataHash}, but the model card at ${read.location} hashes to ${hash}: buyers would distrust it; fix the hash or leave it out to use the card as it is`,
    );
  }
  const metadata = metadataOf(read.bytes, read.location);
  checkMetadataAgainstTask(metadata, spec.task, `the model card ${read.location}`);
  return { spec: { ...spec, metadataHash: hash }, metadata };
}
