// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {Groth16Canonical} from "./Groth16Canonical.sol";

/**
 * @title Groth16Call
 * @notice Calls a snarkjs-generated Groth16 verifier of any number of public signals.
 * @dev snarkjs names its function `verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[N])`
 * with N fixed per circuit, so each N has its own selector; the static arrays are encoded in
 * place, so the calldata is the selector, the proof's eight words and the N signals. A proof
 * whose encoding is not canonical is invalid before any call ({Groth16Canonical}), and so is a
 * verifier that reverts or answers anything but a 32-byte boolean.
 */
library Groth16Call {
    /// @notice Whether `verifier` accepts the proof (a, b, c) for `signals`.
    function verify(
        address verifier,
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[] memory signals
    ) internal view returns (bool) {
        if (!Groth16Canonical.isCanonical(a, b, c)) return false;
        bytes4 selector = bytes4(
            keccak256(
                abi.encodePacked(
                    "verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[", Strings.toString(signals.length), "])"
                )
            )
        );
        (bool ok, bytes memory answer) =
            verifier.staticcall(abi.encodePacked(selector, abi.encode(a, b, c), abi.encodePacked(signals)));
        return ok && answer.length == 32 && abi.decode(answer, (bool));
    }
}
