/**
 * Rebuilds the market's books from its events alone: what each test-drive, bid and purchase
 * holds, and what the ledger owes each account. An auditor with nothing but the logs can
 * then check conservation: the market's balance equals everything held plus everything owed.
 * This is the money half of `bazaar audit`; it needs no contract reads.
 */
import { parseEventLogs, type Address, type Log } from "viem";
import { modelMarketAbi } from "../generated/abis.ts";

/** Amounts held per entity and owed per account, in wei. */
export interface MarketBook {
  tests: Map<bigint, bigint>;
  bids: Map<string, bigint>;
  purchases: Map<bigint, bigint>;
  owed: Map<Address, bigint>;
}

/** The key of a bid in {MarketBook.bids}. */
export function bidKey(auctionId: bigint, bidder: Address): string {
  return `${auctionId}:${bidder.toLowerCase()}`;
}

/** Sum of everything held by test-drives, bids and purchases. */
export function totalHeld(book: MarketBook): bigint {
  return [book.tests, book.bids, book.purchases].reduce((sum, m) => sum + [...m.values()].reduce((a, b) => a + b, 0n), 0n);
}

/** Sum of everything the ledger owes. */
export function totalOwed(book: MarketBook): bigint {
  return [...book.owed.values()].reduce((a, b) => a + b, 0n);
}

/**
 * Folds the market's logs, in chain order, into a {MarketBook}. Logs of other contracts or
 * events are ignored. A test-drive's deposit held for a v2 refund dispute (`TestDisputed`)
 * leaves it whole at the settlement; what the settlement pays beyond it came in with the call
 * from `RefundDisputes` (whose own balance fundsChecks.ts checks). Throws if the events
 * contradict themselves (an entity paying out more than it held), which would mean the logs
 * are incomplete or the contract is wrong.
 */
export function marketBookFromLogs(logs: readonly Log[]): MarketBook {
  const book: MarketBook = { tests: new Map(), bids: new Map(), purchases: new Map(), owed: new Map() };
  // Test-drives whose deposit a v2 refund dispute holds: their settlement brings the dispute's
  // stakes (bonds, the free samples' fee) in from `RefundDisputes` with the call, so its payouts
  // exceed what the test-drive held by exactly that ether, which the ledger credits at once.
  const disputed = new Set<bigint>();
  for (const event of parseEventLogs({ abi: modelMarketAbi, logs: [...logs], strict: true })) {
    switch (event.eventName) {
      case "TestOpened":
        add(book.tests, event.args.testId, event.args.deposit + event.args.fee);
        break;
      case "ReceiptRecorded":
        take(book.tests, event.args.testId, event.args.feePaid, "test");
        break;
      case "TestDisputed":
        disputed.add(event.args.testId);
        break;
      case "TestClosed": {
        // for AppliedTo*, the deposit reappears in the sale's own event
        const { testId, toBuyer, toSeller } = event.args;
        if (disputed.delete(testId)) {
          const held = book.tests.get(testId) ?? 0n;
          if (toBuyer + toSeller < held) throw new RangeError(`the settlement of test ${testId}'s dispute pays ${toBuyer + toSeller} wei, less than the ${held} it held`);
          take(book.tests, testId, held, "test");
        } else take(book.tests, testId, toBuyer + toSeller, "test");
        break;
      }
      case "DepositReturned": // the sale's own event (PurchaseRefunded, BidReclaimed) takes it out of the sale
        add(book.tests, event.args.testId, event.args.deposit);
        break;
      case "PurchaseOpened":
        // An auction's escrow comes out of the winner's bid; a purchase's from its payment and deposit.
        if (event.args.auctionId !== 0n) take(book.bids, bidKey(event.args.auctionId, event.args.buyer), event.args.escrow, "bid");
        add(book.purchases, event.args.purchaseId, event.args.escrow);
        break;
      case "PurchaseCompleted":
        take(book.purchases, event.args.purchaseId, event.args.amount + event.args.toBuyer, "purchase");
        break;
      case "PurchaseRefunded":
        take(book.purchases, event.args.purchaseId, event.args.toBuyer + event.args.depositReturned + event.args.penalty, "purchase");
        break;
      case "BidCommitted":
        add(book.bids, bidKey(event.args.auctionId, event.args.bidder), event.args.collateral);
        break;
      case "BidReclaimed": {
        const { refund, depositReturned, penalty } = event.args;
        take(book.bids, bidKey(event.args.auctionId, event.args.bidder), refund + depositReturned + penalty, "bid");
        break;
      }
      case "PaymentCredited":
        add(book.owed, event.args.payee, event.args.amount);
        break;
      case "PaymentWithdrawn":
        take(book.owed, event.args.payee, event.args.amount, "ledger account");
        break;
    }
  }
  return book;
}

function add<K>(map: Map<K, bigint>, key: K, amount: bigint): void {
  map.set(key, (map.get(key) ?? 0n) + amount);
}

function take<K>(map: Map<K, bigint>, key: K, amount: bigint, what: string): void {
  const left = (map.get(key) ?? 0n) - amount;
  if (left < 0n) throw new RangeError(`the events pay ${amount} wei out of ${what} ${String(key)}, which held ${left + amount}`);
  map.set(key, left);
}
