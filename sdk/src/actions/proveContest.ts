/**
 * The seller's proof that a buyer's opened prediction is not what its committed plan gives
 * (docs/DISPUTES.md §5.3, §7): reads the opening from the `SamplesOpened` event, looks for a
 * sample where the quantized plan's class beats the buyer's prediction by more than τ_q (kind
 * Mismatch) or whose opening does not open D (kind InvalidOpening), and proves it with the
 * listing's contest circuit. The caller sends
 * `RefundDisputes.proveMismatch(testId, sample, slotHashes, cls, kind, proof.calldata)`; anyone may.
 * Returns undefined when no opened sample gives a provable contest: an honest opening.
 * {findContest} is the same search without the proof (chain reads and a few score computations):
 * a caller that proves elsewhere (the worker's prover thread) gives its circuit input to
 * `proveDispute` itself.
 */
import type { Address, PublicClient } from "viem";
import type { CircuitSignals } from "snarkjs";
import { modelRegistryAbi, refundDisputesAbi } from "../generated/abis.ts";
import type { QuantizedPlan } from "../he/quantizedPlan.ts";
import { proveDispute, type DisputeProof } from "../prover/disputeProof.ts";
import type { ProgressListener } from "../prover/provingProgress.ts";
import { ContestKind, type ContestKindCode } from "../disputes/contestMeta.ts";
import { CONTEST_LINEAR_CIRCUITS, contestLinearInput, provableContest, type ContestSource, type SampleOpening } from "../disputes/contestLinearInput.ts";
import { CONTEST_SQUARE_MLP_CIRCUITS, contestSquareMlpInput } from "../disputes/contestSquareMlpInput.ts";
import { decodeSampleFeatures, openedSampleHash, type OpenedSampleCalldata } from "../testDrives/sampleOpening.ts";

export interface FindContestParameters {
  /** The market's `refundDisputes()`. */
  readonly disputes: Address;
  readonly testId: bigint;
  /** The quantized plan the listing committed to, and its salt (the seller's secrets). */
  readonly plan: QuantizedPlan;
  readonly planSalt: bigint;
}

export interface ProveContestParameters extends FindContestParameters {
  readonly artifacts: (circuitName: string) => string;
  readonly onProgress?: ProgressListener;
}

/** `IRefundDisputes.DisputeEnd` codes of the two contests a seller proves. */
export const DISPUTE_END = { Mismatch: 2, InvalidOpening: 3 } as const;

/** A provable contest, found: what `proveMismatch` takes but the proof, and the circuit's input. */
export interface FoundContest {
  readonly sample: OpenedSampleCalldata;
  readonly slotHashes: readonly `0x${string}`[];
  readonly cls: number;
  /** The `DisputeEnd` code `proveMismatch` takes. */
  readonly kind: (typeof DISPUTE_END)[keyof typeof DISPUTE_END];
  /** The contest circuit's main (its artifacts are circuits/artifacts/<circuit>/). */
  readonly circuit: string;
  readonly input: CircuitSignals;
}

export interface ProvenContest extends Omit<FoundContest, "input"> {
  readonly proof: DisputeProof;
}

/** The contest circuit's main for a listing's plan, or undefined when none is shipped. */
export function contestCircuitName(plan: QuantizedPlan, shape: { features: number; classes: number }): string | undefined {
  if (plan.family === "linear") {
    return Object.entries(CONTEST_LINEAR_CIRCUITS).find(([, s]) => s.features === shape.features && s.classes === shape.classes)?.[0];
  }
  return Object.entries(CONTEST_SQUARE_MLP_CIRCUITS).find(([, s]) => s.features === shape.features && s.classes === shape.classes && s.hidden === plan.hiddenSize)?.[0];
}

/** The opening a buyer posted for `testId` (from the `SamplesOpened` log), or undefined. */
export async function postedOpening(client: PublicClient, disputes: Address, testId: bigint) {
  const logs = await client.getContractEvents({ address: disputes, abi: refundDisputesAbi, eventName: "SamplesOpened", args: { testId }, fromBlock: 0n, strict: true });
  return logs.at(-1)?.args;
}

export async function proveContest(client: PublicClient, parameters: ProveContestParameters): Promise<ProvenContest | undefined> {
  const found = await findContest(client, parameters);
  if (found === undefined) return undefined;
  const { input, ...contest } = found;
  const base = parameters.artifacts(found.circuit);
  const proof = await proveDispute({ input, wasm: `${base}.wasm`, zkey: `${base}.zkey`, onProgress: parameters.onProgress });
  return { ...contest, proof };
}

/** The first opened sample a contest can be proven on, with the circuit input; undefined for an honest opening. */
export async function findContest(client: PublicClient, parameters: FindContestParameters): Promise<FoundContest | undefined> {
  const { disputes, testId, plan, planSalt } = parameters;
  const dispute = await client.readContract({ address: disputes, abi: refundDisputesAbi, functionName: "getDispute", args: [testId] });
  const posted = await postedOpening(client, disputes, testId);
  if (posted === undefined) return undefined;
  const registry = await client.readContract({ address: disputes, abi: refundDisputesAbi, functionName: "registry" });
  const listingId = BigInt(dispute.listingId);
  const [policy, terms, circuit] = await Promise.all([
    client.readContract({ address: registry, abi: modelRegistryAbi, functionName: "disputePolicy", args: [listingId] }),
    client.readContract({ address: registry, abi: modelRegistryAbi, functionName: "disputeTerms", args: [listingId] }),
    client.readContract({ address: disputes, abi: refundDisputesAbi, functionName: "contestCircuitFor", args: [listingId] }),
  ]);
  const name = contestCircuitName(plan, circuit);
  if (name === undefined) throw new Error(`no shipped contest circuit proves a ${plan.family} plan of ${circuit.features} features and ${circuit.classes} classes`);
  const contestTerms = { featureBits: terms.featureBits, toleranceQ: policy.contestToleranceQ };
  for (const sample of posted.samples) {
    const opening: SampleOpening = { index: sample.index, features: decodeSampleFeatures(sample.features), sigma: sample.sigma, siblings: sample.siblings, prediction: sample.prediction };
    const found = provableContest(plan, posted.featuresRoot, opening, contestTerms);
    if (found === undefined) continue;
    const source: ContestSource<QuantizedPlan> = {
      plan,
      planSalt,
      planCommitment: BigInt(policy.planCommitment),
      featuresRoot: posted.featuresRoot,
      opening,
      terms: contestTerms,
      cls: found.cls,
      kind: found.kind,
    };
    const input =
      plan.family === "linear"
        ? contestLinearInput({ ...source, plan }, circuit)
        : contestSquareMlpInput({ ...source, plan }, { ...circuit, hidden: plan.hiddenSize });
    return { sample, slotHashes: posted.samples.map(openedSampleHash), cls: found.cls, kind: endOf(found.kind), circuit: name, input };
  }
  return undefined;
}

const endOf = (kind: ContestKindCode) => (kind === ContestKind.Mismatch ? DISPUTE_END.Mismatch : DISPUTE_END.InvalidOpening);
