/**
 * Runs a test-drive (testDrive/runTestDrive.ts) from the page: the connected wallet signs,
 * the transaction hook opens it (or records the worker's signed receipt), and the page hears
 * each step, each record kept, and how it ended. While it runs, leaving the page asks first.
 */
import { useEffect, useState } from "react";
import type { Address } from "viem";
import { useConfig, usePublicClient } from "wagmi";
import type { PreparedTestSet } from "@modelbazaar/sdk/actions";
import { modelMarketAbi } from "@modelbazaar/sdk/abis";
import type { HePlanSummary } from "@modelbazaar/sdk/he";
import { firstLine } from "../components/States.tsx";
import { ether } from "../format.ts";
import { deployment } from "../marketConfig.ts";
import type { BrowserKeptTestDrive } from "../testDrive/keptTestDrive.ts";
import { runTestDrive, type RunTestDriveParameters, type TestDriveProgress } from "../testDrive/runTestDrive.ts";
import { walletUploadSigner } from "../wallet/uploadSigner.ts";
import { useTransactor } from "./useTransactor.ts";

export type RunState = { readonly phase: "idle" } | { readonly phase: "running"; readonly progress: TestDriveProgress } | { readonly phase: "done" } | { readonly phase: "failed"; readonly error: string };

export function useTestDriveRun(onKept: (record: BrowserKeptTestDrive) => void) {
  const config = useConfig();
  const publicClient = usePublicClient();
  const { transact } = useTransactor();
  const [state, setState] = useState<RunState>({ phase: "idle" });
  const running = state.phase === "running";
  useEffect(() => {
    if (!running) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [running]);

  async function start(request: { buyer: Address; listing: RunTestDriveParameters["listing"]; plan: HePlanSummary; set: PreparedTestSet; value: bigint }) {
    setState({ phase: "running", progress: { step: "encrypt", detail: "Starting…" } });
    try {
      await runTestDrive({
        ...request,
        publicClient: publicClient!,
        deployment,
        signer: walletUploadSigner(config, request.buyer),
        openTest: ({ listingId, dataCommitment, sampleCount, value }) =>
          transact({ description: `Open a test-drive of listing #${listingId} (${ether(value)})`, address: deployment.market, abi: modelMarketAbi, functionName: "openTest", args: [listingId, dataCommitment, sampleCount], value }),
        recordSignedReceipt: ({ testId, resultHash, signature }) =>
          transact({ description: `Record the worker's signed receipt of test-drive #${testId}`, address: deployment.market, abi: modelMarketAbi, functionName: "recordSignedReceipt", args: [testId, resultHash, signature] }),
        onProgress: (progress) => setState({ phase: "running", progress }),
        onKept,
      });
      setState({ phase: "done" });
    } catch (error) {
      setState({ phase: "failed", error: firstLine(error) });
    }
  }
  return { state, start };
}
