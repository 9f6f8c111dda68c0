/**
 * The audit's public surface (`bazaar audit`, the demo and the dApp's explorer import from
 * here): auditMarket, the report and its text rendering, the refund dispute's circuit keys it
 * trusts, and the market books of marketBook.ts.
 */
export { auditMarket, type AuditMarketParameters, type AuditMarketReturnType } from "./auditMarket.ts";
export { formatAuditReport, type AuditReport, type AuctionRow, type ListingRow, type PurchaseRow, type RefundDisputeRow, type TestRow } from "./auditReport.ts";
export { auctionOutcome, type AuctionOutcome } from "./auctionChecks.ts";
export { collectEvents, DEFAULT_BLOCK_RANGE, type CollectEventsOptions, type MarketEvent } from "./collectEvents.ts";
export {
  CONTEST_CIRCUIT_SHAPES,
  contestCircuitsFor,
  refundDisputeKeys,
  sampleCircuitFor,
  type ContestCircuitSpec,
  type RefundDisputeKeys,
  type V2CircuitChoice,
} from "./disputeCircuits.ts";
export { fromMarketProof } from "./proofEncoding.ts";
export { PENALTY_SINK, type DisputeWindows } from "./refundDisputeChecks.ts";
export type { RefundDisputeRecheck, StepProof } from "./refundDisputeProofs.ts";
export { failures, summaryLine, type AuditFinding } from "./findings.ts";
export type { FundsSummary } from "./fundsChecks.ts";
export * from "./marketBook.ts";
