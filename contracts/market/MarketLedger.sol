// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {TransientReentrancyGuard} from "../utils/TransientReentrancyGuard.sol";
import {IMarketLedger} from "../interfaces/IMarketLedger.sol";

/**
 * @title MarketLedger
 * @notice Pull payments for the market (OpenZeppelin 5 removed PullPayment and Escrow).
 * @dev Every payout goes through {_release}: when the payee is the caller, who asked for the
 * payout, it is sent at once; otherwise it is credited and the payee withdraws it. So no call
 * ever pushes ether to a third party, whose fallback could revert or reenter. Functions that
 * release must be `nonReentrant` and release last (checks-effects-interactions).
 */
abstract contract MarketLedger is IMarketLedger, TransientReentrancyGuard {
    /// @notice Where burned ether goes (withheld and invalid bids' penalties, the bond of a buyer
    /// that lost a refund dispute): an address with no known key, so the ledger's credit to it
    /// is burned ether that stays accounted for in `owed`.
    address public constant PENALTY_SINK = 0x000000000000000000000000000000000000dEaD;

    mapping(address account => uint256) private _owed;

    /// @inheritdoc IMarketLedger
    /// @dev Emits {PaymentWithdrawn}. Requirements: something is owed to the caller.
    function withdraw() external nonReentrant {
        uint256 amount = _owed[msg.sender];
        if (amount == 0) revert MarketLedgerNothingOwed(msg.sender);
        _owed[msg.sender] = 0;
        emit PaymentWithdrawn(msg.sender, amount);
        Address.sendValue(payable(msg.sender), amount);
    }

    /// @inheritdoc IMarketLedger
    function owed(address account) external view returns (uint256) {
        return _owed[account];
    }

    /// @dev Pays `amount` to `payee`: sent now if `payee` is the caller, credited otherwise
    /// ({PaymentCredited}). A direct payment emits no ledger event: the caller's own event
    /// (e.g. {ITestDrives-TestClosed}) names the amount, and the ledger never held it.
    function _release(address payee, uint256 amount) internal {
        if (payee != msg.sender) return _credit(payee, amount);
        if (amount == 0) return;
        Address.sendValue(payable(payee), amount);
    }

    /// @dev Credits `amount` to `payee`, to be withdrawn later. Emits {PaymentCredited}.
    function _credit(address payee, uint256 amount) internal {
        if (amount == 0) return;
        _owed[payee] += amount;
        emit PaymentCredited(payee, amount);
    }

    /// @dev Pays two payees, crediting before sending so that any direct payment comes last.
    function _releasePair(address payeeA, uint256 amountA, address payeeB, uint256 amountB) internal {
        if (payeeA == msg.sender) {
            _release(payeeB, amountB);
            _release(payeeA, amountA);
        } else {
            _release(payeeA, amountA);
            _release(payeeB, amountB);
        }
    }
}
