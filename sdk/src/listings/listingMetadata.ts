/**
 * A listing's metadata document: the JSON its offer's `metadataURI` names and `metadataHash`
 * (keccak256 of the document's bytes) pins, kept off-chain because the registry has no field
 * for it. It is the model card (models/<name>.json is one): a name to show, a description, and
 * the class names, index by index, that let a buyer write labels as names and read a confusion
 * matrix in them. Other fields are free. Published as docs/schemas/listing-metadata.schema.json.
 *
 * {parseListingMetadata} reads the fields clients use; {checkMetadataAgainstTask} refuses a
 * document that contradicts the listing's task (`bazaar list` runs it before any transaction);
 * {metadataHashProblem} tells a document that is not the one the listing pins.
 */
import { keccak256, zeroHash, type Hex } from "viem";

export interface ListingMetadata {
  /** The model's name, e.g. "iris-logreg". */
  readonly name?: string;
  readonly description?: string;
  /** One name per class, index by index (`task.classCount` of them). */
  readonly classNames?: readonly string[];
  /** When present, must equal the task's. */
  readonly featureCount?: number;
  /** When present, must equal the task's. */
  readonly classCount?: number;
}

export class ListingMetadataError extends Error {
  override readonly name = "ListingMetadataError";
}

/** The largest metadata document a client reads (1 MiB). */
export const MAX_METADATA_BYTES = 1 << 20;

/** The fields clients use of a metadata document's JSON, each checked, every failure a sentence naming `source` and the field. */
export function parseListingMetadata(json: unknown, source = "the metadata document"): ListingMetadata {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new ListingMetadataError(`${source} must be a JSON object`);
  const doc = json as Record<string, unknown>;
  const at = (field: string) => `${source}: "${field}"`;
  const text = (field: string): string | undefined => {
    const value = doc[field];
    if (value === undefined) return undefined;
    if (typeof value !== "string" || value.trim() === "") throw new ListingMetadataError(`${at(field)} must be a non-empty string`);
    return value;
  };
  const count = (field: string, min: number): number | undefined => {
    const value = doc[field];
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min) throw new ListingMetadataError(`${at(field)} must be an integer of at least ${min}, not ${JSON.stringify(value)}`);
    return value;
  };
  return { name: text("name"), description: text("description"), classNames: classNamesAt(doc.classNames, at("classNames")), featureCount: count("featureCount", 1), classCount: count("classCount", 2) };
}

function classNamesAt(value: unknown, where: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length < 2) throw new ListingMetadataError(`${where} must be an array of at least two class names, index by index`);
  const seen = new Map<string, number>();
  return value.map((name, i) => {
    if (typeof name !== "string" || name.trim() === "") throw new ListingMetadataError(`${where}[${i}] must be a non-empty string, not ${JSON.stringify(name)}`);
    const key = name.trim().toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) throw new ListingMetadataError(`${where}[${i}] ("${name}") repeats class ${first}'s name (names are matched without regard to case)`);
    seen.set(key, i);
    return name.trim();
  });
}

/** Refuses a document whose class names, feature count or class count contradict the listing's task. */
export function checkMetadataAgainstTask(metadata: ListingMetadata, task: { featureCount: number; classCount: number }, source = "the metadata document"): void {
  if (metadata.classNames && metadata.classNames.length !== task.classCount) {
    throw new ListingMetadataError(`${source} names ${metadata.classNames.length} classes (${metadata.classNames.join(", ")}), but the task has ${task.classCount}`);
  }
  if (metadata.classCount !== undefined && metadata.classCount !== task.classCount) {
    throw new ListingMetadataError(`${source} says "classCount": ${metadata.classCount}, but the task has ${task.classCount} classes`);
  }
  if (metadata.featureCount !== undefined && metadata.featureCount !== task.featureCount) {
    throw new ListingMetadataError(`${source} says "featureCount": ${metadata.featureCount}, but the task has ${task.featureCount} features`);
  }
}

/** Why `bytes` are not the document a listing pins with `metadataHash` (undefined when they are, or when it pins none). */
export function metadataHashProblem(bytes: Uint8Array, metadataHash: Hex): string | undefined {
  if (metadataHash === zeroHash) return undefined;
  const actual = keccak256(bytes);
  return actual === metadataHash.toLowerCase() ? undefined : `its keccak256 is ${actual}, but the listing's metadata hash is ${metadataHash}: it is not the document the seller listed`;
}

/**
 * Where a metadata URI is fetched over HTTP: http(s) URLs as they are, `ipfs://<cid>/<path>`
 * through `ipfsGateway` (e.g. https://ipfs.io); undefined for anything else (a local path, a
 * `file:` URL, or ipfs:// without a gateway).
 */
export function metadataHttpUrl(uri: string, { ipfsGateway }: { ipfsGateway?: string } = {}): URL | undefined {
  if (/^https?:\/\//i.test(uri) && URL.canParse(uri)) return new URL(uri);
  const ipfs = /^ipfs:\/\/(.+)$/i.exec(uri);
  if (ipfs && ipfsGateway) return new URL(`ipfs/${ipfs[1]}`, ipfsGateway.endsWith("/") ? ipfsGateway : `${ipfsGateway}/`);
  return undefined;
}

/** The name clients show for a listing: its document's `name`, else the URI's last segment without `.json` (as the dApp does). */
export function listingDisplayName(metadataURI: string, metadata?: ListingMetadata): string {
  return metadata?.name ?? (metadataURI.split(/[/\\]/).filter(Boolean).pop()?.replace(/\.json$/i, "") || metadataURI);
}
