// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title DisputeReentrancyAttacker
 * @notice Test-only: a contract account that acts as a buyer, seller or worker signer of the v2
 * refund dispute through {execute} and, the first time it is paid after {arm}, makes one call
 * (with value) to `target` from its `receive`. The outcome and return data of that call are
 * recorded, never bubbled, so the payment that triggered it goes through either way.
 */
contract DisputeReentrancyAttacker {
    address public target;
    bytes public reentry;
    uint256 public reentryValue;
    bool public armed;

    uint256 public attempts;
    bool public reentryOk;
    bytes public reentryReturn;
    uint256 public receivedTotal;
    uint256 public receiveCount;

    /// @notice On the next payment, call `target_` with `data` and `value` (from this contract's balance).
    function arm(address target_, bytes calldata data, uint256 value) external {
        (target, reentry, reentryValue, armed) = (target_, data, value, true);
    }

    /// @notice Calls `to` with `data` and `value` as this contract; reverts with the callee's data.
    function execute(address to, bytes calldata data, uint256 value) external payable returns (bytes memory) {
        (bool ok, bytes memory ret) = to.call{value: value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        return ret;
    }

    /// @notice The selector of the recorded reentry's revert data (0 when it succeeded or reverted empty).
    function reentrySelector() external view returns (bytes4) {
        bytes memory ret = reentryReturn;
        return ret.length >= 4 && !reentryOk ? bytes4(ret) : bytes4(0);
    }

    receive() external payable {
        receivedTotal += msg.value;
        receiveCount += 1;
        if (!armed) return;
        armed = false;
        attempts += 1;
        (reentryOk, reentryReturn) = target.call{value: reentryValue}(reentry);
    }
}
