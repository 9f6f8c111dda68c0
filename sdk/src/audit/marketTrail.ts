/**
 * Per-flow reconstruction for the audit: folds the decoded events, in chain order, into one
 * record per listing, test-drive, v2 refund dispute, auction and purchase, holding every fact
 * the events state (amounts, parties, times, the transaction of each step). The rule checks
 * then judge these records; nothing here decides whether a step was allowed.
 */
import type { Address, Hash, Hex } from "viem";
import type { OpenedSampleCalldata } from "../testDrives/sampleOpening.ts";
import type { CollectedEvents, DisputesEvent, MarketEvent, RegistryEvent } from "./collectEvents.ts";

/** When and where a step happened. */
export interface Step {
  readonly timestamp: bigint;
  readonly blockNumber: bigint;
  readonly logIndex: number;
  readonly transactionHash: Hash;
}

/** Whether step `a` came before step `b` in chain order. */
export const before = (a: Step, b: Step): boolean => a.blockNumber < b.blockNumber || (a.blockNumber === b.blockNumber && a.logIndex < b.logIndex);

type ListingCreatedArgs = Extract<RegistryEvent, { eventName: "ListingCreated" }>["args"];
export type ListingTerms = ListingCreatedArgs["terms"];
export type ListingOffer = ListingCreatedArgs["offer"];

export interface ListingRecord {
  readonly listingId: bigint;
  readonly seller: Address;
  readonly terms: ListingTerms;
  /** The offer in force now, and every offer with the time it took effect (empty when the
   * listing predates the scanned blocks and was read from the registry). */
  offer: ListingOffer;
  readonly offers: { offer: ListingOffer; at: Step }[];
  status: "Active" | "Paused" | "Delisted";
  promoted: bigint;
  readonly listed: Step;
}

/** Test-drive outcomes, named as `ITestDrives.TestPhase`. */
export const TEST_OUTCOMES = ["Open", "Evaluated", "Refunded", "Unserved", "Forfeited", "AppliedToPurchase", "AppliedToBid", "Disputed", "RefundRejected"] as const;
export type TestOutcome = (typeof TEST_OUTCOMES)[number];

export interface TestRecord {
  readonly testId: bigint;
  readonly listingId: bigint;
  readonly buyer: Address;
  readonly dataCommitment: Hex;
  readonly sampleCount: number;
  readonly deposit: bigint;
  readonly fee: bigint;
  readonly opened: Step;
  receipt?: { resultHash: Hex; worker: Address; feePaid: bigint; at: Step };
  /** Every `TestClosed`, in order: a deposit applied to a sale closes the test-drive, and
   * {returns} may reopen it when that sale is refunded or lost. */
  readonly closings: TestClosing[];
  /** Every `DepositReturned`: the deposit came back from a sale, with a fresh dispute window. */
  readonly returns: { deposit: bigint; at: Step }[];
  /** The market's `TestDisputed`: a v2 refund was claimed and the deposit is held for it. */
  disputed?: Step;
  /** How the test-drive stands ended now (the last closing, unless a return reopened it). */
  closed?: TestClosing;
}

export interface TestClosing {
  readonly outcome: TestOutcome;
  readonly toBuyer: bigint;
  readonly toSeller: bigint;
  readonly at: Step;
  /** The market's `PaymentCredited` events that follow this `TestClosed` in its transaction
   * (a dispute's settlement credits the buyer, the seller and, for a burned bond, the penalty sink). */
  readonly credits?: { readonly payee: Address; readonly amount: bigint }[];
}

/** Why a v2 dispute ended, named as `IRefundDisputes.DisputeEnd`. */
export const DISPUTE_ENDS = ["Uncontested", "Unproven", "Mismatch", "InvalidOpening", "PredictionOutOfRange", "NotOpened"] as const;
export type DisputeEnd = (typeof DISPUTE_ENDS)[number];

/** A v2 refund dispute (`RefundDisputes`) of one test-drive, from that contract's events. */
export interface RefundDisputeRecord {
  readonly testId: bigint;
  readonly claim: {
    readonly shortfallBps: number;
    readonly refund: bigint;
    readonly predictionCommitment: Hex;
    readonly buyerSecretHash: Hex;
    readonly buyerBond: bigint;
    readonly freeSamplesFee: bigint;
    readonly at: Step;
  };
  contest?: { readonly contester: Address; readonly sellerSecret: Hex; readonly sellerBond: bigint; readonly at: Step };
  opening?: {
    readonly buyerSecret: Hex;
    readonly featuresRoot: bigint;
    readonly indices: readonly number[];
    readonly labels: readonly number[];
    readonly predictions: readonly number[];
    readonly samples: readonly OpenedSampleCalldata[];
    readonly at: Step;
  };
  mismatch?: { readonly index: number; readonly cls: number; readonly kind: DisputeEnd; readonly at: Step };
  closed?: { readonly buyerWon: boolean; readonly reason: DisputeEnd; readonly refund: bigint; readonly burned: bigint; readonly at: Step };
}

export interface BidRecord {
  readonly bidder: Address;
  readonly collateral: bigint;
  /** The part of the collateral a test-drive deposit paid (its `TestClosed(AppliedToBid)` is in the same transaction). */
  readonly deposit: bigint;
  readonly committed: Step;
  revealed?: { amount: bigint; valid: boolean; at: Step };
  reclaimed?: { refund: bigint; depositReturned: bigint; penalty: bigint; penaltyRecipient: Address; at: Step };
}

type AuctionParams = Extract<MarketEvent, { eventName: "AuctionCreated" }>["args"]["params"];

export interface AuctionRecord {
  readonly auctionId: bigint;
  readonly listingId: bigint;
  readonly seller: Address;
  readonly params: AuctionParams;
  readonly created: Step;
  /** Bids in commit order; reveals are ordered by `revealOrder`. */
  readonly bids: Map<string, BidRecord>;
  readonly revealOrder: string[];
  settled?: { winner: Address; price: bigint; purchaseId: bigint; at: Step };
}

/** Refund reasons, named as `IFairExchange.RefundReason`. */
export const REFUND_REASONS = ["DeliveryMissed", "DeliveryRejected", "KeyMissed", "ComplaintUpheld"] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];

export interface PurchaseRecord {
  readonly purchaseId: bigint;
  readonly listingId: bigint;
  readonly buyer: Address;
  readonly seller: Address;
  readonly price: bigint;
  /** What the escrow holds: the price, plus a deposit beyond it or a winner's rejection penalty. */
  readonly escrow: bigint;
  readonly depositApplied: bigint;
  readonly testId: bigint;
  readonly auctionId: bigint;
  readonly opened: Step;
  delivery?: { ciphertextRoot: Hex; keyHash: Hex; at: Step };
  /** The buyer's own copy, when the seller delivered one (`CopyCommitted`): chunks are proven against it, not the listing's model. */
  copy?: { copyRoot: Hex; copySize: bigint };
  accepted?: Step;
  key?: { key: Hex; at: Step };
  complaint?: { index: bigint; at: Step };
  completed?: { seller: Address; amount: bigint; toBuyer: bigint; at: Step };
  refunded?: { buyer: Address; toBuyer: bigint; depositReturned: bigint; penalty: bigint; reason: RefundReason; at: Step };
}

export interface MarketTrail {
  readonly listings: Map<bigint, ListingRecord>;
  readonly tests: Map<bigint, TestRecord>;
  readonly auctions: Map<bigint, AuctionRecord>;
  readonly purchases: Map<bigint, PurchaseRecord>;
  /** v2 refund disputes, by test id (from the market's `RefundDisputes`). */
  readonly disputes: Map<bigint, RefundDisputeRecord>;
  /** Promotion fees paid to the registry and withdrawn by its owner. */
  readonly promotionFees: { paid: bigint; withdrawn: bigint };
  /** Events that name an id no earlier event created (incomplete logs or a wrong start block). */
  readonly orphans: string[];
}

/** The lower-case key of a bidder in {AuctionRecord.bids}. */
export const bidderKey = (bidder: Address): string => bidder.toLowerCase();

function stepOf(event: { timestamp: bigint; blockNumber: bigint | null; logIndex: number | null; transactionHash: Hash | null }): Step {
  return { timestamp: event.timestamp, blockNumber: event.blockNumber!, logIndex: event.logIndex!, transactionHash: event.transactionHash! };
}

/** Rebuilds every flow from the collected events. */
export function buildMarketTrail(events: CollectedEvents): MarketTrail {
  const trail: MarketTrail = { listings: new Map(), tests: new Map(), auctions: new Map(), purchases: new Map(), disputes: new Map(), promotionFees: { paid: 0n, withdrawn: 0n }, orphans: [] };
  for (const event of events.registry) applyRegistryEvent(trail, event);
  let lastClosing: TestClosing | undefined;
  for (const event of events.market) {
    if (event.eventName === "PaymentCredited" && lastClosing && lastClosing.at.transactionHash === event.transactionHash) {
      lastClosing.credits?.push({ payee: event.args.payee, amount: event.args.amount });
      continue;
    }
    applyMarketEvent(trail, event);
    lastClosing = event.eventName === "TestClosed" ? trail.tests.get(event.args.testId)?.closed : undefined;
  }
  for (const event of events.disputes ?? []) applyDisputesEvent(trail, event);
  return trail;
}

function known<K, V>(trail: MarketTrail, map: Map<K, V>, id: K, event: { eventName: string }, what: string): V | undefined {
  const record = map.get(id);
  if (record === undefined) trail.orphans.push(`${event.eventName} names ${what} ${String(id)}, which no earlier event created`);
  return record;
}

/** Applies `change` to the record `id` names, or notes an orphan event. */
function update<K, V>(trail: MarketTrail, map: Map<K, V>, id: K, event: { eventName: string }, what: string, change: (record: V) => void): void {
  const record = known(trail, map, id, event, what);
  if (record !== undefined) change(record);
}

function applyRegistryEvent(trail: MarketTrail, event: RegistryEvent): void {
  const at = stepOf(event);
  switch (event.eventName) {
    case "ListingCreated": {
      const { listingId, seller, terms, offer } = event.args;
      trail.listings.set(listingId, { listingId, seller, terms, offer, offers: [{ offer, at }], status: "Active", promoted: 0n, listed: at });
      break;
    }
    case "ListingUpdated": {
      const listing = known(trail, trail.listings, event.args.listingId, event, "listing");
      if (listing) {
        listing.offer = event.args.offer;
        listing.offers.push({ offer: event.args.offer, at });
      }
      break;
    }
    case "ListingPaused":
    case "ListingUnpaused":
    case "ListingDelisted": {
      update(trail, trail.listings, event.args.listingId, event, "listing", (listing) => (listing.status = event.eventName === "ListingPaused" ? "Paused" : event.eventName === "ListingUnpaused" ? "Active" : "Delisted"));
      break;
    }
    case "ListingPromoted": {
      const listing = known(trail, trail.listings, event.args.listingId, event, "listing");
      if (listing) listing.promoted += event.args.amount;
      trail.promotionFees.paid += event.args.amount;
      break;
    }
    case "PromotionFeesWithdrawn":
      trail.promotionFees.withdrawn += event.args.amount;
      break;
  }
}

function applyMarketEvent(trail: MarketTrail, event: MarketEvent): void {
  const at = stepOf(event);
  switch (event.eventName) {
    case "TestOpened": {
      const { testId, listingId, buyer, dataCommitment, sampleCount, deposit, fee } = event.args;
      trail.tests.set(testId, { testId, listingId, buyer, dataCommitment, sampleCount, deposit, fee, opened: at, closings: [], returns: [] });
      break;
    }
    case "ReceiptRecorded": {
      update(trail, trail.tests, event.args.testId, event, "test", (test) => (test.receipt = { resultHash: event.args.resultHash, worker: event.args.worker, feePaid: event.args.feePaid, at }));
      break;
    }
    case "TestClosed": {
      update(trail, trail.tests, event.args.testId, event, "test", (test) => {
        test.closed = { outcome: TEST_OUTCOMES[event.args.outcome] ?? "Open", toBuyer: event.args.toBuyer, toSeller: event.args.toSeller, at, credits: [] };
        test.closings.push(test.closed);
      });
      break;
    }
    case "TestDisputed": {
      update(trail, trail.tests, event.args.testId, event, "test", (test) => (test.disputed = at));
      break;
    }
    case "DepositReturned": {
      update(trail, trail.tests, event.args.testId, event, "test", (test) => {
        test.returns.push({ deposit: event.args.deposit, at });
        test.closed = undefined;
      });
      break;
    }
    case "AuctionCreated": {
      const { auctionId, listingId, seller, params } = event.args;
      trail.auctions.set(auctionId, { auctionId, listingId, seller, params, created: at, bids: new Map(), revealOrder: [] });
      break;
    }
    case "BidCommitted": {
      const auction = known(trail, trail.auctions, event.args.auctionId, event, "auction");
      const applied = [...trail.tests.values()].find((t) => t.closed?.outcome === "AppliedToBid" && t.closed.at.transactionHash === at.transactionHash);
      auction?.bids.set(bidderKey(event.args.bidder), { bidder: event.args.bidder, collateral: event.args.collateral, deposit: applied?.closed?.toBuyer ?? 0n, committed: at });
      break;
    }
    case "BidRevealed": {
      const auction = known(trail, trail.auctions, event.args.auctionId, event, "auction");
      const bid = auction && known(trail, auction.bids, bidderKey(event.args.bidder), event, `a bid in auction ${event.args.auctionId} by`);
      if (auction && bid) {
        bid.revealed = { amount: event.args.amount, valid: event.args.valid, at };
        auction.revealOrder.push(bidderKey(event.args.bidder));
      }
      break;
    }
    case "BidReclaimed": {
      const auction = known(trail, trail.auctions, event.args.auctionId, event, "auction");
      const bid = auction && known(trail, auction.bids, bidderKey(event.args.bidder), event, `a bid in auction ${event.args.auctionId} by`);
      const { refund, depositReturned, penalty, penaltyRecipient } = event.args;
      if (bid) bid.reclaimed = { refund, depositReturned, penalty, penaltyRecipient, at };
      break;
    }
    case "AuctionSettled": {
      update(trail, trail.auctions, event.args.auctionId, event, "auction", (auction) => (auction.settled = { winner: event.args.winner, price: event.args.price, purchaseId: event.args.purchaseId, at }));
      break;
    }
    case "PurchaseOpened": {
      const { purchaseId, listingId, buyer, seller, price, escrow, depositApplied, testId, auctionId } = event.args;
      trail.purchases.set(purchaseId, { purchaseId, listingId, buyer, seller, price, escrow, depositApplied, testId, auctionId, opened: at });
      break;
    }
    case "DeliveryCommitted": {
      update(trail, trail.purchases, event.args.purchaseId, event, "purchase", (purchase) => (purchase.delivery = { ciphertextRoot: event.args.ciphertextRoot, keyHash: event.args.keyHash, at }));
      break;
    }
    case "CopyCommitted": {
      update(trail, trail.purchases, event.args.purchaseId, event, "purchase", (purchase) => (purchase.copy = { copyRoot: event.args.copyRoot, copySize: event.args.copySize }));
      break;
    }
    case "DeliveryAccepted": {
      update(trail, trail.purchases, event.args.purchaseId, event, "purchase", (purchase) => (purchase.accepted = at));
      break;
    }
    case "KeyRevealed": {
      update(trail, trail.purchases, event.args.purchaseId, event, "purchase", (purchase) => (purchase.key = { key: event.args.key, at }));
      break;
    }
    case "ComplaintUpheld": {
      update(trail, trail.purchases, event.args.purchaseId, event, "purchase", (purchase) => (purchase.complaint = { index: event.args.index, at }));
      break;
    }
    case "PurchaseCompleted": {
      update(trail, trail.purchases, event.args.purchaseId, event, "purchase", (purchase) => (purchase.completed = { seller: event.args.seller, amount: event.args.amount, toBuyer: event.args.toBuyer, at }));
      break;
    }
    case "PurchaseRefunded": {
      update(trail, trail.purchases, event.args.purchaseId, event, "purchase", (purchase) => {
        const { buyer, toBuyer, depositReturned, penalty, reason } = event.args;
        purchase.refunded = { buyer, toBuyer, depositReturned, penalty, reason: REFUND_REASONS[reason] ?? "DeliveryMissed", at };
      });
      break;
    }
  }
}

function applyDisputesEvent(trail: MarketTrail, event: DisputesEvent): void {
  const at = stepOf(event);
  const dispute = (change: (d: RefundDisputeRecord) => void) => update(trail, trail.disputes, event.args.testId, event, "the dispute of test", change);
  switch (event.eventName) {
    case "RefundClaimed": {
      const { testId, shortfallBps, refund, predictionCommitment, buyerSecretHash, buyerBond, freeSamplesFee } = event.args;
      if (!known(trail, trail.tests, testId, event, "test")) break;
      if (trail.disputes.has(testId)) {
        trail.orphans.push(`RefundClaimed names test ${testId}, which already has a claim`);
        break;
      }
      trail.disputes.set(testId, { testId, claim: { shortfallBps, refund, predictionCommitment, buyerSecretHash, buyerBond, freeSamplesFee, at } });
      break;
    }
    case "RefundContested":
      dispute((d) => (d.contest = { contester: event.args.contester, sellerSecret: event.args.sellerSecret, sellerBond: event.args.sellerBond, at }));
      break;
    case "SamplesOpened": {
      const { buyerSecret, featuresRoot, indices, labels, predictions, samples } = event.args;
      dispute((d) => (d.opening = { buyerSecret, featuresRoot, indices, labels, predictions, samples, at }));
      break;
    }
    case "MismatchProved":
      dispute((d) => (d.mismatch = { index: event.args.index, cls: event.args.cls, kind: DISPUTE_ENDS[event.args.kind] ?? "Uncontested", at }));
      break;
    case "DisputeClosed": {
      const { buyerWon, reason, refund, burned } = event.args;
      dispute((d) => (d.closed = { buyerWon, reason: DISPUTE_ENDS[reason] ?? "Uncontested", refund, burned, at }));
      break;
    }
  }
}
