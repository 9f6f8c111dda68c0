/**
 * Claims a test-drive's refund by proof from the page: proves it in a Web Worker
 * (testDrive/proveRefund.ts) with progress, then sends `claimRefund` with the stake through the
 * transaction hook, and keeps the record's new stage. Refusals (no shortfall, data not the
 * test-drive's) come back as the SDK's sentence.
 */
import { useState } from "react";
import { usePublicClient } from "wagmi";
import { refundDisputesAbi } from "@modelbazaar/sdk/abis";
import type { ProvingProgress } from "@modelbazaar/sdk/prover";
import { firstLine } from "../components/States.tsx";
import { ether } from "../format.ts";
import { saveKeptTestDrive, type BrowserKeptTestDrive } from "../testDrive/keptTestDrive.ts";
import { proveRefund } from "../testDrive/proveRefund.ts";
import { useTransactor } from "./useTransactor.ts";

export type ClaimState = { readonly phase: "idle" } | { readonly phase: "proving"; readonly progress?: ProvingProgress } | { readonly phase: "sending" } | { readonly phase: "failed"; readonly error: string };

export function useRefundClaim(onKept: (record: BrowserKeptTestDrive) => void) {
  const publicClient = usePublicClient();
  const { transact } = useTransactor();
  const [state, setState] = useState<ClaimState>({ phase: "idle" });

  async function claim(record: BrowserKeptTestDrive) {
    setState({ phase: "proving" });
    try {
      const proven = await proveRefund(publicClient!, record, { onProgress: (progress) => setState({ phase: "proving", progress }) });
      setState({ phase: "sending" });
      const testId = BigInt(record.testId!);
      const receipt = await transact({
        description: `Claim a refund of ${ether(proven.refund)} for test-drive #${testId} (staking ${ether(proven.value)})`,
        address: proven.context.disputes,
        abi: refundDisputesAbi,
        functionName: "claimRefund",
        args: [testId, proven.shortfallBps, proven.predictionCommitment, proven.buyerSecretHash, proven.proof.calldata],
        value: proven.value,
      });
      if (!receipt) return setState({ phase: "failed", error: "The claim was not sent; nothing was staked. You may try again." });
      const claimed = { ...record, stage: "claimed" as const, refundTx: receipt.transactionHash };
      saveKeptTestDrive(claimed);
      onKept(claimed);
      setState({ phase: "idle" });
    } catch (error) {
      setState({ phase: "failed", error: firstLine(error) });
    }
  }
  return { state, claim };
}
