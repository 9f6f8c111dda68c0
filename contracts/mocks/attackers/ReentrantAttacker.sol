// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title ReentrantAttacker
 * @notice Test-only: a contract account that acts as buyer, seller or worker signer through
 * {execute} and, when paid, tries to re-enter every call in `reentryCalls` (the same payout and
 * others), each sending `reentryValue` from its balance. Each attempt's outcome and revert
 * selector are recorded; with `bubble` set the first failed reentry reverts the whole payment
 * instead.
 */
contract ReentrantAttacker {
    address public target;
    bytes[] private _reentryCalls;
    uint256 public reentryValue;
    bool public bubble;
    bool private _inReceive;

    uint256 public attempts;
    uint256 public successes;
    bytes4[] private _failureSelectors;
    uint256 public receivedTotal;
    uint256 public receiveCount;

    error ReentrantAttackerCallFailed(bytes returnData);

    function arm(address target_, bytes[] calldata calls, uint256 value, bool bubble_) external {
        target = target_;
        reentryValue = value;
        delete _reentryCalls;
        for (uint256 i = 0; i < calls.length; ++i) _reentryCalls.push(calls[i]);
        bubble = bubble_;
    }

    function disarm() external {
        delete _reentryCalls;
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

    function failureSelectors() external view returns (bytes4[] memory) {
        return _failureSelectors;
    }

    receive() external payable {
        receivedTotal += msg.value;
        receiveCount += 1;
        if (_inReceive) return;
        _inReceive = true;
        for (uint256 i = 0; i < _reentryCalls.length; ++i) {
            attempts += 1;
            (bool ok, bytes memory ret) = target.call{value: reentryValue}(_reentryCalls[i]);
            if (ok) {
                successes += 1;
                continue;
            }
            if (bubble) {
                assembly ("memory-safe") {
                    revert(add(ret, 0x20), mload(ret))
                }
            }
            _failureSelectors.push(ret.length >= 4 ? bytes4(ret) : bytes4(0));
        }
        _inReceive = false;
    }
}
