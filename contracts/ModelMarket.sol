// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IModelRegistry} from "./interfaces/IModelRegistry.sol";
import {IRefundDisputes} from "./interfaces/IRefundDisputes.sol";
import {FairExchange} from "./market/FairExchange.sol";
import {SealedBidAuctions} from "./market/SealedBidAuctions.sol";
import {TestDrives} from "./market/TestDrives.sol";

/**
 * @title ModelMarket
 * @notice Everything in ModelBazaar that holds money: test-drive deposits ({TestDrives}),
 * the purchase escrow with fair delivery ({FairExchange}) and sealed-bid auctions
 * ({SealedBidAuctions}), over one pull-payment ledger ({MarketLedger}). The listings live in
 * a separate {ModelRegistry}.
 * @dev One contract, so deposits move into purchases and bids, and winning bids into the
 * escrow, without cross-contract transfers or trust between contracts.
 */
contract ModelMarket is SealedBidAuctions {
    /// @notice The fair-exchange deadlines, in seconds.
    struct DeliveryWindows {
        uint32 delivery;
        uint32 accept;
        uint32 reveal;
        uint32 complaint;
    }

    /// @notice A window is zero or longer than 30 days.
    error ModelMarketInvalidWindows();

    constructor(
        IModelRegistry registry_,
        DeliveryWindows memory windows,
        IRefundDisputes.Config memory disputes
    )
        EIP712("ModelBazaar", "1")
        TestDrives(registry_, disputes)
        FairExchange(_checked(windows.delivery), _checked(windows.accept), _checked(windows.reveal), _checked(windows.complaint))
    {}

    function _checked(uint32 window) private pure returns (uint32) {
        if (window == 0 || window > 30 days) revert ModelMarketInvalidWindows();
        return window;
    }
}
