/**
 * The audit's report: one plain row per listing, test-drive, refund dispute, auction and purchase (JSON-friendly, what `bazaar audit --json` prints and
 * the dApp's explorer shows), the money summary and the findings, and the text rendering the
 * CLI and the demo print. States and kinds are the labels people read everywhere
 * (sdk/src/labels/stateLabels.ts); amounts are wei in the rows and ETH in the text.
 */
import type { Address } from "viem";
import { etherText } from "../labels/etherText.ts";
import { STATE_LABELS, stateLabel } from "../labels/stateLabels.ts";
import { auctionKindOf, type AuctionKind } from "../auctions/auctionTerms.ts";
import { auctionOutcome } from "./auctionChecks.ts";
import { failures, summaryLine, type AuditFinding } from "./findings.ts";
import type { FundsSummary } from "./fundsChecks.ts";
import type { MarketTrail } from "./marketTrail.ts";
import type { RefundDisputeRow } from "./refundDisputeChecks.ts";

export type { RefundDisputeRow };

export interface ListingRow {
  listingId: bigint;
  seller: Address;
  /** Where the model card lives (the offer in force). */
  metadataURI: string;
  /** The listing's status label ("active", "paused", "delisted"). */
  status: string;
  saleMode: "fixed price" | "auction";
  price: bigint;
  claimedAccuracyBps: number;
  testDrives: number;
  purchases: number;
}

export interface TestRow {
  testId: bigint;
  listingId: bigint;
  buyer: Address;
  sampleCount: number;
  deposit: bigint;
  fee: bigint;
  /** The outcome's label if closed, else "disputed" (a v2 refund dispute holds the deposit), "evaluated" or "open". */
  outcome: string;
  toBuyer: bigint;
  toSeller: bigint;
}

export interface AuctionRow {
  auctionId: bigint;
  listingId: bigint;
  kind: AuctionKind;
  reservePrice: bigint;
  bids: number;
  revealed: number;
  settled: boolean;
  winner?: Address;
  price?: bigint;
  /** What the rules give, recomputed from the reveals. */
  expectedWinner: Address;
  expectedPrice: bigint;
}

export interface PurchaseRow {
  purchaseId: bigint;
  listingId: bigint;
  buyer: Address;
  price: bigint;
  depositApplied: bigint;
  auctionId: bigint;
  /** "completed", "refunded (reason)", or the status the last step reached ("key revealed", "awaiting key", …), as labelled for `bazaar status purchase`. */
  state: string;
}

export interface AuditReport {
  chainId: number;
  market: Address;
  registry: Address;
  fromBlock: bigint;
  toBlock: bigint;
  /** True when the scan started after the deployment: money checks need the whole history and were skipped. */
  partial: boolean;
  listings: ListingRow[];
  tests: TestRow[];
  /** Refund disputes (`RefundDisputes`), each step's proof re-verified. */
  refundDisputes: RefundDisputeRow[];
  auctions: AuctionRow[];
  purchases: PurchaseRow[];
  funds?: FundsSummary;
  findings: AuditFinding[];
  ok: boolean;
  summary: string;
}

export function reportRows(trail: MarketTrail) {
  const tests = [...trail.tests.values()];
  const purchases = [...trail.purchases.values()];
  const listings: ListingRow[] = [...trail.listings.values()].map((l) => ({
    listingId: l.listingId,
    seller: l.seller,
    metadataURI: l.offer.metadataURI,
    status: stateLabel("ListingStatus", l.status),
    saleMode: STATE_LABELS.SaleMode[l.offer.saleMode === 0 ? "FixedPrice" : "Auction"],
    price: l.offer.price,
    claimedAccuracyBps: l.terms.claimedAccuracyBps,
    testDrives: tests.filter((t) => t.listingId === l.listingId).length,
    purchases: purchases.filter((p) => p.listingId === l.listingId).length,
  }));
  const testRows: TestRow[] = tests.map((t) => ({
    testId: t.testId,
    listingId: t.listingId,
    buyer: t.buyer,
    sampleCount: t.sampleCount,
    deposit: t.deposit,
    fee: t.fee,
    outcome: stateLabel("TestPhase", t.closed?.outcome ?? (t.disputed ? "Disputed" : t.receipt ? "Evaluated" : "Open")),
    toBuyer: t.closed?.toBuyer ?? 0n,
    toSeller: (t.closed?.toSeller ?? 0n) + (t.receipt?.feePaid ?? 0n),
  }));
  const auctions: AuctionRow[] = [...trail.auctions.values()].map((a) => {
    const expected = auctionOutcome(a);
    return {
      auctionId: a.auctionId,
      listingId: a.listingId,
      kind: auctionKindOf(a.params.kind),
      reservePrice: a.params.reservePrice,
      bids: a.bids.size,
      revealed: a.revealOrder.length,
      settled: a.settled !== undefined,
      winner: a.settled?.winner,
      price: a.settled?.price,
      expectedWinner: expected.winner,
      expectedPrice: expected.price,
    };
  });
  const purchaseRows: PurchaseRow[] = purchases.map((p) => ({
    purchaseId: p.purchaseId,
    listingId: p.listingId,
    buyer: p.buyer,
    price: p.price,
    depositApplied: p.depositApplied,
    auctionId: p.auctionId,
    state: p.refunded
      ? `${stateLabel("PurchaseStatus", "Refunded")} (${stateLabel("RefundReason", p.refunded.reason)})`
      : stateLabel("PurchaseStatus", p.completed ? "Completed" : p.key ? "ComplaintWindow" : p.accepted ? "AwaitingKey" : p.delivery ? "AwaitingAcceptance" : "AwaitingDelivery"),
  }));
  return { listings, tests: testRows, auctions, purchases: purchaseRows };
}

/** The report as text: one table per flow, then the failures and the summary line. */
export function formatAuditReport(r: AuditReport): string {
  const short = (a: string | undefined) => (a ? `${a.slice(0, 8)}…${a.slice(-4)}` : "-");
  const eth = etherText;
  const lines = [
    `Audit of market ${r.market} on chain ${r.chainId}, blocks ${r.fromBlock}..${r.toBlock}${r.partial ? " (partial: money checks need the scan to start at the deployment)" : ""}`,
    "",
    section("Listings", ["id", "seller", "status", "sale", "price", "claim", "tests", "sales"], r.listings.map((l) => [l.listingId, short(l.seller), l.status, l.saleMode, eth(l.price), `${(l.claimedAccuracyBps / 100).toFixed(2)}%`, l.testDrives, l.purchases])),
    section("Test-drives", ["id", "listing", "buyer", "samples", "deposit", "fee", "outcome", "to buyer", "to seller"], r.tests.map((t) => [t.testId, t.listingId, short(t.buyer), t.sampleCount, eth(t.deposit), eth(t.fee), t.outcome, eth(t.toBuyer), eth(t.toSeller)])),
    section(
      "Refund disputes",
      ["test", "listing", "shortfall", "refund", "stage", "claim proof", "open proof", "contest proof"],
      (r.refundDisputes ?? []).map((d) => [d.testId, d.listingId, `${(d.shortfallBps / 100).toFixed(2)}%`, eth(d.refund), d.stage, d.claimProof, d.openProof, d.contestProof]),
    ),
    section("Auctions", ["id", "listing", "kind", "reserve", "bids", "revealed", "winner", "price", "rules give"], r.auctions.map((a) => [a.auctionId, a.listingId, a.kind, eth(a.reservePrice), a.bids, a.revealed, a.settled ? short(a.winner) : "(not settled)", a.price === undefined ? "-" : eth(a.price), `${short(a.expectedWinner)} @ ${eth(a.expectedPrice)}`])),
    section("Purchases", ["id", "listing", "buyer", "price", "deposit", "auction", "state"], r.purchases.map((p) => [p.purchaseId, p.listingId, short(p.buyer), eth(p.price), eth(p.depositApplied), p.auctionId || "-", p.state])),
  ];
  if (r.funds) {
    const f = r.funds;
    const covered = f.marketBalance >= f.held + f.owed;
    const unowned = f.unowned.market + f.unowned.registry > 0n ? `; ${eth(f.unowned.market)} unowned in the market and ${eth(f.unowned.registry)} in the registry (forced in)` : "";
    const d = f.disputes;
    const disputes = d ? `; RefundDisputes ${eth(d.balance)} covers the live disputes' stakes ${eth(d.staked)}? ${d.balance >= d.staked ? "yes" : "NO"}${f.unowned.disputes ? ` (${eth(f.unowned.disputes)} unowned)` : ""}` : "";
    lines.push(`Funds: market balance ${eth(f.marketBalance)} covers held ${eth(f.held)} + owed ${eth(f.owed)}? ${covered ? "yes" : "NO"}; registry ${eth(f.registryBalance)} of promotion fees (${eth(f.promotionFeesHeld)} expected)${unowned}${disputes}`, "");
  }
  const failed = failures(r.findings);
  if (failed.length > 0) lines.push("Failed checks:", ...failed.map((f) => `  ✗ ${f.check} [${f.subject}]: ${f.detail}`), "");
  lines.push(summaryLine(r.findings));
  return lines.join("\n");
}

function section(title: string, header: string[], rows: unknown[][]): string {
  if (rows.length === 0) return `${title}: none\n`;
  const cells = [header, ...rows.map((row) => row.map((cell) => String(cell)))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const render = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd();
  return [`${title} (${rows.length})`, ...cells.map((row) => `  ${render(row)}`), ""].join("\n");
}
