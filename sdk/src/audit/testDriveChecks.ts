/**
 * Rule checks of test-drives (docs/PROTOCOL.md §3): the price paid follows the listing's test
 * policy, the receipt came in time and paid the fee, and each ending paid what its outcome
 * allows, when it allows it: an unserved refund only after the service window, a forfeit only
 * after the dispute window, a deposit applied only to a purchase or bid of the same buyer in the
 * same transaction, and a deposit that came back from a refunded or lost sale ends only by a
 * refund dispute or forfeit, under the dispute deadline it had before the sale (from its
 * receipt, or its opening if it paid into the sale before any receipt). A refund ends a
 * test-drive only through its refund dispute (`RefundDisputes`), settled as `Refunded` or
 * `RefundRejected`, whose amounts and proofs the `dispute.*` checks judge
 * (refundDisputeChecks.ts).
 */
import { isAddressEqual } from "viem";
import { amountFinding, finding, type AuditFinding } from "./findings.ts";
import { before, type ListingRecord, type MarketTrail, type TestClosing, type TestRecord } from "./marketTrail.ts";

/** Checks every test-drive. */
export function checkTestDrives(trail: MarketTrail): AuditFinding[] {
  const out: AuditFinding[] = [];
  for (const test of trail.tests.values()) out.push(...checkTest(trail, test));
  return out;
}

function checkTest(trail: MarketTrail, test: TestRecord): AuditFinding[] {
  const subject = `test ${test.testId}`;
  const listing = trail.listings.get(test.listingId);
  if (!listing) return [finding("test.listing", subject, false, `listing ${test.listingId} has no ListingCreated event`)];
  const p = listing.terms.testPolicy;
  const extra = BigInt(Math.max(0, test.sampleCount - p.freeSamples));
  const out = [
    finding("test.samples", subject, test.sampleCount >= p.minSamples && test.sampleCount <= p.maxSamples, `${test.sampleCount} samples, the listing allows ${p.minSamples}..${p.maxSamples}`),
    amountFinding("test.price", subject, "deposit + fee", p.deposit + p.feePerExtraSample * extra, test.deposit + test.fee),
  ];
  const serviceDeadline = test.opened.timestamp + BigInt(p.serviceWindow);
  if (test.receipt) {
    out.push(amountFinding("test.receipt", subject, "the fee paid at the receipt", test.fee, test.receipt.feePaid));
    out.push(finding("test.receipt-time", subject, test.receipt.at.timestamp < serviceDeadline, `receipt at ${test.receipt.at.timestamp}, service deadline ${serviceDeadline}`));
    out.push(checkReceiptSigner(listing, test));
  }
  if (test.disputed && !trail.disputes.has(test.testId)) {
    out.push(finding("test.Disputed", subject, false, "the market locked the deposit for a refund dispute that RefundDisputes never reported claimed"));
  }
  for (const closing of test.closings) out.push(checkEnding(trail, test, closing, p.disputeWindow, serviceDeadline));
  for (const back of test.returns) {
    out.push(amountFinding("test.deposit-returned", subject, "the deposit returned from a sale", test.deposit, back.deposit));
  }
  return out;
}

/** The receipt's signer is the seller or the worker signer of the offer in force at the receipt. */
function checkReceiptSigner(listing: ListingRecord, test: TestRecord): AuditFinding {
  const { worker, at } = test.receipt!;
  const offer = listing.offers.filter((o) => before(o.at, at)).at(-1)?.offer ?? listing.offer;
  const ok = isAddressEqual(worker, listing.seller) || isAddressEqual(worker, offer.workerSigner);
  return finding("test.receipt-signer", `test ${test.testId}`, ok, ok ? `receipt signed by ${worker}` : `receipt signed by ${worker}, neither the seller nor the listing's worker signer ${offer.workerSigner}`);
}

function checkEnding(
  trail: MarketTrail,
  test: TestRecord,
  closing: TestClosing,
  disputeWindow: number,
  serviceDeadline: bigint,
): AuditFinding {
  const subject = `test ${test.testId}`;
  const { outcome, toBuyer, toSeller, at } = closing;
  const check = `test.${outcome}`;
  const paid = (buyer: bigint, seller: bigint): string | undefined =>
    toBuyer === buyer && toSeller === seller ? undefined : `paid ${toBuyer} to the buyer and ${toSeller} to the seller, the rules give ${buyer} and ${seller}`;
  // The dispute window runs from the receipt; a deposit that paid into a sale before any receipt
  // and came back runs it from the opening (the clock never restarts).
  const returned = test.returns.some((r) => before(r.at, at));
  const windowStart = test.receipt?.at.timestamp ?? (returned ? test.opened.timestamp : undefined);
  const disputeDeadline = windowStart === undefined ? undefined : windowStart + BigInt(disputeWindow);
  const feeUnpaid = !test.receipt && test.returns.length === 0 && test.closings[0] === closing;
  const verdict = (problem: string | undefined, ok: string): AuditFinding => finding(check, subject, problem === undefined, problem ?? ok);
  const dispute = trail.disputes.get(test.testId);
  if (dispute && before(dispute.claim.at, at)) {
    if (dispute.closed?.at.transactionHash !== at.transactionHash) return verdict(`closed as ${outcome} while its refund dispute (claimed in ${dispute.claim.at.transactionHash}) had not ended`, "");
    if (outcome !== "Refunded" && outcome !== "RefundRejected") return verdict(`closed as ${outcome} by its refund dispute's settlement, which ends a test-drive only as Refunded or RefundRejected`, "");
    return verdict(undefined, `settled by its refund dispute (${dispute.closed.reason}); the dispute.* checks judge its proofs and amounts`);
  }
  switch (outcome) {
    case "Refunded":
      return verdict("was refunded without a refund dispute", "");
    case "RefundRejected":
      return verdict("was closed as a rejected refund without a refund dispute", "");
    case "Unserved":
      if (test.receipt) return verdict("was refunded as unserved although the worker recorded a receipt", "");
      if (at.timestamp < serviceDeadline) return verdict(`was refunded as unserved at ${at.timestamp}, before the service deadline ${serviceDeadline}`, "");
      return verdict(paid(test.deposit + test.fee, 0n), "deposit and fee refunded after the service window");
    case "Forfeited":
      if (disputeDeadline === undefined) return verdict("was forfeited without a receipt", "");
      if (at.timestamp < disputeDeadline) return verdict(`was forfeited at ${at.timestamp}, before the dispute deadline ${disputeDeadline}`, "");
      return verdict(paid(0n, test.deposit), "deposit forfeited to the seller after the dispute window");
    case "AppliedToPurchase": {
      const purchase = [...trail.purchases.values()].find((x) => x.opened.transactionHash === at.transactionHash);
      if (!purchase || !isAddressEqual(purchase.buyer, test.buyer) || purchase.listingId !== test.listingId) return verdict("paid a purchase that is not its buyer's purchase of this listing in the same transaction", "");
      return verdict(paid(test.deposit, feeUnpaid ? test.fee : 0n), `deposit applied to purchase ${purchase.purchaseId}`);
    }
    case "AppliedToBid": {
      const auction = [...trail.auctions.values()].find((a) => a.bids.get(test.buyer.toLowerCase())?.committed.transactionHash === at.transactionHash);
      if ((!test.receipt && test.returns.length === 0) || !auction || auction.listingId !== test.listingId) return verdict("became collateral without a receipt, or of a bid that is not its buyer's on this listing", "");
      return verdict(paid(test.deposit, 0n), `deposit became collateral in auction ${auction.auctionId}`);
    }
    default:
      return verdict(`closed with the unknown outcome ${outcome}`, "");
  }
}
