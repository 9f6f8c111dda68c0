/**
 * The Groth16 proof encodings the audit re-verifies refund disputes' proofs with
 * (refundDisputeProofs.ts): the proof a contract call took, as snarkjs verifies it, and the
 * canonical-encoding rule the contracts apply before a verifier runs.
 */
import type * as snarkjs from "snarkjs";
import type { MarketGroth16Proof } from "../prover/disputeProof.ts";

/** The inverse of toMarketProof: the snarkjs proof object of a contract call's proof argument. */
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

/** The BN254 base field modulus q (contracts/libraries/Groth16Canonical.sol). */
export const BN254_BASE_FIELD = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

/** Whether every coordinate of a proof is below q, as `Groth16Canonical.isCanonical` requires. */
export function isCanonicalProof(proof: MarketGroth16Proof): boolean {
  return [...proof.a, ...proof.b[0], ...proof.b[1], ...proof.c].every((x) => x < BN254_BASE_FIELD);
}
