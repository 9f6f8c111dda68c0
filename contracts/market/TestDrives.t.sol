// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {ITestDrives} from "../interfaces/ITestDrives.sol";
import {DisputeContext} from "../libraries/DisputeContext.sol";
import {MarketTestBase} from "../test-utils/MarketTestBase.sol";
import {vm} from "../test-utils/Vm.sol";

/// @notice Fuzz tests of test-drives: payment checks, dispute-context packing and binding,
/// proof-backed refunds and the status timeline.
contract TestDrivesFuzzTest is MarketTestBase {
    struct Unpacked {
        uint256 claim;
        uint256 samples;
        uint256 classes;
        uint256 featureBits;
        uint256 features;
        uint256 tag;
    }

    /// Reference unpacking of {DisputeContext-pack}, written from the documented bit layout.
    function _unpack(uint256 packed) private pure returns (Unpacked memory u) {
        u.claim = packed & 0xffff;
        u.samples = (packed >> 16) & 0xffffffff;
        u.classes = (packed >> 48) & 0xffff;
        u.featureBits = (packed >> 64) & 0xff;
        u.features = (packed >> 72) & 0xffffffff;
        u.tag = packed >> 104;
    }

    function _validActor(address a) private view returns (bool) {
        return uint160(a) > 0xffff && a.code.length == 0 && a != address(vm) && a != address(this);
    }

    // ------------------------------------------------------------------ openTest payment

    function testFuzz_openTestChargesExactlyDepositPlusExtraSampleFees(
        uint96 deposit,
        uint96 feePerExtraSample,
        uint32 freeSamples,
        uint32 minSamples,
        uint32 maxSamples,
        uint32 sampleCount,
        uint256 delta
    ) public {
        deposit = uint96(_bound(deposit, 1, 1e24));
        feePerExtraSample = uint96(_bound(feePerExtraSample, 0, 1e18));
        freeSamples = uint32(_bound(freeSamples, 0, 70_000));
        minSamples = uint32(_bound(minSamples, 1, 1 << 16));
        maxSamples = uint32(_bound(maxSamples, minSamples, 1 << 16));
        sampleCount = uint32(_bound(sampleCount, minSamples, maxSamples));
        IModelRegistry.TestPolicy memory p = _policy();
        (p.deposit, p.feePerExtraSample, p.freeSamples, p.minSamples, p.maxSamples) =
            (deposit, feePerExtraSample, freeSamples, minSamples, maxSamples);
        _checkOpenTestPayment(p, sampleCount, delta);
    }

    function _checkOpenTestPayment(IModelRegistry.TestPolicy memory p, uint32 sampleCount, uint256 delta) private {
        uint256 listingId =
            _listAs(SELLER, _terms(p, _task(), 9_000), _offer(IModelRegistry.SaleMode.FixedPrice, 1 ether));
        // Reference: only samples above the free allowance are charged.
        uint256 extra = sampleCount > p.freeSamples ? uint256(sampleCount) - p.freeSamples : 0;
        uint256 fee = extra * p.feePerExtraSample;
        uint256 required = uint256(p.deposit) + fee;
        bytes32 commitment = _commitment(delta);
        vm.deal(BUYER, required * 2 + 1);

        uint256 wrong = required - _bound(delta, 1, required);
        vm.expectRevert(abi.encodeWithSelector(ITestDrives.TestDrivesIncorrectPayment.selector, wrong, required));
        vm.prank(BUYER);
        market.openTest{value: wrong}(listingId, commitment, sampleCount);

        wrong = required + _bound(delta, 1, required);
        vm.expectRevert(abi.encodeWithSelector(ITestDrives.TestDrivesIncorrectPayment.selector, wrong, required));
        vm.prank(BUYER);
        market.openTest{value: wrong}(listingId, commitment, sampleCount);

        uint256 before = address(market).balance;
        vm.prank(BUYER);
        uint256 testId = market.openTest{value: required}(listingId, commitment, sampleCount);
        _eq(address(market).balance - before, required, "market holds deposit + fee");
        ITestDrives.TestDrive memory t = market.getTest(testId);
        _eq(t.deposit, p.deposit, "deposit");
        _eq(t.fee, fee, "fee");
        _eq(t.sampleCount, sampleCount, "sampleCount");
        _eq(t.buyer, BUYER, "buyer");
        _eq(t.listingId, listingId, "listingId");
        _eq(t.openedAt, block.timestamp, "openedAt");
        _eq(t.receiptAt, 0, "receiptAt");
        _eq(t.dataCommitment, commitment, "commitment");
        _eq(uint256(market.testStatus(testId)), uint256(ITestDrives.TestStatus.AwaitingReceipt), "status");
    }

    function testFuzz_openTestRejectsSampleCountsOutsidePolicy(uint32 sampleCount) public {
        uint256 listingId = _listFixed(1 ether);
        IModelRegistry.TestPolicy memory p = _policy();
        bool inRange = sampleCount >= p.minSamples && sampleCount <= p.maxSamples;
        uint256 value = uint256(p.deposit) + (inRange ? _fee(p, sampleCount) : 0);
        vm.deal(BUYER, value);
        if (!inRange) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    ITestDrives.TestDrivesSampleCountOutOfRange.selector, sampleCount, p.minSamples, p.maxSamples
                )
            );
        }
        vm.prank(BUYER);
        market.openTest{value: value}(listingId, _commitment(1), sampleCount);
    }

    function testFuzz_openTestRejectsCommitmentsOutsideTheField(uint256 raw, bool zero) public {
        uint256 listingId = _listFixed(1 ether);
        bytes32 bad = zero ? bytes32(0) : bytes32(_bound(raw, FIELD, type(uint256).max));
        vm.deal(BUYER, 1 ether);
        vm.expectRevert(abi.encodeWithSelector(ITestDrives.TestDrivesInvalidDataCommitment.selector, bad));
        vm.prank(BUYER);
        market.openTest{value: 1 ether}(listingId, bad, 50);
        // The largest field element is accepted.
        vm.prank(BUYER);
        market.openTest{value: 1 ether}(listingId, bytes32(FIELD - 1), 50);
    }

    function testFuzz_openTestRejectsInactiveListings(bool delist) public {
        uint256 listingId = _listFixed(1 ether);
        vm.prank(SELLER);
        if (delist) registry.delist(listingId);
        else registry.pause(listingId);
        vm.deal(BUYER, 1 ether);
        vm.expectRevert(abi.encodeWithSelector(ITestDrives.TestDrivesListingNotActive.selector, listingId));
        vm.prank(BUYER);
        market.openTest{value: 1 ether}(listingId, _commitment(1), 50);
    }

    // ------------------------------------------------------------------ dispute context

    function testFuzz_disputeContextFieldsRoundTrip(
        uint16 claim,
        uint32 samples,
        uint16 classes,
        uint8 featureBits,
        uint32 features,
        uint256 chainId,
        address marketAddr,
        uint256 testId,
        address buyer,
        address otherBuyer
    ) public pure {
        uint128 tag = DisputeContext.bindingTag(chainId, marketAddr, testId, buyer);
        uint256 packed = DisputeContext.pack(DisputeContext.Fields(claim, samples, classes, featureBits, features), tag);
        Unpacked memory u = _unpack(packed);
        _eq(u.claim, claim, "claimedAccuracyBps");
        _eq(u.samples, samples, "sampleCount");
        _eq(u.classes, classes, "classCount");
        _eq(u.featureBits, featureBits, "featureBits");
        _eq(u.features, features, "featureCount");
        _eq(u.tag, tag, "tag");
        _true(packed < (uint256(1) << 232), "packed value exceeds 232 bits");
        _true(packed < FIELD, "packed value is not a field element");
        _eq(tag, uint128(uint256(keccak256(abi.encode(chainId, marketAddr, testId, buyer)))), "tag = low 128 bits");
        // The tag binds the test id, the buyer, the market and the chain.
        unchecked {
            _true(tag != DisputeContext.bindingTag(chainId, marketAddr, testId + 1, buyer), "tag ignores testId");
            _true(tag != DisputeContext.bindingTag(chainId + 1, marketAddr, testId, buyer), "tag ignores chain");
        }
        _true(
            tag != DisputeContext.bindingTag(chainId, address(uint160(marketAddr) ^ 1), testId, buyer), "tag ignores market"
        );
        if (otherBuyer != buyer) {
            _true(tag != DisputeContext.bindingTag(chainId, marketAddr, testId, otherBuyer), "tag ignores buyer");
        }
    }

    function testFuzz_marketDisputeContextMatchesListingAndBindsBuyer(
        uint16 claim,
        uint32 featureCount,
        uint16 classCount,
        uint8 featureBits,
        uint8 scaleBits,
        uint32 samples,
        address buyer,
        address otherBuyer
    ) public {
        vm.assume(_validActor(buyer) && _validActor(otherBuyer) && buyer != otherBuyer);
        claim = uint16(_bound(claim, 1, 10_000));
        featureCount = uint32(_bound(featureCount, 1, type(uint32).max));
        classCount = uint16(_bound(classCount, 2, type(uint16).max));
        featureBits = uint8(_bound(featureBits, 1, 32));
        scaleBits = uint8(_bound(scaleBits, 0, featureBits));
        samples = uint32(_bound(samples, 10, 1_000));
        IModelRegistry.TaskSpec memory task = IModelRegistry.TaskSpec(featureCount, classCount, scaleBits, featureBits);
        uint256 listingId =
            _listAs(SELLER, _terms(_policy(), task, claim), _offer(IModelRegistry.SaleMode.FixedPrice, 1 ether));

        uint256 testA = _openTest(buyer, listingId, samples);
        uint256 testB = _openTest(otherBuyer, listingId, samples);
        uint256 ctxA = market.disputeContext(testA);
        Unpacked memory u = _unpack(ctxA);
        _eq(u.claim, claim, "claim");
        _eq(u.samples, samples, "samples");
        _eq(u.classes, classCount, "classes");
        _eq(u.featureBits, featureBits, "featureBits");
        _eq(u.features, featureCount, "featureCount");
        _eq(u.tag, uint128(uint256(keccak256(abi.encode(block.chainid, address(market), testA, buyer)))), "tag");
        uint256 ctxB = market.disputeContext(testB);
        _true(ctxA != ctxB, "two test-drives share a dispute context");
        _eq(ctxA & ((uint256(1) << 104) - 1), ctxB & ((uint256(1) << 104) - 1), "same listing fields");
    }

    // ------------------------------------------------------------------ refunds by proof

    function testFuzz_claimRefundPaysTheBuyerWhoeverSubmits(address caller, uint32 samples) public {
        vm.assume(_validActor(caller) && caller != BUYER && caller != SELLER);
        samples = uint32(_bound(samples, 10, 1_000));
        uint256 listingId = _listFixed(1 ether);
        uint256 testId = _openTest(BUYER, listingId, samples);
        _receipt(testId);
        ITestDrives.Groth16Proof memory proof = _proof(testId);
        uint256 fee = _fee(_policy(), samples);
        uint256 callerBefore = caller.balance;

        vm.prank(caller);
        market.claimRefund(testId, proof);
        _eq(market.owed(BUYER), 1 ether, "deposit credited to the buyer");
        _eq(market.owed(SELLER), fee, "fee credited to the seller");
        _eq(market.owed(caller), 0, "nothing for the submitter");
        _eq(caller.balance, callerBefore, "nothing sent to the submitter");
        _eq(uint256(market.getTest(testId).outcome), uint256(ITestDrives.TestOutcome.Refunded), "outcome");

        // Replays fail, by anyone.
        vm.expectRevert(
            abi.encodeWithSelector(ITestDrives.TestDrivesInvalidStatus.selector, testId, ITestDrives.TestStatus.Closed)
        );
        vm.prank(BUYER);
        market.claimRefund(testId, proof);
        _eq(address(market).balance, 1 ether + fee, "market holds exactly what it owes");
    }

    function testFuzz_proofIsBoundToItsTestDrive(uint256 junk, uint32 samples) public {
        samples = uint32(_bound(samples, 10, 1_000));
        uint256 listingId = _listFixed(1 ether);
        uint256 testA = _openTest(BUYER, listingId, samples);
        uint256 testB = _openTest(BUYER, listingId, samples); // same buyer, same commitment
        _receipt(testA);
        _receipt(testB);
        _eq(market.getTest(testA).dataCommitment, market.getTest(testB).dataCommitment, "same commitment");
        ITestDrives.Groth16Proof memory proofA = _proof(testA);

        vm.expectRevert(abi.encodeWithSelector(ITestDrives.TestDrivesInvalidProof.selector, testB));
        market.claimRefund(testB, proofA);

        ITestDrives.Groth16Proof memory forged;
        forged.a[0] = junk;
        vm.assume(junk != proofA.a[0]);
        vm.expectRevert(abi.encodeWithSelector(ITestDrives.TestDrivesInvalidProof.selector, testA));
        market.claimRefund(testA, forged);

        market.claimRefund(testA, proofA);
        market.claimRefund(testB, _proof(testB));
        _eq(market.owed(BUYER), 2 ether, "both deposits refunded once");
    }

    // ------------------------------------------------------------------ timeline

    function testFuzz_statusTimelineAndPayouts(uint32 serviceDelay, uint32 disputeDelay, uint32 samples) public {
        samples = uint32(_bound(samples, 10, 1_000));
        IModelRegistry.TestPolicy memory p = _policy();
        serviceDelay = uint32(_bound(serviceDelay, 0, 2 * uint256(p.serviceWindow)));
        disputeDelay = uint32(_bound(disputeDelay, 0, 2 * uint256(p.disputeWindow)));
        uint256 listingId = _listFixed(1 ether);
        uint256 testId = _openTest(BUYER, listingId, samples);
        uint256 total = uint256(p.deposit) + _fee(p, samples);
        uint256 openedAt = block.timestamp;
        vm.warp(openedAt + serviceDelay);

        if (serviceDelay >= p.serviceWindow) {
            _eq(uint256(market.testStatus(testId)), uint256(ITestDrives.TestStatus.Unserved), "unserved");
            vm.expectRevert(
                abi.encodeWithSelector(
                    ITestDrives.TestDrivesInvalidStatus.selector, testId, ITestDrives.TestStatus.Unserved
                )
            );
            vm.prank(WORKER);
            market.recordReceipt(testId, bytes32(uint256(1)));
            vm.prank(MALLORY);
            market.refundUnserved(testId);
            _eq(market.owed(BUYER), total, "deposit and fee back to the buyer");
            _eq(market.owed(SELLER), 0, "nothing for the seller");
            return;
        }
        vm.expectRevert(
            abi.encodeWithSelector(
                ITestDrives.TestDrivesInvalidStatus.selector, testId, ITestDrives.TestStatus.AwaitingReceipt
            )
        );
        market.refundUnserved(testId);
        _receipt(testId);
        uint256 receiptAt = block.timestamp;
        vm.warp(receiptAt + disputeDelay);
        if (disputeDelay >= p.disputeWindow) {
            ITestDrives.Groth16Proof memory proof = _proof(testId);
            vm.expectRevert(
                abi.encodeWithSelector(
                    ITestDrives.TestDrivesInvalidStatus.selector, testId, ITestDrives.TestStatus.Forfeitable
                )
            );
            market.claimRefund(testId, proof);
            vm.prank(MALLORY);
            market.forfeitDeposit(testId);
            _eq(market.owed(SELLER), total, "deposit and fee to the seller");
            _eq(market.owed(BUYER), 0, "nothing for the buyer");
        } else {
            vm.expectRevert(
                abi.encodeWithSelector(
                    ITestDrives.TestDrivesInvalidStatus.selector, testId, ITestDrives.TestStatus.Evaluated
                )
            );
            market.forfeitDeposit(testId);
            uint256 before = BUYER.balance;
            ITestDrives.Groth16Proof memory proof = _proof(testId); // before the prank: views consume it
            vm.prank(BUYER);
            market.claimRefund(testId, proof);
            _eq(BUYER.balance - before, p.deposit, "deposit sent to the claiming buyer");
            _eq(market.owed(SELLER), total - p.deposit, "fee to the seller");
        }
        _eq(address(market).balance, market.owed(SELLER) + market.owed(BUYER), "market holds only what it owes");
    }
}
