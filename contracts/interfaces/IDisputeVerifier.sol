// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title IDisputeVerifier
 * @notice A Groth16 verifier for the dispute circuits, in the shape snarkjs exports.
 * @dev The two public signals are, in order:
 *  - `context`: the packed dispute context of {DisputeContext-pack} (claimed accuracy, sample
 *    count, class count, feature width, feature count and a 128-bit tag binding the chain,
 *    the market contract, the test id and the buyer);
 *  - `dataCommitment`: the buyer's Poseidon commitment to the test set, posted at `openTest`.
 */
interface IDisputeVerifier {
    /// @notice Returns true iff the proof is valid for the public signals.
    function verifyProof(
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC,
        uint256[2] calldata pubSignals
    ) external view returns (bool);

    /// @notice The largest test set a dispute can be proven for, for a listing whose samples
    /// have `featureCount` features of `featureBits` bits; 0 when no circuit proves disputes of
    /// such a listing. The market refuses larger test-drives, whose deposit could otherwise
    /// never be refunded by proof.
    function maxSampleCount(uint32 featureCount, uint8 featureBits) external view returns (uint32);
}
