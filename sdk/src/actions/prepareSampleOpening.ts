/**
 * The buyer's answer to a contest (docs/DISPUTES.md §5.2, §7) up to its proof: the samples drawn
 * from its secret and the seller's, opened (features, σ_j, path in D, label, prediction), and the
 * input of the Open(N, 16) circuit that proves their labels and predictions are the ones its
 * commitments hold (which circuit: `circuitName`). It loads no prover: Node proves with
 * proveSampleOpening.ts, the browser in a Web Worker (../prover/browser/proveInWorker.ts). The
 * caller then sends `RefundDisputes.openSamples(testId, opening, proof.calldata)` as the buyer.
 * Refuses (NoRefundProofError) when the refund is not contested or the kept data is not the
 * test-drive's.
 */
import type { PublicClient } from "viem";
import type { CircuitSignals } from "snarkjs";
import { refundDisputesAbi } from "../generated/abis.ts";
import { challengeSecret } from "../testDrives/challengeCommitment.ts";
import { contestIndices } from "../testDrives/challengeIndices.ts";
import { openCircuitInput } from "../testDrives/openCircuitInput.ts";
import { openedSampleCalldata, sampleDigests, sampleOpening, type OpeningCalldata } from "../testDrives/sampleOpening.ts";
import { NoRefundProofError } from "./keptTestSet.ts";
import { readV2DisputeContext, type V2DisputeContext, type V2DisputeSubject } from "./prepareGradedRefund.ts";
import { DISPUTE_PHASES } from "./readDispute.ts";

/** A sample opening before its proof. */
export interface PreparedSampleOpening {
  /** The circuit that proves it, e.g. "open_256" (its artifacts: circuits/artifacts/<name>/<name>.wasm, .zkey). */
  readonly circuitName: string;
  readonly input: CircuitSignals;
  readonly opening: OpeningCalldata;
  /** The drawn samples, in draw order. */
  readonly indices: readonly number[];
  readonly context: V2DisputeContext;
}

export async function prepareSampleOpening(client: PublicClient, parameters: V2DisputeSubject): Promise<PreparedSampleOpening> {
  const { market, testId, kept } = parameters;
  const context = await readV2DisputeContext(client, parameters);
  const dispute = await client.readContract({ address: context.disputes, abi: refundDisputesAbi, functionName: "getDispute", args: [testId] });
  if (DISPUTE_PHASES[dispute.phase] !== "Contested") {
    throw new NoRefundProofError(`test ${testId}'s refund is ${DISPUTE_PHASES[dispute.phase] ?? dispute.phase}, not contested: there is nothing to open`);
  }
  const secretB = challengeSecret(kept.salt, testId);
  const chainId = await client.getChainId();
  const indices = contestIndices({ secretB, secretS: dispute.sellerSecret, chainId, market, testId }, kept.labels.length);
  const input = openCircuitInput(
    {
      featuresRoot: context.featuresRoot,
      labels: kept.labels,
      predictions: kept.predictions,
      salt: kept.salt,
      fields: { ...context.fields, shortfallBps: dispute.shortfallBps },
      tag: context.tag,
      indices,
    },
    context.circuitSize,
  );
  const set = { features: kept.quantized, shape: context.fields, salt: kept.salt };
  const digests = sampleDigests(set);
  const opening: OpeningCalldata = {
    buyerSecret: secretB,
    featuresRoot: context.featuresRoot,
    labels: indices.map((j) => kept.labels[j]!),
    predictions: indices.map((j) => kept.predictions[j]!),
    samples: indices.map((j) => openedSampleCalldata(sampleOpening(set, digests, j, kept.predictions[j]!))),
  };
  return { circuitName: `open_${context.circuitSize}`, input, opening, indices, context };
}
