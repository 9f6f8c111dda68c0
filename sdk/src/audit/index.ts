/**
 * The audit's public surface (`bazaar audit`, the demo and the dApp's explorer import from
 * here): auditMarket, the report and its text rendering, the dispute circuit keys it trusts,
 * and the market books of marketBook.ts.
 */
export { auditMarket, type AuditMarketParameters, type AuditMarketReturnType } from "./auditMarket.ts";
export { formatAuditReport, type AuditReport, type AuctionRow, type ListingRow, type PurchaseRow, type TestRow } from "./auditReport.ts";
export { auctionOutcome, type AuctionOutcome } from "./auctionChecks.ts";
export { DEFAULT_BLOCK_RANGE, type CollectEventsOptions } from "./collectEvents.ts";
export { disputeCircuitFor, type DisputeCircuitChoice, type DisputeCircuitKeys, type DisputeShape } from "./disputeCircuits.ts";
export { fromMarketProof, type DisputeRecord } from "./disputeProofCheck.ts";
export { failures, summaryLine, type AuditFinding } from "./findings.ts";
export type { FundsSummary } from "./fundsChecks.ts";
export * from "./marketBook.ts";
