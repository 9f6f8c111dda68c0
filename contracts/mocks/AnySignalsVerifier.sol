// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

/**
 * @title AnySignalsVerifier
 * @notice A stand-in for snarkjs's Groth16 verifiers of any number N of public signals, for
 * tests of the contracts without real proofs: it answers `verifyProof(uint256[2],uint256[2][2],
 * uint256[2],uint256[N])` for every N, and a "proof" is valid iff `a[0]` equals
 * `keccak256(signals)` reduced into the field. Like a real proof it is bound to its public
 * signals, and a call whose selector does not name its signal count is refused, so a caller
 * that encodes the signals wrongly fails. Never deploy it outside tests.
 */
contract AnySignalsVerifier {
    uint256 private constant FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// @dev Selector, then the proof's eight words.
    uint256 private constant SIGNALS_OFFSET = 4 + 8 * 32;

    /// @notice Answers any `verifyProof` with a 32-byte boolean.
    fallback(bytes calldata input) external returns (bytes memory) {
        if (input.length < SIGNALS_OFFSET || (input.length - SIGNALS_OFFSET) % 32 != 0) return abi.encode(false);
        bytes calldata signals = input[SIGNALS_OFFSET:];
        if (bytes4(input[:4]) != selectorFor(signals.length / 32)) return abi.encode(false);
        return abi.encode(uint256(bytes32(input[4:36])) == uint256(keccak256(signals)) % FIELD);
    }

    /// @notice The `a[0]` that makes a proof valid for `signals`.
    function proofFor(uint256[] calldata signals) external pure returns (uint256) {
        return uint256(keccak256(abi.encodePacked(signals))) % FIELD;
    }

    /// @notice snarkjs's selector for N public signals.
    function selectorFor(uint256 n) public pure returns (bytes4) {
        return bytes4(
            keccak256(abi.encodePacked("verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[", Strings.toString(n), "])"))
        );
    }
}
