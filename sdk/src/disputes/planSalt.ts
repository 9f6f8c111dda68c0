/**
 * The seller's plan salt (docs/DISPUTES.md §3.1), derived from its own signature instead of
 * kept: the plan commitment must hide the quantized weights (a salt nobody can guess), and the
 * seller must find the same salt again to prove a contest, possibly on another machine. An
 * ECDSA signature with deterministic nonces (RFC 6979, what viem's local accounts and hardware
 * wallets produce) of a fixed message naming the model is both: secret while the seller keeps
 * it, and reproducible by the seller's key alone.
 *
 *   planSalt = keccak256(signature of planSaltMessage(modelRoot)) mod r
 *
 * The message says what it is for, so a seller asked to sign it elsewhere can recognise it:
 * whoever holds that signature can open the plan commitment to a guessed plan, nothing more.
 */
import { keccak256, type Hex } from "viem";
import { SNARK_SCALAR_FIELD } from "../testDrives/fieldElement.ts";

/** The message a seller signs to derive the plan salt of the model with Merkle root `modelRoot`. */
export function planSaltMessage(modelRoot: Hex): string {
  return `ModelBazaar plan salt v1\nmodel ${modelRoot.toLowerCase()}\nSign only in a ModelBazaar tool: this signature is the secret salt of your model's plan commitment.`;
}

/** The plan salt a signature of {planSaltMessage} yields: a BN254 field element. */
export function planSaltFromSignature(signature: Hex): bigint {
  return BigInt(keccak256(signature)) % SNARK_SCALAR_FIELD;
}

/** Derives the plan salt with `signer` (a viem account or wallet client). */
export async function derivePlanSalt(signer: { signMessage(args: { message: string }): Promise<Hex> }, modelRoot: Hex): Promise<bigint> {
  return planSaltFromSignature(await signer.signMessage({ message: planSaltMessage(modelRoot) }));
}
