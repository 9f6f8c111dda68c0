/**
 * Buys a fixed-price listing (`FairExchange.buy`) at the price the buyer was shown: the market
 * refuses the purchase (`FairExchangePriceChanged`) if the listing's price is no longer that
 * one, so a seller who reprices in between cannot overcharge, even a buyer whose test-drive
 * deposit covers the price and who sends no ether. With `testId`, the buyer's test-drive of the
 * listing pays its deposit into the escrow and `value` is the price less that deposit.
 */
import type { Hash } from "viem";
import { ON_CLIENT_CHAIN, type MarketWriter } from "./marketHandles.ts";

export interface BuyListingParameters {
  readonly listingId: bigint;
  /** The price shown to the buyer, in wei. */
  readonly price: bigint;
  /** The listing's test-drive deposit, when `testId` applies one (0 otherwise). */
  readonly deposit?: bigint;
  /** The buyer's test-drive of this listing whose deposit pays into the purchase (0: none). */
  readonly testId?: bigint;
}

/** The ether `buy` takes: the price less an applied deposit, never below 0. */
export function buyValue({ price, deposit = 0n, testId = 0n }: BuyListingParameters): bigint {
  const applied = testId === 0n ? 0n : deposit;
  return applied >= price ? 0n : price - applied;
}

export function buyListing(market: MarketWriter, parameters: BuyListingParameters): Promise<Hash> {
  const { listingId, price, testId = 0n } = parameters;
  return market.write.buy([listingId, testId, price], { ...ON_CLIENT_CHAIN, value: buyValue(parameters) });
}
