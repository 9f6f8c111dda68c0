/**
 * Groups explorer entries into one timeline per listing, test-drive, dispute, auction and
 * purchase. An entity's timeline holds every event that names it, and the events of the same
 * transactions that name no entity (a `PaymentCredited` beside the `TestClosed` that caused
 * it); a dispute's timeline is its test-drive's. Entities named together in a transaction are
 * related (a test-drive and the purchase its deposit paid, an auction and its purchase).
 */
import type { Address, Hash } from "viem";
import { chainOrder, entityKey, type EntityKind, type EntityRef, type ExplorerEntry } from "./explorerEntry.ts";

export interface EntityTimeline extends EntityRef {
  /** The listing the entity belongs to (its own id for a listing), when an event names it. */
  readonly listingId?: bigint;
  /** In chain order. */
  readonly entries: readonly ExplorerEntry[];
  /** Every account named by the timeline's events or sending their transactions. */
  readonly parties: readonly Address[];
  /** Other entities named in the same transactions, or the listing it belongs to. */
  readonly related: readonly EntityRef[];
}

export function buildEntityTimelines(entries: readonly ExplorerEntry[]): Map<string, EntityTimeline> {
  const byTransaction = new Map<Hash, ExplorerEntry[]>();
  for (const entry of entries) byTransaction.set(entry.transactionHash, [...(byTransaction.get(entry.transactionHash) ?? []), entry]);

  const members = new Map<string, { ref: EntityRef; entries: Set<ExplorerEntry> }>();
  const add = (ref: EntityRef, entry: ExplorerEntry) => {
    const key = entityKey(ref);
    const member = members.get(key) ?? { ref, entries: new Set() };
    member.entries.add(entry);
    members.set(key, member);
  };
  for (const entry of entries) {
    for (const ref of entry.entities) if (ref.kind !== "dispute") add(ref, entry);
    if (entry.entities.length > 0) continue;
    // An event naming no entity belongs to the entities of its transaction.
    const mates = byTransaction.get(entry.transactionHash) ?? [];
    for (const mate of mates) for (const ref of mate.entities) if (ref.kind !== "dispute") add(ref, entry);
  }
  // A dispute is a test-drive refunded by proof: its timeline is the test-drive's.
  for (const entry of entries) {
    for (const ref of entry.entities) {
      if (ref.kind !== "dispute") continue;
      const test = members.get(entityKey({ kind: "test", id: ref.id }));
      if (test) members.set(entityKey(ref), { ref, entries: test.entries });
    }
  }

  const timelines = new Map<string, EntityTimeline>();
  for (const [key, { ref, entries: set }] of members) {
    const timeline = [...set].sort(chainOrder);
    const parties = new Map<string, Address>();
    const related = new Map<string, EntityRef>();
    let listingId: bigint | undefined = ref.kind === "listing" ? ref.id : undefined;
    for (const entry of timeline) {
      for (const { address } of entry.parties) parties.set(address.toLowerCase(), address);
      if (entry.sender) parties.set(entry.sender.toLowerCase(), entry.sender);
      if (listingId === undefined && typeof entry.args.listingId === "bigint") listingId = entry.args.listingId;
      for (const mate of byTransaction.get(entry.transactionHash) ?? []) {
        for (const other of mate.entities) {
          const otherKey = entityKey(other);
          const sameTest = (ref.kind === "dispute" || ref.kind === "test") && (other.kind === "dispute" || other.kind === "test") && other.id === ref.id;
          if (otherKey !== key && !sameTest) related.set(otherKey, other);
        }
      }
    }
    if (ref.kind === "test" && members.has(entityKey({ kind: "dispute", id: ref.id }))) related.set(entityKey({ kind: "dispute", id: ref.id }), { kind: "dispute", id: ref.id });
    if (ref.kind === "dispute") related.set(entityKey({ kind: "test", id: ref.id }), { kind: "test", id: ref.id });
    timelines.set(key, { ...ref, ...(listingId !== undefined ? { listingId } : {}), entries: timeline, parties: [...parties.values()], related: [...related.values()] });
  }
  return timelines;
}

/** Timelines of one kind, newest activity first. */
export function timelinesOfKind(timelines: Map<string, EntityTimeline>, kind?: EntityKind): EntityTimeline[] {
  return [...timelines.values()].filter((t) => kind === undefined || t.kind === kind).sort((a, b) => -chainOrder(a.entries.at(-1)!, b.entries.at(-1)!) || Number(b.id - a.id));
}
