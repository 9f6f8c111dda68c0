/**
 * Proof re-verification for the audit: every refund by proof (`TestClosed` with outcome
 * `Refunded`) is checked again off-chain. The proof is decoded from the calldata of the
 * transaction that emitted the event, the public signals [context, dataCommitment] are
 * rebuilt from chain data alone (the listing's terms, the test's sample count, buyer and
 * commitment, the chain id and the market's address), and snarkjs verifies it against the
 * key of the circuit the router must use (disputeCircuits.ts). A market whose verifier
 * accepts anything is caught here.
 */
import * as snarkjs from "snarkjs";
import { decodeFunctionData, isAddressEqual, type Address, type PublicClient } from "viem";
import { modelMarketAbi } from "../generated/abis.ts";
import type { MarketGroth16Proof } from "../prover/disputeProof.ts";
import { bindingTag, packDisputeContext } from "../testDrives/disputeContext.ts";
import { disputeCircuitFor, type DisputeCircuitKeys } from "./disputeCircuits.ts";
import type { ListingRecord, TestRecord } from "./marketTrail.ts";

/** A dispute as the audit re-verified it. */
export interface DisputeRecord {
  readonly testId: bigint;
  readonly transactionHash: string;
  /** The circuit whose key was used, when one was found. */
  readonly circuit?: string;
  /** The public signals rebuilt from chain data. */
  readonly publicSignals: readonly [context: bigint, dataCommitment: bigint];
  readonly verified: boolean;
  readonly detail: string;
}

export interface DisputeCheckContext {
  readonly client: PublicClient;
  readonly chainId: number;
  readonly market: Address;
  readonly keys: DisputeCircuitKeys;
}

/** The inverse of toMarketProof: the snarkjs proof object of a `claimRefund` argument. */
export function fromMarketProof(proof: MarketGroth16Proof): snarkjs.Groth16Proof {
  const s = (v: bigint): string => v.toString();
  return {
    pi_a: [s(proof.a[0]), s(proof.a[1]), "1"],
    pi_b: [
      [s(proof.b[0][1]), s(proof.b[0][0])],
      [s(proof.b[1][1]), s(proof.b[1][0])],
      ["1", "0"],
    ],
    pi_c: [s(proof.c[0]), s(proof.c[1]), "1"],
    protocol: "groth16",
    curve: "bn128",
  };
}

/** The public signals a dispute of `test` must be proven against, from chain data alone. */
export function disputeSignals(test: TestRecord, listing: ListingRecord, chainId: number, market: Address): readonly [bigint, bigint] {
  const { task, claimedAccuracyBps } = listing.terms;
  const fields = { claimedAccuracyBps, sampleCount: test.sampleCount, classCount: task.classCount, featureBits: task.featureBits, featureCount: task.featureCount };
  return [packDisputeContext(fields, bindingTag(BigInt(chainId), market, test.testId, test.buyer)), BigInt(test.dataCommitment)];
}

/** The BN254 base field modulus q (contracts/libraries/Groth16Canonical.sol). */
export const BN254_BASE_FIELD = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

/** Whether every coordinate of a proof is below q, as `Groth16Canonical.isCanonical` requires. */
export function isCanonicalProof(proof: MarketGroth16Proof): boolean {
  return [...proof.a, ...proof.b[0], ...proof.b[1], ...proof.c].every((x) => x < BN254_BASE_FIELD);
}

/** Re-verifies the proof of a refunded test-drive. */
export async function recheckDispute(ctx: DisputeCheckContext, test: TestRecord, listing: ListingRecord): Promise<DisputeRecord> {
  const transactionHash = test.closed!.at.transactionHash;
  const publicSignals = disputeSignals(test, listing, ctx.chainId, ctx.market);
  const record = (verified: boolean, detail: string, circuit?: string): DisputeRecord => ({ testId: test.testId, transactionHash, circuit, publicSignals, verified, detail });

  const proof = await proofFromCalldata(ctx, test.testId, transactionHash);
  if (typeof proof === "string") return record(false, proof);
  if (!isCanonicalProof(proof)) return record(false, "the proof's encoding is not canonical (a coordinate is at or above the base field modulus), which the market's verifier router refuses");
  const { task } = listing.terms;
  const choice = disputeCircuitFor(ctx.keys, { sampleCount: test.sampleCount, featureCount: task.featureCount, featureBits: task.featureBits });
  if (!choice.found) return record(false, `the proof cannot be re-verified: ${choice.reason}`);
  let verified: boolean;
  try {
    verified = await snarkjs.groth16.verify(choice.vkey, publicSignals.map(String), fromMarketProof(proof));
  } catch (error) {
    return record(false, `the proof is malformed (${error instanceof Error ? error.message : String(error)})`, choice.circuit);
  }
  return verified
    ? record(true, `the Groth16 proof verifies against ${choice.circuit}'s key for the rebuilt signals`, choice.circuit)
    : record(false, `the Groth16 proof does not verify against ${choice.circuit}'s key for the rebuilt signals: the refund was not proven`, choice.circuit);
}

/** The proof `claimRefund` received, or a sentence saying why the calldata does not hold it. */
async function proofFromCalldata(ctx: DisputeCheckContext, testId: bigint, hash: `0x${string}`): Promise<MarketGroth16Proof | string> {
  const tx = await ctx.client.getTransaction({ hash });
  if (!tx.to || !isAddressEqual(tx.to, ctx.market)) {
    return `the refund transaction ${hash} did not call the market directly, so its proof cannot be read from the calldata`;
  }
  let call;
  try {
    call = decodeFunctionData({ abi: modelMarketAbi, data: tx.input });
  } catch {
    return `the calldata of ${hash} is not a market function call`;
  }
  if (call.functionName !== "claimRefund") return `the refund transaction ${hash} called ${call.functionName}, not claimRefund`;
  const [calledFor, proof] = call.args;
  if (calledFor !== testId) return `the refund transaction ${hash} claimed test ${calledFor}, not test ${testId}`;
  return proof;
}
