// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ModelMarket} from "../ModelMarket.sol";
import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {IRefundDisputes} from "../interfaces/IRefundDisputes.sol";
import {ISealedBidAuctions} from "../interfaces/ISealedBidAuctions.sol";
import {ITestDrives} from "../interfaces/ITestDrives.sol";
import {ReentrantAttacker} from "../mocks/attackers/ReentrantAttacker.sol";
import {ForcedEtherSender} from "../mocks/attackers/ForcedEtherSender.sol";
import {CONTEST_WINDOW, OPEN_WINDOW, PROVE_WINDOW, standInDisputesConfig} from "../test-utils/DisputeFixtures.sol";
import {RefundDisputesTestBase} from "../test-utils/RefundDisputesTestBase.sol";
import {vm} from "../test-utils/Vm.sol";
import {RefundDisputes} from "./RefundDisputes.sol";

/**
 * @notice An attacker's review of the refund dispute (docs/DISPUTES.md §4, §7, "As built"):
 * `RefundDisputes`, the market's `lockForDispute`/`settleDispute`, the registry's
 * `DisputePolicy` and `Groth16Call`, against the stand-in verifier (proofs bound to their exact
 * public signals, so a stand-in proof exists exactly where the real statement's public signals
 * are the ones the contract builds). The fixtures shared with `RefundDisputesTest` (the
 * contestable listing, stand-in proofs, signal references, steps, payees and the ledger check)
 * live in {RefundDisputesTestBase}; the reference index draw and the tampered features are this
 * file's own.
 *
 * `test_attack_*` tests show an attack that SUCCEEDS today: each asserts the bad outcome and
 * explains it in a "FINDING:" comment, so it can be flipped into a refusal once fixed. Every
 * other test documents an attack that is correctly refused.
 */
contract RefundDisputesAttacksTest is RefundDisputesTestBase {
    // ================================================================ fixtures

    /// @notice Reference of the index draw (sdk/src/testDrives/challengeIndices.ts).
    function _refIndices(address m, uint256 testId, uint256 n, bytes32 b, bytes32 s)
        internal
        view
        returns (uint16[] memory)
    {
        return _refIndicesOn(block.chainid, m, testId, n, b, s);
    }

    function _refIndicesOn(uint256 chainId, address m, uint256 testId, uint256 n, bytes32 b, bytes32 s)
        internal
        pure
        returns (uint16[] memory out)
    {
        bytes32 seed = keccak256(abi.encode(b, s, chainId, m, testId));
        uint256 k = n < 16 ? n : 16;
        out = new uint16[](k);
        uint256 found;
        for (uint256 t; found < k; ++t) {
            require(t < 4096, "reference: MAX_DRAWS");
            uint256 index = uint256(keccak256(abi.encode(seed, t))) % n;
            bool taken;
            for (uint256 i; i < found; ++i) if (out[i] == index) taken = true;
            if (!taken) out[found++] = uint16(index);
        }
    }

    function _tamperedFeatures(uint256 features) internal pure returns (bytes memory f) {
        f = new bytes(2 * features);
        for (uint256 i; i < f.length; ++i) f[i] = 0x0F;
    }

    // ================================================================ FINDINGS (succeed today)

    /// Fixed (was critical): a copy of the buyer's pending `openSamples` with one sample's
    /// features, σ or sibling altered would have landed first and been proven an "invalid
    /// opening", burning an honest buyer's bond (the Open proof binds labels and predictions,
    /// not the per-sample data). Only the buyer may open now, so neither the seller nor a third
    /// party can post a tampered copy, and the buyer's own opening stands.
    function test_onlyTheBuyerMayOpenSoNoTamperedCopyCanFrontRunIt() public {
        (uint256 testId,) = _contested(listingId, 900);
        IRefundDisputes.Opening memory honest = _opening(testId, 1);
        ITestDrives.Groth16Proof memory proof = _openProof(testId, honest, 900);

        IRefundDisputes.Opening memory tampered = _opening(testId, 1);
        tampered.samples[5].features = _tamperedFeatures(4);
        vm.prank(SELLER);
        vm.expectRevert(abi.encodeWithSelector(IRefundDisputes.RefundDisputesNotBuyer.selector, testId, SELLER));
        disputes.openSamples(testId, tampered, proof);
        IRefundDisputes.Opening memory resalted = _opening(testId, 1);
        resalted.samples[0].sigma = 424242;
        vm.prank(MALLORY);
        vm.expectRevert(abi.encodeWithSelector(IRefundDisputes.RefundDisputesNotBuyer.selector, testId, MALLORY));
        disputes.openSamples(testId, resalted, proof);

        _openAsBuyer(testId, honest, proof);
        _eq(disputes.getDispute(testId).openedHash, keccak256(abi.encode(_slotHashes(honest))), "the buyer's opening stands");
    }

    /// Fixed (was medium): `openTest` once bounded the sample count by another verifier only, so
    /// a test the refund circuits cannot hold opened and paid. It is bounded by the refund circuits.
    function test_aTestAboveTheRefundCircuitsCannotOpen() public {
        IRefundDisputes.Config memory cfg = standInDisputesConfig(address(anyVerifier));
        IRefundDisputes.SampleCircuits[] memory only256 = new IRefundDisputes.SampleCircuits[](1);
        only256[0] = cfg.sampleCircuits[0];
        cfg.sampleCircuits = only256;
        ModelMarket shipped = new ModelMarket(
            IModelRegistry(address(registry)),
            ModelMarket.DeliveryWindows(DELIVERY_WINDOW, ACCEPT_WINDOW, REVEAL_WINDOW, COMPLAINT_WINDOW),
            cfg
        );
        uint256 mnist = _listContestable(IModelRegistry.PlanFamily.Linear, 784, 10);
        uint256 value = 1 ether + 400 * 0.001 ether;
        vm.deal(BUYER, value);
        vm.prank(BUYER);
        vm.expectRevert(abi.encodeWithSelector(ITestDrives.TestDrivesNotDisputable.selector, 500, 256));
        shipped.openTest{value: value}(mnist, _commitment(500), 500);
    }

    /// Not a flaw of the contracts, a seller's own choice: the registry accepts a plan family for
    /// a shape no contest circuit of this market proves (here 11 classes), and its refunds are
    /// then uncontestable, like an economics-only listing's: the buyer's bond always comes back.
    /// `contestCircuitFor` tells, and the SDK refuses to build such a policy (`bazaar list`).
    function test_aPlanShapeWithoutAContestCircuitIsRefundedLikeAnEconomicsOnlyListing() public {
        uint256 wide = _listContestable(IModelRegistry.PlanFamily.Linear, 4, 11);
        _eq(disputes.contestCircuitFor(wide).verifier, address(0), "no contest circuit for 11 classes");
        uint256 testId = _evaluated(BUYER, wide, SAMPLES);
        uint256 sellerBefore = market.owed(SELLER);
        _claim(testId, SLOPE_BPS);
        vm.deal(SELLER, 1 ether);
        vm.prank(SELLER);
        vm.expectRevert(abi.encodeWithSelector(IRefundDisputes.RefundDisputesNotContestable.selector, testId));
        disputes.contest{value: SELLER_BOND}(testId, SELLER_SECRET);
        vm.warp(block.timestamp + CONTEST_WINDOW);
        disputes.closeDispute(testId);
        _eq(market.owed(BUYER), 1 ether + BUYER_BOND, "D + B_b back");
        _eq(market.owed(SELLER) - sellerBefore, _freeFee(SAMPLES), "the seller gets F");
        _ledgerHolds(0, 0);
    }

    /// Fixed (was low): F = min(n, freeSamples)·fee was not capped, so an "all samples free"
    /// listing with a huge fee made every claim stake more than the deposit. It is capped at the
    /// deposit.
    function test_theFreeSamplesFeeAClaimStakesIsCappedAtTheDeposit() public {
        IModelRegistry.ListingTerms memory terms =
            _contestableTerms(IModelRegistry.PlanFamily.Linear, 4, 3);
        (terms.testPolicy.freeSamples, terms.testPolicy.feePerExtraSample) = (1_000, type(uint96).max);
        uint256 absurd = _listAs(SELLER, terms, _offer(IModelRegistry.SaleMode.FixedPrice, 5 ether));
        uint256 testId = _openTest(BUYER, absurd, SAMPLES); // pays 1 ETH: every sample is free
        _receipt(testId);
        _eq(_claimValue(testId), BUYER_BOND + 1 ether, "the claim stakes B_b + D at most");
        uint256 sellerBefore = market.owed(SELLER);
        _claim(testId, SLOPE_BPS); // the largest refund: R = D
        vm.warp(block.timestamp + CONTEST_WINDOW);
        disputes.closeDispute(testId);
        _eq(market.owed(BUYER), 1 ether + BUYER_BOND, "buyer: R + B_b");
        _eq(market.owed(SELLER) - sellerBefore, 1 ether, "seller: F capped at D");
        _ledgerHolds(0, 0);
    }

    // ================================================================ refused: the state machine

    /// No step can be skipped, repeated or taken by the wrong party.
    function test_noStepCanBeSkippedRepeatedOrTakenByTheWrongParty() public {
        uint256 testId = _evaluated(BUYER, listingId, SAMPLES);
        _expectCloseRefused(testId, IRefundDisputes.DisputePhase.None);
        _claim(testId, 900);
        IRefundDisputes.Opening memory early = _opening(testId, 1);
        ITestDrives.Groth16Proof memory earlyProof = _openProof(testId, early, 900);
        _expectInvalidPhase(testId, IRefundDisputes.DisputePhase.Claimed);
        _openAsBuyer(testId, early, earlyProof); // before any contest
        vm.deal(BUYER, 1 ether);
        vm.prank(BUYER);
        vm.expectRevert(abi.encodeWithSelector(IRefundDisputes.RefundDisputesNotSeller.selector, testId, BUYER));
        disputes.contest{value: SELLER_BOND}(testId, SELLER_SECRET); // the buyer contests itself
        _contest(testId);
        vm.deal(WORKER, 1 ether);
        _expectInvalidPhase(testId, IRefundDisputes.DisputePhase.Contested);
        vm.prank(WORKER);
        disputes.contest{value: SELLER_BOND}(testId, keccak256("regrind")); // a second secret
        IRefundDisputes.Opening memory o = _opening(testId, 1);
        bytes32[] memory none = new bytes32[](0);
        _expectInvalidPhase(testId, IRefundDisputes.DisputePhase.Contested);
        disputes.proveMismatch(
            testId, o.samples[0], none, 0, IRefundDisputes.DisputeEnd.Mismatch, earlyProof
        ); // before the opening
        ITestDrives.Groth16Proof memory proof = _openProof(testId, o, 900);
        _openAsBuyer(testId, o, proof);
        _expectInvalidPhase(testId, IRefundDisputes.DisputePhase.Opened);
        _openAsBuyer(testId, o, proof); // twice
        vm.warp(block.timestamp + PROVE_WINDOW);
        disputes.closeDispute(testId);
        _expectCloseRefused(testId, IRefundDisputes.DisputePhase.BuyerWon);
        // A second claim.
        _expectClaimRevert(
            testId,
            900,
            _claimProof(testId, 900),
            abi.encodeWithSelector(
                IRefundDisputes.RefundDisputesInvalidPhase.selector, testId, IRefundDisputes.DisputePhase.BuyerWon
            )
        );
        _ledgerHolds(0, 0);
    }

    /// Every window is open up to phaseStartedAt + window − 1 and closed from phaseStartedAt +
    /// window, for the step and for `closeDispute` alike; a claim in the test-drive's last second
    /// holds the deposit past the test's own deadline.
    function test_everyWindowBoundaryIsExclusiveAndConsistentWithClose() public {
        uint256 testId = _openTest(BUYER, listingId, SAMPLES);
        _receipt(testId);
        vm.warp(block.timestamp + 86_400 - 1); // the test-drive's last second
        _claim(testId, 900);
        uint256 claimedAt = block.timestamp;

        vm.warp(claimedAt + CONTEST_WINDOW - 1);
        _expectCloseRefused(testId, IRefundDisputes.DisputePhase.Claimed);
        _expectInvalidStatus(testId, ITestDrives.TestStatus.Disputed);
        market.forfeitDeposit(testId); // past the test-drive's deadline, the dispute holds it
        _contest(testId); // the contest window's last second
        uint256 contestedAt = block.timestamp;

        vm.warp(contestedAt + OPEN_WINDOW - 1);
        _expectCloseRefused(testId, IRefundDisputes.DisputePhase.Contested);
        IRefundDisputes.Opening memory o = _opening(testId, 1);
        _open(testId, o, 900); // the open window's last second
        uint256 openedAt = block.timestamp;

        vm.warp(openedAt + PROVE_WINDOW - 1);
        _expectCloseRefused(testId, IRefundDisputes.DisputePhase.Opened);
        vm.warp(openedAt + PROVE_WINDOW);
        IRefundDisputes.OpenedSample memory x = o.samples[2];
        ITestDrives.Groth16Proof memory late = _contestProof(x, o.featuresRoot, 2, false);
        bytes32[] memory hashes = _slotHashes(o);
        _expectInvalidPhase(testId, IRefundDisputes.DisputePhase.Opened);
        disputes.proveMismatch(testId, x, hashes, 2, IRefundDisputes.DisputeEnd.Mismatch, late);
        disputes.closeDispute(testId);
        _eq(market.owed(BUYER), _refundOf(900) + BUYER_BOND + SELLER_BOND, "buyer: R + B_b + B_s");
        _ledgerHolds(0, 0);
    }

    /// The contest and open windows also close at exactly start + window.
    function test_theContestAndOpenWindowsCloseAtExactlyStartPlusWindow() public {
        uint256 a = _evaluated(BUYER, listingId, SAMPLES);
        _claim(a, 900);
        vm.warp(block.timestamp + CONTEST_WINDOW);
        vm.deal(SELLER, 1 ether);
        _expectInvalidPhase(a, IRefundDisputes.DisputePhase.Claimed);
        vm.prank(SELLER);
        disputes.contest{value: SELLER_BOND}(a, SELLER_SECRET);
        disputes.closeDispute(a);

        (uint256 b,) = _contested(listingId, 900);
        _expectLateOpeningRefused(b, 900);
        disputes.closeDispute(b);
        _eq(uint256(disputes.getDispute(b).phase), uint256(IRefundDisputes.DisputePhase.SellerWon), "b: not opened");
        _ledgerHolds(0, 0);
    }

    /// The worker may contest with its own ether, but the bond is the seller's to win or lose:
    /// a seller win credits the seller D + B_s, never the worker.
    function test_aWorkersContestBondIsWonByTheSellerNotTheWorker() public {
        uint256 testId = _evaluated(BUYER, listingId, SAMPLES);
        uint256 sellerBefore = market.owed(SELLER);
        _claim(testId, 900);
        vm.deal(WORKER, SELLER_BOND);
        vm.prank(WORKER);
        disputes.contest{value: SELLER_BOND}(testId, SELLER_SECRET);
        vm.warp(block.timestamp + OPEN_WINDOW);
        disputes.closeDispute(testId);
        _eq(market.owed(SELLER) - sellerBefore, 1 ether + SELLER_BOND, "seller: D + B_s");
        _eq(market.owed(WORKER), 0, "worker: nothing");
        _ledgerHolds(0, 0);
    }

    // ================================================================ refused: replays, forgeries

    /// A claim proof, an Open proof and a contest proof are each bound to their own dispute.
    function test_proofsDoNotReplayAcrossTestDrives() public {
        uint256 a = _evaluated(BUYER, listingId, SAMPLES);
        uint256 b = _evaluated(BUYER, listingId, SAMPLES); // same buyer, listing, size, C_D
        _eq(market.getTest(a).dataCommitment, market.getTest(b).dataCommitment, "same C_D");
        ITestDrives.Groth16Proof memory claimA = _claimProof(a, 900);
        bytes memory invalidProof = abi.encodeWithSelector(IRefundDisputes.RefundDisputesInvalidProof.selector, b);
        _expectClaimRevert(b, 900, claimA, invalidProof);

        _claim(a, 900);
        _claim(b, 900);
        _contest(a);
        _contest(b);
        IRefundDisputes.Opening memory oa = _opening(a, 1);
        IRefundDisputes.Opening memory ob = _opening(b, 1);
        ob.featuresRoot = 0xBEEF;
        ITestDrives.Groth16Proof memory openA = _openProof(a, oa, 900);
        _expectInvalidProof(b);
        _openAsBuyer(b, ob, openA); // the indices and the context differ
        _openAsBuyer(a, oa, openA);
        _open(b, ob, 900);

        // A sample of a, or a's contest proof on b's own sample, fails on b.
        ITestDrives.Groth16Proof memory contestA = _contestProof(oa.samples[0], oa.featuresRoot, 2, false);
        _expectUnknownSample(b);
        disputes.proveMismatch(b, oa.samples[0], _slotHashes(ob), 2, IRefundDisputes.DisputeEnd.Mismatch, contestA);
        _expectInvalidProof(b);
        disputes.proveMismatch(b, ob.samples[0], _slotHashes(ob), 2, IRefundDisputes.DisputeEnd.Mismatch, contestA);
        // Kinds that are not proofs are refused whatever the proof.
        for (uint256 k; k < 6; ++k) {
            if (k == uint256(IRefundDisputes.DisputeEnd.Mismatch) || k == uint256(IRefundDisputes.DisputeEnd.InvalidOpening)) {
                continue;
            }
            IRefundDisputes.DisputeEnd kind = IRefundDisputes.DisputeEnd(k);
            ITestDrives.Groth16Proof memory any = _contestProof(ob.samples[0], ob.featuresRoot, 2, k == 1);
            _expectInvalidProof(b);
            disputes.proveMismatch(b, ob.samples[0], _slotHashes(ob), 2, kind, any);
        }
    }

    /// A forged opening (a prediction other than the one proven, a sample out of draw order,
    /// a duplicated slot, one sample too few) is refused; so is a contest over a slot list that is
    /// not the stored one.
    function test_aForgedOpeningOrSlotListIsRefused() public {
        (uint256 testId,) = _contested(listingId, 900);
        IRefundDisputes.Opening memory o = _opening(testId, 1);
        ITestDrives.Groth16Proof memory proof = _openProof(testId, o, 900);

        IRefundDisputes.Opening memory bad = _opening(testId, 1);
        (bad.samples[0], bad.samples[1]) = (bad.samples[1], bad.samples[0]); // swapped draw order
        _expectMalformed(testId, bad, proof);
        bad = _opening(testId, 1);
        bad.predictions[4] = 2;
        bad.samples[4].prediction = 2; // consistent calldata, but not what the proof binds
        _expectInvalidProof(testId);
        _openAsBuyer(testId, bad, proof);
        bad = _opening(testId, 1);
        bad.samples[9] = bad.samples[8]; // a duplicated slot
        _expectMalformed(testId, bad, proof);
        bad = _opening(testId, 1);
        IRefundDisputes.OpenedSample[] memory fewer = new IRefundDisputes.OpenedSample[](15);
        for (uint256 i; i < 15; ++i) fewer[i] = bad.samples[i];
        bad.samples = fewer;
        _expectMalformed(testId, bad, proof);

        _openAsBuyer(testId, o, proof);
        bytes32[] memory hashes = _slotHashes(o);
        bytes32[] memory shorter = new bytes32[](15);
        for (uint256 i; i < 15; ++i) shorter[i] = hashes[i];
        IRefundDisputes.OpenedSample memory x = o.samples[3];
        ITestDrives.Groth16Proof memory cp = _contestProof(x, o.featuresRoot, 2, false);
        _expectUnknownSample(testId);
        disputes.proveMismatch(testId, x, shorter, 2, IRefundDisputes.DisputeEnd.Mismatch, cp);
    }

    /// A RefundDisputes that the market did not create (same market, registry and verifiers)
    /// cannot lock or settle a deposit: the claim reverts with the buyer's stake.
    function test_aRefundDisputesTheMarketDidNotCreateCannotLockADeposit() public {
        RefundDisputes fake = new RefundDisputes(
            ITestDrives(address(market)), IModelRegistry(address(registry)), standInDisputesConfig(address(anyVerifier))
        );
        uint256 testId = _evaluated(BUYER, listingId, SAMPLES);
        uint256 value = _claimValue(testId);
        vm.deal(BUYER, value);
        ITestDrives.Groth16Proof memory proof = _claimProof(testId, 900);
        vm.prank(BUYER);
        vm.expectRevert(abi.encodeWithSelector(ITestDrives.TestDrivesNotRefundDisputes.selector, address(fake)));
        fake.claimRefund{value: value}(testId, 900, PREDICTIONS, _hb(), proof);
        _eq(BUYER.balance, value, "the stake never left the buyer");
        _eq(uint256(market.testStatus(testId)), uint256(ITestDrives.TestStatus.Evaluated), "still evaluated");
    }

    // ================================================================ refused: listing and sales

    /// Pausing or delisting the listing changes nothing for claims, contests, openings or payouts.
    function test_pausingOrDelistingMidDisputeChangesNothing() public {
        uint256 a = _evaluated(BUYER, listingId, SAMPLES);
        uint256 b = _evaluated(BUYER, listingId, SAMPLES + 1);
        _claim(a, 900);
        vm.prank(SELLER);
        registry.pause(listingId);
        _contest(a);
        IRefundDisputes.Opening memory o = _opening(a, 1);
        _open(a, o, 900);
        vm.prank(SELLER);
        registry.delist(listingId);
        _claim(b, 300); // a test-drive of a delisted listing is still refundable
        vm.warp(block.timestamp + PROVE_WINDOW);
        disputes.closeDispute(a);
        vm.warp(block.timestamp + CONTEST_WINDOW);
        disputes.closeDispute(b);
        _eq(
            market.owed(BUYER),
            _refundOf(900) + BUYER_BOND + SELLER_BOND + _refundOf(300) + BUYER_BOND,
            "both refunded as the table says"
        );
        _ledgerHolds(0, 0);
    }

    /// A deposit that comes back from a refunded purchase is disputable under the dispute
    /// deadline it left with (never a fresh one); the ledger stays whole.
    function test_aDepositBackFromARefundedPurchaseIsDisputedUnderItsOldDeadline() public {
        uint256 deadline = block.timestamp + 86_400;
        uint256 a = _evaluated(BUYER, listingId, SAMPLES);
        uint256 b = _evaluated(BUYER, listingId, SAMPLES + 1);
        vm.deal(BUYER, 8 ether);
        vm.startPrank(BUYER);
        uint256 pa = market.buy{value: 4 ether}(listingId, a, 5 ether);
        uint256 pb = market.buy{value: 4 ether}(listingId, b, 5 ether);
        vm.stopPrank();
        vm.warp(block.timestamp + DELIVERY_WINDOW);
        market.refundPurchase(pa); // a comes back before its deadline
        _eq(uint256(market.testStatus(a)), uint256(ITestDrives.TestStatus.Evaluated), "a evaluated again");
        _claim(a, 900);
        vm.warp(deadline);
        market.refundPurchase(pb); // b comes back at its deadline: forfeitable at once
        _expectClaimRevert(
            b,
            900,
            _claimProof(b, 900),
            abi.encodeWithSelector(ITestDrives.TestDrivesInvalidStatus.selector, b, ITestDrives.TestStatus.Forfeitable)
        );
        market.forfeitDeposit(b);
        vm.warp(block.timestamp + CONTEST_WINDOW);
        disputes.closeDispute(a);
        _eq(uint256(market.getTest(a).phase), uint256(ITestDrives.TestPhase.Refunded), "a refunded");
        _ledgerHolds(0, 0);
    }

    /// A disputed test-drive qualifies its buyer for a test-drivers-only auction like an ended
    /// one, but its deposit is not moved into the bid: it stays with the dispute.
    function test_aDisputedTestQualifiesABidWithoutMovingItsDeposit() public {
        uint256 auctionListing =
            _listContestable(IModelRegistry.PlanFamily.Linear, 4, 3, IModelRegistry.SaleMode.Auction);
        uint256 testId = _evaluated(BUYER, auctionListing, SAMPLES);
        _claim(testId, 900);
        vm.prank(SELLER);
        uint256 auctionId = market.createAuction(
            auctionListing,
            ISealedBidAuctions.AuctionParams(0, 600, 600, ISealedBidAuctions.AuctionKind.SecondPrice, true, 1_000)
        );
        bytes32 commitment = market.bidCommitment(1 ether, bytes32("s"), BUYER, auctionId);
        vm.deal(BUYER, 1 ether);
        vm.prank(BUYER);
        market.commitBid{value: 1 ether}(auctionId, commitment, testId);
        _eq(uint256(market.testStatus(testId)), uint256(ITestDrives.TestStatus.Disputed), "still disputed");
        vm.warp(block.timestamp + CONTEST_WINDOW);
        disputes.closeDispute(testId);
        _eq(market.owed(BUYER), _refundOf(900) + BUYER_BOND, "refunded from the test's own deposit");
        _ledgerHolds(1 ether, 0); // the bid's collateral
    }

    // ================================================================ refused: reentrancy, ether

    /// Contract accounts as buyer and as seller: nothing is ever sent to them during a dispute
    /// (every payout is a credit), and a reentry from their `withdraw` into `closeDispute` is
    /// refused by the market's guard (settleDispute is nonReentrant); the dispute closes later.
    function test_attackerContractsAsBuyerAndSellerAreNeverCalledAndCannotReenter() public {
        ReentrantAttacker buyer = new ReentrantAttacker();
        ReentrantAttacker seller = new ReentrantAttacker();
        payees.push(address(buyer));
        payees.push(address(seller));
        IModelRegistry.ListingTerms memory terms = _contestableTerms(IModelRegistry.PlanFamily.Linear, 4, 3);
        seller.execute(
            address(registry),
            abi.encodeCall(registry.list, (terms, _offer(IModelRegistry.SaleMode.FixedPrice, 5 ether))),
            0
        );
        uint256 listing = registry.listingCount();

        uint256 a = _openTest(address(buyer), listing, SAMPLES);
        uint256 b = _openTest(address(buyer), listing, SAMPLES + 1);
        _receipt(a);
        _receipt(b);
        vm.deal(address(buyer), 10 ether);
        vm.deal(address(seller), 10 ether);
        buyer.execute(
            address(disputes),
            abi.encodeCall(
                disputes.claimRefund, (a, 900, PREDICTIONS, _hb(), _claimProof(a, 900))
            ),
            _claimValue(a)
        );
        buyer.execute(
            address(disputes),
            abi.encodeCall(
                disputes.claimRefund, (b, 900, PREDICTIONS, _hb(), _claimProof(b, 900))
            ),
            _claimValue(b)
        );
        seller.execute(address(disputes), abi.encodeCall(disputes.contest, (a, SELLER_SECRET)), SELLER_BOND);
        IRefundDisputes.Opening memory o = _opening(a, 1);
        buyer.execute(address(disputes), abi.encodeCall(disputes.openSamples, (a, o, _openProof(a, o, 900))), 0);
        vm.warp(block.timestamp + CONTEST_WINDOW); // past a's prove window and b's contest window
        disputes.closeDispute(a);
        _eq(buyer.receiveCount() + seller.receiveCount(), 0, "no ether was pushed to either party");

        // b is closable; the buyer tries to close it from inside its withdrawal.
        buyer.arm(address(disputes), _one(abi.encodeCall(disputes.closeDispute, (b))), 0, false);
        buyer.execute(address(market), abi.encodeCall(market.withdraw, ()), 0);
        _eq(buyer.attempts(), 1, "reentry attempted");
        _eq(buyer.successes(), 0, "reentry refused");
        _eq(
            buyer.failureSelectors()[0],
            bytes4(keccak256("ReentrancyGuardReentrantCall()")),
            "by the market's reentrancy guard"
        );
        _eq(uint256(disputes.getDispute(b).phase), uint256(IRefundDisputes.DisputePhase.Claimed), "b unchanged");
        disputes.closeDispute(b);
        _eq(market.owed(address(buyer)), _refundOf(900) + BUYER_BOND, "b refunded later");
        _ledgerHolds(0, 0);
    }

    /// A buyer contract that claims a v2 refund from inside the payout of a purchase refund (the
    /// deposit has just come back) leaves a consistent state: the dispute holds exactly that
    /// deposit, and the ledger stays whole.
    function test_aClaimReenteredFromAPurchaseRefundPayoutKeepsTheLedgerWhole() public {
        ReentrantAttacker buyer = new ReentrantAttacker();
        payees.push(address(buyer));
        uint256 testId = _evaluated(address(buyer), listingId, SAMPLES);
        vm.deal(address(buyer), 10 ether);
        bytes memory ret = buyer.execute(address(market), abi.encodeCall(market.buy, (listingId, testId, 5 ether)), 4 ether);
        uint256 purchaseId = abi.decode(ret, (uint256));
        vm.warp(block.timestamp + DELIVERY_WINDOW);
        buyer.arm(
            address(disputes),
            _one(abi.encodeCall(disputes.claimRefund, (testId, 900, PREDICTIONS, _hb(), _claimProof(testId, 900)))),
            _claimValue(testId),
            false
        );
        buyer.execute(address(market), abi.encodeCall(market.refundPurchase, (purchaseId)), 0);
        _eq(buyer.successes(), 1, "the claim inside the payout went through");
        _eq(uint256(market.testStatus(testId)), uint256(ITestDrives.TestStatus.Disputed), "disputed");
        _ledgerHolds(1 ether, _claimValue(testId));
        vm.warp(block.timestamp + CONTEST_WINDOW);
        disputes.closeDispute(testId);
        _eq(market.owed(address(buyer)), _refundOf(900) + BUYER_BOND, "refunded once");
        _ledgerHolds(0, 0);
    }

    /// Ether forced into the disputes contract or the market (selfdestruct) changes no payout;
    /// it stays there, unaccounted, and no check depends on an exact balance.
    function test_forcedEtherChangesNoPayout() public {
        uint256 testId = _evaluated(BUYER, listingId, SAMPLES);
        uint256 sellerBefore = market.owed(SELLER);
        _claim(testId, 900);
        vm.deal(address(this), address(this).balance + 2 ether);
        new ForcedEtherSender{value: 1 ether}(payable(address(disputes)));
        new ForcedEtherSender{value: 1 ether}(payable(address(market)));
        _contest(testId);
        IRefundDisputes.Opening memory o = _opening(testId, 1);
        _open(testId, o, 900);
        vm.warp(block.timestamp + PROVE_WINDOW);
        disputes.closeDispute(testId);
        _expectBuyerWonPayouts(sellerBefore, 900, true);
        _ledgerHolds(1 ether, 1 ether); // only the forced ether is left over
    }

    /// Huge and tiny terms settle without overflow or rounding in anyone's favour beyond one wei:
    /// every wei staked comes out, for the uncontested and for the contested-unproven paths.
    function testFuzz_extremeTermsSettleExactly(uint96 deposit, uint96 bb, uint96 bs, uint16 w, uint16 s) public {
        deposit = uint96(_bound(deposit, 1, type(uint96).max));
        bb = uint96(_bound(bb, 1, type(uint96).max));
        bs = uint96(_bound(bs, 1, type(uint96).max));
        w = uint16(_bound(w, 1, 10_000));
        s = uint16(_bound(s, 1, CLAIM_BPS));
        IModelRegistry.ListingTerms memory terms = _contestableTerms(IModelRegistry.PlanFamily.Linear, 4, 3);
        terms.testPolicy.deposit = deposit;
        terms.testPolicy.feePerExtraSample = 0;
        (terms.disputePolicy.buyerBond, terms.disputePolicy.sellerBond, terms.disputePolicy.refundSlopeBps) = (bb, bs, w);
        uint256 listing = _listAs(SELLER, terms, _offer(IModelRegistry.SaleMode.FixedPrice, 5 ether));
        uint256 a = _evaluated(BUYER, listing, SAMPLES);
        uint256 b = _evaluated(BUYER, listing, SAMPLES + 1);
        _claim(a, s);
        _claim(b, s);
        vm.deal(SELLER, bs);
        vm.prank(SELLER);
        disputes.contest{value: bs}(b, SELLER_SECRET);
        IRefundDisputes.Opening memory o = _opening(b, 1);
        _open(b, o, s);
        vm.warp(block.timestamp + CONTEST_WINDOW + PROVE_WINDOW);
        disputes.closeDispute(a);
        disputes.closeDispute(b);
        uint256 r = uint256(deposit) * (s < w ? s : w) / w;
        _eq(market.owed(BUYER), 2 * r + 2 * uint256(bb) + bs, "buyer: 2R + 2B_b + B_s");
        _eq(market.owed(SELLER), 2 * (uint256(deposit) - r), "seller: 2(D - R)");
        _ledgerHolds(0, 0);
    }

    // ================================================================ refused: indices, packing, gas

    /// The contract's draw is the SDK's (challengeIndices.ts), re-implemented here: k_eff
    /// distinct indices below n, in draw order, for every contestable size.
    function testFuzz_indicesMatchTheSdksDraw(bytes32 b, bytes32 s, uint32 samples) public {
        samples = uint32(_bound(samples, 32, 1_000));
        uint256 testId = _evaluated(BUYER, listingId, samples);
        uint16[] memory got = disputes.challengeIndices(testId, b, s);
        uint16[] memory want = _refIndices(address(market), testId, samples, b, s);
        _eq(got.length, want.length, "k_eff");
        for (uint256 i; i < got.length; ++i) _eq(got[i], want[i], "same index, same order");
    }

    /// The reference draw above is the SDK's: these vectors are what sdk/src/testDrives/
    /// challengeIndices.ts `contestIndices` returns for secretB = keccak256("buyer secret"),
    /// secretS = keccak256("seller secret"), chainId 31337, market 0x…0c0ffe, testId 7.
    function test_theReferenceDrawIsTheSdksOnFixedVectors() public pure {
        uint16[16] memory n200 = [uint16(103), 127, 81, 97, 106, 32, 141, 21, 98, 37, 194, 61, 18, 183, 5, 95];
        uint16[16] memory n1000 = [303, 327, 881, 897, 706, 32, 941, 421, 498, 237, 194, 661, 418, 983, 405, 695];
        uint16[15] memory n15 = [uint16(8), 2, 6, 12, 1, 9, 3, 5, 0, 4, 11, 7, 14, 10, 13];
        uint16[] memory a = _refIndicesOn(31_337, address(0xC0FFE), 7, 200, BUYER_SECRET, SELLER_SECRET);
        uint16[] memory b = _refIndicesOn(31_337, address(0xC0FFE), 7, 1_000, BUYER_SECRET, SELLER_SECRET);
        uint16[] memory c = _refIndicesOn(31_337, address(0xC0FFE), 7, 15, BUYER_SECRET, SELLER_SECRET);
        _eq(c.length, 15, "n = 15 opens all");
        for (uint256 i; i < 16; ++i) {
            _eq(a[i], n200[i], "n = 200");
            _eq(b[i], n1000[i], "n = 1000");
            if (i < 15) _eq(c[i], n15[i], "n = 15");
        }
    }

    /// The largest test set a listing can take (65,535 samples, uint16) draws indices below n
    /// with no truncation, and tiny sets (n < 16) open every sample once.
    function test_indicesOfTheLargestAndSmallestTestSets() public {
        IModelRegistry.TestPolicy memory p = _policy();
        (p.minSamples, p.maxSamples) = (1, type(uint16).max);
        uint256 plain = _listAs(SELLER, _terms(p, _task(), CLAIM_BPS), _offer(IModelRegistry.SaleMode.FixedPrice, 5 ether));
        uint32[5] memory sizes = [uint32(type(uint16).max), 1, 2, 15, 16];
        for (uint256 z; z < sizes.length; ++z) {
            uint256 testId = _openTest(BUYER, plain, sizes[z]);
            uint16[] memory got = disputes.challengeIndices(testId, BUYER_SECRET, SELLER_SECRET);
            uint16[] memory want = _refIndices(address(market), testId, sizes[z], BUYER_SECRET, SELLER_SECRET);
            _eq(got.length, sizes[z] < 16 ? sizes[z] : 16, "k_eff = min(16, n)");
            for (uint256 i; i < got.length; ++i) {
                _eq(got[i], want[i], "same as the reference");
                _true(got[i] < sizes[z], "below n");
            }
        }
    }

    /// The widest shipped contest circuit, Linear(784, 10): 53 feature words, the last holding 4
    /// features; a 5-feature listing proven by it gets its one word padded with 52 zero words.
    /// The contract's signals equal the reference built from contestCommonInput's description.
    /// Its opening (16 × 1,568 feature bytes, ~25 KB) stays under 3.5 M gas.
    function test_wideContestSignalsPadTheCircuitsFeatureWords() public {
        uint32[2] memory widths = [uint32(784), 5];
        for (uint256 z; z < 2; ++z) {
            uint256 listing = _listContestable(IModelRegistry.PlanFamily.Linear, widths[z], 10);
            _eq(disputes.contestCircuitFor(listing).features, 784, "Linear(784, 10)");
            (uint256 testId,) = _contested(listing, 900);
            IRefundDisputes.Opening memory o = _opening(testId, 3);
            ITestDrives.Groth16Proof memory proof = _openProof(testId, o, 900);
            uint256 before = gasleft();
            _openAsBuyer(testId, o, proof);
            uint256 used = before - gasleft();
            if (z == 0) _true(used < 3_500_000, string.concat("MNIST opening gas ", _str(used)));
            IRefundDisputes.OpenedSample memory x = o.samples[11];
            uint256[] memory signals = _contestSignals(listing, x, o.featuresRoot, 9, false, 784);
            _eq(signals.length, 67, "14 + 53 signals");
            disputes.proveMismatch(testId, x, _slotHashes(o), 9, IRefundDisputes.DisputeEnd.Mismatch, _standIn(signals));
            _eq(_phase(testId), uint256(ITestDrives.TestPhase.RefundRejected), "the padded signals verify");
        }
        _ledgerHolds(0, 0);
    }

    /// An opened prediction that is not a class ends the dispute for the seller in the same call,
    /// whoever posts it; a label outside the classes does not (the refund proof bound labels).
    function test_anOutOfRangePredictionLosesAtOnceButAnyLabelIsTheProofsBusiness() public {
        (uint256 testId,) = _contested(listingId, 900);
        IRefundDisputes.Opening memory o = _opening(testId, 1);
        o.predictions[15] = type(uint16).max;
        o.samples[15].prediction = type(uint16).max;
        o.labels[0] = type(uint16).max;
        _open(testId, o, 900);
        _eq(uint256(disputes.getDispute(testId).phase), uint256(IRefundDisputes.DisputePhase.SellerWon), "seller won");
        _ledgerHolds(0, 0);
    }

    function _one(bytes memory call) private pure returns (bytes[] memory calls) {
        calls = new bytes[](1);
        calls[0] = call;
    }
}
