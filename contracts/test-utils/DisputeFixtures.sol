// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {IRefundDisputes} from "../interfaces/IRefundDisputes.sol";

/// @dev Test-only windows of the v2 disputes, in seconds.
uint32 constant CONTEST_WINDOW = 86_400;
uint32 constant OPEN_WINDOW = 43_200;
uint32 constant PROVE_WINDOW = 21_600;

/// @notice A v2 dispute configuration whose every circuit is the stand-in `verifier`: sample
/// circuits of 256 and 65,535 samples (every test set the registry allows), and contest circuits Linear(4, 3), Linear(784, 10) and
/// SquareMlp(4, 3).
function standInDisputesConfig(address verifier) pure returns (IRefundDisputes.Config memory config) {
    config.sampleCircuits = new IRefundDisputes.SampleCircuits[](2);
    config.sampleCircuits[0] = IRefundDisputes.SampleCircuits(256, verifier, verifier);
    config.sampleCircuits[1] = IRefundDisputes.SampleCircuits(65_535, verifier, verifier);
    config.contestCircuits = new IRefundDisputes.ContestCircuit[](3);
    config.contestCircuits[0] = IRefundDisputes.ContestCircuit(IModelRegistry.PlanFamily.Linear, 4, 3, verifier);
    config.contestCircuits[1] = IRefundDisputes.ContestCircuit(IModelRegistry.PlanFamily.Linear, 784, 10, verifier);
    config.contestCircuits[2] = IRefundDisputes.ContestCircuit(IModelRegistry.PlanFamily.SquareMlp, 4, 3, verifier);
    (config.contestWindow, config.openWindow, config.proveWindow) = (CONTEST_WINDOW, OPEN_WINDOW, PROVE_WINDOW);
}

/// @notice A dispute policy without contests: an all-or-nothing refund bound by its fees only.
function economicsOnlyPolicy() pure returns (IModelRegistry.DisputePolicy memory) {
    return IModelRegistry.DisputePolicy({
        planCommitment: bytes32(0),
        planFamily: IModelRegistry.PlanFamily.None,
        contestToleranceQ: 0,
        refundSlopeBps: 1,
        buyerBond: 0,
        sellerBond: 0
    });
}
