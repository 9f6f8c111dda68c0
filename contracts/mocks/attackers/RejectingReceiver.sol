// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title RejectingReceiver
 * @notice Test-only: a contract account that acts in the market through {execute} but reverts
 * on every incoming payment, to show it cannot block payouts to others.
 */
contract RejectingReceiver {
    error RejectingReceiverNoPayments();

    function execute(address to, bytes calldata data, uint256 value) external payable returns (bytes memory) {
        (bool ok, bytes memory ret) = to.call{value: value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        return ret;
    }

    receive() external payable {
        revert RejectingReceiverNoPayments();
    }
}
