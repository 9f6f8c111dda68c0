/**
 * What a seller may do to its listing after listing it (docs/PROTOCOL.md §2), with the
 * registry's own functions: pause it (no new test-drives, purchases or auctions), resume it,
 * change a fixed price (`updateOffer` with the offer as it is but the price), switch between a
 * fixed price and auctions (`updateOffer` with the offer as it is but the sale mode), or delist it
 * for good. Trades already under way always resolve under the listing's terms.
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

/** How a listing is sold: at its fixed price, or only through auctions. */
export type SaleModeName = "fixed" | "auction";

const SALE_MODE_NUMBERS: Readonly<Record<SaleModeName, number>> = { fixed: 0, auction: 1 };

export type RegistryWriter = MarketContracts["registry"];

/** The largest price the registry stores (uint96). */
export const MAX_PRICE = 2n ** 96n - 1n;

/** Why `account` cannot make `change` to listing `listingId` as read (`listing`), or undefined when it can. */
export function listingChangeRefusal(listingId: bigint, listing: Pick<Listing, "seller" | "status" | "offer">, account: Address, change: ListingChange, newPrice?: bigint): string | undefined {
  const status = LISTING_STATUSES[listing.status] ?? "unknown";
  if (!isAddressEqual(listing.seller, account)) return notTheSeller(listingId, listing.seller, account, change);
  if (status === "delisted") {
    return change === "delist"
      ? `listing ${listingId} is already delisted`
      : `${delisted(listingId, change === "pause" ? "paused" : change === "resume" ? "resumed" : "repriced")}${change === "resume" ? " (list the model anew with `bazaar list`)" : ""}`;
  }
  if (change === "pause" && status === "paused") return `listing ${listingId} is already paused (\`bazaar listing resume ${listingId}\` reopens it)`;
  if (change === "resume" && status === "active") return `listing ${listingId} is not paused: it is active already`;
  if (change === "reprice") {
    if (listing.offer.saleMode !== 0) return `listing ${listingId} is sold by auction: it has no price to change (each auction sets its own reserve: \`bazaar auction create ${listingId} --reserve <eth> …\`)`;
    return priceRefusal(newPrice) ?? (newPrice === listing.offer.price ? `listing ${listingId} already costs ${formatEther(listing.offer.price)} ETH` : undefined);
  }
  return undefined;
}

/**
 * Why `account` cannot switch listing `listingId` as read (`listing`) to be sold `mode`
 * (a fixed price needs `price`, in wei), or undefined when it can. Auctions already open keep
 * running under their own terms either way.
 */
export function saleModeRefusal(listingId: bigint, listing: Pick<Listing, "seller" | "status" | "offer">, account: Address, mode: SaleModeName, price?: bigint): string | undefined {
  if (!isAddressEqual(listing.seller, account)) return notTheSeller(listingId, listing.seller, account, "switch the sale mode of");
  if (LISTING_STATUSES[listing.status] === "delisted") return delisted(listingId, "switched to another sale mode");
  if (listing.offer.saleMode === SALE_MODE_NUMBERS[mode]) {
    return mode === "auction" ? `listing ${listingId} is already sold by auction` : `listing ${listingId} is already sold at a fixed price of ${formatEther(listing.offer.price)} ETH (reprice it instead)`;
  }
  return mode === "fixed" ? priceRefusal(price) : undefined;
}

/** The offer as read (`offer`) but sold `mode`; a fixed price takes `price`, an auction keeps the stored one (unused). */
export function offerInSaleMode(offer: Listing["offer"], mode: SaleModeName, price?: bigint): Listing["offer"] {
  return { ...offer, saleMode: SALE_MODE_NUMBERS[mode], price: mode === "fixed" && price !== undefined ? price : offer.price };
}

function notTheSeller(listingId: bigint, seller: Address, account: Address, verb: string): string {
  return `listing ${listingId} was listed by ${seller}, not by ${account}: only its seller may ${verb} it`;
}

function delisted(listingId: bigint, participle: string): string {
  return `listing ${listingId} is delisted, for good: it cannot be ${participle}`;
}

function priceRefusal(price: bigint | undefined): string | undefined {
  if (price === undefined || price === 0n) return "the new price must be more than 0 ETH";
  if (price > MAX_PRICE) return `the new price is too large: the registry holds at most ${formatEther(MAX_PRICE)} ETH`;
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

/** Switches the listing's offer (`offer`, as read) to be sold `mode`, at `price` wei when fixed. */
export function switchSaleMode(registry: RegistryWriter, listingId: bigint, offer: Listing["offer"], mode: SaleModeName, price?: bigint): Promise<Hash> {
  return registry.write.updateOffer([listingId, offerInSaleMode(offer, mode, price)], ON_CLIENT_CHAIN);
}
