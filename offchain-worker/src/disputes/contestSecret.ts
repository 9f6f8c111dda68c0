/**
 * The worker's contest secret secret_s (docs/DISPUTES.md §7, "Randomness"), derived instead of
 * drawn so a worker that stops between choosing it and seeing its contest mined finds the same
 * one again: keccak256 of the worker signer's signature (deterministic, RFC 6979) of a message
 * naming the chain, the disputes contract and the test. Nobody without the worker's key can
 * predict it before the contest publishes it, which is all the draw needs: the buyer's secret
 * was committed at the claim.
 */
import { keccak256, type Address, type Hex } from "viem";

export interface ContestSecretScope {
  readonly chainId: number;
  /** The market's `RefundDisputes`. */
  readonly disputes: Address;
  readonly testId: bigint;
}

/** The message the worker signs for the contest secret of one test. */
export function contestSecretMessage({ chainId, disputes, testId }: ContestSecretScope): string {
  return `ModelBazaar contest secret v1\nchain ${chainId}\ndisputes ${disputes.toLowerCase()}\ntest ${testId}`;
}

export async function deriveContestSecret(signer: { signMessage(args: { message: string }): Promise<Hex> }, scope: ContestSecretScope): Promise<Hex> {
  return keccak256(await signer.signMessage({ message: contestSecretMessage(scope) }));
}
