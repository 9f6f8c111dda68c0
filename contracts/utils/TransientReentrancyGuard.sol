// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title TransientReentrancyGuard
 * @notice The reentrancy lock of OpenZeppelin's ReentrancyGuardTransient (same error, same
 * `nonReentrant` semantics, EIP-1153 transient storage) written with a `transient` state
 * variable instead of inline `tstore`/`tload`, so the compiler has no assembly to warn about.
 * @dev Transient storage is cleared at the end of every transaction, and the lock is released
 * at the end of every guarded call, so it never survives the outermost call frame.
 */
abstract contract TransientReentrancyGuard {
    /// @dev A whole word, not a bool: a bool shares its slot, so setting it would read the slot first.
    uint256 private transient _entered;

    /// @notice A `nonReentrant` function was entered while another one was running.
    error ReentrancyGuardReentrantCall();

    /// @dev Prevents a contract from calling itself, directly or indirectly, through any
    /// `nonReentrant` function. The work sits in private functions, so the modifier's code is
    /// not repeated in every guarded function (ModelMarket stays under the 24 KiB limit).
    modifier nonReentrant() {
        _nonReentrantBefore();
        _;
        _nonReentrantAfter();
    }

    function _nonReentrantBefore() private {
        if (_entered != 0) revert ReentrancyGuardReentrantCall();
        _entered = 1;
    }

    function _nonReentrantAfter() private {
        _entered = 0;
    }
}
