/**
 * Whether a kept bid secret (the amount and salt a bidder exported, or kept in a file) opens
 * the commitment the chain holds: it is recomputed (`bidCommitment`), so a file with the right
 * commitment written beside a wrong amount or salt is refused before it is kept, never at the
 * reveal, when the bid would pay the non-reveal penalty. Used by the dApp's import of a bid file.
 */
import type { Address, Hex } from "viem";
import { bidCommitment } from "./bidCommitment.ts";
import { MAX_BID } from "./sealBid.ts";

/** A secret as a file keeps it: the amount in wei as a decimal string, the salt as hex. */
export interface BidSecretText {
  readonly amount: string;
  readonly salt: string;
}

/** The bid the chain holds: its bidder, its auction and its commitment (`getBid`). */
export interface CommittedBid {
  readonly auctionId: bigint;
  readonly bidder: Address;
  readonly commitment: Hex;
}

/** Why `secret` does not open `bid`, in a sentence, or undefined when it does. */
export function bidSecretRefusal(secret: BidSecretText, bid: CommittedBid): string | undefined {
  const amount = /^[1-9]\d*$/.test(secret.amount) ? BigInt(secret.amount) : 0n;
  if (amount === 0n || amount > MAX_BID) return `the amount "${secret.amount}" is not a bid in wei (a whole number from 1 to ${MAX_BID})`;
  if (!/^0x[0-9a-fA-F]{64}$/.test(secret.salt)) return `the salt "${secret.salt}" is not 32 bytes of hex`;
  const opened = bidCommitment(amount, secret.salt as Hex, bid.bidder, bid.auctionId);
  if (opened === bid.commitment.toLowerCase()) return undefined;
  return `the amount and salt do not open the bid the chain holds for ${bid.bidder} in auction ${bid.auctionId} (they hash to ${opened}, the chain holds ${bid.commitment}): revealing them would fail and the bid would pay the non-reveal penalty`;
}
