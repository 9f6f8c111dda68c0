/**
 * What a seller may do to its listing after listing it (docs/PROTOCOL.md §2), with the
 * registry's own functions: pause it (no new test-drives, purchases or auctions), resume it,
 * change a fixed price (`updateOffer` with the offer as it is but the price), or delist it for
 * good. Trades already under way always resolve under the listing's terms.
 *
 * {listingChangeRefusal} says, in a sentence, why a change cannot be made (not the seller,
 * already paused, delisted, an auction has no price...), from the listing as read, so a client
 * refuses before sending anything; if the listing changes in between, the registry's custom
 * error is phrased by sdk/src/errors/contractErrors.ts.
 */
import { formatEther, isAddressEqual, type Address, type Hash } from "viem";
import type { MarketContracts } from "../client/contracts.ts";
import { LISTING_STATUSES, type Listing } from "./readListing.ts";
import { ON_CLIENT_CHAIN } from "./marketHandles.ts";

export type ListingChange = "pause" | "resume" | "reprice" | "delist";

export type RegistryWriter = MarketContracts["registry"];

/** The largest price the registry stores (uint96). */
export const MAX_PRICE = 2n ** 96n - 1n;

/** Why `account` cannot make `change` to listing `listingId` as read (`listing`), or undefined when it can. */
export function listingChangeRefusal(listingId: bigint, listing: Pick<Listing, "seller" | "status" | "offer">, account: Address, change: ListingChange, newPrice?: bigint): string | undefined {
  const status = LISTING_STATUSES[listing.status] ?? "unknown";
  if (!isAddressEqual(listing.seller, account)) return `listing ${listingId} was listed by ${listing.seller}, not by ${account}: only its seller may ${change} it`;
  if (status === "delisted") {
    return change === "delist"
      ? `listing ${listingId} is already delisted`
      : `listing ${listingId} is delisted, for good: it cannot be ${change === "pause" ? "paused" : change === "resume" ? "resumed" : "repriced"}${change === "resume" ? " (list the model anew with `bazaar list`)" : ""}`;
  }
  if (change === "pause" && status === "paused") return `listing ${listingId} is already paused (\`bazaar listing resume ${listingId}\` reopens it)`;
  if (change === "resume" && status === "active") return `listing ${listingId} is not paused: it is active already`;
  if (change === "reprice") {
    if (listing.offer.saleMode !== 0) return `listing ${listingId} is sold by auction: it has no price to change (each auction sets its own reserve: \`bazaar auction create ${listingId} --reserve <eth> …\`)`;
    if (newPrice === undefined || newPrice === 0n) return "the new price must be more than 0 ETH";
    if (newPrice > MAX_PRICE) return `the new price is too large: the registry holds at most ${formatEther(MAX_PRICE)} ETH`;
    if (newPrice === listing.offer.price) return `listing ${listingId} already costs ${formatEther(newPrice)} ETH`;
  }
  return undefined;
}

export function pauseListing(registry: RegistryWriter, listingId: bigint): Promise<Hash> {
  return registry.write.pause([listingId], ON_CLIENT_CHAIN);
}

export function resumeListing(registry: RegistryWriter, listingId: bigint): Promise<Hash> {
  return registry.write.unpause([listingId], ON_CLIENT_CHAIN);
}

export function delistListing(registry: RegistryWriter, listingId: bigint): Promise<Hash> {
  return registry.write.delist([listingId], ON_CLIENT_CHAIN);
}

/** Replaces the listing's offer (`offer`, as read) with the same one at `price` wei. */
export function repriceListing(registry: RegistryWriter, listingId: bigint, offer: Listing["offer"], price: bigint): Promise<Hash> {
  return registry.write.updateOffer([listingId, { ...offer, price }], ON_CLIENT_CHAIN);
}
