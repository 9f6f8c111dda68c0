/**
 * Answers a seller's contest from the page: proves the opening of the drawn samples in a Web
 * Worker (testDrive/proveOpening.ts) with progress, then sends `openSamples` through the
 * transaction hook (only the buyer may), and keeps the record's new stage. Refusals (not
 * contested, data not the test-drive's) come back as the SDK's sentence.
 */
import { useState } from "react";
import { usePublicClient } from "wagmi";
import { refundDisputesAbi } from "@modelbazaar/sdk/abis";
import { firstLine } from "../components/States.tsx";
import { saveKeptTestDrive, type BrowserKeptTestDrive } from "../testDrive/keptTestDrive.ts";
import { proveOpening } from "../testDrive/proveOpening.ts";
import type { ClaimState } from "./useRefundClaim.ts";
import { useTransactor } from "./useTransactor.ts";

export function useSampleOpening(onKept: (record: BrowserKeptTestDrive) => void) {
  const publicClient = usePublicClient();
  const { transact } = useTransactor();
  const [state, setState] = useState<ClaimState>({ phase: "idle" });

  async function open(record: BrowserKeptTestDrive) {
    setState({ phase: "proving" });
    try {
      const proven = await proveOpening(publicClient!, record, { onProgress: (progress) => setState({ phase: "proving", progress }) });
      setState({ phase: "sending" });
      const testId = BigInt(record.testId!);
      const receipt = await transact({
        description: `Open samples ${proven.indices.join(", ")} of test-drive #${testId}`,
        address: proven.context.disputes,
        abi: refundDisputesAbi,
        functionName: "openSamples",
        args: [testId, proven.opening, proven.proof.calldata],
      });
      if (!receipt) return setState({ phase: "failed", error: "The opening was not sent; open the samples again before the window ends, or the seller wins." });
      const opened = { ...record, stage: "samples-opened" as const };
      saveKeptTestDrive(opened);
      onKept(opened);
      setState({ phase: "idle" });
    } catch (error) {
      setState({ phase: "failed", error: firstLine(error) });
    }
  }
  return { state, open };
}
