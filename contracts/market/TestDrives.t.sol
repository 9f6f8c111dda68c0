// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IMarketLedger} from "../interfaces/IMarketLedger.sol";
import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {ITestDrives} from "../interfaces/ITestDrives.sol";
import {DisputeContext} from "../libraries/DisputeContext.sol";
import {MarketTestBase} from "../test-utils/MarketTestBase.sol";
import {Vm, vm} from "../test-utils/Vm.sol";

/// @notice Fuzz tests of test-drives: payment checks, dispute-context packing and binding,
/// what a refund pays and the status timeline.
contract TestDrivesFuzzTest is MarketTestBase {
    uint32 private constant MAX_SAMPLES = type(uint16).max;
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
        freeSamples = uint32(_bound(freeSamples, 0, 70_000));
        minSamples = uint32(_bound(minSamples, 1, MAX_SAMPLES));
        maxSamples = uint32(_bound(maxSamples, minSamples, MAX_SAMPLES));
        sampleCount = uint32(_bound(sampleCount, minSamples, maxSamples));
        // Any fee the registry accepts: the largest test's fees fit in 96 bits (ModelRegistryFeeTooLarge).
        uint256 paid = maxSamples > freeSamples ? maxSamples - freeSamples : 0;
        feePerExtraSample = uint96(_bound(feePerExtraSample, 0, paid == 0 ? type(uint96).max : type(uint96).max / paid));
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
        (uint256 heldDeposit, uint256 heldFee) = market.testPrice(listingId, sampleCount);
        _eq(heldDeposit, p.deposit, "testPrice deposit");
        _eq(heldFee, fee, "testPrice fee");
        _eq(t.sampleCount, sampleCount, "sampleCount");
        _eq(t.buyer, BUYER, "buyer");
        _eq(t.listingId, listingId, "listingId");
        _eq(uint256(t.phase), uint256(ITestDrives.TestPhase.Open), "phase");
        _eq(t.phaseStartedAt, block.timestamp, "phaseStartedAt");
        _eq(t.dataCommitment, commitment, "commitment");
        _eq(uint256(market.testStatus(testId)), uint256(ITestDrives.TestStatus.AwaitingReceipt), "status");
    }

    /// Reference: a policy is listable iff (maxSamples - freeSamples)^+ * feePerExtraSample <= 2**96 - 1,
    /// and maxSamples <= 65535; the largest accepted test then charges exactly deposit + that fee.
    function testFuzz_registryCapsTheLargestTestFeeAt96Bits(
        uint96 feePerExtraSample,
        uint32 freeSamples,
        uint32 maxSamples,
        bool atBoundary
    ) public {
        maxSamples = uint32(_bound(maxSamples, 1, uint256(MAX_SAMPLES) + 2));
        freeSamples = uint32(_bound(freeSamples, 0, uint256(MAX_SAMPLES) + 2));
        uint256 paid = maxSamples > freeSamples ? maxSamples - freeSamples : 0;
        if (atBoundary && paid > 0) {
            // The largest accepted fee, or one wei above it.
            feePerExtraSample = uint96(type(uint96).max / paid + (feePerExtraSample % 2));
        }
        IModelRegistry.TestPolicy memory p = _policy();
        (p.feePerExtraSample, p.freeSamples, p.minSamples, p.maxSamples) = (feePerExtraSample, freeSamples, 1, maxSamples);
        IModelRegistry.ListingTerms memory terms = _terms(p, _task(), 9_000);
        IModelRegistry.ListingOffer memory offer = _offer(IModelRegistry.SaleMode.FixedPrice, 1 ether);
        if (maxSamples > MAX_SAMPLES) {
            vm.expectRevert(
                abi.encodeWithSelector(IModelRegistry.ModelRegistryInvalidSampleBounds.selector, uint32(1), maxSamples)
            );
            _listAs(SELLER, terms, offer);
            return;
        }
        if (paid * feePerExtraSample > type(uint96).max) {
            vm.expectRevert(IModelRegistry.ModelRegistryFeeTooLarge.selector);
            _listAs(SELLER, terms, offer);
            return;
        }
        uint256 listingId = _listAs(SELLER, terms, offer);
        (uint256 deposit, uint256 fee) = market.testPrice(listingId, maxSamples);
        _eq(deposit, p.deposit, "deposit");
        _eq(fee, paid * feePerExtraSample, "largest fee");
        vm.deal(BUYER, deposit + fee);
        vm.prank(BUYER);
        uint256 testId = market.openTest{value: deposit + fee}(listingId, _commitment(paid), maxSamples);
        _eq(market.getTest(testId).sampleCount, maxSamples, "sampleCount stored without truncation");
        (, uint256 held) = _testPrice(testId);
        _eq(held, fee, "fee derived from the stored sample count");
    }

    function test_maxSamplesIs65535() public view {
        _eq(registry.MAX_SAMPLES(), 65_535, "MAX_SAMPLES");
        _eq(MAX_SAMPLES, 65_535, "test constant");
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

    // ------------------------------------------------------------------ refunds

    /// Issue #10, always-fix 1 (DISPUTES.md §4): a refund never returns the fee of a sample the
    /// worker evaluated, whatever the policy, even a test-drive inside the free allowance. The
    /// claim pays F = min(min(n, freeSamples) * feePerExtraSample, deposit), which goes to the
    /// seller with the fee paid at the receipt; the buyer gets the deposit back (a listing
    /// without a plan refunds all or nothing); the market keeps exactly what it still owes.
    function testFuzz_aRefundPaysTheSellerForEverySampleQueried(
        uint96 deposit,
        uint96 feePerExtraSample,
        uint32 freeSamples,
        uint32 samples
    ) public {
        deposit = uint96(_bound(deposit, 1, 10 ether));
        feePerExtraSample = uint96(_bound(feePerExtraSample, 0, 0.1 ether));
        freeSamples = uint32(_bound(freeSamples, 0, 2_000));
        samples = uint32(_bound(samples, 1, 1_000));
        IModelRegistry.TestPolicy memory p = _policy();
        (p.deposit, p.feePerExtraSample, p.freeSamples, p.minSamples) = (deposit, feePerExtraSample, freeSamples, 1);
        uint256 listingId =
            _listAs(SELLER, _terms(p, _task(), 9_000), _offer(IModelRegistry.SaleMode.FixedPrice, 1 ether));
        uint256 testId = _openTest(BUYER, listingId, samples);
        _receipt(testId); // the fee above the allowance is credited to the seller
        uint256 fee = _fee(p, samples);
        uint256 free = samples < freeSamples ? samples : freeSamples;
        uint256 freeFee = _freeSamplesFee(p, samples);
        _eq(freeFee, free * feePerExtraSample < deposit ? free * feePerExtraSample : deposit, "reference F");
        _eq(_claimValue(testId), freeFee, "a claim on a listing without a plan stakes F and no bond");

        vm.recordLogs();
        _refund(testId);
        _eq(market.owed(BUYER), deposit, "the buyer: the whole deposit");
        _eq(market.owed(SELLER), fee + freeFee, "the seller: the fee paid at the receipt and F");
        _eq(_phase(testId), uint256(ITestDrives.TestPhase.Refunded), "phase");
        _eq(market.getTest(testId).phaseStartedAt, block.timestamp, "phaseStartedAt = refund time");
        Vm.Log[] memory closed = _marketLogs(ITestDrives.TestClosed.selector);
        _eq(closed.length, 1, "one TestClosed");
        _eq(uint256(closed[0].topics[2]), uint256(ITestDrives.TestPhase.Refunded), "TestClosed outcome");
        (uint256 toBuyer, uint256 toSeller) = abi.decode(closed[0].data, (uint256, uint256));
        _eq(toBuyer, deposit, "TestClosed toBuyer");
        _eq(toSeller, freeFee, "TestClosed toSeller = F");
        _eq(address(market).balance, market.owed(BUYER) + market.owed(SELLER), "market holds exactly what it owes");
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
            _eq(_phase(testId), uint256(ITestDrives.TestPhase.Unserved), "unserved phase");
            _eq(address(market).balance, total, "market holds only the refund");
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
        _eq(market.owed(SELLER), total - p.deposit, "fee credited to the seller at receipt time");
        _eq(_phase(testId), uint256(ITestDrives.TestPhase.Evaluated), "evaluated phase");
        _eq(market.getTest(testId).phaseStartedAt, receiptAt, "phaseStartedAt = receipt time");
        vm.warp(receiptAt + disputeDelay);
        if (disputeDelay >= p.disputeWindow) {
            ITestDrives.Groth16Proof memory proof = _claimProof(testId, 100);
            uint256 value = _claimValue(testId);
            vm.deal(BUYER, value);
            vm.expectRevert(
                abi.encodeWithSelector(
                    ITestDrives.TestDrivesInvalidStatus.selector, testId, ITestDrives.TestStatus.Forfeitable
                )
            );
            vm.prank(BUYER);
            refundDisputes.claimRefund{value: value}(testId, 100, PREDICTIONS, _hb(), proof);
            vm.prank(MALLORY);
            market.forfeitDeposit(testId);
            _eq(market.owed(SELLER), total, "fee (at receipt) plus deposit (at forfeit) to the seller");
            _eq(_phase(testId), uint256(ITestDrives.TestPhase.Forfeited), "forfeited phase");
            _eq(market.owed(BUYER), 0, "nothing for the buyer");
        } else {
            vm.expectRevert(
                abi.encodeWithSelector(
                    ITestDrives.TestDrivesInvalidStatus.selector, testId, ITestDrives.TestStatus.Evaluated
                )
            );
            market.forfeitDeposit(testId);
            _refund(testId);
            _eq(market.owed(BUYER), p.deposit, "the deposit back to the buyer");
            _eq(market.owed(SELLER), total - p.deposit + _freeSamplesFee(p, samples), "every sample's fee to the seller");
        }
        _eq(address(market).balance, market.owed(SELLER) + market.owed(BUYER), "market holds only what it owes");
    }

    // ------------------------------------------------------------------ fee paid at receipt time

    /// Who records the receipt decides how the fee reaches the seller: sent directly when the
    /// seller itself records it, credited otherwise (worker, or anyone relaying a signature).
    struct ReceiptCase {
        uint8 how;
        address worker;
        uint256 testId;
        uint256 fee;
        bytes32 resultHash;
    }

    function testFuzz_feePaidToTheSellerWhenTheReceiptIsRecorded(uint8 how, uint32 samples, address relayer, uint256 workerKey)
        public
    {
        vm.assume(_validActor(relayer) && relayer != BUYER && relayer != SELLER);
        ReceiptCase memory c;
        c.how = how % 4;
        samples = uint32(_bound(samples, 10, 1_000));
        workerKey = _bound(workerKey, 1, 2 ** 128);
        c.worker = vm.addr(workerKey);
        vm.assume(c.worker != SELLER && c.worker != BUYER && c.worker != relayer);
        IModelRegistry.ListingOffer memory offer = _offer(IModelRegistry.SaleMode.FixedPrice, 1 ether);
        offer.workerSigner = c.worker;
        uint256 listingId = _listAs(SELLER, _terms(_policy(), _task(), 9_000), offer);
        c.testId = _openTest(BUYER, listingId, samples);
        c.fee = _fee(_policy(), samples);
        c.resultHash = keccak256(abi.encode("result", samples));
        uint256 sellerBefore = SELLER.balance;

        vm.recordLogs();
        if (c.how == 0) {
            vm.prank(SELLER);
            market.recordReceipt(c.testId, c.resultHash);
        } else if (c.how == 1) {
            vm.prank(c.worker);
            market.recordReceipt(c.testId, c.resultHash);
        } else {
            // The worker's signature relayed by a third party (2) or by the seller itself (3).
            bytes memory sig = _signReceipt(workerKey, c.testId, c.resultHash);
            vm.prank(c.how == 2 ? relayer : SELLER);
            market.recordSignedReceipt(c.testId, c.resultHash, sig);
        }
        bool direct = c.how == 0 || c.how == 3;
        _eq(SELLER.balance - sellerBefore, direct ? c.fee : 0, "fee sent directly iff the seller is the caller");
        _eq(market.owed(SELLER), direct ? 0 : c.fee, "fee credited otherwise");
        _eq(address(market).balance, 1 ether + market.owed(SELLER), "market holds the deposit and the credit");
        _checkReceiptLogs(c, direct);
        _eq(_phase(c.testId), uint256(ITestDrives.TestPhase.Evaluated), "phase");
        _eq(market.getTest(c.testId).phaseStartedAt, block.timestamp, "phaseStartedAt");
    }

    function _checkReceiptLogs(ReceiptCase memory c, bool direct) private {
        Vm.Log[] memory all = vm.getRecordedLogs();
        uint256 receipts;
        uint256 credits;
        for (uint256 i = 0; i < all.length; ++i) {
            if (all[i].emitter != address(market)) continue;
            bytes32 topic = all[i].topics[0];
            if (topic == ITestDrives.ReceiptRecorded.selector) {
                ++receipts;
                (bytes32 h, uint256 feePaid) = abi.decode(all[i].data, (bytes32, uint256));
                _eq(h, c.resultHash, "ReceiptRecorded resultHash");
                _eq(feePaid, c.fee, "ReceiptRecorded feePaid");
                _eq(address(uint160(uint256(all[i].topics[2]))), c.how == 0 ? SELLER : c.worker, "ReceiptRecorded worker");
            } else if (topic == IMarketLedger.PaymentCredited.selector) {
                ++credits;
            } else if (topic == IMarketLedger.PaymentWithdrawn.selector) {
                revert("PaymentWithdrawn emitted by a receipt");
            }
        }
        _eq(receipts, 1, "one ReceiptRecorded");
        _eq(credits, direct || c.fee == 0 ? 0 : 1, "PaymentCredited only for a credit (no ledger event on a direct payment)");
    }

    /// After a refund of an evaluated test, the seller keeps the fee and is paid the free
    /// samples' fee that the buyer's claim staked, and the deposit goes back; a refund of an unserved test
    /// returns deposit and fee; no path pays a fee twice.
    function testFuzz_feeIsPaidExactlyOnceOnEveryPath(uint8 path, uint32 samples) public {
        path = path % 4;
        samples = uint32(_bound(samples, 10, 1_000));
        IModelRegistry.TestPolicy memory p = _policy();
        uint256 listingId = _listFixed(2 ether);
        uint256 testId = _openTest(BUYER, listingId, samples);
        uint256 fee = _fee(p, samples);
        if (path == 0) {
            vm.warp(block.timestamp + p.serviceWindow);
            market.refundUnserved(testId);
            _eq(market.owed(BUYER), p.deposit + fee, "unserved: deposit + fee back");
            _eq(market.owed(SELLER), 0, "unserved: nothing to the seller");
        } else if (path == 1) {
            // Bought while the test awaits its receipt: the unpaid fee is credited at purchase.
            vm.deal(BUYER, 1 ether);
            vm.prank(BUYER);
            market.buy{value: 1 ether}(listingId, testId, 2 ether);
            _eq(market.owed(SELLER), fee, "fee credited at purchase");
            _eq(market.getTest(testId).phaseStartedAt, block.timestamp, "the opening time stays its dispute clock");
            // The worker can no longer record a receipt (the test is closed), so no second fee.
            vm.expectRevert(
                abi.encodeWithSelector(ITestDrives.TestDrivesInvalidStatus.selector, testId, ITestDrives.TestStatus.Closed)
            );
            vm.prank(WORKER);
            market.recordReceipt(testId, bytes32(uint256(1)));
        } else {
            _receipt(testId);
            if (path == 2) {
                _refund(testId); // the buyer paid F with its claim
                _eq(market.owed(BUYER), p.deposit, "refund: the deposit");
            } else {
                vm.warp(block.timestamp + p.disputeWindow);
                market.forfeitDeposit(testId);
                _eq(market.owed(BUYER), 0, "forfeit: nothing to the buyer");
            }
            _eq(
                market.owed(SELLER),
                fee + (path == 3 ? p.deposit : _freeSamplesFee(p, samples)),
                "seller: every sample's fee once (plus a forfeited deposit)"
            );
        }
        _eq(
            address(market).balance,
            market.owed(BUYER) + market.owed(SELLER) + (path == 1 ? 2 ether : 0),
            "market holds exactly what it owes (and the escrowed price)"
        );
    }

    // ------------------------------------------------------------------ past 2106 (uint40 timestamps)

    /// Test-drives keep their deadlines past 2**32 seconds: phaseStartedAt is a uint40.
    function testFuzz_testDrivesKeepWorkingPast2106(uint40 start, uint32 samples, bool refund) public {
        uint256 t0 = _bound(start, uint256(type(uint32).max) - 2 hours, uint256(type(uint40).max) - 4 * 86_400);
        samples = uint32(_bound(samples, 10, 1_000));
        IModelRegistry.TestPolicy memory p = _policy();
        uint256 listingId = _listFixed(1 ether);
        vm.warp(t0);
        uint256 testId = _openTest(BUYER, listingId, samples);
        _eq(market.getTest(testId).phaseStartedAt, t0, "opened at, no wrap");
        _eq(uint256(market.testStatus(testId)), uint256(ITestDrives.TestStatus.AwaitingReceipt), "awaiting");
        vm.warp(t0 + p.serviceWindow - 1);
        _receipt(testId);
        uint256 receiptAt = block.timestamp;
        _eq(market.getTest(testId).phaseStartedAt, receiptAt, "receipt at, no wrap");
        _eq(uint256(market.testStatus(testId)), uint256(ITestDrives.TestStatus.Evaluated), "evaluated");
        vm.warp(receiptAt + p.disputeWindow - 1);
        _eq(uint256(market.testStatus(testId)), uint256(ITestDrives.TestStatus.Evaluated), "still evaluated");
        if (refund) {
            _refund(testId);
            _eq(market.owed(BUYER), p.deposit, "refund");
        } else {
            vm.warp(receiptAt + p.disputeWindow);
            _eq(uint256(market.testStatus(testId)), uint256(ITestDrives.TestStatus.Forfeitable), "forfeitable");
            market.forfeitDeposit(testId);
            _eq(market.owed(SELLER), p.deposit + _fee(p, samples), "forfeit");
        }
        _eq(market.getTest(testId).phaseStartedAt, block.timestamp, "closed at, no wrap");
    }
}
