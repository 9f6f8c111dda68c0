/**
 * The secrets of a user's sealed bids (amount and salt), kept in the local "bids" state from
 * before the commitment is sent until the reveal: without them a bid cannot be revealed and
 * pays the non-reveal penalty. Every sealing is kept (never overwritten), so a retry after a
 * crash cannot lose the salt of a commitment that did reach the chain; the reveal picks the
 * secret whose commitment the chain holds. Each secret is the SDK's `KeptBid` (shared with the
 * dApp), checked when read back.
 */
import type { Address } from "viem";
import { keptBidOf, parseKeptBid, type KeptBid, type SealedBid } from "@modelbazaar/sdk/auctions";
import { bidKey } from "@modelbazaar/sdk/audit";
import { KeptRecordError } from "@modelbazaar/sdk/client";
import { CliError } from "./cliError.ts";
import { readState, recordsElsewhere, writeStateRecord, type RecordScope, type RecordsElsewhere } from "./localState.ts";

/** The sealings kept under one auction and bidder, as stored. */
interface BidRecord {
  readonly secrets: readonly unknown[];
}

/** The secrets of `record`, each checked (parseKeptBid); a sentence naming `file` when one is damaged. */
function secretsIn(record: BidRecord | undefined, file: string): readonly KeptBid[] {
  try {
    return (record?.secrets ?? []).map((secret, i) => parseKeptBid(secret, `bid secret ${i + 1} in ${file}`));
  } catch (error) {
    if (error instanceof KeptRecordError) throw new CliError(`${error.message}: the file was damaged or edited, so it is not used`);
    throw error;
  }
}

/** Stores a sealed bid's secret; call before sending its commitment. */
export function keepBidSecret(scope: RecordScope, bid: SealedBid, testId: bigint): void {
  appendSecret(scope, keptBidOf(bid, { testId }));
}

/** Every secret kept for the bidder's bids in the auction of the deployment `scope`, oldest first. */
export function bidSecretsOf(scope: RecordScope, auctionId: bigint, bidder: Address): readonly KeptBid[] {
  return secretsIn(readState<BidRecord>("bids", scope)[bidKey(auctionId, bidder)], "this machine's bids");
}

/** The secrets kept for the bidder's bids in an auction of the same id on other deployments (or before records had one). */
export function bidSecretsElsewhere(scope: RecordScope, auctionId: bigint, bidder: Address): { where: RecordsElsewhere<unknown>; secrets: readonly KeptBid[] }[] {
  return recordsElsewhere<BidRecord>("bids", scope)
    .map((where) => ({ where, secrets: secretsIn(where.records[bidKey(auctionId, bidder)], where.file) }))
    .filter(({ secrets }) => secrets.length > 0);
}

/** Takes over a secret kept before records had a deployment, once the chain holds its commitment. */
export function adoptBidSecret(scope: RecordScope, secret: KeptBid): void {
  appendSecret(scope, secret);
}

function appendSecret(scope: RecordScope, secret: KeptBid): void {
  const key = bidKey(BigInt(secret.auctionId), secret.bidder);
  writeStateRecord<BidRecord>("bids", scope, key, { secrets: [...(readState<BidRecord>("bids", scope)[key]?.secrets ?? []), secret] });
}
