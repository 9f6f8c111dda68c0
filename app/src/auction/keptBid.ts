/**
 * What the dApp keeps of a sealed bid in this browser (kept/keptRecords.ts): the SDK's KeptBid
 * (the record `bazaar bid` keeps too: the amount and the salt that open its commitment at the
 * reveal), serialized and checked by the SDK, keyed by the deployment, the auction, the bidder
 * and the commitment itself, so a second sealing never overwrites a secret the chain still
 * needs. It is saved BEFORE the commit is sent (as `bazaar bid` does), so a closed tab or a
 * crash cannot lose what the reveal needs; only clearing the site's data can, hence the export.
 */
import type { Address, Hex } from "viem";
import { bidSecretRefusal, deserializeKeptBid, keptBidOf, serializeKeptBid, type KeptBid, type SealedBid } from "@modelbazaar/sdk/auctions";
import { downloadKept, keptPrefix, keptUnder, saveKept } from "../kept/keptRecords.ts";

/** A kept bid as this browser keeps it: always with its deployment. */
export type BrowserKeptBid = KeptBid & { readonly chainId: number; readonly market: Address };

const auctionPrefix = (chainId: number, market: Address, auctionId: bigint, bidder: Address) => `${keptPrefix("bid", chainId, market)}.auction.${auctionId}.${bidder.toLowerCase()}`;

const keyOf = (bid: BrowserKeptBid) => `${auctionPrefix(bid.chainId, bid.market, BigInt(bid.auctionId), bid.bidder)}.${bid.commitment.toLowerCase()}`;

const save = (bid: BrowserKeptBid): BrowserKeptBid => (saveKept(keyOf(bid), serializeKeptBid(bid)), bid);

/** The record of a freshly sealed bid, saved at once. Throws when the browser refuses to store it. */
export function keepSealedBid(chainId: number, market: Address, sealed: SealedBid): BrowserKeptBid {
  return save({ ...keptBidOf(sealed), chainId, market });
}

/** The kept secret that opens `commitment` (the bid the chain holds), if this browser has it. */
export function keptBidFor(chainId: number, market: Address, auctionId: bigint, bidder: Address, commitment: Hex): BrowserKeptBid | undefined {
  return keptUnder(auctionPrefix(chainId, market, auctionId, bidder), (text, source): BrowserKeptBid => ({ ...deserializeKeptBid(text, source), chainId, market })).find(
    (bid) => bid.commitment.toLowerCase() === commitment.toLowerCase(),
  );
}

/** A download of the record as JSON, e.g. "modelbazaar-bid-31337-auction-1-0xabcd.json"; marks it exported. */
export function exportKeptBid(bid: BrowserKeptBid): BrowserKeptBid {
  const exported = { ...bid, exportedAt: new Date().toISOString() };
  downloadKept(`modelbazaar-bid-${bid.chainId}-auction-${bid.auctionId}-${bid.bidder.slice(0, 6).toLowerCase()}.json`, serializeKeptBid(exported));
  return save(exported);
}

/**
 * A record read back from an exported file (its shape checked by the SDK), checked to be a bid
 * of this deployment, auction and bidder whose amount and salt open `commitment`, the bid the
 * chain holds (the SDK's bidSecretRefusal recomputes it), and only then kept. Throws a sentence
 * otherwise.
 */
export function importKeptBid(text: string, expected: { chainId: number; market: Address; auctionId: bigint; bidder: Address; commitment: Hex }): BrowserKeptBid {
  const bid = deserializeKeptBid(text, "the file");
  if (bid.chainId !== expected.chainId || bid.market?.toLowerCase() !== expected.market.toLowerCase()) throw new Error(`the file keeps a bid on another deployment (chain ${bid.chainId}, market ${bid.market})`);
  if (bid.auctionId !== expected.auctionId.toString()) throw new Error(`the file keeps a bid in auction ${bid.auctionId}, not in auction ${expected.auctionId}`);
  if (bid.bidder.toLowerCase() !== expected.bidder.toLowerCase()) throw new Error(`the file keeps the bid of ${bid.bidder}, not of the connected account ${expected.bidder}`);
  const refusal = bidSecretRefusal({ amount: bid.amount, salt: bid.salt }, expected);
  if (refusal) throw new Error(refusal);
  return save({ ...bid, chainId: expected.chainId, market: expected.market, commitment: expected.commitment });
}
