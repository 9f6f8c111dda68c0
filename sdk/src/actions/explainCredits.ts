/**
 * Where an account's ledger credit (`owed`, withdrawn all at once by `withdraw()`) came from:
 * each `PaymentCredited` to it since its last `PaymentWithdrawn`, named by the market event of
 * the same transaction that caused it: "payment for purchase 1" (a buyer who verified every
 * chunk completes the purchase during its complaint window, so the seller's price is credited,
 * not sent), "fee for test-drive 3", "refund of purchase 2", ... A credit whose cause this
 * cannot name, or a part of `owed` no event explains, is "ledger credit".
 */
import { parseEventLogs, type Address, type Hash, type PublicClient } from "viem";
import { modelMarketAbi } from "../generated/abis.ts";

export interface LedgerCredit {
  readonly amount: bigint;
  /** What it pays for, e.g. "payment for purchase 1". */
  readonly source: string;
  /** The transaction that credited it (undefined for a remainder no event explains). */
  readonly transaction: Hash | undefined;
}

/** The market events that credit someone, and how each names what it pays for (`payee` is the credited account). */
function sourceOf(event: { eventName: string; args: unknown }, payee: Address): string | undefined {
  const args = event.args as Record<string, unknown>;
  const id = (args.purchaseId ?? args.testId ?? args.auctionId) as bigint | undefined;
  if (id === undefined) return undefined;
  const same = (who: unknown) => typeof who === "string" && who.toLowerCase() === payee.toLowerCase();
  switch (event.eventName) {
    case "PurchaseCompleted":
      return same(args.seller) ? `payment for purchase ${id}` : `escrow beyond the price of purchase ${id}`;
    case "PurchaseRefunded":
      return same(args.buyer) ? `refund of purchase ${id}` : `penalty in purchase ${id}'s refund`;
    case "ReceiptRecorded":
      return `fee for test-drive ${id}`;
    case "TestClosed":
      return `closed test-drive ${id}`;
    case "DepositReturned":
      return `deposit of test-drive ${id}`;
    case "DisputeClosed":
      return `refund dispute of test-drive ${id}`;
    case "BidReclaimed":
    case "BidRevealed":
    case "AuctionSettled":
      return `auction ${id}`;
    default:
      return undefined;
  }
}

/** Explains `owed`, the ledger credit of `account`: its credits since its last withdrawal, by source. */
export async function explainCredits(client: PublicClient, { market, startBlock }: { market: Address; startBlock: bigint }, account: Address, owed: bigint): Promise<LedgerCredit[]> {
  if (owed === 0n) return [];
  const events = { address: market, abi: modelMarketAbi, fromBlock: startBlock, args: { payee: account }, strict: true } as const;
  const [credited, withdrawn] = await Promise.all([
    client.getContractEvents({ ...events, eventName: "PaymentCredited" }),
    client.getContractEvents({ ...events, eventName: "PaymentWithdrawn" }),
  ]);
  const position = (log: { blockNumber: bigint; logIndex: number }) => log.blockNumber * 2n ** 32n + BigInt(log.logIndex);
  const last = withdrawn.reduce((latest, log) => (position(log) > latest ? position(log) : latest), -1n);
  const credits: LedgerCredit[] = [];
  for (const credit of credited.filter((log) => position(log) > last)) {
    const receipt = await client.getTransactionReceipt({ hash: credit.transactionHash });
    const before = receipt.logs.filter((log) => log.address.toLowerCase() === market.toLowerCase() && log.logIndex < credit.logIndex);
    const cause = parseEventLogs({ abi: modelMarketAbi, logs: before })
      .reverse()
      .map((event) => sourceOf(event, account))
      .find((source) => source !== undefined);
    credits.push({ amount: credit.args.amount, source: cause ?? "ledger credit", transaction: credit.transactionHash });
  }
  const explained = credits.reduce((sum, c) => sum + c.amount, 0n);
  if (explained !== owed) credits.push({ amount: owed - explained, source: "ledger credit", transaction: undefined });
  return credits;
}

/** The credits in a few words, e.g. "payment for purchase 1" or "payment for purchase 1 (0.5 ETH), fee for test-drive 2 (0.003 ETH)". */
export function describeCredits(credits: readonly LedgerCredit[], formatAmount: (wei: bigint) => string): string {
  if (credits.length === 1) return credits[0]!.source;
  return credits.map((c) => `${c.source} (${formatAmount(c.amount)})`).join(", ");
}
