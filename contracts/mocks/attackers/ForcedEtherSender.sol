// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title ForcedEtherSender
 * @notice Test-only: forces its whole value into `target`, which no receive(), fallback or
 * payable check of the target can refuse. Its constructor creates, with the value, a contract
 * whose init code is only `PUSH20 target; SELFDESTRUCT` (since Cancun, SELFDESTRUCT in the
 * creating transaction still deletes the contract and sends its balance). Raw init code keeps
 * the deprecated `selfdestruct` out of the Solidity source, so compiling warns about nothing.
 * Used to check that no contract behaviour depends on an exact balance.
 */
contract ForcedEtherSender {
    error ForcedEtherSenderFailed();

    constructor(address payable target) payable {
        bytes memory initCode = abi.encodePacked(hex"73", target, hex"ff");
        address created;
        assembly ("memory-safe") {
            created := create(callvalue(), add(initCode, 0x20), mload(initCode))
        }
        if (created == address(0)) revert ForcedEtherSenderFailed();
    }
}
