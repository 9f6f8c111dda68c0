/**
 * `auditMarket`: from a public client and a deployment record alone, rebuilds every listing,
 * test-drive, refund dispute (`RefundDisputes`), auction and purchase from the events,
 * re-verifies every dispute's Groth16 proofs (its claim, opening and contest proofs) and every
 * upheld complaint from calldata, checks every
 * step and payout against the rules and the money against the contracts' balances, and
 * returns a typed report whose findings say, one rule at a time, what held. `bazaar audit`
 * prints it; the demo ends with it.
 *
 * @example
 * const report = await auditMarket(publicClient, deployment, { verificationKeys });
 * console.log(formatAuditReport(report)); // "... 57 checks, all held"
 */
import { zeroHash, type Address, type PublicClient } from "viem";
import type { Deployment } from "../client/deployment.ts";
import { modelMarketAbi, modelRegistryAbi, refundDisputesAbi } from "../generated/abis.ts";
import { terminateSnarkjsWorkers } from "../prover/disputeProof.ts";
import { checkAuctions } from "./auctionChecks.ts";
import { reportRows, type AuditReport } from "./auditReport.ts";
import { collectEvents, type CollectEventsOptions } from "./collectEvents.ts";
import { recheckComplaint, type ComplaintVerdict } from "./complaintCheck.ts";
import type { RefundDisputeKeys } from "./disputeCircuits.ts";
import { finding, failures, summaryLine, type AuditFinding } from "./findings.ts";
import { checkFunds } from "./fundsChecks.ts";
import { buildMarketTrail, type MarketTrail } from "./marketTrail.ts";
import { checkPurchases, type ExchangeWindows } from "./purchaseChecks.ts";
import { checkRefundDisputes, refundDisputeRows, type DisputeWindows } from "./refundDisputeChecks.ts";
import { recheckRefundDispute, type ContestCircuitOnChain, type RefundDisputeRecheck } from "./refundDisputeProofs.ts";
import { checkTestDrives } from "./testDriveChecks.ts";
import { checkRefundDisputeVerifiers } from "./verifierChecks.ts";

export interface AuditMarketParameters extends CollectEventsOptions {
  /**
   * The verification keys of the refund dispute's circuits: the audit's trust root for
   * refunds. Absent, every dispute step with a proof is reported as not re-verifiable.
   */
  verificationKeys?: RefundDisputeKeys;
}

export type AuditMarketReturnType = AuditReport;

export async function auditMarket(client: PublicClient, deployment: Deployment, { verificationKeys, ...range }: AuditMarketParameters): Promise<AuditMarketReturnType> {
  const chainId = await client.getChainId();
  if (chainId !== deployment.chainId) throw new RangeError(`the deployment record is for chain ${deployment.chainId}, but the client is on chain ${chainId}`);
  const events = await collectEvents(client, deployment, range);
  const partial = events.fromBlock > deployment.startBlock;
  const trail = buildMarketTrail(events);
  if (partial) await loadEarlierListings(client, deployment, trail, events.toBlock);
  const windows = await exchangeWindows(client, deployment, events.toBlock);
  const disputesAddress = events.disputesAddress;
  const contestCircuit = contestCircuitReader(client, disputesAddress, events.toBlock);
  try {
    const v2 = await recheckRefundDisputes(client, deployment, trail, verificationKeys, disputesAddress, contestCircuit);
    const disputeWindows = disputesAddress ? await readDisputeWindows(client, disputesAddress, events.toBlock) : undefined;
    const complaints = await recheckComplaints(client, deployment, trail);
    const funds = partial ? { findings: [] } : await checkFunds(client, deployment, events, trail);
    const findings: AuditFinding[] = [
      ...(await checkRefundDisputeVerifiers(client, disputesAddress, verificationKeys, trail, contestCircuit, events.toBlock)),
      ...(partial ? [] : trail.orphans.map((o) => finding("trail.complete", "events", false, o))),
      ...checkTestDrives(trail),
      ...checkRefundDisputes(trail, { chainId, market: deployment.market, windows: disputeWindows }, v2),
      ...checkAuctions(trail),
      ...checkPurchases(trail, windows, complaints),
      ...funds.findings,
    ];
    return {
      chainId,
      market: deployment.market,
      registry: deployment.registry,
      fromBlock: events.fromBlock,
      toBlock: events.toBlock,
      partial,
      ...reportRows(trail),
      refundDisputes: refundDisputeRows(trail, v2),
      funds: funds.funds,
      findings,
      ok: failures(findings).length === 0,
      summary: summaryLine(findings),
    };
  } finally {
    await terminateSnarkjsWorkers();
  }
}

/**
 * A partial scan sees test-drives and sales of listings created before its first block: their
 * terms are immutable, so the registry's current record serves (their offer history does not).
 */
async function loadEarlierListings(client: PublicClient, deployment: Deployment, trail: MarketTrail, blockNumber: bigint): Promise<void> {
  const ids = new Set([...trail.tests.values(), ...trail.auctions.values(), ...trail.purchases.values()].map((x) => x.listingId));
  for (const listingId of ids) {
    if (trail.listings.has(listingId)) continue;
    const l = await client.readContract({ address: deployment.registry, abi: modelRegistryAbi, functionName: "getListing", args: [listingId], blockNumber });
    const listed = { timestamp: BigInt(l.listedAt), blockNumber: 0n, logIndex: 0, transactionHash: zeroHash };
    const status = LISTING_STATUSES[l.status] ?? "Delisted";
    trail.listings.set(listingId, { listingId, seller: l.seller, terms: l.terms, offer: l.offer, offers: [], status, promoted: l.promotionTotal, listed });
  }
}

const LISTING_STATUSES = [undefined, "Active", "Paused", "Delisted"] as const;

async function exchangeWindows(client: PublicClient, deployment: Deployment, blockNumber: bigint): Promise<ExchangeWindows> {
  const read = (functionName: "deliveryWindow" | "acceptWindow" | "revealWindow" | "complaintWindow") =>
    client.readContract({ address: deployment.market, abi: modelMarketAbi, functionName, blockNumber });
  const [delivery, accept, reveal, complaint] = await Promise.all([read("deliveryWindow"), read("acceptWindow"), read("revealWindow"), read("complaintWindow")]);
  return { delivery, accept, reveal, complaint };
}

/** Re-verifies every proof of every refund dispute, one at a time (snarkjs is CPU-bound). */
async function recheckRefundDisputes(
  client: PublicClient,
  deployment: Deployment,
  trail: MarketTrail,
  keys: RefundDisputeKeys | undefined,
  disputes: Address | undefined,
  contestCircuit: (listingId: bigint) => Promise<ContestCircuitOnChain | undefined>,
): Promise<Map<bigint, RefundDisputeRecheck>> {
  const out = new Map<bigint, RefundDisputeRecheck>();
  if (!disputes) return out;
  const ctx = { client, chainId: deployment.chainId, market: deployment.market, disputes, keys, contestCircuit };
  for (const dispute of trail.disputes.values()) {
    const test = trail.tests.get(dispute.testId);
    const listing = test && trail.listings.get(test.listingId);
    if (test && listing) out.set(dispute.testId, await recheckRefundDispute(ctx, test, listing, dispute));
  }
  return out;
}

/** `RefundDisputes.contestCircuitFor`, read once per listing (the circuits are deployment constants). */
function contestCircuitReader(client: PublicClient, disputes: Address | undefined, blockNumber: bigint) {
  const cache = new Map<bigint, Promise<ContestCircuitOnChain | undefined>>();
  return (listingId: bigint): Promise<ContestCircuitOnChain | undefined> => {
    if (!disputes) return Promise.resolve(undefined);
    let read = cache.get(listingId);
    if (!read) {
      read = client.readContract({ address: disputes, abi: refundDisputesAbi, functionName: "contestCircuitFor", args: [listingId], blockNumber }).catch(() => undefined);
      cache.set(listingId, read);
    }
    return read;
  };
}

async function readDisputeWindows(client: PublicClient, disputes: Address, blockNumber: bigint): Promise<DisputeWindows | undefined> {
  const read = (functionName: "contestWindow" | "openWindow" | "proveWindow") => client.readContract({ address: disputes, abi: refundDisputesAbi, functionName, blockNumber });
  try {
    const [contest, open, prove] = await Promise.all([read("contestWindow"), read("openWindow"), read("proveWindow")]);
    return { contest: BigInt(contest), open: BigInt(open), prove: BigInt(prove) };
  } catch {
    return undefined;
  }
}

async function recheckComplaints(client: PublicClient, deployment: Deployment, trail: MarketTrail): Promise<Map<bigint, ComplaintVerdict>> {
  const out = new Map<bigint, ComplaintVerdict>();
  for (const purchase of trail.purchases.values()) {
    const listing = trail.listings.get(purchase.listingId);
    if (purchase.complaint && listing) out.set(purchase.purchaseId, await recheckComplaint(client, deployment.market, purchase, listing));
  }
  return out;
}
