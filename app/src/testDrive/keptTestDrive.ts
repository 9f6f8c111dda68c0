/**
 * What the dApp keeps of a buyer's test-drive in this browser's localStorage, keyed by the
 * deployment (chain id and market) and the test id (by the data commitment before `openTest`
 * gives an id): the secrets a refund proof needs (quantized features, labels, salt, later the
 * predictions), the CKKS secret key until the result is decrypted, and how far the flow got.
 * Nothing of it leaves the browser unless the buyer exports it (`exportKeptTestDrive`), which
 * it should: clearing the site's data loses it, and with it the refund (kept/keptRecords.ts).
 */
import type { Address, Hex } from "viem";
import { downloadKept, forgetKept, keptPrefix, keptUnder, saveKept } from "../kept/keptRecords.ts";

export type KeptStage = "committed" | "opened" | "uploaded" | "evaluated" | "claimed" | "samples-opened";

export interface KeptTestDrive {
  readonly chainId: number;
  readonly market: Address;
  readonly listingId: string;
  readonly buyer: Address;
  readonly sampleCount: number;
  readonly classCount: number;
  readonly claimedAccuracyBps: number;
  readonly classNames?: readonly string[];
  /** 0x-hex, 32 bytes: what openTest posted. */
  readonly dataCommitment: Hex;
  /** Decimal. */
  readonly salt: string;
  readonly labels: readonly number[];
  readonly quantized: readonly (readonly number[])[];
  readonly createdAt: string;
  readonly stage: KeptStage;
  readonly testId?: string;
  /** The CKKS secret key (base64), kept until the result is decrypted. */
  readonly heSecretKey?: string;
  readonly resultHash?: Hex;
  readonly predictions?: readonly number[];
  readonly refundTx?: Hex;
  /** When the buyer last exported this record. */
  readonly exportedAt?: string;
}

const deploymentKey = (chainId: number, market: Address) => keptPrefix("testDrive", chainId, market);

/** The storage key of a record: by test id once opened, by data commitment before. */
export function keptKey(record: Pick<KeptTestDrive, "chainId" | "market" | "testId" | "dataCommitment">): string {
  return `${deploymentKey(record.chainId, record.market)}.${record.testId !== undefined ? `test.${record.testId}` : `pending.${record.dataCommitment.toLowerCase()}`}`;
}

/** Saves a record (and drops its pending copy once it has a test id). Throws when the browser refuses to store it. */
export function saveKeptTestDrive(record: KeptTestDrive): void {
  saveKept(keptKey(record), record);
  if (record.testId !== undefined) forgetKept(keptKey({ ...record, testId: undefined }));
}

/** The records of this deployment kept in this browser for `listingId` and `buyer`, newest first. */
export function keptTestDrives(chainId: number, market: Address, filter: { listingId?: bigint; buyer?: Address } = {}): KeptTestDrive[] {
  const records = keptUnder<KeptTestDrive>(deploymentKey(chainId, market));
  return records
    .filter((r) => (filter.listingId === undefined || r.listingId === filter.listingId.toString()) && (filter.buyer === undefined || r.buyer.toLowerCase() === filter.buyer.toLowerCase()))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** A download of the record as JSON, e.g. "modelbazaar-test-drive-31337-7.json"; marks it exported. */
export function exportKeptTestDrive(record: KeptTestDrive): KeptTestDrive {
  const exported = downloadKept(`modelbazaar-test-drive-${record.chainId}-${record.testId ?? record.dataCommitment.slice(2, 10)}.json`, record);
  saveKeptTestDrive(exported);
  return exported;
}

export const toBase64 = (bytes: Uint8Array): string => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));
export const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
