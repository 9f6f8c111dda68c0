/**
 * Secrets the dApp keeps in this browser's localStorage (a test-drive's, a sealed bid's): JSON
 * records under keys that start with the deployment (chain id and market), so a record of
 * another chain is never read as this one's, and their export as a JSON file. Nothing leaves the
 * browser unless the person exports it, which they should: clearing the site's data loses it.
 */
import type { Address } from "viem";

/** The key prefix of `kind`'s records for one deployment, e.g. "modelbazaar.bid.31337.0xabc…". */
export function keptPrefix(kind: string, chainId: number, market: Address): string {
  return `modelbazaar.${kind}.${chainId}.${market.toLowerCase()}`;
}

/** Saves a record. Throws when the browser refuses to store it (storage full or disabled). */
export function saveKept(key: string, record: object): void {
  localStorage.setItem(key, JSON.stringify(record));
}

export function forgetKept(key: string): void {
  localStorage.removeItem(key);
}

/** Every record whose key starts with `prefix` and a dot; an entry that is not JSON is left as it is. */
export function keptUnder<T>(prefix: string): T[] {
  const records: T[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (!key?.startsWith(`${prefix}.`)) continue;
    try {
      records.push(JSON.parse(localStorage.getItem(key)!) as T);
    } catch {
      // not ours to judge: left as it is
    }
  }
  return records;
}

/** Offers `record` as a download named `fileName`, stamped with `exportedAt`; returns the stamped record. */
export function downloadKept<T extends object>(fileName: string, record: T): T & { exportedAt: string } {
  const exported = { ...record, exportedAt: new Date().toISOString() };
  offerDownload(fileName, new Blob([JSON.stringify(exported, null, 2)], { type: "application/json" }));
  return exported;
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
