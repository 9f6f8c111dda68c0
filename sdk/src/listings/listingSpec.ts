/**
 * What a seller decides when listing a model, and the registry's `list(terms, offer)`
 * arguments built from it and the model file: the one builder behind `bazaar list` and the
 * demo listings of `npm start`. {parseListingSpec} reads a terms file (JSON, amounts in ETH as
 * decimal strings) and checks it against the registry's rules (docs/PROTOCOL.md §2), each
 * failure a sentence naming the field, so a seller learns what is wrong before paying gas.
 */
import { isAddress, isHex, parseEther, zeroHash, type Address, type Hex } from "viem";
import { modelRootOf } from "../delivery/modelRoot.ts";
import { ECONOMICS_ONLY_DISPUTE_POLICY, type DisputePolicy } from "./disputePolicy.ts";

/** The registry's `TaskSpec`. */
export interface TaskSpec {
  featureCount: number;
  classCount: number;
  scaleBits: number;
  featureBits: number;
}

/** The registry's `TestPolicy` (amounts in wei, windows in seconds). */
export interface TestPolicy {
  deposit: bigint;
  feePerExtraSample: bigint;
  freeSamples: number;
  minSamples: number;
  maxSamples: number;
  serviceWindow: number;
  disputeWindow: number;
}

/** Everything a seller chooses about a listing, apart from the model file. */
export interface ListingSpec {
  task: TaskSpec;
  claimedAccuracyBps: number;
  testPolicy: TestPolicy;
  /** `price` is in wei and ignored for auctions. */
  sale: { mode: "fixed"; price: bigint } | { mode: "auction" };
  workerEndpoint: string;
  workerSigner: Address;
  metadataURI: string;
  metadataHash: Hex;
  watermarkCommitment: Hex;
  /** How a v2 refund is graded, bonded and contested; without one, {ECONOMICS_ONLY_DISPUTE_POLICY}. */
  disputePolicy?: DisputePolicy;
}

/** Sale modes as the registry numbers them. */
export const SALE_MODES = { fixed: 0, auction: 1 } as const;

/** The registry's bounds (ModelRegistry.MAX_SAMPLES, MAX_WINDOW). */
const MAX_SAMPLES = 65_535;
const MAX_WINDOW = 30 * 86_400;

export class ListingSpecError extends Error {
  override readonly name = "ListingSpecError";
}

/** The `list(terms, offer)` arguments for `modelFile` under `spec`. */
export function listingArguments(modelFile: Uint8Array, spec: ListingSpec) {
  if (modelFile.length === 0) throw new ListingSpecError("the model file is empty");
  const model = modelRootOf(modelFile);
  const terms = {
    modelRoot: model.root,
    modelSize: model.size,
    task: spec.task,
    claimedAccuracyBps: spec.claimedAccuracyBps,
    testPolicy: spec.testPolicy,
    watermarkCommitment: spec.watermarkCommitment,
    disputePolicy: spec.disputePolicy ?? ECONOMICS_ONLY_DISPUTE_POLICY,
  };
  const offer = {
    metadataURI: spec.metadataURI,
    metadataHash: spec.metadataHash,
    saleMode: SALE_MODES[spec.sale.mode],
    price: spec.sale.mode === "fixed" ? spec.sale.price : 0n,
    workerEndpoint: spec.workerEndpoint,
    workerSigner: spec.workerSigner,
  };
  return [terms, offer] as const;
}

/** The fields of a terms file, object by object (docs/schemas/listing-terms.schema.json publishes them). */
export const TERMS_FIELDS = {
  "": ["$schema", "task", "claimedAccuracyBps", "testPolicy", "sale", "worker", "metadata", "watermarkCommitment"],
  task: ["featureCount", "classCount", "scaleBits", "featureBits"],
  testPolicy: ["deposit", "feePerExtraSample", "freeSamples", "minSamples", "maxSamples", "serviceWindow", "disputeWindow"],
  sale: ["mode", "price"],
  worker: ["endpoint", "signer"],
  metadata: ["uri", "hash"],
} as const;

/**
 * Reads a terms file's JSON (docs/schemas/listing-terms.schema.json, docs/examples/listing-terms.json):
 * `{ task: {featureCount, classCount, scaleBits, featureBits}, claimedAccuracyBps,
 *    testPolicy: {deposit: "1", feePerExtraSample: "0.0001", freeSamples, minSamples, maxSamples, serviceWindow, disputeWindow},
 *    sale: {mode: "fixed", price: "5"} | {mode: "auction"},
 *    worker: {endpoint, signer}, metadata: {uri, hash?}, watermarkCommitment?, $schema? }`.
 * A field it does not know is refused (with the nearest known name), so a misspelt optional
 * field is never silently left out.
 */
export function parseListingSpec(json: unknown, source = "the terms file"): ListingSpec {
  const root = objectAt(json, source, "");
  const task = objectAt(root.task, `${source}: "task"`, "task");
  const policy = objectAt(root.testPolicy, `${source}: "testPolicy"`, "testPolicy");
  const sale = objectAt(root.sale, `${source}: "sale"`, "sale");
  const worker = objectAt(root.worker, `${source}: "worker"`, "worker");
  const metadata = objectAt(root.metadata, `${source}: "metadata"`, "metadata");
  const at = (path: string) => `${source}: "${path}"`;

  const spec: ListingSpec = {
    task: {
      featureCount: integerAt(task.featureCount, at("task.featureCount"), 1, 2 ** 32 - 1),
      classCount: integerAt(task.classCount, at("task.classCount"), 2, 65_535),
      scaleBits: integerAt(task.scaleBits, at("task.scaleBits"), 0, 32),
      featureBits: integerAt(task.featureBits, at("task.featureBits"), 1, 32),
    },
    claimedAccuracyBps: integerAt(root.claimedAccuracyBps, at("claimedAccuracyBps"), 1, 10_000),
    testPolicy: {
      deposit: etherAt(policy.deposit, at("testPolicy.deposit")),
      feePerExtraSample: etherAt(policy.feePerExtraSample, at("testPolicy.feePerExtraSample")),
      freeSamples: integerAt(policy.freeSamples, at("testPolicy.freeSamples"), 0, 2 ** 32 - 1),
      minSamples: integerAt(policy.minSamples, at("testPolicy.minSamples"), 1, MAX_SAMPLES),
      maxSamples: integerAt(policy.maxSamples, at("testPolicy.maxSamples"), 1, MAX_SAMPLES),
      serviceWindow: integerAt(policy.serviceWindow, at("testPolicy.serviceWindow"), 1, MAX_WINDOW),
      disputeWindow: integerAt(policy.disputeWindow, at("testPolicy.disputeWindow"), 1, MAX_WINDOW),
    },
    sale: saleAt(sale, at("sale")),
    workerEndpoint: urlAt(worker.endpoint, at("worker.endpoint")),
    workerSigner: addressAt(worker.signer, at("worker.signer")),
    metadataURI: stringAt(metadata.uri, at("metadata.uri")),
    metadataHash: metadata.hash === undefined ? zeroHash : bytes32At(metadata.hash, at("metadata.hash")),
    watermarkCommitment: root.watermarkCommitment === undefined ? zeroHash : bytes32At(root.watermarkCommitment, at("watermarkCommitment")),
  };
  checkConsistency(spec, source);
  return spec;
}

/** The rules that relate two fields (the registry checks the same). */
function checkConsistency({ task, testPolicy: p }: ListingSpec, source: string): void {
  if (task.scaleBits > task.featureBits) throw new ListingSpecError(`${source}: task.scaleBits (${task.scaleBits}) cannot exceed task.featureBits (${task.featureBits})`);
  if (p.minSamples > p.maxSamples) throw new ListingSpecError(`${source}: testPolicy.minSamples (${p.minSamples}) exceeds testPolicy.maxSamples (${p.maxSamples})`);
  if (p.deposit === 0n) throw new ListingSpecError(`${source}: testPolicy.deposit must be positive (it is what a dispute refunds)`);
  const extra = BigInt(Math.max(0, p.maxSamples - p.freeSamples));
  if (extra * p.feePerExtraSample >= 2n ** 96n) throw new ListingSpecError(`${source}: the largest test-drive's fees exceed what the registry can hold; lower testPolicy.feePerExtraSample`);
}

function saleAt(sale: Record<string, unknown>, where: string): ListingSpec["sale"] {
  if (sale.mode === "auction") {
    if (sale.price !== undefined) throw new ListingSpecError(`${where}.price is for fixed-price listings: an auction's price comes from its bids (its reserve is set by \`bazaar auction create --reserve\`); remove it`);
    return { mode: "auction" };
  }
  if (sale.mode !== "fixed") throw new ListingSpecError(`${where}.mode must be "fixed" or "auction"`);
  const price = etherAt(sale.price, `${where}.price`);
  if (price === 0n) throw new ListingSpecError(`${where}.price must be positive for a fixed-price listing`);
  return { mode: "fixed", price };
}

function objectAt(value: unknown, where: string, fields: keyof typeof TERMS_FIELDS): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ListingSpecError(`${where} must be a JSON object`);
  const known: readonly string[] = TERMS_FIELDS[fields];
  const unknown = Object.keys(value).find((key) => !known.includes(key));
  if (unknown !== undefined) {
    const near = nearest(unknown, known);
    throw new ListingSpecError(`${where} has an unknown field "${unknown}"${near ? ` (did you mean "${near}"?)` : ""}; its fields are ${known.join(", ")}`);
  }
  return value as Record<string, unknown>;
}

/** The known name within a few edits of `name` (case-insensitive Levenshtein distance), if any. */
function nearest(name: string, known: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let diagonal = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const above = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length]!;
  };
  let best: { key: string; d: number } | undefined;
  for (const key of known) {
    const d = distance(name.toLowerCase(), key.toLowerCase());
    if (d <= Math.max(2, Math.floor(key.length / 4)) && (!best || d < best.d)) best = { key, d };
  }
  return best?.key;
}

function integerAt(value: unknown, where: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ListingSpecError(`${where} must be an integer from ${min} to ${max}, not ${JSON.stringify(value)}`);
  }
  return value;
}

function etherAt(value: unknown, where: string): bigint {
  if (typeof value !== "string" || !/^\d+(\.\d{1,18})?$/.test(value)) {
    throw new ListingSpecError(`${where} must be an amount of ETH as a decimal string such as "0.5", not ${JSON.stringify(value)}`);
  }
  const wei = parseEther(value);
  if (wei >= 2n ** 96n) throw new ListingSpecError(`${where} is too large (at most 2^96 - 1 wei)`);
  return wei;
}

function stringAt(value: unknown, where: string): string {
  if (typeof value !== "string" || value.trim() === "") throw new ListingSpecError(`${where} must be a non-empty string`);
  return value;
}

function urlAt(value: unknown, where: string): string {
  const text = stringAt(value, where);
  if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol)) throw new ListingSpecError(`${where} must be an http(s) URL, not "${text}"`);
  return text;
}

function addressAt(value: unknown, where: string): Address {
  if (typeof value !== "string" || !isAddress(value) || /^0x0{40}$/.test(value)) throw new ListingSpecError(`${where} must be a non-zero 0x-prefixed address`);
  return value;
}

function bytes32At(value: unknown, where: string): Hex {
  if (typeof value !== "string" || !isHex(value) || value.length !== 66) throw new ListingSpecError(`${where} must be 32 bytes of 0x-prefixed hex`);
  return value;
}
