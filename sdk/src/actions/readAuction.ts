/**
 * Where an auction stands, from the chain alone: its terms, phase and deadlines (against the
 * latest block's time), how many bids were committed and revealed, the highest valid bid
 * revealed so far (and every reveal, in chain order), the winner and price once the reveal
 * phase is over, the purchase its settlement opened, the bidders whose collateral the market
 * still holds (anyone may release it after the reveal window), and optionally one bidder's bid.
 */
import { getContract, zeroAddress, zeroHash, type Address, type Hash, type Hex, type PublicClient } from "viem";
import { auctionKindOf, auctionPhaseOf, type AuctionKind, type AuctionPhase } from "../auctions/auctionTerms.ts";
import type { Deployment } from "../client/deployment.ts";
import { modelMarketAbi } from "../generated/abis.ts";

export class UnknownAuctionError extends Error {
  override readonly name = "UnknownAuctionError";
}

export interface AuctionReadClient {
  readonly publicClient: PublicClient;
  readonly deployment: Deployment;
}

export interface BidView {
  readonly commitment: Hex;
  readonly collateral: bigint;
  readonly amount: bigint;
  readonly revealed: boolean;
  readonly reclaimed: boolean;
}

/** One `BidRevealed` event: who opened which amount, and whether it competes (within its collateral). */
export interface RevealedBid {
  readonly bidder: Address;
  readonly amount: bigint;
  readonly valid: boolean;
  readonly blockNumber: bigint;
  readonly transactionHash: Hash;
}

export interface AuctionView {
  readonly auctionId: bigint;
  readonly listingId: bigint;
  readonly seller: Address;
  readonly kind: AuctionKind;
  readonly phase: AuctionPhase;
  readonly reservePrice: bigint;
  readonly onlyTestDrivers: boolean;
  readonly nonRevealPenaltyBps: number;
  /** Unix seconds: bids until `commitEnd`, reveals until `revealEnd`. */
  readonly commitEnd: number;
  readonly revealEnd: number;
  /** The latest block's time, which the phases follow. */
  readonly now: number;
  readonly bidCount: number;
  readonly revealedCount: number;
  /** The bids revealed so far, in chain order. */
  readonly reveals: readonly RevealedBid[];
  /** The highest valid revealed bid so far (0 before any) and its bidder. */
  readonly highestAmount: bigint;
  readonly highestBidder?: Address;
  /** Known once the reveal phase is over: undefined when no valid bid reached the reserve. */
  readonly winner?: Address;
  readonly clearingPrice: bigint;
  /** The purchase the settlement opened for the winner. */
  readonly purchaseId?: bigint;
  /** The bidders whose collateral the market still holds (committed, not yet reclaimed), in commit order. */
  readonly unreleased: readonly Address[];
  /** The bid of the `bidder` asked about, if it bid. */
  readonly bid?: BidView;
}

export async function readAuction({ publicClient, deployment }: AuctionReadClient, auctionId: bigint, bidder?: Address): Promise<AuctionView> {
  const market = getContract({ address: deployment.market, abi: modelMarketAbi, client: publicClient });
  const phase = auctionPhaseOf(await market.read.auctionStatus([auctionId]));
  if (!phase) throw new UnknownAuctionError(`auction ${auctionId} does not exist`);
  const range = { fromBlock: deployment.startBlock, toBlock: "latest" } as const;
  const [auction, block, clearingPrice, committed, revealed, settled, reclaimed, bid] = await Promise.all([
    market.read.getAuction([auctionId]),
    publicClient.getBlock(),
    market.read.clearingPrice([auctionId]),
    market.getEvents.BidCommitted({ auctionId }, range),
    market.getEvents.BidRevealed({ auctionId }, range),
    market.getEvents.AuctionSettled({ auctionId }, range),
    market.getEvents.BidReclaimed({ auctionId }, range),
    bidder ? market.read.getBid([auctionId, bidder]) : undefined,
  ]);
  const over = phase === "settleable" || phase === "settled";
  const hasWinner = over && auction.highestAmount > 0n && auction.highestAmount >= auction.reservePrice;
  const purchaseId = settled[0]?.args.purchaseId;
  const released = new Set(reclaimed.map(({ args }) => args.bidder!.toLowerCase()));
  return {
    auctionId,
    listingId: BigInt(auction.listingId),
    seller: auction.seller,
    kind: auctionKindOf(auction.kind),
    phase,
    reservePrice: auction.reservePrice,
    onlyTestDrivers: auction.onlyTestDrivers,
    nonRevealPenaltyBps: auction.nonRevealPenaltyBps,
    commitEnd: auction.commitEnd,
    revealEnd: auction.revealEnd,
    now: Number(block.timestamp),
    bidCount: committed.length,
    revealedCount: revealed.length,
    reveals: revealed.map(({ args, blockNumber, transactionHash }) => ({ bidder: args.bidder!, amount: args.amount!, valid: args.valid!, blockNumber, transactionHash })),
    highestAmount: auction.highestAmount,
    highestBidder: auction.highestBidder === zeroAddress ? undefined : auction.highestBidder,
    winner: hasWinner ? auction.highestBidder : undefined,
    clearingPrice,
    purchaseId: purchaseId ? purchaseId : undefined,
    unreleased: committed.map(({ args }) => args.bidder!).filter((b) => !released.has(b.toLowerCase())),
    bid: bid && bid.commitment !== zeroHash ? { commitment: bid.commitment, collateral: bid.collateral, amount: bid.amount, revealed: bid.revealed, reclaimed: bid.reclaimed } : undefined,
  };
}
