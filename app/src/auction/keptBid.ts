/**
 * What the dApp keeps of a sealed bid in this browser (kept/keptRecords.ts): the amount and the
 * salt that open its commitment at the reveal, keyed by the deployment, the auction, the bidder
 * and the commitment itself, so a second sealing never overwrites a secret the chain still
 * needs. It is saved BEFORE the commit is sent (as `bazaar bid` does), so a closed tab or a
 * crash cannot lose what the reveal needs; only clearing the site's data can, hence the export.
 */
import type { Address, Hex } from "viem";
import { bidSecretRefusal, type SealedBid } from "@modelbazaar/sdk/auctions";
import { downloadKept, keptPrefix, keptUnder, saveKept } from "../kept/keptRecords.ts";

export interface KeptBid {
  readonly chainId: number;
  readonly market: Address;
  /** Decimal, as are the amounts in wei. */
  readonly auctionId: string;
  readonly bidder: Address;
  readonly amount: string;
  readonly salt: Hex;
  readonly commitment: Hex;
  readonly collateral: string;
  readonly createdAt: string;
  /** When the bidder last exported this record. */
  readonly exportedAt?: string;
}

const auctionPrefix = (chainId: number, market: Address, auctionId: bigint, bidder: Address) => `${keptPrefix("bid", chainId, market)}.auction.${auctionId}.${bidder.toLowerCase()}`;

const keyOf = (bid: KeptBid) => `${auctionPrefix(bid.chainId, bid.market, BigInt(bid.auctionId), bid.bidder)}.${bid.commitment.toLowerCase()}`;

/** The record of a freshly sealed bid, saved at once. Throws when the browser refuses to store it. */
export function keepSealedBid(chainId: number, market: Address, sealed: SealedBid): KeptBid {
  const record: KeptBid = {
    chainId,
    market,
    auctionId: sealed.auctionId.toString(),
    bidder: sealed.bidder,
    amount: sealed.amount.toString(),
    salt: sealed.salt,
    commitment: sealed.commitment,
    collateral: sealed.collateral.toString(),
    createdAt: new Date().toISOString(),
  };
  saveKept(keyOf(record), record);
  return record;
}

/** The kept secret that opens `commitment` (the bid the chain holds), if this browser has it. */
export function keptBidFor(chainId: number, market: Address, auctionId: bigint, bidder: Address, commitment: Hex): KeptBid | undefined {
  return keptUnder<KeptBid>(auctionPrefix(chainId, market, auctionId, bidder)).find((bid) => bid.commitment.toLowerCase() === commitment.toLowerCase());
}

/** A download of the record as JSON, e.g. "modelbazaar-bid-31337-auction-1-0xabcd.json"; marks it exported. */
export function exportKeptBid(bid: KeptBid): KeptBid {
  const exported = downloadKept(`modelbazaar-bid-${bid.chainId}-auction-${bid.auctionId}-${bid.bidder.slice(0, 6).toLowerCase()}.json`, bid);
  saveKept(keyOf(exported), exported);
  return exported;
}

/**
 * A record read back from an exported file, checked to be a bid of this deployment, auction and
 * bidder whose amount and salt open `commitment`, the bid the chain holds (the SDK's
 * bidSecretRefusal recomputes it), and only then kept. Throws a sentence otherwise.
 */
export function importKeptBid(text: string, expected: { chainId: number; market: Address; auctionId: bigint; bidder: Address; commitment: Hex }): KeptBid {
  let bid: Partial<KeptBid>;
  try {
    bid = JSON.parse(text) as Partial<KeptBid>;
  } catch {
    throw new Error("the file is not JSON: pick the file the bid's export saved");
  }
  if (typeof bid.amount !== "string" || typeof bid.salt !== "string" || typeof bid.commitment !== "string" || typeof bid.auctionId !== "string" || typeof bid.bidder !== "string") {
    throw new Error("the file holds no bid secret (amount, salt and commitment): pick the file the bid's export saved");
  }
  if (bid.chainId !== expected.chainId || bid.market?.toLowerCase() !== expected.market.toLowerCase()) throw new Error(`the file keeps a bid on another deployment (chain ${bid.chainId}, market ${bid.market})`);
  if (bid.auctionId !== expected.auctionId.toString()) throw new Error(`the file keeps a bid in auction ${bid.auctionId}, not in auction ${expected.auctionId}`);
  if (bid.bidder.toLowerCase() !== expected.bidder.toLowerCase()) throw new Error(`the file keeps the bid of ${bid.bidder}, not of the connected account ${expected.bidder}`);
  const refusal = bidSecretRefusal({ amount: bid.amount, salt: bid.salt }, expected);
  if (refusal) throw new Error(refusal);
  const record = { ...(bid as KeptBid), commitment: expected.commitment };
  saveKept(keyOf(record), record);
  return record;
}
