// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title Groth16Canonical
 * @notice Rejects non-canonical encodings of a Groth16 proof over BN254.
 * @dev snarkjs's generated verifier checks only the public signals against the scalar field r.
 * It negates A with `mod(sub(q, A.y), q)`, which reduces A.y modulo the base field q, so
 * A.y + t·q (t = 1..4 fit in 256 bits) verifies as the proof it encodes, while
 * `snarkjs.groth16.verify` (and so `bazaar audit`) rejects it. Whoever front-runs a buyer's
 * refund with such an encoding would make the audit report an honest market as refunded
 * without a valid proof. Requiring every coordinate of A, B and C to be below q makes the chain
 * and the audit accept exactly the same proofs (the other coordinates already reach the pairing
 * precompile, which rejects them; checking all eight keeps a future verifier template honest).
 */
library Groth16Canonical {
    /// @dev The BN254 base field modulus q.
    uint256 internal constant BASE_FIELD =
        21888242871839275222246405745257275088696311157297823662689037894645226208583;

    /// @notice Whether every coordinate of the proof is a canonical element of the base field.
    function isCanonical(uint256[2] calldata a, uint256[2][2] calldata b, uint256[2] calldata c)
        internal
        pure
        returns (bool)
    {
        return a[0] < BASE_FIELD && a[1] < BASE_FIELD && b[0][0] < BASE_FIELD && b[0][1] < BASE_FIELD
            && b[1][0] < BASE_FIELD && b[1][1] < BASE_FIELD && c[0] < BASE_FIELD && c[1] < BASE_FIELD;
    }
}
