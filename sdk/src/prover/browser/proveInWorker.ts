/**
 * Dispute proofs in the browser: runs the prover in a dedicated Web Worker so the page never
 * freezes, reports progress, and can be cancelled. Bundlers (Vite) pick the worker up from the
 * `new URL(..., import.meta.url)` below.
 *
 * @example
 * const proof = await proveDisputeInBrowser({
 *   input: refundCircuitInput(...),
 *   wasmUrl: "/circuits/refund_256.wasm",
 *   zkeyUrl: "/circuits/refund_256.zkey",
 *   onProgress: ({ fraction, detail }) => bar.update(fraction, detail),
 * });
 * await disputes.write.claimRefund([testId, shortfallBps, predictionCommitment, buyerSecretHash, proof.calldata], { value });
 */
import type { DisputeProof } from "../disputeProof.ts";
import type { ProgressListener } from "../provingProgress.ts";
import type { ProveRequest, ProverMessage } from "./workerProtocol.ts";

export class BrowserProverError extends Error {
  override name = "BrowserProverError";
}

export interface BrowserProveOptions extends ProveRequest {
  readonly onProgress?: ProgressListener;
  /** Aborting terminates the worker (and snarkjs's helpers with it) and rejects. */
  readonly signal?: AbortSignal;
}

export function proveDisputeInBrowser({ input, wasmUrl, zkeyUrl, onProgress, signal }: BrowserProveOptions): Promise<DisputeProof> {
  return new Promise<DisputeProof>((resolve, reject) => {
    if (signal?.aborted) return reject(new BrowserProverError("the proof was cancelled"));
    const worker = new Worker(new URL("./disputeProofWorker.ts", import.meta.url), { type: "module" });
    const finish = (): void => {
      worker.terminate();
      signal?.removeEventListener("abort", onAbort);
    };
    const onAbort = (): void => {
      finish();
      reject(new BrowserProverError("the proof was cancelled"));
    };
    signal?.addEventListener("abort", onAbort);
    worker.onmessage = ({ data }: MessageEvent<ProverMessage>) => {
      if (data.type === "progress") return onProgress?.(data.progress);
      finish();
      if (data.type === "result") resolve(data.proof);
      else reject(new BrowserProverError(data.message));
    };
    worker.onerror = (event: ErrorEvent) => {
      finish();
      reject(new BrowserProverError(`the prover worker failed: ${event.message}`));
    };
    const request: ProveRequest = { input, wasmUrl, zkeyUrl };
    worker.postMessage(request);
  });
}
