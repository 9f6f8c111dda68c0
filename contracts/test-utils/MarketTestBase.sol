// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ModelMarket} from "../ModelMarket.sol";
import {ModelRegistry} from "../ModelRegistry.sol";
import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {IRefundDisputes} from "../interfaces/IRefundDisputes.sol";
import {ITestDrives} from "../interfaces/ITestDrives.sol";
import {DisputeContext} from "../libraries/DisputeContext.sol";
import {AnySignalsVerifier} from "../mocks/AnySignalsVerifier.sol";
import {ChunkTreeBuilder} from "./ChunkTreeBuilder.sol";
import {CONTEST_WINDOW, economicsOnlyPolicy, standInDisputesConfig} from "./DisputeFixtures.sol";
import {Vm, vm} from "./Vm.sol";

/**
 * @title MarketTestBase
 * @notice Test-only fixture for the Solidity tests: a registry owned by the test, a market whose
 * refund disputes run over the stand-in {AnySignalsVerifier}, a small model file, listing
 * builders, stand-in refund proofs and claims, and assertion helpers (forge-std is not available).
 */
abstract contract MarketTestBase {
    uint32 internal constant DELIVERY_WINDOW = 3_600;
    uint32 internal constant ACCEPT_WINDOW = 1_800;
    uint32 internal constant REVEAL_WINDOW = 3_600;
    uint32 internal constant COMPLAINT_WINDOW = 7_200;

    uint256 internal constant FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 internal constant MODEL_CHUNKS = 4;
    uint64 internal constant MODEL_SIZE = 123; // 4 chunks, the last one padded

    address internal constant SELLER = address(0x5E11E4);
    address internal constant WORKER = address(0x3037E4);
    address internal constant BUYER = address(0xB0B);
    address internal constant MALLORY = address(0xBAD);
    bytes32 internal constant BUYER_SECRET = keccak256("buyer secret");
    bytes32 internal constant PREDICTIONS = bytes32(uint256(0xC0FFEE));

    ModelRegistry internal registry;
    AnySignalsVerifier internal anyVerifier;
    ModelMarket internal market;
    IRefundDisputes internal refundDisputes;
    bytes32[] internal modelChunks;
    bytes32 internal modelRoot;

    /// @dev The runner calls setUp once and runs every test from the resulting state.
    function setUp() public virtual {
        _deploy();
    }

    function _deploy() internal {
        registry = new ModelRegistry(address(this));
        anyVerifier = new AnySignalsVerifier();
        market = new ModelMarket(
            IModelRegistry(address(registry)),
            ModelMarket.DeliveryWindows(DELIVERY_WINDOW, ACCEPT_WINDOW, REVEAL_WINDOW, COMPLAINT_WINDOW),
            standInDisputesConfig(address(anyVerifier))
        );
        refundDisputes = market.refundDisputes();
        delete modelChunks;
        for (uint256 i = 0; i < MODEL_CHUNKS; ++i) modelChunks.push(keccak256(abi.encode("model chunk", i)));
        modelRoot = ChunkTreeBuilder.root(ChunkTreeBuilder.leavesOf(modelChunks));
        if (block.timestamp < 1_000_000) vm.warp(1_000_000);
    }

    // ---------------------------------------------------------------- listing builders

    function _policy() internal pure returns (IModelRegistry.TestPolicy memory) {
        return IModelRegistry.TestPolicy({
            deposit: 1 ether,
            feePerExtraSample: 0.001 ether,
            freeSamples: 100,
            minSamples: 10,
            maxSamples: 1_000,
            serviceWindow: 3_600,
            disputeWindow: 86_400
        });
    }

    function _task() internal pure returns (IModelRegistry.TaskSpec memory) {
        return IModelRegistry.TaskSpec({featureCount: 4, classCount: 3, scaleBits: 8, featureBits: 12});
    }

    function _terms(IModelRegistry.TestPolicy memory policy, IModelRegistry.TaskSpec memory task, uint16 claimBps)
        internal
        view
        returns (IModelRegistry.ListingTerms memory)
    {
        return IModelRegistry.ListingTerms({
            modelRoot: modelRoot,
            modelSize: MODEL_SIZE,
            task: task,
            claimedAccuracyBps: claimBps,
            testPolicy: policy,
            watermarkCommitment: keccak256("watermark"),
            disputePolicy: economicsOnlyPolicy()
        });
    }

    function _offer(IModelRegistry.SaleMode mode, uint96 price) internal pure returns (IModelRegistry.ListingOffer memory) {
        return IModelRegistry.ListingOffer({
            metadataURI: "ipfs://model-card",
            metadataHash: keccak256("model card"),
            saleMode: mode,
            price: price,
            workerEndpoint: "http://127.0.0.1:8787",
            workerSigner: WORKER
        });
    }

    function _listAs(address seller, IModelRegistry.ListingTerms memory terms, IModelRegistry.ListingOffer memory offer)
        internal
        returns (uint256 listingId)
    {
        vm.prank(seller);
        listingId = registry.list(terms, offer);
    }

    function _listFixed(uint96 price) internal returns (uint256) {
        return _listAs(SELLER, _terms(_policy(), _task(), 9_000), _offer(IModelRegistry.SaleMode.FixedPrice, price));
    }

    function _listAuction() internal returns (uint256) {
        return _listAs(SELLER, _terms(_policy(), _task(), 9_000), _offer(IModelRegistry.SaleMode.Auction, 0));
    }

    // ---------------------------------------------------------------- test-drives

    function _commitment(uint256 salt) internal pure returns (bytes32) {
        return bytes32(uint256(keccak256(abi.encode("data", salt))) % (FIELD - 1) + 1);
    }

    function _fee(IModelRegistry.TestPolicy memory p, uint32 samples) internal pure returns (uint256) {
        return samples > p.freeSamples ? uint256(samples - p.freeSamples) * p.feePerExtraSample : 0;
    }

    /// @notice Reference of F (DISPUTES.md §4): the fee of the free samples, min(samples,
    /// freeSamples) * feePerExtraSample, at most the deposit. A refund claim pays it, and the
    /// seller gets it whoever wins, so a refunded test pays for every sample it queried.
    function _freeSamplesFee(IModelRegistry.TestPolicy memory p, uint32 samples) internal pure returns (uint256 fee) {
        uint256 free = samples < p.freeSamples ? samples : p.freeSamples;
        fee = free * p.feePerExtraSample;
        if (fee > p.deposit) fee = p.deposit;
    }

    function _openTest(address buyer, uint256 listingId, uint32 samples) internal returns (uint256 testId) {
        (,, IModelRegistry.TestPolicy memory p) = registry.testTerms(listingId);
        uint256 value = uint256(p.deposit) + _fee(p, samples);
        vm.deal(buyer, buyer.balance + value);
        vm.prank(buyer);
        testId = market.openTest{value: value}(listingId, _commitment(uint256(uint160(buyer)) ^ samples), samples);
    }

    /// @notice Records `testId`'s receipt as the worker signer (not the seller), so the fee is credited to the seller.
    function _receipt(uint256 testId) internal {
        vm.prank(WORKER);
        market.recordReceipt(testId, keccak256(abi.encode("result", testId)));
    }

    /// @notice The deposit and fee `testId` holds or held, from the listing's immutable policy.
    function _testPrice(uint256 testId) internal view returns (uint256 deposit, uint256 fee) {
        ITestDrives.TestDrive memory t = market.getTest(testId);
        return market.testPrice(t.listingId, t.sampleCount);
    }

    function _phase(uint256 testId) internal view returns (uint256) {
        return uint256(market.getTest(testId).phase);
    }

    /// @notice An EIP-712 receipt signature of `privateKey` for `testId`, as 65 bytes (r, s, v).
    function _signReceipt(uint256 privateKey, uint256 testId, bytes32 resultHash) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(privateKey, market.receiptDigest(testId, resultHash));
        return abi.encodePacked(r, s, v);
    }

    /// @notice The recorded logs of the market with event signature `topic0` (call {Vm-recordLogs} first; consumes the record).
    function _marketLogs(bytes32 topic0) internal returns (Vm.Log[] memory out) {
        Vm.Log[] memory all = vm.getRecordedLogs();
        uint256 n;
        for (uint256 i = 0; i < all.length; ++i) if (all[i].emitter == address(market) && all[i].topics[0] == topic0) ++n;
        out = new Vm.Log[](n);
        n = 0;
        for (uint256 i = 0; i < all.length; ++i) {
            if (all[i].emitter == address(market) && all[i].topics[0] == topic0) out[n++] = all[i];
        }
    }

    // ---------------------------------------------------------------- refund claims

    function _standIn(uint256[] memory signals) internal view returns (ITestDrives.Groth16Proof memory proof) {
        proof.a[0] = anyVerifier.proofFor(signals);
    }

    /// @notice Reference of Refund(N)'s public signals: [context with s, C_D, C_P] of the market's test.
    function _refundSignals(uint256 testId, uint16 s, bytes32 cp) internal view returns (uint256[] memory signals) {
        signals = new uint256[](3);
        signals[0] = DisputeContext.withShortfall(market.disputeContext(testId), s);
        signals[1] = uint256(market.getTest(testId).dataCommitment);
        signals[2] = uint256(cp);
    }

    /// @notice A refund proof of shortfall `s` on `testId` with the predictions PREDICTIONS.
    function _claimProof(uint256 testId, uint16 s) internal view returns (ITestDrives.Groth16Proof memory) {
        return _standIn(_refundSignals(testId, s, PREDICTIONS));
    }

    /// @notice What `claimRefund` must be paid: B_b + F.
    function _claimValue(uint256 testId) internal view returns (uint256) {
        ITestDrives.TestDrive memory t = market.getTest(testId);
        (,, IModelRegistry.TestPolicy memory p) = registry.testTerms(t.listingId);
        return registry.disputePolicy(t.listingId).buyerBond + _freeSamplesFee(p, t.sampleCount);
    }

    /// @notice H_b, the buyer's commitment to BUYER_SECRET.
    function _hb() internal pure returns (bytes32) {
        return keccak256(abi.encode(BUYER_SECRET));
    }

    /// @notice The buyer of `testId` claims shortfall `s`, paying exactly {_claimValue}.
    function _claim(uint256 testId, uint16 s) internal {
        address buyer = market.getTest(testId).buyer;
        ITestDrives.Groth16Proof memory proof = _claimProof(testId, s);
        uint256 value = _claimValue(testId);
        vm.deal(buyer, buyer.balance + value);
        vm.prank(buyer);
        refundDisputes.claimRefund{value: value}(testId, s, PREDICTIONS, _hb(), proof);
    }

    /// @notice Refunds `testId`, a test-drive of a listing without a plan (its refund cannot be
    /// contested and is all or nothing): its buyer claims, paying F, and once the contest window
    /// has passed the dispute closes uncontested, crediting the whole deposit to the buyer and F
    /// to the seller. Ends CONTEST_WINDOW later than it starts.
    function _refund(uint256 testId) internal {
        _claim(testId, 100);
        vm.warp(block.timestamp + CONTEST_WINDOW);
        refundDisputes.closeDispute(testId);
    }

    /// @notice Posts `opening` as BUYER (only the buyer may open). It makes no other call, so a
    /// `vm.expectRevert` before it applies to the opening itself.
    function _openAsBuyer(uint256 testId, IRefundDisputes.Opening memory opening, ITestDrives.Groth16Proof memory proof)
        internal
    {
        vm.prank(BUYER);
        refundDisputes.openSamples(testId, opening, proof);
    }

    // ---------------------------------------------------------------- helpers

    function _bound(uint256 x, uint256 lo, uint256 hi) internal pure returns (uint256) {
        require(lo <= hi, "bound: lo > hi");
        if (hi - lo == type(uint256).max) return x;
        return lo + (x % (hi - lo + 1));
    }

    function _eq(uint256 a, uint256 b, string memory what) internal pure {
        if (a != b) revert(string.concat(what, ": ", _str(a), " != ", _str(b)));
    }

    function _eq(address a, address b, string memory what) internal pure {
        if (a != b) revert(string.concat(what, ": address mismatch"));
    }

    function _eq(bytes32 a, bytes32 b, string memory what) internal pure {
        if (a != b) revert(string.concat(what, ": bytes32 mismatch"));
    }

    function _true(bool ok, string memory what) internal pure {
        if (!ok) revert(what);
    }

    function _str(uint256 v) internal pure returns (string memory) {
        if (v == 0) return "0";
        bytes memory b;
        while (v != 0) {
            b = abi.encodePacked(bytes1(uint8(48 + (v % 10))), b);
            v /= 10;
        }
        return string(b);
    }

    receive() external payable {}
}
