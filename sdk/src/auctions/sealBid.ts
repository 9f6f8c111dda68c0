/**
 * Seals a bid before it is committed: a fresh random salt, the commitment bound to the bidder
 * and the auction (`bidCommitment`), and the collateral to send. Collateral above the amount
 * hides the amount; by default a random pad of up to the amount itself is added (and the sum
 * rounded up to 0.0001 ETH), so observers only learn that the bid lies between about half the
 * collateral and the collateral.
 */
import { bytesToHex, type Address, type Hex } from "viem";
import { bidCommitment } from "./bidCommitment.ts";

/** The largest amount a commitment can hold (`uint96`). */
export const MAX_BID = 2n ** 96n - 1n;

/** A default collateral is a multiple of this (0.0001 ETH), so it looks like a typed amount. */
export const COLLATERAL_STEP = 10n ** 14n;

export class BidSealError extends Error {
  override readonly name = "BidSealError";
}

export interface SealBidParams {
  readonly auctionId: bigint;
  readonly bidder: Address;
  /** The bid in wei (positive, at most MAX_BID). */
  readonly amount: bigint;
  /** The collateral in wei; at least `amount`. Omitted: `amount` plus a random pad, rounded up to COLLATERAL_STEP. */
  readonly collateral?: bigint;
}

/** What the bidder must keep secret until the reveal (`amount`, `salt`) and what it sends. */
export interface SealedBid {
  readonly auctionId: bigint;
  readonly bidder: Address;
  readonly amount: bigint;
  readonly salt: Hex;
  readonly commitment: Hex;
  readonly collateral: bigint;
  /** `collateral - amount`: the part that hides the amount. */
  readonly pad: bigint;
}

export function sealBid({ auctionId, bidder, amount, collateral }: SealBidParams): SealedBid {
  if (amount <= 0n || amount > MAX_BID) throw new BidSealError(`a bid must be positive and at most ${MAX_BID} wei`);
  const chosen = collateral ?? roundUp(amount + randomPad(amount), COLLATERAL_STEP);
  if (chosen < amount) throw new BidSealError("the collateral must be at least the bid, or the bid would be invalid at the reveal and pay the penalty");
  const salt = bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
  return { auctionId, bidder, amount, salt, commitment: bidCommitment(amount, salt, bidder, auctionId), collateral: chosen, pad: chosen - amount };
}

function roundUp(value: bigint, step: bigint): bigint {
  return ((value + step - 1n) / step) * step;
}

/** A uniformly random amount in [0, `limit`] (in 2^-32 steps of `limit`). */
function randomPad(limit: bigint): bigint {
  const [r] = crypto.getRandomValues(new Uint32Array(1));
  return (limit * BigInt(r!)) / 0xffff_ffffn;
}
