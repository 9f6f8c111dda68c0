/**
 * A seller's track record as the chain tells it, for a buyer deciding whether to test-drive or
 * buy: its listings, the test-drives buyers opened on them, its completed sales, and the refund
 * disputes buyers claimed against them with how they ended (lost: the buyer was refunded; won:
 * the refund was rejected; open). Counted from the explorer's decoded events alone
 * (loadExplorer.ts), so the page and an auditor count the same things.
 */
import { isAddressEqual, type Address } from "viem";
import type { ExplorerIndex } from "./loadExplorer.ts";
import type { ExplorerEntry } from "./explorerEntry.ts";

/** `ITestDrives.TestPhase` values a closed test-drive's outcome takes in these counts. */
const OUTCOME = { Refunded: 2, Unserved: 3, RefundRejected: 8 } as const;

export interface SellerHistory {
  readonly seller: Address;
  /** The seller's listings, by id. */
  readonly listings: readonly bigint[];
  /** Test-drives opened on the seller's listings. */
  readonly testDrives: number;
  /** Test-drives the seller's worker never served (refunded at the service window's end). */
  readonly unserved: number;
  /** Purchases of the seller's models that completed (the seller was paid). */
  readonly sales: number;
  /** Refunds claimed by proof against the seller's listings. */
  readonly disputes: number;
  /** Disputes the buyer won: the model was proven below its claim (or the seller did not answer). */
  readonly disputesLost: number;
  /** Disputes the seller won. */
  readonly disputesWon: number;
}

const idArg = (entry: ExplorerEntry, name: string): bigint | undefined => (typeof entry.args[name] === "bigint" ? (entry.args[name] as bigint) : undefined);

export function sellerHistory(index: Pick<ExplorerIndex, "entries">, seller: Address): SellerHistory {
  const listings = new Set<bigint>();
  const tests = new Set<bigint>();
  const disputed = new Set<bigint>();
  let unserved = 0;
  let sales = 0;
  let disputesLost = 0;
  let disputesWon = 0;
  for (const entry of index.entries) {
    switch (entry.eventName) {
      case "ListingCreated":
        if (isAddressEqual(entry.args.seller as Address, seller)) listings.add(idArg(entry, "listingId")!);
        break;
      case "TestOpened":
        if (listings.has(idArg(entry, "listingId")!)) tests.add(idArg(entry, "testId")!);
        break;
      case "TestDisputed":
        if (tests.has(idArg(entry, "testId")!)) disputed.add(idArg(entry, "testId")!);
        break;
      case "TestClosed": {
        const testId = idArg(entry, "testId")!;
        if (!tests.has(testId)) break;
        const outcome = Number(entry.args.outcome);
        if (outcome === OUTCOME.Unserved) unserved++;
        if (disputed.has(testId) && outcome === OUTCOME.Refunded) disputesLost++;
        if (disputed.has(testId) && outcome === OUTCOME.RefundRejected) disputesWon++;
        break;
      }
      case "PurchaseCompleted":
        if (isAddressEqual(entry.args.seller as Address, seller)) sales++;
        break;
    }
  }
  return { seller, listings: [...listings], testDrives: tests.size, unserved, sales, disputes: disputed.size, disputesLost, disputesWon };
}
