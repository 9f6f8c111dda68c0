/**
 * The buyer's answer to a contest (docs/DISPUTES.md §5.2, §7) proven in Node: prepareSampleOpening.ts
 * (the drawn samples, their opening and the circuit input) and the Open(N, 16) proof of it with
 * snarkjs. The caller sends `RefundDisputes.openSamples(testId, opening, proof.calldata)`; only
 * the buyer may, and only the buyer has the data.
 */
import type { PublicClient } from "viem";
import { proveDispute, type DisputeProof } from "../prover/disputeProof.ts";
import type { OpeningCalldata } from "../testDrives/sampleOpening.ts";
import { prepareSampleOpening } from "./prepareSampleOpening.ts";
import type { V2DisputeParameters } from "./proveGradedRefund.ts";

export interface ProvenSampleOpening {
  readonly opening: OpeningCalldata;
  readonly proof: DisputeProof;
  readonly indices: readonly number[];
}

export async function proveSampleOpening(client: PublicClient, parameters: V2DisputeParameters): Promise<ProvenSampleOpening> {
  const { circuitName, input, opening, indices } = await prepareSampleOpening(client, parameters);
  const base = parameters.artifacts(circuitName);
  const proof = await proveDispute({ input, wasm: `${base}.wasm`, zkey: `${base}.zkey`, onProgress: parameters.onProgress });
  return { opening, proof, indices };
}
