/**
 * Proof re-verification of the v2 refund disputes (docs/DISPUTES.md §5, §7) for the audit: each
 * Groth16 proof a dispute step submitted to `RefundDisputes` (the buyer's Refund(N) proof at
 * `claimRefund`, its Open(N, 16) proof at `openSamples`, the seller's contest proof at
 * `proveMismatch`) is decoded from the calldata of the transaction that emitted the step's
 * event, its public signals are rebuilt from chain data alone (the listing's terms, the test's
 * sample count, buyer and C_D, the chain id and the market's address, and what earlier events
 * published), it must be canonically encoded (`Groth16Canonical`), and snarkjs verifies it
 * against the checked-in key of the circuit the contract must use (disputeCircuits.ts). A step
 * whose calldata the audit cannot read (a call through a contract wallet) or whose key it was
 * not given is reported as not re-verified, never as valid.
 *
 * What the calldata says besides the proof (the posted opening, the contested sample and its
 * slot hashes) is returned too, so refundDisputeChecks.ts can hold it against the events.
 */
import * as snarkjs from "snarkjs";
import { decodeFunctionData, isAddressEqual, type Address, type Hash, type Hex, type PublicClient } from "viem";
import { packContestMeta, ContestKind } from "../disputes/contestMeta.ts";
import { PlanFamily, type PlanFamilyCode } from "../disputes/planCommitment.ts";
import { refundDisputesAbi } from "../generated/abis.ts";
import type { MarketGroth16Proof } from "../prover/disputeProof.ts";
import { bindingTag } from "../testDrives/disputeContext.ts";
import { packDisputeContextV2 } from "../testDrives/disputeContextV2.ts";
import { openPublicInput, openPublicSignals } from "../testDrives/openCircuitInput.ts";
import { packLanes } from "../testDrives/poseidonChain.ts";
import { decodeSampleFeatures, type OpenedSampleCalldata, type OpeningCalldata } from "../testDrives/sampleOpening.ts";
import { contestCircuitsFor, sampleCircuitFor, type RefundDisputeKeys } from "./disputeCircuits.ts";
import { fromMarketProof, isCanonicalProof } from "./proofEncoding.ts";
import type { ListingRecord, RefundDisputeRecord, TestRecord } from "./marketTrail.ts";

/** A dispute step that carries a proof. */
export type DisputeStep = "claim" | "open" | "contest";

/** One step's proof as the audit re-verified it. */
export interface StepProof {
  readonly step: DisputeStep;
  readonly transactionHash: Hash;
  /** The circuit whose key was used (or would have been), when one was found. */
  readonly circuit?: string;
  /** The public signals rebuilt from chain data, when they could be. */
  readonly publicSignals?: readonly bigint[];
  /** False when the proof could not be checked at all (no calldata, no key, unbuildable signals). */
  readonly checked: boolean;
  readonly verified: boolean;
  readonly detail: string;
}

/** What `proveMismatch` received besides the proof. */
export interface MismatchCalldata {
  readonly sample: OpenedSampleCalldata;
  readonly slotHashes: readonly Hex[];
  readonly cls: number;
  /** The `DisputeEnd` code (2 Mismatch, 3 InvalidOpening). */
  readonly kind: number;
}

/** Every proof of one v2 dispute, re-verified. */
export interface RefundDisputeRecheck {
  readonly testId: bigint;
  readonly claim: StepProof;
  readonly open?: StepProof & { readonly calldata?: OpeningCalldata };
  readonly contest?: StepProof & { readonly calldata?: MismatchCalldata };
}

/** The contest circuit `RefundDisputes.contestCircuitFor` names for a listing (family 0: none). */
export interface ContestCircuitOnChain {
  readonly family: number;
  readonly features: number;
  readonly classes: number;
  readonly verifier: Address;
}

export interface RefundDisputeProofContext {
  readonly client: PublicClient;
  readonly chainId: number;
  readonly market: Address;
  /** The market's `RefundDisputes`. */
  readonly disputes: Address;
  readonly keys: RefundDisputeKeys | undefined;
  /** The market's contest circuit for a listing (read once per listing by the caller). */
  readonly contestCircuit: (listingId: bigint) => Promise<ContestCircuitOnChain | undefined>;
}

/** `IRefundDisputes.DisputeEnd.InvalidOpening`. */
const INVALID_OPENING = 3;

/** Re-verifies every proof of `dispute`, one at a time (snarkjs is CPU-bound). */
export async function recheckRefundDispute(ctx: RefundDisputeProofContext, test: TestRecord, listing: ListingRecord, dispute: RefundDisputeRecord): Promise<RefundDisputeRecheck> {
  const claim = await recheckClaim(ctx, test, listing, dispute);
  const open = dispute.opening ? await recheckOpen(ctx, test, listing, dispute) : undefined;
  const contest = dispute.mismatch && dispute.opening ? await recheckContest(ctx, test, listing, dispute) : undefined;
  return { testId: test.testId, claim, open, contest };
}

/** The v2 refund context [context with s] a dispute's Refund and Open proofs are bound to. */
export function refundContext(test: TestRecord, listing: ListingRecord, shortfallBps: number, chainId: number, market: Address): bigint {
  const { task, claimedAccuracyBps } = listing.terms;
  const fields = { claimedAccuracyBps, sampleCount: test.sampleCount, classCount: task.classCount, featureBits: task.featureBits, featureCount: task.featureCount, shortfallBps };
  return packDisputeContextV2(fields, bindingTag(BigInt(chainId), market, test.testId, test.buyer));
}

async function recheckClaim(ctx: RefundDisputeProofContext, test: TestRecord, listing: ListingRecord, dispute: RefundDisputeRecord): Promise<StepProof> {
  const { claim } = dispute;
  const hash = claim.at.transactionHash;
  const fail = (detail: string, extra: Partial<StepProof> = {}): StepProof => ({ step: "claim", transactionHash: hash, checked: false, verified: false, detail, ...extra });
  const choice = sampleCircuitFor(ctx.keys, "refund", test.sampleCount);
  const circuit = choice.circuit;
  let publicSignals: bigint[];
  try {
    publicSignals = [refundContext(test, listing, claim.shortfallBps, ctx.chainId, ctx.market), BigInt(test.dataCommitment), BigInt(claim.predictionCommitment)];
  } catch (error) {
    return fail(`the claim's public signals cannot be rebuilt: ${(error as Error).message}`, { circuit });
  }
  const call = await disputesCall(ctx, hash, "claim");
  if (typeof call === "string") return fail(call, { circuit, publicSignals });
  if (call.functionName !== "claimRefund") return fail(`the claim transaction ${hash} called ${call.functionName}, not claimRefund`, { circuit, publicSignals });
  const [testId, shortfallBps, predictionCommitment, buyerSecretHash, proof] = call.args;
  if (testId !== test.testId || shortfallBps !== claim.shortfallBps || predictionCommitment !== claim.predictionCommitment || buyerSecretHash !== claim.buyerSecretHash) {
    return fail(`the calldata of ${hash} (test ${testId}, s = ${shortfallBps}) is not the claim its RefundClaimed event reports (test ${test.testId}, s = ${claim.shortfallBps})`, { circuit, publicSignals });
  }
  if (!choice.found) return fail(`the Refund proof cannot be re-verified: ${choice.reason}`, { circuit, publicSignals });
  return verifyStep("claim", hash, [{ circuit: choice.circuit, vkey: choice.vkey }], publicSignals, proof, "the shortfall was not proven");
}

async function recheckOpen(ctx: RefundDisputeProofContext, test: TestRecord, listing: ListingRecord, dispute: RefundDisputeRecord): Promise<StepProof & { calldata?: OpeningCalldata }> {
  const opening = dispute.opening!;
  const hash = opening.at.transactionHash;
  const choice = sampleCircuitFor(ctx.keys, "open", test.sampleCount);
  const circuit = choice.circuit;
  const fail = (detail: string, extra: Partial<StepProof & { calldata: OpeningCalldata }> = {}) => ({ step: "open" as const, transactionHash: hash, checked: false, verified: false, detail, circuit, ...extra });
  let publicSignals: bigint[];
  try {
    publicSignals = openPublicSignals(
      openPublicInput({
        context: refundContext(test, listing, dispute.claim.shortfallBps, ctx.chainId, ctx.market),
        dataCommitment: BigInt(test.dataCommitment),
        predictionCommitment: BigInt(dispute.claim.predictionCommitment),
        indices: opening.indices,
        featuresRoot: opening.featuresRoot,
        labels: opening.labels,
        predictions: opening.predictions,
      }),
    );
  } catch (error) {
    return fail(`the opening's public signals cannot be rebuilt from SamplesOpened: ${(error as Error).message}`);
  }
  const call = await disputesCall(ctx, hash, "opening");
  if (typeof call === "string") return fail(call, { publicSignals });
  if (call.functionName !== "openSamples") return fail(`the opening transaction ${hash} called ${call.functionName}, not openSamples`, { publicSignals });
  const [testId, posted, proof] = call.args;
  if (testId !== test.testId) return fail(`the opening transaction ${hash} opened test ${testId}, not test ${test.testId}`, { publicSignals });
  const calldata: OpeningCalldata = posted;
  if (!choice.found) return fail(`the Open proof cannot be re-verified: ${choice.reason}`, { publicSignals, calldata });
  const verdict = await verifyStep("open", hash, [{ circuit: choice.circuit, vkey: choice.vkey }], publicSignals, proof, "the opened pairs were not proven to be the committed ones");
  return { ...verdict, calldata };
}

async function recheckContest(ctx: RefundDisputeProofContext, test: TestRecord, listing: ListingRecord, dispute: RefundDisputeRecord): Promise<StepProof & { calldata?: MismatchCalldata }> {
  const hash = dispute.mismatch!.at.transactionHash;
  const fail = (detail: string, extra: Partial<StepProof & { calldata: MismatchCalldata }> = {}) => ({ step: "contest" as const, transactionHash: hash, checked: false, verified: false, detail, ...extra });
  const call = await disputesCall(ctx, hash, "contest proof");
  if (typeof call === "string") return fail(call);
  if (call.functionName !== "proveMismatch") return fail(`the contest transaction ${hash} called ${call.functionName}, not proveMismatch`);
  const [testId, sample, slotHashes, cls, kind, proof] = call.args;
  if (testId !== test.testId) return fail(`the contest transaction ${hash} proved a mismatch on test ${testId}, not test ${test.testId}`);
  const calldata: MismatchCalldata = { sample, slotHashes, cls, kind };
  const { task, disputePolicy: policy } = listing.terms;
  const onChain = await ctx.contestCircuit(listing.listingId);
  if (!onChain || onChain.family === 0) return fail(`the market names no contest circuit for listing ${listing.listingId}, so the contest proof cannot be re-verified`, { calldata });
  const family = onChain.family as PlanFamilyCode;
  const shape = `${family === PlanFamily.Linear ? "Linear" : family === PlanFamily.SquareMlp ? "SquareMlp" : `family ${family}`} with ${onChain.features} features and ${onChain.classes} classes`;
  const candidates = contestCircuitsFor(ctx.keys, { family, features: onChain.features, classes: onChain.classes });
  let publicSignals: bigint[];
  try {
    const words = Math.ceil(onChain.features / 15);
    const featureWords = packLanes(decodeSampleFeatures(sample.features), 16, 15);
    if (featureWords.length > words) throw new RangeError(`the sample has ${featureWords.length} feature words, the circuit ${words}`);
    while (featureWords.length < words) featureWords.push(0n);
    const meta = packContestMeta({
      index: sample.index,
      prediction: sample.prediction,
      cls,
      kind: kind === INVALID_OPENING ? ContestKind.InvalidOpening : ContestKind.Mismatch,
      featureCount: task.featureCount,
      featureBits: task.featureBits,
      classCount: task.classCount,
      toleranceQ: policy.contestToleranceQ,
    });
    publicSignals = [BigInt(policy.planCommitment), dispute.opening!.featuresRoot, meta, sample.sigma, ...sample.siblings, ...featureWords];
  } catch (error) {
    return fail(`the contest's public signals cannot be rebuilt: ${(error as Error).message}`, { calldata, circuit: candidates.circuits[0] });
  }
  if (candidates.keys.length === 0) {
    const reason = candidates.circuits.length === 0 ? `no contest circuit the audit knows is ${shape}` : `no verification key was given for ${candidates.circuits.join(" or ")}`;
    return fail(`the contest proof cannot be re-verified: ${reason}`, { calldata, publicSignals, circuit: candidates.circuits[0] });
  }
  const verdict = await verifyStep("contest", hash, candidates.keys, publicSignals, proof, "the mismatch was not proven");
  return { ...verdict, calldata };
}

/** Verifies `proof` against each candidate key in turn; verified if one accepts it. */
async function verifyStep(
  step: DisputeStep,
  transactionHash: Hash,
  candidates: readonly { circuit: string; vkey: snarkjs.Groth16VerificationKey }[],
  publicSignals: readonly bigint[],
  proof: MarketGroth16Proof,
  consequence: string,
): Promise<StepProof> {
  const names = candidates.map((c) => c.circuit).join(" or ");
  const base = { step, transactionHash, publicSignals, checked: true, circuit: candidates[0]!.circuit };
  if (!isCanonicalProof(proof)) {
    return { ...base, verified: false, detail: "the proof's encoding is not canonical (a coordinate is at or above the base field modulus), which Groth16Canonical refuses" };
  }
  for (const { circuit, vkey } of candidates) {
    let ok: boolean;
    try {
      ok = await snarkjs.groth16.verify(vkey, publicSignals.map(String), fromMarketProof(proof));
    } catch (error) {
      return { ...base, circuit, verified: false, detail: `the proof is malformed for ${circuit} (${error instanceof Error ? error.message : String(error)})` };
    }
    if (ok) return { ...base, circuit, verified: true, detail: `the Groth16 proof verifies against ${circuit}'s key for the signals rebuilt from chain data` };
  }
  return { ...base, verified: false, detail: `the Groth16 proof does not verify against ${names}'s key for the signals rebuilt from chain data: ${consequence}` };
}

/** The `RefundDisputes` call of transaction `hash`, or a sentence saying why its calldata does not hold it. */
async function disputesCall(ctx: RefundDisputeProofContext, hash: Hash, what: string) {
  const tx = await ctx.client.getTransaction({ hash });
  if (!tx.to || !isAddressEqual(tx.to, ctx.disputes)) {
    return `the ${what} transaction ${hash} called ${tx.to ?? "no contract"}, not RefundDisputes directly (a contract wallet or batcher?), so its proof cannot be read from the calldata and is not re-verified`;
  }
  try {
    return decodeFunctionData({ abi: refundDisputesAbi, data: tx.input });
  } catch {
    return `the calldata of ${hash} is not a RefundDisputes function call`;
  }
}
