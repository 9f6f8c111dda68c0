/**
 * The record a buyer keeps of its test-drive, the same for `bazaar test-drive` (a file under
 * MODELBAZAAR_HOME) and the dApp (the browser's storage, and the file its export saves): the
 * secrets a refund dispute needs (quantized features, labels, salt, later the predictions), the
 * CKKS secret key until the result is decrypted, and how far the flow got. Without it no refund
 * can be proven, so it is written before `openTest` is sent and read back through
 * `parseKeptTestDrive`, which refuses a damaged or foreign record with a sentence.
 *
 * Records written before this shape was shared still load: the CLI's lack `chainId` and
 * `market` (its files are kept per deployment), the dApp's lack `workerEndpoint`, `encoding` and
 * `featuresRoot` (it reads them from the listing).
 */
import type { Address, Hex } from "viem";
import { keptFields, parseKeptJson } from "../client/keptRecordFields.ts";
import type { FeatureEncoding } from "./quantizeFeatures.ts";

/** How far the buyer's side of a test-drive got (each stage implies the ones before). */
export const TEST_DRIVE_STAGES = [
  "committed", // secrets saved; openTest not (yet) confirmed
  "opened", // openTest mined; nothing uploaded yet
  "uploaded", // the worker accepted the encrypted test set
  "evaluated", // the result was fetched and decrypted; predictions kept
  "receipted", // the on-chain receipt equals keccak256(result)
  "claimed", // a v2 refund is claimed (bond and free samples' fee staked)
  "samples-opened", // the seller contested and the drawn samples were opened
  "refunded", // the dispute closed in the buyer's favour: the graded refund and the bonds are owed to it
  "rejected", // the seller won the dispute: the deposit went to the seller, the bond was burned
] as const;

export type TestDriveStage = (typeof TEST_DRIVE_STAGES)[number];

export interface KeptTestDrive {
  /** The deployment (the dApp keys its storage by it; the CLI keeps one directory per deployment instead). */
  readonly chainId?: number;
  readonly market?: Address;
  /** Decimal. */
  readonly listingId: string;
  readonly buyer: Address;
  readonly sampleCount: number;
  readonly classCount: number;
  readonly claimedAccuracyBps: number;
  /** The model's name, from the listing's model card (or its URI). */
  readonly modelName?: string;
  /** The class names of the listing's model card, index by index, when it has them. */
  readonly classNames?: readonly string[];
  /** The seller's worker the test set was (or is to be) uploaded to. */
  readonly workerEndpoint?: string;
  /** The listing's fixed-point encoding the features were quantized with. */
  readonly encoding?: FeatureEncoding;
  /** 0x-hex, 32 bytes: what openTest posted. */
  readonly dataCommitment: Hex;
  /** D, the features root the v2 data commitment binds (decimal). */
  readonly featuresRoot?: string;
  /** Decimal. */
  readonly salt: string;
  readonly labels: readonly number[];
  readonly quantized: readonly (readonly number[])[];
  readonly createdAt: string;
  readonly stage: TestDriveStage;
  /** Decimal; set once openTest is mined. */
  readonly testId?: string;
  readonly openTx?: Hex;
  /** The CKKS secret key (base64), kept until the result is decrypted. */
  readonly heSecretKey?: string;
  readonly jobId?: string;
  readonly resultHash?: Hex;
  /** The worker's signed receipt, which the buyer submits when the worker did not record it. */
  readonly receiptSignature?: Hex;
  /**
   * The worker's CopyReceipt for this test, when it evaluated it with the buyer's own
   * fingerprinted copy (docs/PROTOCOL.md §7.2), kept once its signature checked out against the
   * listing's worker signer: what lets the buyer accept a purchase delivering that copy
   * (findCopyReceipt). Its test id is the record's `testId`.
   */
  readonly copyReceipt?: KeptCopyReceipt;
  readonly predictions?: readonly number[];
  readonly accuracyBps?: number;
  readonly refundTx?: Hex;
  /** When the buyer last exported this record (the dApp's export). */
  readonly exportedAt?: string;
}

/** A CopyReceipt as a kept record holds it (its test id is the record's). */
export interface KeptCopyReceipt {
  readonly copyRoot: Hex;
  /** Decimal bytes. */
  readonly copySize: string;
  readonly signature: Hex;
}

/** A kept test-drive checked field by field (a JSON value read back); throws a KeptRecordError naming `source` otherwise. */
export function parseKeptTestDrive(value: unknown, source = "the kept test-drive"): KeptTestDrive {
  const f = keptFields(value, source);
  const encoding = f.optional("encoding", (key) => {
    const inner = keptFields(f.object(key), `the "${key}" of ${source}`);
    return { featureCount: inner.count("featureCount"), featureBits: inner.count("featureBits"), scaleBits: inner.count("scaleBits") };
  });
  return {
    chainId: f.optional("chainId", f.count),
    market: f.optional("market", f.address),
    listingId: f.decimal("listingId"),
    buyer: f.address("buyer"),
    sampleCount: f.count("sampleCount"),
    classCount: f.count("classCount"),
    claimedAccuracyBps: f.count("claimedAccuracyBps"),
    modelName: f.optional("modelName", f.string),
    classNames: f.optional("classNames", f.strings),
    workerEndpoint: f.optional("workerEndpoint", f.string),
    encoding,
    dataCommitment: f.hex("dataCommitment", 32),
    featuresRoot: f.optional("featuresRoot", f.decimal),
    salt: f.decimal("salt"),
    labels: f.counts("labels"),
    quantized: f.rows("quantized"),
    createdAt: f.string("createdAt"),
    stage: f.oneOf("stage", TEST_DRIVE_STAGES),
    testId: f.optional("testId", f.decimal),
    openTx: f.optional("openTx", (key) => f.hex(key, 32)),
    heSecretKey: f.optional("heSecretKey", f.string),
    jobId: f.optional("jobId", f.string),
    resultHash: f.optional("resultHash", (key) => f.hex(key, 32)),
    receiptSignature: f.optional("receiptSignature", (key) => f.hex(key)),
    copyReceipt: f.optional("copyReceipt", (key) => {
      const inner = keptFields(f.object(key), `the "${key}" of ${source}`);
      return { copyRoot: inner.hex("copyRoot", 32), copySize: inner.decimal("copySize"), signature: inner.hex("signature") };
    }),
    predictions: f.optional("predictions", f.counts),
    accuracyBps: f.optional("accuracyBps", f.count),
    refundTx: f.optional("refundTx", (key) => f.hex(key, 32)),
    exportedAt: f.optional("exportedAt", f.string),
  };
}

/** The record as JSON text (what the dApp stores and exports; the CLI's state file holds the same object). */
export function serializeKeptTestDrive(record: KeptTestDrive): string {
  return JSON.stringify(record, null, 2);
}

/** A kept test-drive read back from JSON text (a file, the browser's storage); throws a KeptRecordError naming `source` otherwise. */
export function deserializeKeptTestDrive(text: string, source = "the kept test-drive"): KeptTestDrive {
  return parseKeptTestDrive(parseKeptJson(text, source), source);
}
