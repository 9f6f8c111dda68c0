/**
 * The buyer's v2 refund claim (docs/DISPUTES.md §4, §7) up to its proof: from the test set it
 * kept and its decrypted predictions, the largest shortfall its predictions prove, the input of
 * the Refund(N) circuit that proves it (which circuit: `circuitName`),
 * the prediction commitment C_P, the challenge commitment H_b and the ether the claim stakes
 * (the listing's buyer bond plus the free samples' fee). It loads no prover: Node proves with
 * proveGradedRefund.ts, the browser in a Web Worker (../prover/browser/proveInWorker.ts). The
 * caller then sends
 * `RefundDisputes.claimRefund(testId, shortfallBps, predictionCommitment, buyerSecretHash, proof.calldata)`
 * with `value`. Nothing is proven that the kept data cannot back: the SDK refuses when the model
 * met its claim by the buyer's own predictions, or when the kept test set is not the one posted.
 */
import { toHex, type Address, type Hex, type PublicClient } from "viem";
import { modelMarketAbi, modelRegistryAbi, refundDisputesAbi } from "../generated/abis.ts";
import type { CircuitSignals } from "snarkjs";
import { challengeCommitment, challengeSecret } from "../testDrives/challengeCommitment.ts";
import { dataCommitmentV2 } from "../testDrives/dataCommitmentV2.ts";
import { unpackDisputeContext } from "../testDrives/disputeContext.ts";
import type { DisputeContextV2Fields } from "../testDrives/disputeContextV2.ts";
import { featuresRoot } from "../testDrives/featuresRoot.ts";
import { formatBps, gradedRefund, provableShortfall } from "../testDrives/gradedRefund.ts";
import { predictionCommitment } from "../testDrives/predictionCommitment.ts";
import { correctCount, refundCircuitInput } from "../testDrives/refundCircuitInput.ts";
import { refundShares } from "../testDrives/refundShares.ts";
import { sampleDigests } from "../testDrives/sampleOpening.ts";
import { NoRefundProofError, type KeptTestSet } from "./keptTestSet.ts";

/** What a v2 dispute step of a test-drive is built from. */
export interface V2DisputeSubject {
  readonly market: Address;
  readonly testId: bigint;
  readonly kept: KeptTestSet;
}

/** What a v2 dispute of a test-drive is checked against, read from the chain. */
export interface V2DisputeContext {
  readonly disputes: Address;
  readonly listingId: bigint;
  readonly fields: Omit<DisputeContextV2Fields, "shortfallBps">;
  readonly tag: bigint;
  readonly dataCommitment: bigint;
  /** D, recomputed from the kept features. */
  readonly featuresRoot: bigint;
  /** N of the refund and opening circuits that hold the test set. */
  readonly circuitSize: number;
}

/** A graded refund claim before its proof: the circuit, its input and what the claim sends beside the proof. */
export interface PreparedGradedRefund {
  /** The circuit that proves it, e.g. "refund_256" (its artifacts: circuits/artifacts/<name>/<name>.wasm, .zkey). */
  readonly circuitName: string;
  readonly input: CircuitSignals;
  readonly shortfallBps: number;
  /** R, what the refund pays if it stands. */
  readonly refund: bigint;
  readonly predictionCommitment: Hex;
  readonly buyerSecretHash: Hex;
  /** msg.value of the claim: the buyer bond plus the free samples' fee. */
  readonly value: bigint;
  readonly correct: number;
  readonly context: V2DisputeContext;
}

/**
 * Reads a test-drive's v2 dispute context and checks the kept test set is the one it committed
 * (C_D v2). Throws a {NoRefundProofError} naming what does not match.
 */
export async function readV2DisputeContext(client: PublicClient, { market, testId, kept }: V2DisputeSubject): Promise<V2DisputeContext> {
  const [context, test, disputes] = await Promise.all([
    client.readContract({ address: market, abi: modelMarketAbi, functionName: "disputeContext", args: [testId] }),
    client.readContract({ address: market, abi: modelMarketAbi, functionName: "getTest", args: [testId] }),
    client.readContract({ address: market, abi: modelMarketAbi, functionName: "refundDisputes" }),
  ]);
  const { tag, ...fields } = unpackDisputeContext(context);
  const n = kept.labels.length;
  if (fields.sampleCount !== n || kept.predictions.length !== n || kept.quantized.length !== n) {
    throw new NoRefundProofError(`the kept test set has ${n} labels and ${kept.predictions.length} predictions, but test ${testId} was opened for ${fields.sampleCount} samples`);
  }
  const root = featuresRoot(sampleDigests({ features: kept.quantized, shape: fields, salt: kept.salt }));
  const dataCommitment = dataCommitmentV2({ featuresRoot: root, labels: kept.labels, salt: kept.salt });
  if (toHex(dataCommitment, { size: 32 }) !== test.dataCommitment) {
    throw new NoRefundProofError(
      `the kept test set does not match the commitment test ${testId} posted (${test.dataCommitment}); was the local state changed?`,
    );
  }
  const circuits = await client.readContract({ address: disputes, abi: refundDisputesAbi, functionName: "sampleCircuitsFor", args: [n] });
  return { disputes, listingId: BigInt(test.listingId), fields, tag, dataCommitment, featuresRoot: root, circuitSize: circuits.maxSamples };
}

/** Throws NoRefundProofError when the kept data backs no refund (the model met its claim, or the data is not the test-drive's). */
export async function prepareGradedRefund(client: PublicClient, parameters: V2DisputeSubject): Promise<PreparedGradedRefund> {
  const { testId, kept } = parameters;
  const context = await readV2DisputeContext(client, parameters);
  const { fields } = context;
  const n = kept.labels.length;
  const correct = correctCount(kept.labels, kept.predictions);
  const shortfallBps = provableShortfall(correct, n, fields.claimedAccuracyBps);
  if (shortfallBps === 0) {
    throw new NoRefundProofError(
      `no refund is due: by your own decrypted predictions the model met its claim on your data, to within 1 bps (${correct} of ${n} correct, ${formatBps((correct * 10_000) / n)} against the claimed ${formatBps(fields.claimedAccuracyBps)}), so the SDK will not prove a shortfall`,
    );
  }
  const registry = await client.readContract({ address: context.disputes, abi: refundDisputesAbi, functionName: "registry" });
  const [policy, [, , testPolicy]] = await Promise.all([
    client.readContract({ address: registry, abi: modelRegistryAbi, functionName: "disputePolicy", args: [context.listingId] }),
    client.readContract({ address: registry, abi: modelRegistryAbi, functionName: "testTerms", args: [context.listingId] }),
  ]);
  const input = refundCircuitInput(
    { featuresRoot: context.featuresRoot, labels: kept.labels, predictions: kept.predictions, salt: kept.salt, fields: { ...fields, shortfallBps }, tag: context.tag },
    context.circuitSize,
  );
  const cp = predictionCommitment({ dataCommitment: context.dataCommitment, predictions: kept.predictions, salt: kept.salt });
  // F = min(min(n, freeSamples)·fee, deposit), as RefundDisputes stakes it.
  const freeSamplesFee = refundShares(testPolicy, n).toSeller;
  return {
    circuitName: `refund_${context.circuitSize}`,
    input,
    shortfallBps,
    refund: gradedRefund(testPolicy.deposit, shortfallBps, policy.refundSlopeBps),
    predictionCommitment: toHex(cp, { size: 32 }),
    buyerSecretHash: challengeCommitment(challengeSecret(kept.salt, testId)),
    value: policy.buyerBond + freeSamplesFee,
    correct,
    context,
  };
}
