/**
 * A seller's track record as the chain tells it, listing by listing and in total: its listings,
 * the test-drives buyers opened on them and how many its worker served (an evaluation receipt
 * recorded), its completed sales, and the refund disputes buyers claimed against them with how
 * they ended (lost: the buyer was refunded; won: the refund was rejected; open). Counted from the
 * explorer's decoded events alone (loadExplorer.ts), so a buyer's model page, the seller's
 * dashboard and an auditor count the same things.
 */
import { isAddressEqual, type Address } from "viem";
import type { ExplorerIndex } from "./loadExplorer.ts";
import type { ExplorerEntry } from "./explorerEntry.ts";

/** `ITestDrives.TestPhase` values a closed test-drive's outcome takes in these counts. */
const OUTCOME = { Refunded: 2, Unserved: 3, RefundRejected: 8 } as const;

/** What happened on one listing. */
export interface ListingRecord {
  /** Test-drives opened on the listing. */
  readonly testDrives: number;
  /** Test-drives the worker served: an evaluation receipt was recorded. */
  readonly served: number;
  /** Test-drives the worker never served (refunded at the service window's end). */
  readonly unserved: number;
  /** Purchases of the model that completed (the seller was paid). */
  readonly sales: number;
  /** Refunds claimed by proof against the listing. */
  readonly disputes: number;
  /** Disputes the buyer won: the model was proven below its claim (or the seller did not answer). */
  readonly disputesLost: number;
  /** Disputes the seller won. */
  readonly disputesWon: number;
}

export interface SellerHistory extends Omit<ListingRecord, "served"> {
  readonly seller: Address;
  /** The seller's listings, by id. */
  readonly listings: readonly bigint[];
}

const idArg = (entry: ExplorerEntry, name: string): bigint | undefined => (typeof entry.args[name] === "bigint" ? (entry.args[name] as bigint) : undefined);

const EMPTY: ListingRecord = { testDrives: 0, served: 0, unserved: 0, sales: 0, disputes: 0, disputesLost: 0, disputesWon: 0 };

/** Each listing of `seller`, in listing order, with its record. */
export function listingRecords(index: Pick<ExplorerIndex, "entries">, seller: Address): Map<bigint, ListingRecord> {
  const records = new Map<bigint, ListingRecord>();
  const testListing = new Map<bigint, bigint>();
  const purchaseListing = new Map<bigint, bigint>();
  const disputed = new Set<bigint>();
  const count = (listingId: bigint | undefined, field: keyof ListingRecord) => {
    const record = listingId === undefined ? undefined : records.get(listingId);
    if (record) records.set(listingId!, { ...record, [field]: record[field] + 1 });
  };
  for (const entry of index.entries) {
    switch (entry.eventName) {
      case "ListingCreated":
        if (isAddressEqual(entry.args.seller as Address, seller)) records.set(idArg(entry, "listingId")!, EMPTY);
        break;
      case "TestOpened": {
        const listingId = idArg(entry, "listingId")!;
        if (!records.has(listingId)) break;
        testListing.set(idArg(entry, "testId")!, listingId);
        count(listingId, "testDrives");
        break;
      }
      case "ReceiptRecorded":
        count(testListing.get(idArg(entry, "testId")!), "served");
        break;
      case "TestDisputed": {
        const testId = idArg(entry, "testId")!;
        if (!testListing.has(testId)) break;
        disputed.add(testId);
        count(testListing.get(testId), "disputes");
        break;
      }
      case "TestClosed": {
        const testId = idArg(entry, "testId")!;
        const listingId = testListing.get(testId);
        const outcome = Number(entry.args.outcome);
        if (outcome === OUTCOME.Unserved) count(listingId, "unserved");
        if (disputed.has(testId) && outcome === OUTCOME.Refunded) count(listingId, "disputesLost");
        if (disputed.has(testId) && outcome === OUTCOME.RefundRejected) count(listingId, "disputesWon");
        break;
      }
      case "PurchaseOpened":
        purchaseListing.set(idArg(entry, "purchaseId")!, idArg(entry, "listingId")!);
        break;
      case "PurchaseCompleted":
        count(purchaseListing.get(idArg(entry, "purchaseId")!), "sales");
        break;
    }
  }
  return records;
}

/** The seller's record over all its listings. */
export function sellerHistory(index: Pick<ExplorerIndex, "entries">, seller: Address): SellerHistory {
  const records = listingRecords(index, seller);
  const total = (field: keyof ListingRecord) => [...records.values()].reduce((sum, r) => sum + r[field], 0);
  return {
    seller,
    listings: [...records.keys()],
    testDrives: total("testDrives"),
    unserved: total("unserved"),
    sales: total("sales"),
    disputes: total("disputes"),
    disputesLost: total("disputesLost"),
    disputesWon: total("disputesWon"),
  };
}
