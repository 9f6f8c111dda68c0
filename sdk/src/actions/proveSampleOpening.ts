/**
 * The buyer's answer to a contest (docs/DISPUTES.md §5.2, §7): the samples drawn from its
 * secret and the seller's, opened (features, σ_j, path in D, label, prediction) with an
 * Open(N, 16) proof that their labels and predictions are the ones its commitments hold. The
 * caller sends `RefundDisputes.openSamples(testId, opening, proof.calldata)`; anyone may, but only
 * the buyer has the data.
 */
import type { PublicClient } from "viem";
import { refundDisputesAbi } from "../generated/abis.ts";
import { proveDispute, type DisputeProof } from "../prover/disputeProof.ts";
import { challengeSecret } from "../testDrives/challengeCommitment.ts";
import { contestIndices } from "../testDrives/challengeIndices.ts";
import { openCircuitInput } from "../testDrives/openCircuitInput.ts";
import { openedSampleCalldata, sampleDigests, sampleOpening, type OpenedSampleCalldata } from "../testDrives/sampleOpening.ts";
import { NoRefundProofError } from "./keptTestSet.ts";
import { readV2DisputeContext, type V2DisputeParameters } from "./proveGradedRefund.ts";
import { DISPUTE_PHASES } from "./readDispute.ts";

/** `IRefundDisputes.Opening`. */
export interface SampleOpeningCalldata {
  readonly buyerSecret: `0x${string}`;
  readonly featuresRoot: bigint;
  readonly labels: readonly number[];
  readonly predictions: readonly number[];
  readonly samples: readonly OpenedSampleCalldata[];
}

export interface ProvenSampleOpening {
  readonly opening: SampleOpeningCalldata;
  readonly proof: DisputeProof;
  readonly indices: readonly number[];
}

export async function proveSampleOpening(client: PublicClient, parameters: V2DisputeParameters): Promise<ProvenSampleOpening> {
  const { market, testId, kept, artifacts, onProgress } = parameters;
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
  const base = artifacts(`open_${context.circuitSize}`);
  const proof = await proveDispute({ input, wasm: `${base}.wasm`, zkey: `${base}.zkey`, onProgress });
  const set = { features: kept.quantized, shape: context.fields, salt: kept.salt };
  const digests = sampleDigests(set);
  const opening: SampleOpeningCalldata = {
    buyerSecret: secretB,
    featuresRoot: context.featuresRoot,
    labels: indices.map((j) => kept.labels[j]!),
    predictions: indices.map((j) => kept.predictions[j]!),
    samples: indices.map((j) => openedSampleCalldata(sampleOpening(set, digests, j, kept.predictions[j]!))),
  };
  return { opening, proof, indices };
}
