/**
 * The buyer's refund proof for a test-drive whose model did worse than claimed: reads the
 * test's dispute context from the market (claimed accuracy, sample count, task, binding tag),
 * checks locally that a proof can exist (fewer correct predictions than the claim), builds the
 * input of the circuit the market's verifier will use (disputeCircuitFor.ts) from the buyer's
 * kept secrets (quantized features, labels, salt, predictions), checks it commits to what was
 * posted at `openTest`, and proves it. The caller submits `proof.calldata` with `claimRefund`.
 */
import { toHex, type Address, type PublicClient } from "viem";
import { modelMarketAbi } from "../generated/abis.ts";
import { proveDispute, type DisputeProof } from "../prover/disputeProof.ts";
import type { ProgressListener } from "../prover/provingProgress.ts";
import { correctCount, disputeCircuitInput, type DisputeCircuitInput } from "../testDrives/dataCommitment.ts";
import { unpackDisputeContext, type DisputeContextFields } from "../testDrives/disputeContext.ts";
import { featureCircuitInput } from "../testDrives/featureCircuitInput.ts";
import { featuresDigest } from "../testDrives/featuresDigest.ts";
import { disputeCircuitFor, type DisputeCircuit } from "./disputeCircuitFor.ts";

/** What the buyer kept from its test-drive (the local state of `bazaar test-drive`). */
export interface KeptTestSet {
  readonly quantized: readonly (readonly number[])[];
  readonly labels: readonly number[];
  readonly salt: bigint;
  readonly predictions: readonly number[];
}

export interface ProveRefundParameters {
  readonly market: Address;
  /** The market's dispute verifier (the router). */
  readonly verifier: Address;
  readonly testId: bigint;
  readonly kept: KeptTestSet;
  /** Where a circuit's wasm and zkey are found: `${artifacts(name)}.wasm` and `.zkey`. */
  readonly artifacts: (circuitName: string) => string;
  readonly onProgress?: ProgressListener;
}

export interface ProveRefundReturnType {
  readonly proof: DisputeProof;
  readonly circuit: DisputeCircuit;
  readonly fields: DisputeContextFields;
  readonly correct: number;
}

/** The model met its claim on the buyer's data by its decrypted predictions (or the kept data does not match the test-drive): the SDK refuses to prove a refund. */
export class NoRefundProofError extends Error {
  override readonly name = "NoRefundProofError";
}

/** The circuit input for `circuit` from the kept test set and the on-chain context. */
export function refundCircuitInput(kept: KeptTestSet, fields: DisputeContextFields, tag: bigint, circuit: DisputeCircuit): DisputeCircuitInput {
  const source = { labels: kept.labels, salt: kept.salt, predictions: kept.predictions, fields, tag };
  if (circuit.features !== undefined) return featureCircuitInput({ ...source, features: kept.quantized }, circuit.size, circuit.features);
  return disputeCircuitInput({ ...source, featuresDigest: featuresDigest(kept.quantized, fields) }, circuit.size);
}

export async function proveRefund(client: PublicClient, parameters: ProveRefundParameters): Promise<ProveRefundReturnType> {
  const { market, verifier, testId, kept, artifacts, onProgress } = parameters;
  const [context, test] = await Promise.all([
    client.readContract({ address: market, abi: modelMarketAbi, functionName: "disputeContext", args: [testId] }),
    client.readContract({ address: market, abi: modelMarketAbi, functionName: "getTest", args: [testId] }),
  ]);
  const { tag, ...fields } = unpackDisputeContext(context);
  const n = kept.labels.length;
  if (fields.sampleCount !== n || kept.predictions.length !== n) {
    throw new NoRefundProofError(`the kept test set has ${n} labels and ${kept.predictions.length} predictions, but test ${testId} was opened for ${fields.sampleCount} samples`);
  }
  const correct = correctCount(kept.labels, kept.predictions);
  if (correct * 10_000 >= fields.claimedAccuracyBps * n) {
    throw new NoRefundProofError(
      `no refund is due: by your own decrypted predictions the model met its claim on your data (${correct} of ${n} correct, ${formatBps((correct * 10_000) / n)} >= the claimed ${formatBps(fields.claimedAccuracyBps)}), so the SDK will not prove otherwise`,
    );
  }
  const circuit = await disputeCircuitFor(client, { verifier, ...fields });
  const input = refundCircuitInput(kept, fields, tag, circuit);
  if (toHex(BigInt(input.dataCommitment), { size: 32 }) !== test.dataCommitment) {
    throw new NoRefundProofError(`the kept test set does not match the commitment test ${testId} posted (${test.dataCommitment}); was the local state changed?`);
  }
  const base = artifacts(circuit.name);
  const proof = await proveDispute({ input, wasm: `${base}.wasm`, zkey: `${base}.zkey`, onProgress });
  return { proof, circuit, fields, correct };
}

/** Basis points as a percentage with two decimals ("96.67%"). */
export function formatBps(bps: number): string {
  return `${(bps / 100).toFixed(2)}%`;
}
