/**
 * Secrets the dApp keeps in this browser's localStorage (a test-drive's, a sealed bid's): JSON
 * records (the SDK's KeptTestDrive and KeptBid, serialized and checked by the SDK) under keys
 * that start with the deployment (chain id and market), so a record of another chain is never
 * read as this one's, and their export as a JSON file. Nothing leaves the browser unless the
 * person exports it, which they should: clearing the site's data loses it.
 */
import type { Address } from "viem";

/** The key prefix of `kind`'s records for one deployment, e.g. "modelbazaar.bid.31337.0xabc…". */
export function keptPrefix(kind: string, chainId: number, market: Address): string {
  return `modelbazaar.${kind}.${chainId}.${market.toLowerCase()}`;
}

/** Saves a serialized record. Throws when the browser refuses to store it (storage full or disabled). */
export function saveKept(key: string, text: string): void {
  localStorage.setItem(key, text);
}

export function forgetKept(key: string): void {
  localStorage.removeItem(key);
}

/** Every record whose key starts with `prefix` and a dot that `read` accepts; an entry it refuses is left as it is. */
export function keptUnder<T>(prefix: string, read: (text: string, source: string) => T): T[] {
  const records: T[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (!key?.startsWith(`${prefix}.`)) continue;
    try {
      records.push(read(localStorage.getItem(key)!, `the record ${key} of this browser`));
    } catch {
      // not ours to judge: left as it is
    }
  }
  return records;
}

/** Offers `text` (a kept record's JSON) as a download named `fileName`. */
export function downloadKept(fileName: string, text: string): void {
  offerDownload(fileName, new Blob([text], { type: "application/json" }));
}

/** Offers `blob` as a download named `fileName` (a Blob URL released once the browser has taken it). */
export function offerDownload(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
