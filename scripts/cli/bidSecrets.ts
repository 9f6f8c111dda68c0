/**
 * The secrets of a user's sealed bids (amount and salt), kept in the local "bids" state from
 * before the commitment is sent until the reveal: without them a bid cannot be revealed and
 * pays the non-reveal penalty. Every sealing is kept (never overwritten), so a retry after a
 * crash cannot lose the salt of a commitment that did reach the chain; the reveal picks the
 * secret whose commitment the chain holds.
 */
import type { Address, Hex } from "viem";
import type { SealedBid } from "@modelbazaar/sdk/auctions";
import { bidKey } from "@modelbazaar/sdk/audit";
import { readState, recordsElsewhere, writeStateRecord, type RecordScope, type RecordsElsewhere } from "./localState.ts";

/** One sealing, as stored (wei amounts as decimal strings). */
export interface BidSecret {
  readonly auctionId: string;
  readonly bidder: Address;
  readonly amount: string;
  readonly salt: Hex;
  readonly commitment: Hex;
  readonly collateral: string;
  readonly testId: string;
  readonly sealedAt: string;
}

interface BidRecord {
  readonly secrets: readonly BidSecret[];
}

/** Stores a sealed bid's secret; call before sending its commitment. */
export function keepBidSecret(scope: RecordScope, bid: SealedBid, testId: bigint): void {
  const key = bidKey(bid.auctionId, bid.bidder);
  const earlier = readState<BidRecord>("bids", scope)[key]?.secrets ?? [];
  const secret: BidSecret = {
    auctionId: bid.auctionId.toString(),
    bidder: bid.bidder,
    amount: bid.amount.toString(),
    salt: bid.salt,
    commitment: bid.commitment,
    collateral: bid.collateral.toString(),
    testId: testId.toString(),
    sealedAt: new Date().toISOString(),
  };
  writeStateRecord<BidRecord>("bids", scope, key, { secrets: [...earlier, secret] });
}

/** Every secret kept for the bidder's bids in the auction of the deployment `scope`, oldest first. */
export function bidSecretsOf(scope: RecordScope, auctionId: bigint, bidder: Address): readonly BidSecret[] {
  return readState<BidRecord>("bids", scope)[bidKey(auctionId, bidder)]?.secrets ?? [];
}

/** The secrets kept for the bidder's bids in an auction of the same id on other deployments (or before records had one). */
export function bidSecretsElsewhere(scope: RecordScope, auctionId: bigint, bidder: Address): { where: RecordsElsewhere<unknown>; secrets: readonly BidSecret[] }[] {
  return recordsElsewhere<BidRecord>("bids", scope)
    .map((where) => ({ where, secrets: where.records[bidKey(auctionId, bidder)]?.secrets ?? [] }))
    .filter(({ secrets }) => secrets.length > 0);
}

/** Takes over a secret kept before records had a deployment, once the chain holds its commitment. */
export function adoptBidSecret(scope: RecordScope, secret: BidSecret): void {
  const key = bidKey(BigInt(secret.auctionId), secret.bidder);
  writeStateRecord<BidRecord>("bids", scope, key, { secrets: [...(readState<BidRecord>("bids", scope)[key]?.secrets ?? []), secret] });
}
