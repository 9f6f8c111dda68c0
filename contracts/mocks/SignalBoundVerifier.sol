// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDisputeVerifier} from "../interfaces/IDisputeVerifier.sol";

/**
 * @title SignalBoundVerifier
 * @notice A stand-in for the Groth16 dispute verifier, for tests of the market alone: a
 * "proof" is valid iff `pA[0]` equals `keccak256(abi.encode(pubSignals))` reduced into the
 * field. Like a real proof it is bound to its public signals, so replaying it for another
 * test-drive, buyer or commitment fails. Never deploy it outside tests.
 */
contract SignalBoundVerifier is IDisputeVerifier {
    uint256 private constant FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// @inheritdoc IDisputeVerifier
    function verifyProof(uint256[2] calldata pA, uint256[2][2] calldata, uint256[2] calldata, uint256[2] calldata pubSignals)
        external
        pure
        returns (bool)
    {
        return pA[0] == proofFor(pubSignals);
    }

    /// @inheritdoc IDisputeVerifier
    /// @dev Any test set the registry allows, whatever its features.
    function maxSampleCount(uint32, uint8) external pure returns (uint32) {
        return type(uint16).max;
    }

    /// @notice The `pA[0]` that makes a proof valid for `pubSignals`.
    function proofFor(uint256[2] calldata pubSignals) public pure returns (uint256) {
        return uint256(keccak256(abi.encode(pubSignals))) % FIELD;
    }
}
