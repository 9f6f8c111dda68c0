/**
 * The buyer's half of the contest randomness (docs/DISPUTES.md §7): a secret fixed by the test
 * set's master salt and the test id, committed at `claimRefund` as H_b and revealed at
 * `openSamples`, after the seller published its own secret.
 *
 *   secret_b = keccak256(abi.encode("ModelBazaar.challenge", salt, testId))
 *   H_b      = keccak256(secret_b)                (the 32 bytes of secret_b)
 *
 * Deriving secret_b from the salt lets the buyer recover it from the one secret it keeps; it
 * reveals nothing about the salt (keccak is one-way), and the test id makes it differ between
 * test-drives that reuse a salt. The contract checks keccak256(secret_b) == H_b.
 */
import { encodeAbiParameters, keccak256, type Hex } from "viem";
import { requireFieldElement } from "./fieldElement.ts";

/** The domain string of the buyer's challenge secret. */
export const CHALLENGE_DOMAIN_TAG = "ModelBazaar.challenge";

/** secret_b for a test-drive: 32 bytes, as `openSamples` takes it. */
export function challengeSecret(salt: bigint, testId: bigint): Hex {
  requireFieldElement("salt", salt);
  if (typeof testId !== "bigint" || testId < 0n || testId >= 1n << 256n) {
    throw new RangeError(`testId must be a uint256, got ${String(testId)}`);
  }
  return keccak256(
    encodeAbiParameters([{ type: "string" }, { type: "uint256" }, { type: "uint256" }], [CHALLENGE_DOMAIN_TAG, salt, testId]),
  );
}

/** H_b = keccak256(secret_b), as `claimRefund` takes it. */
export function challengeCommitment(secret: Hex): Hex {
  if (!/^0x[0-9a-fA-F]{64}$/.test(secret)) throw new RangeError(`a challenge secret is 32 bytes of hex, got ${secret}`);
  return keccak256(secret);
}
