/**
 * The local chain as a source of interactions: a market's public events (as the audit's
 * collectEvents returns them) turned into test-drive and purchase interactions per buyer, and
 * into each listing's public signals. A buyer's own device can seed its profile from its own
 * address's events; the study uses every address's as a second data set. Browsing never
 * reaches the chain, so it comes only from the device itself.
 */
import type { Address } from "viem";
import type { MarketEvent } from "../audit/collectEvents.ts";
import type { Interaction } from "./feedback.ts";
import type { PublicSignals } from "./publicSignals.ts";

/** The item id of a listing (listing ids start at 1; item factors are indexed from 0). */
export function itemIdOfListing(listingId: bigint): number {
  if (listingId < 1n) throw new RangeError(`listing ids start at 1, got ${listingId}`);
  return Number(listingId - 1n);
}

/** The listing id of an item id. */
export function listingIdOfItem(itemId: number): bigint {
  return BigInt(itemId) + 1n;
}

/** Each buyer's test-drives (`TestOpened`) and purchases (`PurchaseOpened`), oldest first, keyed by lower-case address. */
export function interactionsFromMarketEvents(events: readonly MarketEvent[]): Map<Address, Interaction[]> {
  const byBuyer = new Map<Address, Interaction[]>();
  const add = (buyer: Address, listingId: bigint, kind: Interaction["kind"], timestamp: bigint) => {
    const key = buyer.toLowerCase() as Address;
    byBuyer.set(key, [...(byBuyer.get(key) ?? []), { itemId: itemIdOfListing(listingId), kind, timestamp: Number(timestamp) }]);
  };
  for (const event of events) {
    if (event.eventName === "TestOpened") add(event.args.buyer, event.args.listingId, "testDrive", event.timestamp);
    else if (event.eventName === "PurchaseOpened") add(event.args.buyer, event.args.listingId, "buy", event.timestamp);
  }
  for (const list of byBuyer.values()) list.sort((a, b) => a.timestamp - b.timestamp);
  return byBuyer;
}

/** Public test-drive and purchase counts per item id, from the same events. */
export function publicSignalsFromMarketEvents(events: readonly MarketEvent[]): Map<number, PublicSignals> {
  const signals = new Map<number, PublicSignals>();
  for (const interactions of interactionsFromMarketEvents(events).values()) {
    for (const { itemId, kind } of interactions) {
      const { testDrives, purchases } = signals.get(itemId) ?? { testDrives: 0, purchases: 0 };
      signals.set(itemId, kind === "buy" ? { testDrives, purchases: purchases + 1 } : { testDrives: testDrives + 1, purchases });
    }
  }
  return signals;
}
