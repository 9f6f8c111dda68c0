// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {IRefundDisputes} from "../interfaces/IRefundDisputes.sol";
import {ITestDrives} from "../interfaces/ITestDrives.sol";
import {RefundDisputes} from "../market/RefundDisputes.sol";
import {OPEN_WINDOW} from "./DisputeFixtures.sol";
import {MarketTestBase} from "./MarketTestBase.sol";
import {vm} from "./Vm.sol";

/**
 * @title RefundDisputesTestBase
 * @notice Test-only fixture of the refund dispute (docs/DISPUTES.md §4, §5, §7) for the
 * Solidity tests of `RefundDisputes`: a contestable Linear(4, 3) listing, its terms and dispute
 * policy, stand-in proofs for the {AnySignalsVerifier} (bound to their exact public signals),
 * references of the Refund, Open and contest circuits' public signals written from the SDK's
 * description rather than from the contract, each step taken by its party, the payouts of §4's
 * table, and the check that the market and the disputes contract hold exactly what they owe.
 */
abstract contract RefundDisputesTestBase is MarketTestBase {
    uint96 internal constant BUYER_BOND = 0.5 ether;
    uint96 internal constant SELLER_BOND = 0.02 ether;
    uint16 internal constant SLOPE_BPS = 1_000;
    uint64 internal constant TOLERANCE_Q = 100;
    uint16 internal constant CLAIM_BPS = 9_000;
    uint32 internal constant SAMPLES = 200;
    uint256 internal constant PLAN = 0x9A7;
    bytes32 internal constant SELLER_SECRET = keccak256("seller secret");

    RefundDisputes internal disputes;
    /// @dev A contestable Linear(4 features, 3 classes) listing at a fixed price of 5 ether.
    uint256 internal listingId;
    /// @dev Everyone the market may owe in these tests (a test adds the contracts it makes).
    address[] internal payees;

    function setUp() public virtual override {
        super.setUp();
        disputes = RefundDisputes(address(market.refundDisputes()));
        listingId = _listContestable(IModelRegistry.PlanFamily.Linear, 4, 3);
        delete payees;
        payees.push(BUYER);
        payees.push(SELLER);
        payees.push(WORKER);
        payees.push(MALLORY);
        payees.push(market.PENALTY_SINK());
    }

    // ---------------------------------------------------------------- listings

    /// @notice A dispute policy of `family` under plan PLAN with this fixture's τ, slope and bonds.
    function _contestablePolicy(IModelRegistry.PlanFamily family)
        internal
        pure
        returns (IModelRegistry.DisputePolicy memory)
    {
        return IModelRegistry.DisputePolicy({
            planCommitment: bytes32(PLAN),
            planFamily: family,
            contestToleranceQ: TOLERANCE_Q,
            refundSlopeBps: SLOPE_BPS,
            buyerBond: BUYER_BOND,
            sellerBond: SELLER_BOND
        });
    }

    /// @notice Terms of a contestable listing: 32 to 1,000 samples (a contest opens at most
    /// half), `features` features and `classes` classes, and {_contestablePolicy} of `family`.
    function _contestableTerms(IModelRegistry.PlanFamily family, uint32 features, uint16 classes)
        internal
        view
        returns (IModelRegistry.ListingTerms memory terms)
    {
        IModelRegistry.TestPolicy memory p = _policy();
        (p.minSamples, p.maxSamples) = (32, 1_000);
        IModelRegistry.TaskSpec memory task = _task();
        (task.featureCount, task.classCount) = (features, classes);
        terms = _terms(p, task, CLAIM_BPS);
        terms.disputePolicy = _contestablePolicy(family);
    }

    /// @notice Lists {_contestableTerms} as SELLER, at 5 ether if `mode` is a fixed price.
    function _listContestable(
        IModelRegistry.PlanFamily family,
        uint32 features,
        uint16 classes,
        IModelRegistry.SaleMode mode
    ) internal returns (uint256) {
        uint96 price = mode == IModelRegistry.SaleMode.FixedPrice ? 5 ether : 0;
        return _listAs(SELLER, _contestableTerms(family, features, classes), _offer(mode, price));
    }

    function _listContestable(IModelRegistry.PlanFamily family, uint32 features, uint16 classes)
        internal
        returns (uint256)
    {
        return _listContestable(family, features, classes, IModelRegistry.SaleMode.FixedPrice);
    }

    // ---------------------------------------------------------------- amounts

    /// @notice F of a test of `samples` samples under {_policy}: the free samples' fee.
    function _freeFee(uint32 samples) internal pure returns (uint256) {
        return _freeSamplesFee(_policy(), samples);
    }

    /// @notice R of §4's table for a 1 ether deposit: D·min(s, w)/w.
    function _refundOf(uint16 s) internal pure returns (uint256) {
        return 1 ether * uint256(s < SLOPE_BPS ? s : SLOPE_BPS) / SLOPE_BPS;
    }

    // ---------------------------------------------------------------- stand-in proofs

    /// @notice Reference of Open(N, 16)'s public signals (docs/DISPUTES.md §5.2), written from the
    /// SDK's description (openCircuitInput.ts), not from the contract: the refund signals, 15
    /// indices per word then k_eff, D, then 7 (label, prediction) pairs per word.
    function _openSignals(uint256 testId, IRefundDisputes.Opening memory o, uint16 s)
        internal
        view
        returns (uint256[] memory signals)
    {
        uint16[] memory indices = disputes.challengeIndices(testId, o.buyerSecret, SELLER_SECRET);
        signals = new uint256[](9);
        uint256[] memory refund = _refundSignals(testId, s, PREDICTIONS);
        (signals[0], signals[1], signals[2]) = (refund[0], refund[1], refund[2]);
        uint256[17] memory lanes;
        for (uint256 i; i < indices.length; ++i) lanes[i] = indices[i];
        lanes[16] = indices.length;
        for (uint256 t; t < 17; ++t) signals[3 + t / 15] += lanes[t] * (2 ** (16 * (t % 15)));
        signals[5] = o.featuresRoot;
        for (uint256 t; t < indices.length; ++t) {
            signals[6 + t / 7] += (uint256(o.labels[t]) + uint256(o.predictions[t]) * 65_536) * (2 ** (32 * (t % 7)));
        }
    }

    function _openProof(uint256 testId, IRefundDisputes.Opening memory o, uint16 s)
        internal
        view
        returns (ITestDrives.Groth16Proof memory)
    {
        return _standIn(_openSignals(testId, o, s));
    }

    /// @notice Reference of a contest circuit's public signals (docs/DISPUTES.md §5.3,
    /// contestMeta.ts, contestLinearInput.ts `contestCommonInput`): [plan, D, meta, σ, 10
    /// siblings, ⌈F/15⌉ feature words of the circuit's F], the meta from the listing's terms.
    function _contestSignals(
        uint256 listing,
        IRefundDisputes.OpenedSample memory x,
        uint256 root,
        uint16 cls,
        bool invalid,
        uint256 circuitFeatures
    ) internal view returns (uint256[] memory signals) {
        IModelRegistry.DisputeTerms memory terms = registry.disputeTerms(listing);
        uint256 words = (circuitFeatures + 14) / 15;
        signals = new uint256[](14 + words);
        signals[0] = uint256(registry.disputePolicy(listing).planCommitment);
        signals[1] = root;
        signals[2] = uint256(x.index) + uint256(x.prediction) * 2 ** 16 + uint256(cls) * 2 ** 32 + (invalid ? 2 ** 48 : 0)
            + uint256(terms.featureCount) * 2 ** 49 + uint256(terms.featureBits) * 2 ** 65
            + uint256(terms.classCount) * 2 ** 73 + uint256(registry.disputePolicy(listing).contestToleranceQ) * 2 ** 89;
        signals[3] = x.sigma;
        for (uint256 j; j < 10; ++j) signals[4 + j] = x.siblings[j];
        for (uint256 i; i < x.features.length / 2; ++i) {
            uint256 q = uint256(uint8(x.features[2 * i])) * 256 + uint8(x.features[2 * i + 1]);
            signals[14 + i / 15] += q * 2 ** (16 * (i % 15));
        }
    }

    /// @notice A contest proof on `listingId` (Linear(4, 3)) that sample `x` under features root
    /// `root` is of class `cls`, or (`invalid`) that it does not open that root.
    function _contestProof(IRefundDisputes.OpenedSample memory x, uint256 root, uint16 cls, bool invalid)
        internal
        view
        returns (ITestDrives.Groth16Proof memory)
    {
        return _standIn(_contestSignals(listingId, x, root, cls, invalid, 4));
    }

    // ---------------------------------------------------------------- openings

    function _featureCount(uint256 testId) internal view returns (uint32) {
        return registry.disputeTerms(market.getTest(testId).listingId).featureCount;
    }

    /// @notice The buyer's well-formed opening of the drawn samples, predicting `prediction`
    /// everywhere, with the listing's `featureCount` 2-byte features per sample (all below 2^12).
    function _opening(uint256 testId, uint16 prediction) internal view returns (IRefundDisputes.Opening memory o) {
        uint16[] memory indices = disputes.challengeIndices(testId, BUYER_SECRET, SELLER_SECRET);
        uint256 k = indices.length;
        uint256 features = _featureCount(testId);
        o.buyerSecret = BUYER_SECRET;
        o.featuresRoot = 0xFEA7;
        o.labels = new uint16[](k);
        o.predictions = new uint16[](k);
        o.samples = new IRefundDisputes.OpenedSample[](k);
        for (uint256 i; i < k; ++i) {
            o.labels[i] = uint16(i % 3);
            o.predictions[i] = prediction;
            o.samples[i].index = indices[i];
            o.samples[i].prediction = prediction;
            o.samples[i].sigma = 1_000 + i;
            for (uint256 j; j < 10; ++j) o.samples[i].siblings[j] = (i + 1) * 100 + j;
            bytes memory f = new bytes(2 * features);
            for (uint256 q; q < features; ++q) {
                uint256 v = (i * 131 + q * 7) % 4_096;
                f[2 * q] = bytes1(uint8(v >> 8));
                f[2 * q + 1] = bytes1(uint8(v));
            }
            o.samples[i].features = f;
        }
    }

    /// @notice The slot hashes `openSamples` stores (their hash) and `proveMismatch` is given back.
    function _slotHashes(IRefundDisputes.Opening memory o) internal pure returns (bytes32[] memory h) {
        h = new bytes32[](o.samples.length);
        for (uint256 i; i < h.length; ++i) {
            IRefundDisputes.OpenedSample memory x = o.samples[i];
            h[i] = keccak256(abi.encode(x.index, x.prediction, x.sigma, x.siblings, x.features));
        }
    }

    // ---------------------------------------------------------------- steps

    function _contest(uint256 testId) internal {
        vm.deal(SELLER, SELLER.balance + SELLER_BOND);
        vm.prank(SELLER);
        disputes.contest{value: SELLER_BOND}(testId, SELLER_SECRET);
    }

    /// @notice Posts `o` as BUYER with a valid Open proof for shortfall `s`.
    function _open(uint256 testId, IRefundDisputes.Opening memory o, uint16 s) internal {
        _openAsBuyer(testId, o, _openProof(testId, o, s));
    }

    /// @notice An evaluated test-drive of `samples` samples on `listing`, opened by `buyer`.
    function _evaluated(address buyer, uint256 listing, uint32 samples) internal returns (uint256 testId) {
        testId = _openTest(buyer, listing, samples);
        _receipt(testId);
    }

    /// @notice A test-drive of SAMPLES samples by BUYER on `listing`, claimed at `s` and contested;
    /// `sellerBefore` is what the market owed SELLER before the claim (the test's fee included).
    function _contested(uint256 listing, uint16 s) internal returns (uint256 testId, uint256 sellerBefore) {
        testId = _evaluated(BUYER, listing, SAMPLES);
        sellerBefore = market.owed(SELLER);
        _claim(testId, s);
        _contest(testId);
    }

    /// @notice Warps OPEN_WINDOW past the contest of `testId` (claimed at `s`): the open window has
    /// closed, and the buyer's opening is refused.
    function _expectLateOpeningRefused(uint256 testId, uint16 s) internal {
        vm.warp(block.timestamp + OPEN_WINDOW);
        IRefundDisputes.Opening memory o = _opening(testId, 1);
        ITestDrives.Groth16Proof memory late = _openProof(testId, o, s);
        _expectInvalidPhase(testId, IRefundDisputes.DisputePhase.Contested);
        _openAsBuyer(testId, o, late);
    }

    // ---------------------------------------------------------------- expected reverts

    /// @notice BUYER claims `s` on `testId` with `proof`, paying {_claimValue}, and the claim
    /// reverts with `reason`.
    function _expectClaimRevert(uint256 testId, uint16 s, ITestDrives.Groth16Proof memory proof, bytes memory reason)
        internal
    {
        uint256 value = _claimValue(testId);
        vm.deal(BUYER, value);
        vm.prank(BUYER);
        vm.expectRevert(reason);
        disputes.claimRefund{value: value}(testId, s, PREDICTIONS, _hb(), proof);
    }

    function _expectInvalidPhase(uint256 testId, IRefundDisputes.DisputePhase phase) internal {
        vm.expectRevert(abi.encodeWithSelector(IRefundDisputes.RefundDisputesInvalidPhase.selector, testId, phase));
    }

    function _expectInvalidProof(uint256 testId) internal {
        vm.expectRevert(abi.encodeWithSelector(IRefundDisputes.RefundDisputesInvalidProof.selector, testId));
    }

    function _expectInvalidStatus(uint256 testId, ITestDrives.TestStatus status) internal {
        vm.expectRevert(abi.encodeWithSelector(ITestDrives.TestDrivesInvalidStatus.selector, testId, status));
    }

    /// @notice Calls `closeDispute(testId)`, which reverts: the dispute, in `phase`, is not
    /// closable yet (or any more).
    function _expectCloseRefused(uint256 testId, IRefundDisputes.DisputePhase phase) internal {
        vm.expectRevert(abi.encodeWithSelector(IRefundDisputes.RefundDisputesNotClosable.selector, testId, phase));
        disputes.closeDispute(testId);
    }

    function _expectUnknownSample(uint256 testId) internal {
        vm.expectRevert(abi.encodeWithSelector(IRefundDisputes.RefundDisputesUnknownSample.selector, testId));
    }

    /// @notice Posting `o` with proof `p` as BUYER reverts as a malformed opening.
    function _expectMalformed(uint256 testId, IRefundDisputes.Opening memory o, ITestDrives.Groth16Proof memory p)
        internal
    {
        vm.expectRevert(abi.encodeWithSelector(IRefundDisputes.RefundDisputesMalformedOpening.selector, testId));
        _openAsBuyer(testId, o, p);
    }

    // ---------------------------------------------------------------- payouts and ledger

    /// @notice §4's table when the buyer wins a 1 ether, SAMPLES-sample dispute claimed at `s`:
    /// the buyer gets R + B_b (+ B_s if the seller contested), the seller D − R + F (its credit
    /// since `sellerBefore`).
    function _expectBuyerWonPayouts(uint256 sellerBefore, uint16 s, bool contested) internal view {
        uint256 r = _refundOf(s);
        if (contested) _eq(market.owed(BUYER), r + BUYER_BOND + SELLER_BOND, "buyer: R + B_b + B_s");
        else _eq(market.owed(BUYER), r + BUYER_BOND, "buyer: R + B_b");
        _eq(market.owed(SELLER) - sellerBefore, 1 ether - r + _freeFee(SAMPLES), "seller: D - R + F");
    }

    /// @notice §4's table when the seller wins a 1 ether, SAMPLES-sample dispute: the buyer gets
    /// F back, the seller D + B_s (its credit since `sellerBefore`), and B_b is burned.
    function _expectSellerWonPayouts(uint256 sellerBefore) internal view {
        _eq(market.owed(BUYER), _freeFee(SAMPLES), "buyer: F back");
        _eq(market.owed(SELLER) - sellerBefore, 1 ether + SELLER_BOND, "seller: D + B_s");
        _eq(market.owed(market.PENALTY_SINK()), BUYER_BOND, "B_b burned");
    }

    function _owedTotal() internal view returns (uint256 total) {
        for (uint256 i; i < payees.length; ++i) total += market.owed(payees[i]);
    }

    /// @notice The market holds exactly what it owes plus `held`; the disputes contract exactly `stakes`.
    function _ledgerHolds(uint256 held, uint256 stakes) internal view {
        _eq(address(market).balance, _owedTotal() + held, "market balance = owed + held");
        _eq(address(disputes).balance, stakes, "disputes hold exactly the live stakes");
    }
}
