/**
 * The buyer's answer to a contest proven in this browser: the SDK draws the 16 samples from the
 * buyer's secret (derived from the kept salt) and the seller's, and builds their opening and the
 * Open circuit's input from the kept test set and predictions (prepareSampleOpening; it refuses
 * when the refund is not contested or the data is not the test-drive's); the Open circuit proves
 * it in a Web Worker (proveDisputeInBrowser) with its artifacts fetched from the site
 * (/circuits/<name>.wasm, .zkey). The page then sends `openSamples` with the result.
 */
import type { PublicClient } from "viem";
import { prepareSampleOpening, type PreparedSampleOpening } from "@modelbazaar/sdk/actions";
import type { DisputeProof } from "@modelbazaar/sdk/prover";
import type { BrowserKeptTestDrive } from "./keptTestDrive.ts";
import { keptDisputeData, proveWithSiteArtifacts, type ProvingOptions } from "./siteProving.ts";

export interface ProvenOpening extends Omit<PreparedSampleOpening, "input"> {
  readonly proof: DisputeProof;
}

export async function proveOpening(client: PublicClient, record: BrowserKeptTestDrive, options: ProvingOptions = {}): Promise<ProvenOpening> {
  const { input, ...opening } = await prepareSampleOpening(client, { market: record.market, testId: BigInt(record.testId!), kept: keptDisputeData(record) });
  const proof = await proveWithSiteArtifacts(input, opening.circuitName, options);
  return { ...opening, proof };
}
