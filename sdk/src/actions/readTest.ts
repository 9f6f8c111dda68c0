/**
 * Where a test-drive stands (docs/PROTOCOL.md §3): its facts, computed status and phase, what
 * it holds, and the deadline of the current stage (the receipt's, then the dispute's) against
 * the chain's clock, so clients can say what happens next.
 */
import type { Address, ContractFunctionReturnType, PublicClient } from "viem";
import { modelMarketAbi, modelRegistryAbi } from "../generated/abis.ts";
import { UnknownIdError } from "./unknownIdError.ts";

/** The market's `TestStatus` and `TestPhase` names, by value. */
export const TEST_STATUSES = ["None", "AwaitingReceipt", "Unserved", "Evaluated", "Forfeitable", "Closed", "Disputed"] as const;
export const TEST_PHASES = ["Open", "Evaluated", "Refunded", "Unserved", "Forfeited", "AppliedToPurchase", "AppliedToBid", "Disputed", "RefundRejected"] as const;
export type TestStatusName = (typeof TEST_STATUSES)[number];

export type TestDrive = ContractFunctionReturnType<typeof modelMarketAbi, "view", "getTest">;

export interface TestView {
  testId: bigint;
  test: TestDrive;
  status: TestStatusName;
  phase: (typeof TEST_PHASES)[number];
  /** The deposit staked (from the listing's immutable policy). */
  deposit: bigint;
  /** Unix seconds when the current stage ends: the receipt (Open) or the dispute (Evaluated) deadline. */
  deadline?: bigint;
  /** The latest block's timestamp. */
  now: bigint;
}

export async function readTest(client: PublicClient, { market, registry }: { market: Address; registry: Address }, testId: bigint): Promise<TestView> {
  const status = TEST_STATUSES[await client.readContract({ address: market, abi: modelMarketAbi, functionName: "testStatus", args: [testId] })] ?? "None";
  if (status === "None") throw new UnknownIdError("test-drive", testId);
  const [test, block] = await Promise.all([client.readContract({ address: market, abi: modelMarketAbi, functionName: "getTest", args: [testId] }), client.getBlock()]);
  const terms = await client.readContract({ address: registry, abi: modelRegistryAbi, functionName: "disputeTerms", args: [BigInt(test.listingId)] });
  const phase = TEST_PHASES[test.phase] ?? "Open";
  const window = phase === "Open" ? terms.serviceWindow : phase === "Evaluated" ? terms.disputeWindow : undefined;
  return {
    testId,
    test,
    status,
    phase,
    deposit: terms.deposit,
    deadline: window === undefined ? undefined : BigInt(test.phaseStartedAt) + BigInt(window),
    now: block.timestamp,
  };
}
