/**
 * Rule checks of purchases (docs/PROTOCOL.md §5): the price is the listing's fixed price in
 * force at the purchase (or the auction's clearing price, checked with the auction), a
 * deposit paid part of it only from its buyer's test-drive in the same transaction, the
 * seller kept its deadlines and revealed the committed key, and each ending is allowed: the
 * seller is paid only after the complaint window, the buyer refunded only for a missed
 * deadline, a rejection before the key, or a complaint that really proves a bad chunk. Money:
 * a fixed-price escrow holds max(price, deposit); on completion the seller gets the price and
 * the buyer the rest; on any refund the deposit goes back to its test-drive, a rejecting auction
 * winner's penalty (none for a per-buyer copy) to the seller (checked with the auction) and only the rest to the buyer.
 */
import { hexToBytes } from "viem";
import { keyHash } from "../delivery/chunkMerkle.ts";
import type { ComplaintVerdict } from "./complaintCheck.ts";
import { etherText as eth } from "../labels/etherText.ts";
import { amountFinding, finding, type AuditFinding } from "./findings.ts";
import { before, type MarketTrail, type PurchaseRecord } from "./marketTrail.ts";

/** The market's fair-exchange windows, in seconds (immutables of FairExchange). */
export interface ExchangeWindows {
  readonly delivery: number;
  readonly accept: number;
  readonly reveal: number;
  readonly complaint: number;
}

const FIXED_PRICE = 0;

export function checkPurchases(trail: MarketTrail, windows: ExchangeWindows, complaints: ReadonlyMap<bigint, ComplaintVerdict>): AuditFinding[] {
  return [...trail.purchases.values()].flatMap((p) => checkPurchase(trail, p, windows, complaints.get(p.purchaseId)));
}

function checkPurchase(trail: MarketTrail, p: PurchaseRecord, w: ExchangeWindows, complaint: ComplaintVerdict | undefined): AuditFinding[] {
  const subject = `purchase ${p.purchaseId}`;
  const out: AuditFinding[] = [];
  if (p.auctionId === 0n) {
    out.push(...checkFixedPrice(trail, p));
    const escrow = p.price > p.depositApplied ? p.price : p.depositApplied;
    out.push(amountFinding("purchase.escrow", subject, "the escrow (the larger of price and deposit)", escrow, p.escrow));
  }
  if (p.depositApplied > 0n) {
    const test = trail.tests.get(p.testId);
    const outcome = p.auctionId === 0n ? "AppliedToPurchase" : "AppliedToBid";
    const ok = test !== undefined && test.closings.some((c) => c.outcome === outcome) && test.listingId === p.listingId && test.buyer.toLowerCase() === p.buyer.toLowerCase() && p.depositApplied === test.deposit;
    out.push(finding("purchase.deposit", subject, ok, ok ? `test ${p.testId}'s deposit of ${eth(p.depositApplied)} paid into the escrow` : `${eth(p.depositApplied)} were applied without a deposit of the buyer's test-drive of this listing`));
  }
  const deliveryDeadline = p.opened.timestamp + BigInt(w.delivery);
  if (p.delivery) {
    out.push(finding("purchase.delivery-time", subject, p.delivery.at.timestamp < deliveryDeadline, `delivery committed at ${p.delivery.at.timestamp}, deadline ${deliveryDeadline}`));
  }
  // Silence never accepts a per-buyer copy: unaccepted, its key was due when acceptance ended.
  const keyDeadline = p.delivery ? p.delivery.at.timestamp + BigInt(p.copy && !p.accepted ? w.accept : w.accept + w.reveal) : undefined;
  if (p.key) {
    const opens = p.delivery !== undefined && keyHash(hexToBytes(p.key.key)) === p.delivery.keyHash;
    out.push(finding("purchase.key", subject, opens && p.key.at.timestamp < keyDeadline!, opens ? `key revealed at ${p.key.at.timestamp}, deadline ${keyDeadline}` : "the revealed key does not hash to the committed key hash"));
  }
  if (p.completed) {
    const complaintEnd = p.key ? p.key.at.timestamp + BigInt(w.complaint) : undefined;
    const ok = complaintEnd !== undefined && p.completed.at.timestamp >= complaintEnd && p.completed.amount === p.price && p.completed.toBuyer === p.escrow - p.price && p.completed.seller.toLowerCase() === p.seller.toLowerCase();
    out.push(finding("purchase.Completed", subject, ok, ok ? `the seller was paid ${p.price} after the complaint window` : `the seller was paid ${p.completed.amount} and the buyer ${p.completed.toBuyer} at ${p.completed.at.timestamp} (price ${p.price}, escrow ${p.escrow}, complaint window ends ${complaintEnd ?? "never: no key was revealed"})`));
  }
  if (p.refunded) out.push(checkRefund(p, w, deliveryDeadline, keyDeadline, complaint));
  return out;
}

/** The price against the offer in force; nothing when the offer's history precedes the scan. */
function checkFixedPrice(trail: MarketTrail, p: PurchaseRecord): AuditFinding[] {
  const subject = `purchase ${p.purchaseId}`;
  const listing = trail.listings.get(p.listingId);
  if (!listing) return [finding("purchase.price", subject, false, `listing ${p.listingId} has no ListingCreated event`)];
  if (listing.offers.length === 0) return [];
  const offer = listing.offers.filter((o) => before(o.at, p.opened)).at(-1)?.offer;
  if (!offer || offer.saleMode !== FIXED_PRICE) return [finding("purchase.price", subject, false, `listing ${p.listingId} was not for sale at a fixed price when purchase ${p.purchaseId} opened`)];
  return [amountFinding("purchase.price", subject, "the price", offer.price, p.price)];
}

function checkRefund(p: PurchaseRecord, w: ExchangeWindows, deliveryDeadline: bigint, keyDeadline: bigint | undefined, complaint: ComplaintVerdict | undefined): AuditFinding {
  const subject = `purchase ${p.purchaseId}`;
  const { toBuyer, depositReturned, penalty, reason, at } = p.refunded!;
  const check = `purchase.${reason}`;
  if (depositReturned !== p.depositApplied) return finding(check, subject, false, `${eth(depositReturned)} went back to a test-drive, ${eth(p.depositApplied)} of its deposit had paid in`);
  if (penalty !== 0n && (reason !== "DeliveryRejected" || p.auctionId === 0n || p.copy)) return finding(check, subject, false, `a penalty of ${eth(penalty)} was taken, but only an auction winner rejecting the listed model pays one (never for a per-buyer copy)`);
  if (toBuyer + depositReturned + penalty !== p.escrow) return finding(check, subject, false, `the refund pays out ${eth(toBuyer + depositReturned + penalty)}, the escrow held ${eth(p.escrow)}`);
  const why = ((): string | undefined => {
    switch (reason) {
      case "DeliveryMissed":
        return !p.delivery && at.timestamp >= deliveryDeadline ? undefined : `refunded for a missed delivery at ${at.timestamp}, delivery deadline ${deliveryDeadline}${p.delivery ? ", but a delivery was committed" : ""}`;
      case "DeliveryRejected":
        return p.delivery && !p.key && !p.accepted && at.timestamp < p.delivery.at.timestamp + BigInt(w.accept) ? undefined : "rejected without a pending, unaccepted delivery inside the acceptance window";
      case "KeyMissed":
        return p.delivery && !p.key && at.timestamp >= keyDeadline! ? undefined : `refunded for a missed key at ${at.timestamp}, key deadline ${keyDeadline ?? "none"}`;
      case "ComplaintUpheld": {
        if (!p.key || at.timestamp >= p.key.at.timestamp + BigInt(w.complaint)) return "a complaint was upheld outside the complaint window";
        return complaint?.justified ? undefined : `the complaint was not justified: ${complaint?.detail ?? "it was not re-checked"}`;
      }
    }
  })();
  return finding(check, subject, why === undefined, why ?? (reason === "ComplaintUpheld" ? `refunded: ${complaint!.detail}` : `the buyer was refunded ${toBuyer}, its test-drive ${depositReturned} (${reason})`));
}
