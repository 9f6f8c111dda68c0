/**
 * The sellers of the listings this worker serves, read from the chain once (ModelRegistry sets a
 * listing's seller when it is listed and never changes it), so that a delivery hand-over signed
 * by anyone who sells none of them is refused before any chain read: however many such requests
 * come, they cost at most one read per served listing, once. A failed read is not kept: the
 * next request tries again.
 */
import type { Address } from "viem";
import type { MarketClient } from "../chain/marketClient.ts";

export class ServedSellers {
  readonly #market: MarketClient;
  readonly #listingIds: readonly bigint[];
  #sellers: Promise<ReadonlySet<string>> | undefined;

  constructor(market: MarketClient, listingIds: readonly bigint[]) {
    this.#market = market;
    this.#listingIds = listingIds;
  }

  /** Whether `address` sells a listing served here. */
  async includes(address: Address): Promise<boolean> {
    this.#sellers ??= this.#read();
    try {
      return (await this.#sellers).has(address.toLowerCase());
    } catch (error) {
      this.#sellers = undefined;
      throw error;
    }
  }

  async #read(): Promise<ReadonlySet<string>> {
    const sellers = await Promise.all(this.#listingIds.map((id) => this.#market.sellerOf(id)));
    return new Set(sellers.map((seller) => seller.toLowerCase()));
  }
}
