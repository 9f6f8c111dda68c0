// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {IRefundDisputes} from "../interfaces/IRefundDisputes.sol";
import {ITestDrives} from "../interfaces/ITestDrives.sol";
import {RefundDisputes} from "./RefundDisputes.sol";
import {CONTEST_WINDOW, PROVE_WINDOW} from "../test-utils/DisputeFixtures.sol";
import {RefundDisputesTestBase} from "../test-utils/RefundDisputesTestBase.sol";
import {vm} from "../test-utils/Vm.sol";

/**
 * @notice The refund dispute (docs/DISPUTES.md §4, §7) against the stand-in verifier, whose
 * proofs are bound to the exact public signals: every step's checks, every window, every
 * payout of §4's table, and the ether the dispute holds. The fixtures (the contestable
 * listing, stand-in proofs, signal references, steps and payout checks) live in
 * {RefundDisputesTestBase}.
 */
contract RefundDisputesTest is RefundDisputesTestBase {
    // ---------------------------------------------------------------- claim

    function testFuzz_claimHoldsTheDepositAndTheStakes(uint16 s, uint32 samples) public {
        s = uint16(_bound(s, 1, CLAIM_BPS));
        samples = uint32(_bound(samples, 32, 1_000));
        uint256 testId = _evaluated(BUYER, listingId, samples);
        uint256 sellerBefore = market.owed(SELLER);
        _claim(testId, s);
        _eq(uint256(market.testStatus(testId)), uint256(ITestDrives.TestStatus.Disputed), "test is disputed");
        IRefundDisputes.Dispute memory d = disputes.getDispute(testId);
        _eq(uint256(d.phase), uint256(IRefundDisputes.DisputePhase.Claimed), "claimed");
        _eq(d.shortfallBps, s, "shortfall stored");
        _eq(d.buyer, BUYER, "buyer stored");
        _eq(market.owed(SELLER), sellerBefore, "nothing paid yet");
        _ledgerHolds(1 ether, BUYER_BOND + _freeFee(samples));
    }

    function test_claimChecksWhoWhatAndHowMuch() public {
        uint256 testId = _evaluated(BUYER, listingId, SAMPLES);
        ITestDrives.Groth16Proof memory proof = _claimProof(testId, 500);
        bytes32 hb = _hb();
        uint256 value = BUYER_BOND + _freeFee(SAMPLES);
        vm.deal(MALLORY, 10 ether);
        vm.deal(BUYER, 10 ether);

        vm.prank(MALLORY);
        vm.expectRevert(abi.encodeWithSelector(IRefundDisputes.RefundDisputesNotBuyer.selector, testId, MALLORY));
        disputes.claimRefund{value: value}(testId, 500, PREDICTIONS, hb, proof);

        vm.startPrank(BUYER);
        vm.expectRevert(abi.encodeWithSelector(IRefundDisputes.RefundDisputesInvalidShortfall.selector, 0, CLAIM_BPS));
        disputes.claimRefund{value: value}(testId, 0, PREDICTIONS, hb, proof);
        vm.expectRevert(
            abi.encodeWithSelector(IRefundDisputes.RefundDisputesInvalidShortfall.selector, CLAIM_BPS + 1, CLAIM_BPS)
        );
        disputes.claimRefund{value: value}(testId, CLAIM_BPS + 1, PREDICTIONS, hb, proof);
        vm.expectRevert(IRefundDisputes.RefundDisputesInvalidCommitment.selector);
        disputes.claimRefund{value: value}(testId, 500, bytes32(0), hb, proof);
        vm.expectRevert(IRefundDisputes.RefundDisputesInvalidCommitment.selector);
        disputes.claimRefund{value: value}(testId, 500, bytes32(FIELD), hb, proof);
        vm.expectRevert(IRefundDisputes.RefundDisputesInvalidCommitment.selector);
        disputes.claimRefund{value: value}(testId, 500, PREDICTIONS, bytes32(0), proof);
        vm.expectRevert(abi.encodeWithSelector(IRefundDisputes.RefundDisputesIncorrectPayment.selector, value - 1, value));
        disputes.claimRefund{value: value - 1}(testId, 500, PREDICTIONS, hb, proof);
        // The proof binds the shortfall and the prediction commitment.
        _expectInvalidProof(testId);
        disputes.claimRefund{value: value}(testId, 501, PREDICTIONS, hb, proof);
        _expectInvalidProof(testId);
        disputes.claimRefund{value: value}(testId, 500, bytes32(uint256(PREDICTIONS) + 1), hb, proof);
        // A non-canonical encoding of the same proof is refused before the verifier.
        ITestDrives.Groth16Proof memory bent = _claimProof(testId, 500);
        bent.a[1] = 21888242871839275222246405745257275088696311157297823662689037894645226208583;
        _expectInvalidProof(testId);
        disputes.claimRefund{value: value}(testId, 500, PREDICTIONS, hb, bent);

        disputes.claimRefund{value: value}(testId, 500, PREDICTIONS, hb, proof);
        _expectInvalidPhase(testId, IRefundDisputes.DisputePhase.Claimed);
        disputes.claimRefund{value: value}(testId, 500, PREDICTIONS, hb, proof);
        vm.stopPrank();
    }

    function test_claimNeedsAnEvaluatedTestInItsDisputeWindow() public {
        uint256 testId = _openTest(BUYER, listingId, SAMPLES);
        ITestDrives.Groth16Proof memory proof = _claimProof(testId, 500);
        _expectClaimRevert(
            testId,
            500,
            proof,
            abi.encodeWithSelector(
                ITestDrives.TestDrivesInvalidStatus.selector, testId, ITestDrives.TestStatus.AwaitingReceipt
            )
        );
        _receipt(testId);
        vm.warp(block.timestamp + 86_400);
        _expectClaimRevert(
            testId,
            500,
            proof,
            abi.encodeWithSelector(ITestDrives.TestDrivesInvalidStatus.selector, testId, ITestDrives.TestStatus.Forfeitable)
        );
    }

    function test_aDisputedDepositCannotBeForfeitedSpentOrRefundedTwice() public {
        uint256 testId = _evaluated(BUYER, listingId, SAMPLES);
        _claim(testId, 500);
        vm.warp(block.timestamp + 86_400); // past the test's own dispute window
        _expectInvalidStatus(testId, ITestDrives.TestStatus.Disputed);
        market.forfeitDeposit(testId);
        vm.deal(BUYER, 10 ether);
        vm.prank(BUYER);
        _expectInvalidStatus(testId, ITestDrives.TestStatus.Disputed);
        market.buy{value: 4 ether}(listingId, testId, 5 ether);
        ITestDrives.Groth16Proof memory again = _claimProof(testId, 500);
        uint256 value = _claimValue(testId);
        vm.prank(BUYER);
        _expectInvalidPhase(testId, IRefundDisputes.DisputePhase.Claimed);
        disputes.claimRefund{value: value}(testId, 500, PREDICTIONS, _hb(), again);
    }

    function test_onlyTheDisputesContractLocksAndSettles() public {
        uint256 testId = _evaluated(BUYER, listingId, SAMPLES);
        vm.prank(BUYER);
        vm.expectRevert(abi.encodeWithSelector(ITestDrives.TestDrivesNotRefundDisputes.selector, BUYER));
        market.lockForDispute(testId);
        vm.deal(SELLER, 1 ether);
        vm.prank(SELLER);
        vm.expectRevert(abi.encodeWithSelector(ITestDrives.TestDrivesNotRefundDisputes.selector, SELLER));
        market.settleDispute{value: 0}(testId, false, 0, 0, 0);
    }

    // ---------------------------------------------------------------- uncontested

    function testFuzz_anUncontestedClaimRefundsTheGradedShareAfterTheContestWindow(uint16 s) public {
        s = uint16(_bound(s, 1, CLAIM_BPS));
        uint256 testId = _evaluated(BUYER, listingId, SAMPLES);
        uint256 sellerBefore = market.owed(SELLER);
        _claim(testId, s);
        vm.warp(block.timestamp + CONTEST_WINDOW - 1);
        _expectCloseRefused(testId, IRefundDisputes.DisputePhase.Claimed);
        vm.warp(block.timestamp + 1);
        vm.deal(SELLER, 1 ether);
        vm.prank(SELLER);
        _expectInvalidPhase(testId, IRefundDisputes.DisputePhase.Claimed);
        disputes.contest{value: SELLER_BOND}(testId, SELLER_SECRET);

        vm.prank(MALLORY); // anyone may close
        disputes.closeDispute(testId);
        _expectBuyerWonPayouts(sellerBefore, s, false);
        _eq(_phase(testId), uint256(ITestDrives.TestPhase.Refunded), "refunded");
        _eq(uint256(disputes.getDispute(testId).phase), uint256(IRefundDisputes.DisputePhase.BuyerWon), "buyer won");
        _ledgerHolds(0, 0);
        _expectCloseRefused(testId, IRefundDisputes.DisputePhase.BuyerWon);
    }

    function test_aListingWithoutAPlanCannotBeContested() public {
        uint256 plain = _listFixed(5 ether);
        uint256 testId = _evaluated(BUYER, plain, 150);
        _claim(testId, 100);
        vm.deal(SELLER, 1 ether);
        vm.prank(SELLER);
        vm.expectRevert(abi.encodeWithSelector(IRefundDisputes.RefundDisputesNotContestable.selector, testId));
        disputes.contest{value: 0}(testId, SELLER_SECRET);
        // All or nothing (w = 1 bps), no bonds: the whole deposit less the free samples' fee.
        vm.warp(block.timestamp + CONTEST_WINDOW);
        disputes.closeDispute(testId);
        _eq(market.owed(BUYER), 1 ether, "buyer: the whole deposit");
    }

    function test_aPlanShapeNoCircuitProvesCannotBeContested() public {
        uint256 wide = _listContestable(IModelRegistry.PlanFamily.SquareMlp, 5, 3); // SquareMlp(4, ·, 3) only
        uint256 testId = _evaluated(BUYER, wide, SAMPLES);
        _claim(testId, 100);
        vm.deal(SELLER, 1 ether);
        vm.prank(SELLER);
        vm.expectRevert(abi.encodeWithSelector(IRefundDisputes.RefundDisputesNotContestable.selector, testId));
        disputes.contest{value: SELLER_BOND}(testId, SELLER_SECRET);
        _eq(disputes.contestCircuitFor(wide).verifier, address(0), "no circuit reported");
        _eq(disputes.contestCircuitFor(listingId).features, 4, "Linear(4, 3) reported");
    }

    // ---------------------------------------------------------------- contest

    function test_contestChecksWhoHowMuchAndTheSecret() public {
        uint256 testId = _evaluated(BUYER, listingId, SAMPLES);
        _claim(testId, 500);
        vm.deal(MALLORY, 1 ether);
        vm.prank(MALLORY);
        vm.expectRevert(abi.encodeWithSelector(IRefundDisputes.RefundDisputesNotSeller.selector, testId, MALLORY));
        disputes.contest{value: SELLER_BOND}(testId, SELLER_SECRET);
        vm.deal(SELLER, 1 ether);
        vm.startPrank(SELLER);
        vm.expectRevert(IRefundDisputes.RefundDisputesInvalidCommitment.selector);
        disputes.contest{value: SELLER_BOND}(testId, bytes32(0));
        vm.expectRevert(
            abi.encodeWithSelector(IRefundDisputes.RefundDisputesIncorrectPayment.selector, SELLER_BOND + 1, SELLER_BOND)
        );
        disputes.contest{value: SELLER_BOND + 1}(testId, SELLER_SECRET);
        vm.stopPrank();
        // The worker signer may contest for the seller.
        vm.deal(WORKER, 1 ether);
        vm.prank(WORKER);
        disputes.contest{value: SELLER_BOND}(testId, SELLER_SECRET);
        _eq(disputes.getDispute(testId).sellerSecret, SELLER_SECRET, "secret stored");
    }

    function test_aBuyerThatNeverOpensLosesItsBondAndTheSellerGetsWhatAWalkAwayPays() public {
        (uint256 testId, uint256 sellerBefore) = _contested(listingId, 900);
        _expectLateOpeningRefused(testId, 900);
        disputes.closeDispute(testId);
        _expectSellerWonPayouts(sellerBefore);
        _eq(_phase(testId), uint256(ITestDrives.TestPhase.RefundRejected), "rejected");
        _ledgerHolds(0, 0);
    }

    // ---------------------------------------------------------------- open

    function test_openingChecksTheSecretTheShapeAndTheProof() public {
        (uint256 testId,) = _contested(listingId, 900);
        IRefundDisputes.Opening memory o = _opening(testId, 1);
        ITestDrives.Groth16Proof memory proof = _openProof(testId, o, 900);

        IRefundDisputes.Opening memory bad = _opening(testId, 1);
        bad.buyerSecret = keccak256("guess");
        vm.expectRevert(abi.encodeWithSelector(IRefundDisputes.RefundDisputesWrongSecret.selector, testId));
        _openAsBuyer(testId, bad, proof);

        bad = _opening(testId, 1);
        bad.samples[3].index = bad.samples[3].index == 0 ? 1 : 0; // not the drawn index
        _expectMalformed(testId, bad, proof);
        bad = _opening(testId, 1);
        bad.samples[0].prediction = 2; // not the posted prediction
        _expectMalformed(testId, bad, proof);
        bad = _opening(testId, 1);
        bad.samples[5].features = abi.encodePacked(uint16(1), uint16(2), uint16(3)); // 3 of 4 features
        _expectMalformed(testId, bad, proof);
        bad = _opening(testId, 1);
        bad.samples[2].sigma = FIELD;
        _expectMalformed(testId, bad, proof);
        bad = _opening(testId, 1);
        bad.samples[2].siblings[9] = FIELD;
        _expectMalformed(testId, bad, proof);
        bad = _opening(testId, 1);
        bad.featuresRoot = FIELD;
        _expectMalformed(testId, bad, proof);

        // The proof binds labels, predictions and D.
        bad = _opening(testId, 1);
        bad.labels[0] = 2;
        _expectInvalidProof(testId);
        _openAsBuyer(testId, bad, proof);

        vm.prank(MALLORY); // only the buyer may post its opening
        vm.expectRevert(abi.encodeWithSelector(IRefundDisputes.RefundDisputesNotBuyer.selector, testId, MALLORY));
        disputes.openSamples(testId, o, proof);
        _openAsBuyer(testId, o, proof);
        IRefundDisputes.Dispute memory d = disputes.getDispute(testId);
        _eq(uint256(d.phase), uint256(IRefundDisputes.DisputePhase.Opened), "opened");
        _eq(d.featuresRoot, o.featuresRoot, "D stored");
        _eq(d.openedHash, keccak256(abi.encode(_slotHashes(o))), "slot hashes stored");
    }

    function testFuzz_indicesAreDistinctBelowNAndAsManyAsTheSlots(bytes32 b, bytes32 s, uint32 samples) public {
        samples = uint32(_bound(samples, 32, 1_000));
        uint256 testId = _evaluated(BUYER, listingId, samples);
        uint16[] memory indices = disputes.challengeIndices(testId, b, s);
        _eq(indices.length, 16, "k_eff = 16");
        for (uint256 i; i < 16; ++i) {
            _true(indices[i] < samples, "index below n");
            for (uint256 j; j < i; ++j) _true(indices[i] != indices[j], "distinct");
        }
    }

    function test_anOpenedPredictionOutsideTheClassesLosesAtOnce() public {
        (uint256 testId,) = _contested(listingId, 900);
        _open(testId, _opening(testId, 3), 900); // classCount is 3
        _eq(uint256(disputes.getDispute(testId).phase), uint256(IRefundDisputes.DisputePhase.SellerWon), "seller won");
        _eq(market.owed(market.PENALTY_SINK()), BUYER_BOND, "B_b burned");
        _ledgerHolds(0, 0);
    }

    function test_openedSamplesNobodyDisprovesRefundTheBuyerWithTheSellersBond() public {
        (uint256 testId, uint256 sellerBefore) = _contested(listingId, 300);
        _open(testId, _opening(testId, 1), 300);
        vm.warp(block.timestamp + PROVE_WINDOW - 1);
        _expectCloseRefused(testId, IRefundDisputes.DisputePhase.Opened);
        vm.warp(block.timestamp + 1);
        disputes.closeDispute(testId);
        _expectBuyerWonPayouts(sellerBefore, 300, true);
        _ledgerHolds(0, 0);
    }

    // ---------------------------------------------------------------- prove

    function test_aProvenMismatchWinsForTheSeller() public {
        (uint256 testId, uint256 sellerBefore) = _contested(listingId, 900);
        IRefundDisputes.Opening memory o = _opening(testId, 1);
        _open(testId, o, 900);
        bytes32[] memory hashes = _slotHashes(o);
        IRefundDisputes.OpenedSample memory x = o.samples[7];
        ITestDrives.Groth16Proof memory proof = _contestProof(x, o.featuresRoot, 2, false);

        // Wrong class, or the same proof claimed as an invalid opening, fails.
        _expectInvalidProof(testId);
        disputes.proveMismatch(testId, x, hashes, 0, IRefundDisputes.DisputeEnd.Mismatch, proof);
        _expectInvalidProof(testId);
        disputes.proveMismatch(testId, x, hashes, 2, IRefundDisputes.DisputeEnd.InvalidOpening, proof);
        _expectInvalidProof(testId);
        disputes.proveMismatch(testId, x, hashes, 2, IRefundDisputes.DisputeEnd.Uncontested, proof);
        // A sample that was not opened, or altered, is unknown.
        IRefundDisputes.OpenedSample memory forged = _opening(testId, 1).samples[7];
        forged.features = abi.encodePacked(uint16(9), uint16(9), uint16(9), uint16(9));
        ITestDrives.Groth16Proof memory forgedProof = _contestProof(forged, o.featuresRoot, 2, false);
        _expectUnknownSample(testId);
        disputes.proveMismatch(testId, forged, hashes, 2, IRefundDisputes.DisputeEnd.Mismatch, forgedProof);
        bytes32[] memory other = _slotHashes(o);
        other[0] = keccak256("another sample");
        _expectUnknownSample(testId);
        disputes.proveMismatch(testId, x, other, 2, IRefundDisputes.DisputeEnd.Mismatch, proof);

        vm.prank(MALLORY); // anyone may submit the seller's proof
        disputes.proveMismatch(testId, x, hashes, 2, IRefundDisputes.DisputeEnd.Mismatch, proof);
        _expectSellerWonPayouts(sellerBefore);
        _ledgerHolds(0, 0);
    }

    function test_anInvalidOpeningProofWinsForTheSeller() public {
        (uint256 testId,) = _contested(listingId, 900);
        IRefundDisputes.Opening memory o = _opening(testId, 1);
        _open(testId, o, 900);
        IRefundDisputes.OpenedSample memory x = o.samples[0];
        disputes.proveMismatch(
            testId,
            x,
            _slotHashes(o),
            0,
            IRefundDisputes.DisputeEnd.InvalidOpening,
            _contestProof(x, o.featuresRoot, 0, true)
        );
        _eq(_phase(testId), uint256(ITestDrives.TestPhase.RefundRejected), "rejected");
    }

    function test_aProofAfterTheProveWindowIsTooLate() public {
        (uint256 testId,) = _contested(listingId, 900);
        IRefundDisputes.Opening memory o = _opening(testId, 1);
        _open(testId, o, 900);
        vm.warp(block.timestamp + PROVE_WINDOW);
        IRefundDisputes.OpenedSample memory x = o.samples[7];
        ITestDrives.Groth16Proof memory proof = _contestProof(x, o.featuresRoot, 2, false);
        bytes32[] memory hashes = _slotHashes(o);
        _expectInvalidPhase(testId, IRefundDisputes.DisputePhase.Opened);
        disputes.proveMismatch(testId, x, hashes, 2, IRefundDisputes.DisputeEnd.Mismatch, proof);
    }

    // ---------------------------------------------------------------- registry

    /// A worker's receipt names the plan it evaluated by reference (DISPUTES.md §3.1): the signed
    /// receipt covers the test id in the market's domain, the test its listing, and the listing's
    /// plan commitment cannot change, whatever the seller does to the offer or the worker.
    function test_aListingsPlanCommitmentIsFixedForItsLife() public {
        uint256 listing = _listContestable(IModelRegistry.PlanFamily.Linear, 4, 3);
        IModelRegistry.DisputePolicy memory listed = registry.disputePolicy(listing);
        IModelRegistry.ListingOffer memory offer = _offer(IModelRegistry.SaleMode.FixedPrice, 7 ether);
        offer.workerSigner = MALLORY;
        vm.startPrank(SELLER);
        registry.updateOffer(listing, offer);
        registry.pause(listing);
        registry.unpause(listing);
        vm.stopPrank();
        IModelRegistry.DisputePolicy memory now_ = registry.disputePolicy(listing);
        _eq(now_.planCommitment, listed.planCommitment, "plan commitment");
        _eq(uint256(now_.planFamily), uint256(listed.planFamily), "plan family");
        _eq(now_.contestToleranceQ, listed.contestToleranceQ, "tolerance");
        (, address workerSigner) = registry.workerOf(listing);
        _eq(workerSigner, MALLORY, "the offer did change");
    }

    function test_registryRefusesUnusableDisputePolicies() public {
        IModelRegistry.ListingTerms memory terms = _contestableTerms(IModelRegistry.PlanFamily.Linear, 4, 3);
        IModelRegistry.ListingOffer memory offer = _offer(IModelRegistry.SaleMode.FixedPrice, 1 ether);

        IModelRegistry.DisputePolicy[9] memory bad;
        for (uint256 i; i < bad.length; ++i) bad[i] = _contestablePolicy(IModelRegistry.PlanFamily.Linear);
        bad[0].refundSlopeBps = 0;
        bad[1].refundSlopeBps = 10_001;
        bad[2].planCommitment = bytes32(0);
        bad[3].planCommitment = bytes32(FIELD);
        bad[4].buyerBond = 0;
        bad[5].sellerBond = 0;
        bad[6].planFamily = IModelRegistry.PlanFamily.None; // a plan, bonds and τ without contests
        bad[7] = _contestablePolicy(IModelRegistry.PlanFamily.None);
        bad[7].planCommitment = bytes32(0);
        bad[7].buyerBond = 0;
        bad[7].sellerBond = 0; // τ alone
        bad[8] = bad[7];
        bad[8].contestToleranceQ = 0;
        bad[8].buyerBond = 1; // a bond alone
        for (uint256 i; i < bad.length; ++i) {
            terms.disputePolicy = bad[i];
            vm.prank(SELLER);
            vm.expectRevert(IModelRegistry.ModelRegistryInvalidDisputePolicy.selector);
            registry.list(terms, offer);
        }

        terms.disputePolicy = _contestablePolicy(IModelRegistry.PlanFamily.Linear);
        for (uint256 i; i < 3; ++i) {
            // A fresh copy each time: memory structs alias.
            IModelRegistry.ListingTerms memory shape = _contestableTerms(IModelRegistry.PlanFamily.Linear, 4, 3);
            if (i == 0) shape.testPolicy.minSamples = 31; // a contest would open more than half
            if (i == 1) shape.testPolicy.maxSamples = 1_025; // beyond the features tree
            if (i == 2) shape.task.featureBits = 17; // wider than the contest circuits' lanes
            vm.prank(SELLER);
            vm.expectRevert(IModelRegistry.ModelRegistryInvalidDisputePolicy.selector);
            registry.list(shape, offer);
        }
        vm.prank(SELLER);
        uint256 id = registry.list(terms, offer);
        _eq(registry.disputePolicy(id).planCommitment, bytes32(PLAN), "policy stored");
        _eq(registry.getListing(id).terms.disputePolicy.sellerBond, SELLER_BOND, "policy in the listing");
    }

    // ---------------------------------------------------------------- construction

    function test_theDisputesContractRefusesUnusableConfigs() public {
        IRefundDisputes.Config memory c;
        vm.expectRevert(IRefundDisputes.RefundDisputesBadConfig.selector);
        new RefundDisputes(ITestDrives(address(market)), registry, c); // no sample circuit
        c.sampleCircuits = new IRefundDisputes.SampleCircuits[](1);
        c.sampleCircuits[0] = IRefundDisputes.SampleCircuits(256, address(anyVerifier), address(0xdead));
        (c.contestWindow, c.openWindow, c.proveWindow) = (1, 1, 1);
        vm.expectRevert(IRefundDisputes.RefundDisputesBadConfig.selector);
        new RefundDisputes(ITestDrives(address(market)), registry, c); // a verifier without code
        c.sampleCircuits[0].openVerifier = address(anyVerifier);
        c.proveWindow = 31 days;
        vm.expectRevert(IRefundDisputes.RefundDisputesBadConfig.selector);
        new RefundDisputes(ITestDrives(address(market)), registry, c); // a window too long
        c.proveWindow = 1;
        c.contestCircuits = new IRefundDisputes.ContestCircuit[](1);
        c.contestCircuits[0] = IRefundDisputes.ContestCircuit(IModelRegistry.PlanFamily.None, 4, 3, address(anyVerifier));
        vm.expectRevert(IRefundDisputes.RefundDisputesBadConfig.selector);
        new RefundDisputes(ITestDrives(address(market)), registry, c); // a contest circuit of no family
        c.contestCircuits[0].family = IModelRegistry.PlanFamily.Linear;
        _eq(new RefundDisputes(ITestDrives(address(market)), registry, c).maxSampleCount(), 256, "usable");
    }

    function test_sampleCircuitsForNamesTheSmallestSizeHoldingTheSamples() public {
        _eq(disputes.sampleCircuitsFor(1).maxSamples, 256, "1 sample: 256");
        _eq(disputes.sampleCircuitsFor(256).maxSamples, 256, "256 samples: 256");
        _eq(disputes.sampleCircuitsFor(257).maxSamples, 65_535, "257 samples: 65,535");
        vm.expectRevert(abi.encodeWithSelector(IRefundDisputes.RefundDisputesNotDisputable.selector, 0, 65_536));
        disputes.sampleCircuitsFor(65_536);
    }
}
