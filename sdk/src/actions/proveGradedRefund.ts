/**
 * The buyer's v2 refund claim (docs/DISPUTES.md §4, §7) proven in Node: prepareGradedRefund.ts
 * (the shortfall, the circuit input, C_P, H_b and the stake) and the Refund(N) proof of it with
 * snarkjs. The caller sends
 * `RefundDisputes.claimRefund(testId, shortfallBps, predictionCommitment, buyerSecretHash, proof.calldata)`
 * with `value`. Nothing is proven that the kept data cannot back: the SDK refuses when the model
 * met its claim by the buyer's own predictions, or when the kept test set is not the one posted.
 */
import type { PublicClient } from "viem";
import { proveDispute, type DisputeProof } from "../prover/disputeProof.ts";
import type { ProgressListener } from "../prover/provingProgress.ts";
import { prepareGradedRefund, type PreparedGradedRefund, type V2DisputeSubject } from "./prepareGradedRefund.ts";

export { readV2DisputeContext, type V2DisputeContext } from "./prepareGradedRefund.ts";

export interface V2DisputeParameters extends V2DisputeSubject {
  /** Where a circuit's wasm and zkey are found: `${artifacts(name)}.wasm` and `.zkey`. */
  readonly artifacts: (circuitName: string) => string;
  readonly onProgress?: ProgressListener;
}

export interface GradedRefundClaim extends Omit<PreparedGradedRefund, "input"> {
  readonly proof: DisputeProof;
}

export async function proveGradedRefund(client: PublicClient, parameters: V2DisputeParameters): Promise<GradedRefundClaim> {
  const { input, ...claim } = await prepareGradedRefund(client, parameters);
  const base = parameters.artifacts(claim.circuitName);
  const proof = await proveDispute({ input, wasm: `${base}.wasm`, zkey: `${base}.zkey`, onProgress: parameters.onProgress });
  return { ...claim, proof };
}
