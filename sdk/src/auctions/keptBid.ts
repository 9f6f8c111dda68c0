/**
 * The record a bidder keeps of a sealed bid, the same for `bazaar bid` (a file under
 * MODELBAZAAR_HOME) and the dApp (the browser's storage, and the file its export saves): the
 * amount and the salt that open its commitment at the reveal. Without them the bid cannot be
 * revealed and pays the non-reveal penalty, so it is kept (`keptBidOf`) before the commitment is
 * sent and read back through `parseKeptBid`, which refuses a damaged or foreign record with a
 * sentence. The reveal still checks the record opens the commitment the chain holds.
 *
 * Records written before this shape was shared still load: the dApp's named the sealing time
 * `createdAt` (read as `sealedAt`) and kept no test id; the CLI's kept no deployment (its files
 * are kept per deployment).
 */
import type { Address, Hex } from "viem";
import { KeptRecordError, keptFields, parseKeptJson } from "../client/keptRecordFields.ts";
import type { SealedBid } from "./sealBid.ts";

export interface KeptBid {
  /** The deployment (the dApp keys its storage by it; the CLI keeps one directory per deployment instead). */
  readonly chainId?: number;
  readonly market?: Address;
  /** Decimal, as are the amounts in wei. */
  readonly auctionId: string;
  readonly bidder: Address;
  readonly amount: string;
  readonly salt: Hex;
  readonly commitment: Hex;
  readonly collateral: string;
  /** The test-drive whose deposit the bid applies (decimal; "0" for none), when the sealer recorded it. */
  readonly testId?: string;
  readonly sealedAt: string;
  /** When the bidder last exported this record (the dApp's export). */
  readonly exportedAt?: string;
}

/** The record of a freshly sealed bid; keep it before sending the commitment. */
export function keptBidOf(sealed: SealedBid, extra: { chainId?: number; market?: Address; testId?: bigint } = {}): KeptBid {
  return {
    chainId: extra.chainId,
    market: extra.market,
    auctionId: sealed.auctionId.toString(),
    bidder: sealed.bidder,
    amount: sealed.amount.toString(),
    salt: sealed.salt,
    commitment: sealed.commitment,
    collateral: sealed.collateral.toString(),
    testId: extra.testId?.toString(),
    sealedAt: new Date().toISOString(),
  };
}

/** A kept bid checked field by field (a JSON value read back); throws a KeptRecordError naming `source` otherwise. */
export function parseKeptBid(value: unknown, source = "the kept bid"): KeptBid {
  const f = keptFields(value, source);
  if (!f.has("amount") || !f.has("salt") || !f.has("commitment")) throw new KeptRecordError(`${source} holds no bid secret (amount, salt and commitment)`);
  return {
    chainId: f.optional("chainId", f.count),
    market: f.optional("market", f.address),
    auctionId: f.decimal("auctionId"),
    bidder: f.address("bidder"),
    amount: f.decimal("amount"),
    salt: f.hex("salt", 32),
    commitment: f.hex("commitment", 32),
    collateral: f.decimal("collateral"),
    testId: f.optional("testId", f.decimal),
    sealedAt: f.has("sealedAt") ? f.string("sealedAt") : f.string("createdAt"),
    exportedAt: f.optional("exportedAt", f.string),
  };
}

/** The record as JSON text (what the dApp stores and exports; the CLI's state file holds the same object). */
export function serializeKeptBid(bid: KeptBid): string {
  return JSON.stringify(bid, null, 2);
}

/** A kept bid read back from JSON text (a file, the browser's storage); throws a KeptRecordError naming `source` otherwise. */
export function deserializeKeptBid(text: string, source = "the kept bid"): KeptBid {
  return parseKeptBid(parseKeptJson(text, source), source);
}
