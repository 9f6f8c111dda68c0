/**
 * Where a test-drive's v2 refund dispute stands (docs/DISPUTES.md §7), for the CLI and the app:
 * its phase, the window that runs now and when it ends, whether it can be closed and by whom it
 * would be won, and what the refund pays if it stands. Computed from the chain and its clock,
 * like every status of the market.
 */
import type { Address, PublicClient } from "viem";
import { modelMarketAbi, modelRegistryAbi, refundDisputesAbi } from "../generated/abis.ts";
import { gradedRefund } from "../testDrives/gradedRefund.ts";

/** `IRefundDisputes.DisputePhase`, by name. */
export const DISPUTE_PHASES = ["None", "Claimed", "Contested", "Opened", "BuyerWon", "SellerWon"] as const;
export type DisputePhaseName = (typeof DISPUTE_PHASES)[number];

/** `IRefundDisputes.DisputeEnd`, by name. */
export const DISPUTE_ENDS = ["Uncontested", "Unproven", "Mismatch", "InvalidOpening", "PredictionOutOfRange", "NotOpened"] as const;

/** Who wins when the running window ends with nothing done: the outcome `closeDispute` gives. */
const WINNER_AT_TIMEOUT: Partial<Record<DisputePhaseName, "buyer" | "seller">> = { Claimed: "buyer", Contested: "seller", Opened: "buyer" };

export interface DisputeView {
  readonly testId: bigint;
  readonly disputes: Address;
  readonly phase: DisputePhaseName;
  readonly dispute: Awaited<ReturnType<typeof readDisputeRecord>>;
  /** The end of the running window (unix seconds), for Claimed, Contested and Opened. */
  readonly deadline?: bigint;
  /** The chain's time of the read. */
  readonly now: bigint;
  /** Whether `closeDispute` would succeed now. */
  readonly closable: boolean;
  /** Who `closeDispute` makes the winner once the window has passed. */
  readonly winnerAtTimeout?: "buyer" | "seller";
  /** R, what the refund pays if it stands (0 before a claim). */
  readonly refund: bigint;
  readonly buyerBond: bigint;
  readonly sellerBond: bigint;
}

function readDisputeRecord(client: PublicClient, disputes: Address, testId: bigint) {
  return client.readContract({ address: disputes, abi: refundDisputesAbi, functionName: "getDispute", args: [testId] });
}

export async function readDispute(client: PublicClient, { market, testId }: { market: Address; testId: bigint }): Promise<DisputeView> {
  const disputes = await client.readContract({ address: market, abi: modelMarketAbi, functionName: "refundDisputes" });
  const [dispute, block, windows, registry, test] = await Promise.all([
    readDisputeRecord(client, disputes, testId),
    client.getBlock(),
    Promise.all(
      (["contestWindow", "openWindow", "proveWindow"] as const).map((functionName) => client.readContract({ address: disputes, abi: refundDisputesAbi, functionName })),
    ),
    client.readContract({ address: disputes, abi: refundDisputesAbi, functionName: "registry" }),
    client.readContract({ address: market, abi: modelMarketAbi, functionName: "getTest", args: [testId] }),
  ]);
  const phase = DISPUTE_PHASES[dispute.phase] ?? "None";
  const listingId = BigInt(test.listingId);
  const [policy, terms] = await Promise.all([
    client.readContract({ address: registry, abi: modelRegistryAbi, functionName: "disputePolicy", args: [listingId] }),
    client.readContract({ address: registry, abi: modelRegistryAbi, functionName: "disputeTerms", args: [listingId] }),
  ]);
  const window = { Claimed: windows[0], Contested: windows[1], Opened: windows[2] }[phase as "Claimed" | "Contested" | "Opened"];
  const deadline = window === undefined ? undefined : BigInt(dispute.phaseStartedAt) + BigInt(window);
  return {
    testId,
    disputes,
    phase,
    dispute,
    deadline,
    now: block.timestamp,
    closable: deadline !== undefined && block.timestamp >= deadline,
    winnerAtTimeout: WINNER_AT_TIMEOUT[phase],
    refund: phase === "None" ? 0n : gradedRefund(terms.deposit, dispute.shortfallBps, policy.refundSlopeBps),
    buyerBond: policy.buyerBond,
    sellerBond: policy.sellerBond,
  };
}
