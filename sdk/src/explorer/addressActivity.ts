/**
 * One account's activity across the market: every event that names it as a party or whose
 * transaction it sent, and the entities those events belong to.
 */
import type { Address } from "viem";
import type { EntityTimeline } from "./entityTimelines.ts";
import type { ExplorerEntry } from "./explorerEntry.ts";

export interface AddressActivity {
  readonly address: Address;
  /** Newest first. */
  readonly entries: readonly ExplorerEntry[];
  /** The entities whose timelines name the account, newest activity first. */
  readonly entities: readonly EntityTimeline[];
}

export function involves(entry: ExplorerEntry, address: Address): boolean {
  const a = address.toLowerCase();
  return entry.sender?.toLowerCase() === a || entry.parties.some((p) => p.address.toLowerCase() === a);
}

export function addressActivity(index: { entries: readonly ExplorerEntry[]; timelines: Map<string, EntityTimeline> }, address: Address): AddressActivity {
  const a = address.toLowerCase();
  const entries = index.entries.filter((entry) => involves(entry, address)).reverse();
  const entities = [...index.timelines.values()]
    .filter((t) => t.parties.some((p) => p.toLowerCase() === a))
    .sort((x, y) => (x.entries.at(-1)!.blockNumber > y.entries.at(-1)!.blockNumber ? -1 : 1));
  return { address, entries, entities };
}
