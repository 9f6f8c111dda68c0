/**
 * What the dApp keeps of a buyer's test-drive in this browser's localStorage: the SDK's
 * KeptTestDrive (the record `bazaar test-drive` keeps too: the secrets a refund proof needs, the
 * CKKS secret key until the result is decrypted, how far the flow got), serialized and checked
 * by the SDK, keyed by the deployment (chain id and market) and the test id (by the data
 * commitment before `openTest` gives an id). Nothing of it leaves the browser unless the buyer
 * exports it (`exportKeptTestDrive`), which it should: clearing the site's data loses it, and
 * with it the refund (kept/keptRecords.ts).
 */
import type { Address } from "viem";
import { deserializeKeptTestDrive, serializeKeptTestDrive, type KeptTestDrive } from "@modelbazaar/sdk/testDrives";
import { downloadKept, forgetKept, keptPrefix, keptUnder, saveKept } from "../kept/keptRecords.ts";

/** A kept test-drive as this browser keeps it: always with its deployment. */
export type BrowserKeptTestDrive = KeptTestDrive & { readonly chainId: number; readonly market: Address };

const deploymentKey = (chainId: number, market: Address) => keptPrefix("testDrive", chainId, market);

/** The storage key of a record: by test id once opened, by data commitment before. */
export function keptKey(record: Pick<BrowserKeptTestDrive, "chainId" | "market" | "testId" | "dataCommitment">): string {
  return `${deploymentKey(record.chainId, record.market)}.${record.testId !== undefined ? `test.${record.testId}` : `pending.${record.dataCommitment.toLowerCase()}`}`;
}

/** Saves a record (and drops its pending copy once it has a test id). Throws when the browser refuses to store it. */
export function saveKeptTestDrive(record: BrowserKeptTestDrive): void {
  saveKept(keptKey(record), serializeKeptTestDrive(record));
  if (record.testId !== undefined) forgetKept(keptKey({ ...record, testId: undefined }));
}

/** The records of this deployment kept in this browser for `listingId` and `buyer`, newest first (a record the SDK refuses is skipped). */
export function keptTestDrives(chainId: number, market: Address, filter: { listingId?: bigint; buyer?: Address } = {}): BrowserKeptTestDrive[] {
  const records = keptUnder(deploymentKey(chainId, market), (text, source): BrowserKeptTestDrive => ({ ...deserializeKeptTestDrive(text, source), chainId, market }));
  return records
    .filter((r) => (filter.listingId === undefined || r.listingId === filter.listingId.toString()) && (filter.buyer === undefined || r.buyer.toLowerCase() === filter.buyer.toLowerCase()))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** A download of the record as JSON, e.g. "modelbazaar-test-drive-31337-7.json"; marks it exported. */
export function exportKeptTestDrive(record: BrowserKeptTestDrive): BrowserKeptTestDrive {
  const exported = { ...record, exportedAt: new Date().toISOString() };
  downloadKept(`modelbazaar-test-drive-${record.chainId}-${record.testId ?? record.dataCommitment.slice(2, 10)}.json`, serializeKeptTestDrive(exported));
  saveKeptTestDrive(exported);
  return exported;
}

export const toBase64 = (bytes: Uint8Array): string => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));
export const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
