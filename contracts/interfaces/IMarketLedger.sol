// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title IMarketLedger
 * @notice Pull payments of the market. Whatever the market owes an account is either sent at
 * once to the account that asked for it (the caller of a payout function is its beneficiary)
 * or credited here, to be withdrawn by the account itself.
 */
interface IMarketLedger {
    /// @notice The account has nothing to withdraw.
    error MarketLedgerNothingOwed(address account);

    /// @notice `amount` was credited to `payee`, to be withdrawn.
    event PaymentCredited(address indexed payee, uint256 amount);
    /// @notice `payee` withdrew `amount` of its credit.
    event PaymentWithdrawn(address indexed payee, uint256 amount);

    /// @notice Sends the caller everything credited to it.
    function withdraw() external;

    /// @notice What `account` may withdraw now.
    function owed(address account) external view returns (uint256);
}
