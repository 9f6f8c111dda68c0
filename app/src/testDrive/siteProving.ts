/**
 * What the browser's refund and opening proofs share: the kept test set and predictions as the
 * SDK's dispute preparations take them, and proving in a Web Worker (proveDisputeInBrowser)
 * with the circuit's artifacts fetched from the site (/circuits/<name>.wasm, .zkey).
 */
import type { DisputeProof, ProgressListener } from "@modelbazaar/sdk/prover";
import { proveDisputeInBrowser } from "@modelbazaar/sdk/prover/browser";
import type { BrowserKeptTestDrive } from "./keptTestDrive.ts";

export interface ProvingOptions {
  readonly onProgress?: ProgressListener;
  readonly signal?: AbortSignal;
}

/** The kept record's test set, salt and predictions, as prepareGradedRefund and prepareSampleOpening take them. */
export function keptDisputeData(record: BrowserKeptTestDrive) {
  return { quantized: record.quantized, labels: record.labels, salt: BigInt(record.salt), predictions: record.predictions ?? [] };
}

/** Proves `input` for the circuit `circuitName` with the artifacts this site serves. */
export function proveWithSiteArtifacts(input: Parameters<typeof proveDisputeInBrowser>[0]["input"], circuitName: string, { onProgress, signal }: ProvingOptions): Promise<DisputeProof> {
  return proveDisputeInBrowser({ input, wasmUrl: `/circuits/${circuitName}.wasm`, zkeyUrl: `/circuits/${circuitName}.zkey`, onProgress, signal });
}
