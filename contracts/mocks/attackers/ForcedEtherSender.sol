// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title ForcedEtherSender
 * @notice Test-only: forces its whole value into `target` by self-destructing in its
 * constructor, which no receive(), fallback or payable check of the target can refuse (since
 * Cancun, SELFDESTRUCT in the creating transaction still deletes the contract and sends its
 * balance). Used to check that no contract behaviour depends on an exact balance.
 */
contract ForcedEtherSender {
    constructor(address payable target) payable {
        selfdestruct(target);
    }
}
