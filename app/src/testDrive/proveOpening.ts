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
import type { DisputeProof, ProgressListener } from "@modelbazaar/sdk/prover";
import { proveDisputeInBrowser } from "@modelbazaar/sdk/prover/browser";
import type { BrowserKeptTestDrive } from "./keptTestDrive.ts";

export interface ProvenOpening extends Omit<PreparedSampleOpening, "input"> {
  readonly proof: DisputeProof;
}

export async function proveOpening(client: PublicClient, record: BrowserKeptTestDrive, { onProgress, signal }: { onProgress?: ProgressListener; signal?: AbortSignal } = {}): Promise<ProvenOpening> {
  const kept = { quantized: record.quantized, labels: record.labels, salt: BigInt(record.salt), predictions: record.predictions ?? [] };
  const { input, ...opening } = await prepareSampleOpening(client, { market: record.market, testId: BigInt(record.testId!), kept });
  const proof = await proveDisputeInBrowser({ input, wasmUrl: `/circuits/${opening.circuitName}.wasm`, zkeyUrl: `/circuits/${opening.circuitName}.zkey`, onProgress, signal });
  return { ...opening, proof };
}
