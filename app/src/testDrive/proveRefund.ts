/**
 * The buyer's refund claim proven in this browser: the SDK prepares it from the kept test set
 * and predictions (prepareGradedRefund: the shortfall, the circuit input, the commitments and
 * the stake; it refuses when the predictions show no shortfall), and the refund circuit proves
 * it in a Web Worker (proveDisputeInBrowser) with the circuit's artifacts fetched from the
 * site (/circuits/<name>.wasm, .zkey). The page then sends `claimRefund` with the result.
 */
import type { PublicClient } from "viem";
import { prepareGradedRefund, type PreparedGradedRefund } from "@modelbazaar/sdk/actions";
import type { DisputeProof } from "@modelbazaar/sdk/prover";
import type { BrowserKeptTestDrive } from "./keptTestDrive.ts";
import { keptDisputeData, proveWithSiteArtifacts, type ProvingOptions } from "./siteProving.ts";

export interface ProvenRefund extends Omit<PreparedGradedRefund, "input"> {
  readonly proof: DisputeProof;
}

export async function proveRefund(client: PublicClient, record: BrowserKeptTestDrive, options: ProvingOptions = {}): Promise<ProvenRefund> {
  const { input, ...claim } = await prepareGradedRefund(client, { market: record.market, testId: BigInt(record.testId!), kept: keptDisputeData(record) });
  const proof = await proveWithSiteArtifacts(input, claim.circuitName, options);
  return { ...claim, proof };
}
