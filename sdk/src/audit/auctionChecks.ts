/**
 * Rule checks of sealed-bid auctions (docs/PROTOCOL.md §4), recomputed from the bids alone:
 * each reveal's validity (amount within collateral), the winner (highest valid bid, ties to
 * the bid revealed first, at least the reserve and positive), the price (first-price: the
 * winning bid; Vickrey: the larger of the second-highest valid bid and the reserve), the
 * purchase the winner's payment opened (its escrow: the price, and at least the winner's deposit
 * plus its rejection penalty), and every reclaim's refund, returned deposit and penalty (burned:
 * credited to the market's penalty sink, 0x…dEaD).
 */
import { isAddressEqual, zeroAddress, type Address } from "viem";
import { etherText as eth } from "../labels/etherText.ts";
import { amountFinding, equalFinding, finding, type AuditFinding } from "./findings.ts";
import { bidderKey, type AuctionRecord, type MarketTrail } from "./marketTrail.ts";

/** The outcome the rules give an auction. */
export interface AuctionOutcome {
  readonly winner: Address;
  readonly price: bigint;
}

const FIRST_PRICE = 0;
/** Where the market burns withheld bids' penalties (`SealedBidAuctions.PENALTY_SINK`). */
export const PENALTY_SINK: Address = "0x000000000000000000000000000000000000dEaD";

/** Recomputes the winner and the price from the revealed bids, in reveal order. */
export function auctionOutcome(auction: AuctionRecord): AuctionOutcome {
  let highest: { bidder: Address; amount: bigint } | undefined;
  let second = 0n;
  for (const key of auction.revealOrder) {
    const bid = auction.bids.get(key)!;
    const amount = bid.revealed!.amount;
    if (amount > bid.collateral) continue;
    if (highest === undefined || amount > highest.amount) {
      second = highest?.amount ?? 0n;
      highest = { bidder: bid.bidder, amount };
    } else if (amount > second) {
      second = amount;
    }
  }
  const reserve = auction.params.reservePrice;
  if (!highest || highest.amount === 0n || highest.amount < reserve) return { winner: zeroAddress, price: 0n };
  const price = auction.params.kind === FIRST_PRICE ? highest.amount : second > reserve ? second : reserve;
  return { winner: highest.bidder, price };
}

export function checkAuctions(trail: MarketTrail): AuditFinding[] {
  return [...trail.auctions.values()].flatMap((auction) => checkAuction(trail, auction));
}

function checkAuction(trail: MarketTrail, auction: AuctionRecord): AuditFinding[] {
  const subject = `auction ${auction.auctionId}`;
  const out: AuditFinding[] = [];
  const commitEnd = auction.created.timestamp + BigInt(auction.params.commitDuration);
  const revealEnd = commitEnd + BigInt(auction.params.revealDuration);
  for (const bid of auction.bids.values()) {
    const who = `${subject}, bid of ${bid.bidder}`;
    out.push(finding("auction.commit-time", who, bid.committed.timestamp < commitEnd, `committed at ${bid.committed.timestamp}, commit phase ends ${commitEnd}`));
    if (bid.revealed) {
      const { amount, valid, at } = bid.revealed;
      out.push(finding("auction.reveal-time", who, at.timestamp >= commitEnd && at.timestamp < revealEnd, `revealed at ${at.timestamp}, reveal phase ${commitEnd}..${revealEnd}`));
      out.push(equalFinding("auction.reveal-validity", who, `validity of a reveal of ${eth(amount)} against collateral ${eth(bid.collateral)}`, amount <= bid.collateral, valid));
    }
  }
  const expected = auctionOutcome(auction);
  if (auction.settled) {
    const { winner, price, at } = auction.settled;
    out.push(finding("auction.settle-time", subject, at.timestamp >= revealEnd, `settled at ${at.timestamp}, reveal phase ends ${revealEnd}`));
    out.push(finding("auction.winner", subject, isAddressEqual(winner, expected.winner), isAddressEqual(winner, expected.winner) ? `winner ${winner} holds the highest valid bid` : `settled to ${winner}, the highest valid bid is ${expected.winner}'s`));
    out.push(amountFinding("auction.price", subject, "the clearing price", expected.price, price));
    out.push(checkSettlementPurchase(trail, auction));
  }
  for (const bid of auction.bids.values()) {
    if (bid.reclaimed) out.push(checkReclaim(auction, bid.bidder, expected));
  }
  return out;
}

function checkSettlementPurchase(trail: MarketTrail, auction: AuctionRecord): AuditFinding {
  const subject = `auction ${auction.auctionId}`;
  const { winner, price, purchaseId } = auction.settled!;
  if (isAddressEqual(winner, zeroAddress)) return finding("auction.purchase", subject, purchaseId === 0n, purchaseId === 0n ? "no winner, no purchase" : `no winner, yet purchase ${purchaseId} was opened`);
  const p = trail.purchases.get(purchaseId);
  const bid = auction.bids.get(bidderKey(winner));
  const escrow = bid === undefined ? -1n : winnerEscrow(price, bid.deposit, penaltyOf(auction, bid.collateral));
  const ok = p !== undefined && bid !== undefined && p.auctionId === auction.auctionId && isAddressEqual(p.buyer, winner) && p.price === price && p.listingId === auction.listingId && p.depositApplied === bid.deposit && p.escrow === escrow;
  return finding("auction.purchase", subject, ok, ok ? `purchase ${purchaseId} holds the winner's ${eth(price)} (escrow ${eth(escrow)})` : `purchase ${purchaseId} does not hold the winner's payment for this listing (escrow ${p ? eth(p.escrow) : "none"}, the rules give ${eth(escrow)})`);
}

/** The non-reveal (and rejection) penalty on `collateral`. */
function penaltyOf(auction: AuctionRecord, collateral: bigint): bigint {
  return (collateral * BigInt(auction.params.nonRevealPenaltyBps)) / 10_000n;
}

/** The winner's escrow: the price, and at least its deposit plus its rejection penalty. */
function winnerEscrow(price: bigint, deposit: bigint, penalty: bigint): bigint {
  return price > deposit + penalty ? price : deposit + penalty;
}

function checkReclaim(auction: AuctionRecord, bidder: Address, expected: AuctionOutcome): AuditFinding {
  const bid = auction.bids.get(bidderKey(bidder))!;
  const { refund, depositReturned, penalty, penaltyRecipient } = bid.reclaimed!;
  const who = `auction ${auction.auctionId}, bid of ${bidder}`;
  const revealEnd = auction.created.timestamp + BigInt(auction.params.commitDuration) + BigInt(auction.params.revealDuration);
  if (bid.reclaimed!.at.timestamp < revealEnd) return finding("auction.reclaim", who, false, "reclaimed before the reveal phase ended");
  // [refund, deposit back to its test-drive, penalty]
  let rule: [bigint, bigint, bigint];
  if (!bid.revealed || bid.revealed.amount > bid.collateral) {
    const p = penaltyOf(auction, bid.collateral);
    rule = [bid.collateral - p - bid.deposit, bid.deposit, p];
  } else if (isAddressEqual(bidder, expected.winner)) {
    rule = [bid.collateral - winnerEscrow(expected.price, bid.deposit, penaltyOf(auction, bid.collateral)), 0n, 0n];
  } else {
    rule = [bid.collateral - bid.deposit, bid.deposit, 0n];
  }
  const recipient = PENALTY_SINK;
  const ok = refund === rule[0] && depositReturned === rule[1] && penalty === rule[2] && (penalty === 0n || isAddressEqual(penaltyRecipient, recipient));
  return finding("auction.reclaim", who, ok, ok ? `refund ${refund}, deposit returned ${depositReturned}, penalty ${penalty}` : `refund ${refund}, deposit returned ${depositReturned} and penalty ${penalty} to ${penaltyRecipient}; the rules give ${rule[0]}, ${rule[1]} and ${rule[2]} to ${recipient}`);
}
