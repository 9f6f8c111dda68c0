// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ModelMarket} from "./ModelMarket.sol";
import {ModelRegistry} from "./ModelRegistry.sol";
import {IFairExchange} from "./interfaces/IFairExchange.sol";
import {IModelRegistry} from "./interfaces/IModelRegistry.sol";
import {IRefundDisputes} from "./interfaces/IRefundDisputes.sol";
import {ISealedBidAuctions} from "./interfaces/ISealedBidAuctions.sol";
import {ITestDrives} from "./interfaces/ITestDrives.sol";
import {DisputeContext} from "./libraries/DisputeContext.sol";
import {AnySignalsVerifier} from "./mocks/AnySignalsVerifier.sol";
import {CONTEST_WINDOW, economicsOnlyPolicy, standInDisputesConfig} from "./test-utils/DisputeFixtures.sol";
import {vm} from "./test-utils/Vm.sol";

/**
 * @title MarketHandler
 * @notice Drives random sequences of market calls through six EOA actors (two of them
 * sellers, everyone may test-drive, buy and bid), keeping an independent reference model of
 * what every actor is entitled to (`entitled`), of the penalties burned (`burned`), of every
 * test-drive's dispute clock (`clockOf`: its opening, then its receipt; a deposit moving into a
 * sale and back never restarts it) and of every auction's outcome.
 * @dev Every market call is wrapped in try/catch so the handler never reverts; ghosts are only
 * updated on success. Time is kept in `now_` and re-applied on every call.
 */
contract MarketHandler {
    uint256 public constant ACTORS = 6;
    uint256 public constant INITIAL_BALANCE = 1_000 ether;
    uint256 private constant FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 private constant WORKER_KEY = 0x3037E4;
    /// @notice The worker signer of every listing (not an actor: it never holds money).
    address public immutable worker;

    ModelRegistry public immutable registry;
    AnySignalsVerifier public immutable verifier;
    ModelMarket public immutable market;
    IRefundDisputes public immutable disputes;

    address[ACTORS] private _actors;
    uint256[3] public listings; // fixed 2 ETH (seller 0), fixed 0.5 ETH (seller 2), auction (seller 1)
    bytes32[2] private _chunks;

    uint256 public now_;
    mapping(address => uint256) public entitled;
    mapping(address => uint256) public paidIn;
    /// @notice Withheld and invalid bids' penalties: credited to the market's PENALTY_SINK, no one else.
    uint256 public burned;
    /// @notice When each test-drive's current clock started: its opening, then its receipt.
    mapping(uint256 testId => uint256) public clockOf;
    uint256 private constant DISPUTE_WINDOW = 86_400; // every listing's (see _list)
    uint16 private constant CLAIMED_SHORTFALL_BPS = 100;
    uint256 private constant PREDICTIONS = 0xC0FFEE;
    /// @notice When each claimed refund was claimed.
    mapping(uint256 testId => uint256) public claimedAt;
    /// @dev The claimed refunds not yet closed.
    uint256[] private _claims;
    bool public mismatch;
    string public mismatchReason;
    mapping(bytes32 => uint256) public calls;
    mapping(bytes32 => uint256) public ok; // successful market calls, by handler action

    uint256[] public driveIds;
    uint256[] public purchases;
    uint256[] public auctions;
    mapping(uint256 purchaseId => bytes32) private _key;
    mapping(uint256 purchaseId => bool) private _bad;

    struct GhostBid {
        uint96 amount;
        uint96 collateral;
        bytes32 salt;
        bool revealed;
    }

    mapping(uint256 auctionId => address[]) private _bidders;
    mapping(uint256 auctionId => address[]) private _revealOrder;
    mapping(uint256 auctionId => mapping(address => GhostBid)) private _ghostBids;

    constructor() {
        registry = new ModelRegistry(address(this));
        verifier = new AnySignalsVerifier();
        market = new ModelMarket(
            IModelRegistry(address(registry)),
            ModelMarket.DeliveryWindows(3_600, 1_800, 3_600, 7_200),
            standInDisputesConfig(address(verifier))
        );
        disputes = market.refundDisputes();
        worker = vm.addr(WORKER_KEY);
        for (uint256 i = 0; i < ACTORS; ++i) {
            _actors[i] = address(uint160(0xAC7000 + i));
            vm.deal(_actors[i], INITIAL_BALANCE);
        }
        _chunks[0] = keccak256("chunk 0");
        _chunks[1] = keccak256("chunk 1");
        bytes32 root = _pair(_leaf(_chunks[0]), _leaf(_chunks[1]));
        listings[0] = _list(_actors[0], root, IModelRegistry.SaleMode.FixedPrice, 2 ether);
        listings[1] = _list(_actors[2], root, IModelRegistry.SaleMode.FixedPrice, 0.5 ether);
        listings[2] = _list(_actors[1], root, IModelRegistry.SaleMode.Auction, 0);
        now_ = block.timestamp < 1_000_000 ? 1_000_000 : block.timestamp;
        vm.warp(now_);
    }

    modifier step(bytes32 name) {
        vm.warp(now_);
        calls[name] += 1;
        _;
    }

    // ------------------------------------------------------------------ views for the invariants

    function actor(uint256 i) external view returns (address) {
        return _actors[i];
    }

    function driveCount() external view returns (uint256) {
        return driveIds.length;
    }

    function purchasesLength() external view returns (uint256) {
        return purchases.length;
    }

    function auctionsLength() external view returns (uint256) {
        return auctions.length;
    }

    function bidders(uint256 auctionId) external view returns (address[] memory) {
        return _bidders[auctionId];
    }

    // ------------------------------------------------------------------ test-drives

    function openTest(uint256 actorSeed, uint256 listingSeed, uint256 samplesSeed) external step("openTest") {
        address a = _actors[actorSeed % ACTORS];
        uint256 listingId = listings[listingSeed % 3];
        uint32 samples = uint32(1 + samplesSeed % 20);
        uint256 value = 1 ether + (samples > 5 ? uint256(samples - 5) * 0.01 ether : 0);
        if (a.balance < value) return;
        bytes32 commitment = bytes32(uint256(keccak256(abi.encode(driveIds.length, a))) % (FIELD - 1) + 1);
        vm.prank(a);
        try market.openTest{value: value}(listingId, commitment, samples) returns (uint256 testId) {
            ok["openTest"] += 1;
            paidIn[a] += value;
            driveIds.push(testId);
            clockOf[testId] = now_;
        } catch {
            _flag("openTest failed");
        }
    }

    /// The fee is the seller's once the receipt is recorded: sent directly when the seller
    /// records it (`how` 0), credited when the worker records it (1) or anyone relays the
    /// worker's signature (2).
    function recordReceipt(uint256 testSeed, uint256 how) external step("recordReceipt") {
        if (driveIds.length == 0) return;
        uint256 testId = _pickTest(testSeed, ITestDrives.TestStatus.AwaitingReceipt);
        if (market.testStatus(testId) != ITestDrives.TestStatus.AwaitingReceipt) return;
        address seller = _sellerOf(market.getTest(testId).listingId);
        (, uint256 fee) = _price(testId);
        bytes32 resultHash = keccak256(abi.encode(testId));
        how = how % 3;
        bool success;
        if (how == 2) {
            (uint8 v, bytes32 r, bytes32 sig) = vm.sign(WORKER_KEY, market.receiptDigest(testId, resultHash));
            vm.prank(_actors[testSeed % ACTORS]);
            try market.recordSignedReceipt(testId, resultHash, abi.encodePacked(r, sig, v)) {
                success = true;
            } catch {}
        } else {
            vm.prank(how == 0 ? seller : worker);
            try market.recordReceipt(testId, resultHash) {
                success = true;
            } catch {}
        }
        if (!success) return _flag("recordReceipt failed");
        ok["recordReceipt"] += 1;
        entitled[seller] += fee;
        clockOf[testId] = now_;
        if (market.getTest(testId).phase != ITestDrives.TestPhase.Evaluated) _flag("receipt did not evaluate");
    }

    /// A refund on a listing without a plan (uncontestable, all or nothing): the claim stakes
    /// F, and once the contest window has passed the dispute closes uncontested. Each call first
    /// closes every claim whose contest window has passed (none before), then claims. Only the
    /// buyer may claim, and only while the test is Evaluated; a claim in four is sent by a
    /// random actor, who may not be the buyer.
    function claimRefund(uint256 testSeed, uint256 callerSeed) external step("claimRefund") {
        _closeClaims();
        if (driveIds.length == 0) return;
        // Only every other attempt looks for a refundable test, so some deposits reach forfeiture.
        uint256 testId = callerSeed % 2 == 0
            ? _pickTest(testSeed, ITestDrives.TestStatus.Evaluated)
            : driveIds[testSeed % driveIds.length];
        ITestDrives.TestDrive memory t = market.getTest(testId);
        ITestDrives.TestStatus status = market.testStatus(testId);
        address caller = (callerSeed >> 8) % 4 == 0 ? _actors[callerSeed % ACTORS] : t.buyer;
        uint256 freeFee = _freeSamplesFee(t);
        if (caller.balance < freeFee) return;
        uint256[] memory signals = new uint256[](3);
        signals[0] = DisputeContext.withShortfall(market.disputeContext(testId), CLAIMED_SHORTFALL_BPS);
        signals[1] = uint256(t.dataCommitment);
        signals[2] = PREDICTIONS;
        ITestDrives.Groth16Proof memory proof;
        proof.a[0] = verifier.proofFor(signals);
        bool valid = status == ITestDrives.TestStatus.Evaluated && caller == t.buyer;
        vm.prank(caller);
        try disputes.claimRefund{value: freeFee}(testId, CLAIMED_SHORTFALL_BPS, bytes32(PREDICTIONS), keccak256("b"), proof) {
            ok["claimRefund"] += 1;
            paidIn[caller] += freeFee;
            if (!valid) return _flag("claimRefund by another than the buyer or outside Evaluated");
            if (now_ >= clockOf[testId] + DISPUTE_WINDOW) _flag("claimRefund after the reference deadline");
            claimedAt[testId] = now_;
            _claims.push(testId);
        } catch {
            if (valid) _flag("claimRefund with a valid proof failed");
        }
    }

    /// Closes, uncontested, every claim whose contest window has passed. Reference (DISPUTES.md
    /// §4): the buyer gets the whole deposit, the seller the F the claim staked (the fee above
    /// the allowance was the seller's at receipt time). A claim still in its window stays.
    function _closeClaims() private {
        for (uint256 i = _claims.length; i > 0; --i) {
            uint256 testId = _claims[i - 1];
            bool due = now_ >= claimedAt[testId] + CONTEST_WINDOW;
            try disputes.closeDispute(testId) {
                ok["closeDispute"] += 1;
                if (!due) _flag("closeDispute inside the contest window");
                ITestDrives.TestDrive memory t = market.getTest(testId);
                (uint256 deposit,) = _price(testId);
                entitled[t.buyer] += deposit;
                entitled[_sellerOf(t.listingId)] += _freeSamplesFee(t);
                if (t.phase != ITestDrives.TestPhase.Refunded) _flag("an uncontested claim not refunded");
                _claims[i - 1] = _claims[_claims.length - 1];
                _claims.pop();
            } catch {
                if (due) _flag("closeDispute after the contest window failed");
            }
        }
    }

    /// F = min(deposit, min(n, freeSamples) * feePerExtraSample): what a claim stakes.
    function _freeSamplesFee(ITestDrives.TestDrive memory t) private view returns (uint256 fee) {
        (,, IModelRegistry.TestPolicy memory p) = registry.testTerms(t.listingId);
        uint256 free = t.sampleCount < p.freeSamples ? t.sampleCount : p.freeSamples;
        fee = free * p.feePerExtraSample;
        if (fee > p.deposit) fee = p.deposit;
    }

    function refundUnserved(uint256 testSeed, uint256 callerSeed) external step("refundUnserved") {
        if (driveIds.length == 0) return;
        uint256 testId = _pickTest(testSeed, ITestDrives.TestStatus.Unserved);
        ITestDrives.TestDrive memory t = market.getTest(testId);
        ITestDrives.TestStatus status = market.testStatus(testId);
        vm.prank(_actors[callerSeed % ACTORS]);
        try market.refundUnserved(testId) {
            ok["refundUnserved"] += 1;
            if (status != ITestDrives.TestStatus.Unserved) _flag("refundUnserved outside Unserved");
            (uint256 deposit, uint256 fee) = _price(testId);
            entitled[t.buyer] += deposit + fee;
        } catch {
            if (status == ITestDrives.TestStatus.Unserved) _flag("refundUnserved failed");
        }
    }

    function forfeitDeposit(uint256 testSeed, uint256 callerSeed) external step("forfeitDeposit") {
        if (driveIds.length == 0) return;
        uint256 testId = _pickTest(testSeed, ITestDrives.TestStatus.Forfeitable);
        ITestDrives.TestDrive memory t = market.getTest(testId);
        ITestDrives.TestStatus status = market.testStatus(testId);
        address seller = _sellerOf(t.listingId);
        vm.prank(_actors[callerSeed % ACTORS]);
        try market.forfeitDeposit(testId) {
            ok["forfeitDeposit"] += 1;
            if (status != ITestDrives.TestStatus.Forfeitable) _flag("forfeit outside Forfeitable");
            if (now_ < clockOf[testId] + DISPUTE_WINDOW) _flag("forfeit before the reference deadline");
            (uint256 deposit,) = _price(testId);
            entitled[seller] += deposit; // the fee was paid at receipt time
        } catch {
            if (status == ITestDrives.TestStatus.Forfeitable) _flag("forfeit failed");
        }
    }

    // ------------------------------------------------------------------ purchases

    function buy(uint256 actorSeed, uint256 listingSeed, uint256 testSeed, bool useTest) external step("buy") {
        address a = _actors[actorSeed % ACTORS];
        uint256 listingId = listings[listingSeed % 2];
        (address seller,,, uint96 price) = registry.saleTerms(listingId);
        uint256 testId = useTest ? _findTest(a, listingId, testSeed, true) : 0;
        uint256 deposit;
        uint256 fee;
        if (testId != 0) {
            (deposit, fee) = _price(testId);
            // An evaluated test's fee was paid at receipt time; an open test's is credited now.
            if (market.getTest(testId).phase != ITestDrives.TestPhase.Open) fee = 0;
        }
        uint256 applied = deposit >= price ? price : deposit;
        uint256 due = price - applied;
        if (a.balance < due) return;
        // One buy in eight names a price other than the listing's: it must revert and change nothing.
        if (testSeed % 8 == 0) {
            vm.prank(a);
            try market.buy{value: due}(listingId, testId, uint256(price) + 1) {
                _flag("bought at a price the listing does not ask");
            } catch {}
        }
        vm.prank(a);
        try market.buy{value: due}(listingId, testId, price) returns (uint256 purchaseId) {
            ok["buy"] += 1;
            paidIn[a] += due;
            entitled[seller] += fee;
            purchases.push(purchaseId);
            IFairExchange.Purchase memory p = market.getPurchase(purchaseId);
            if (p.price != price || p.extra != deposit - applied || p.testId != testId) _flag("purchase terms");
        } catch {
            _flag("buy failed");
        }
    }

    /// What a refund of `p` pays the buyer and (as a rejecting auction winner's penalty) the
    /// seller; a test-drive deposit in the escrow goes back to its test-drive, to no one.
    function _refundShares(IFairExchange.Purchase memory p, bool rejected) private view returns (uint256 toBuyer, uint256 penalty) {
        if (rejected && p.auctionId != 0 && p.copyRoot == bytes32(0)) {
            penalty = uint256(market.getBid(p.auctionId, p.buyer).collateral) * market.getAuction(p.auctionId).nonRevealPenaltyBps / 10_000;
        }
        uint256 deposit = p.testId == 0 ? 0 : _depositOf(p.testId);
        toBuyer = uint256(p.price) + p.extra - deposit - penalty;
    }

    function _creditRefund(IFairExchange.Purchase memory p, bool rejected) private {
        (uint256 toBuyer, uint256 penalty) = _refundShares(p, rejected);
        entitled[p.buyer] += toBuyer;
        entitled[p.seller] += penalty;
        if (p.testId != 0) _checkReturnedDeposit(p.testId);
    }

    /// A deposit back from a sale is the test-drive's again under its old clock: Evaluated until
    /// clock + dispute window, forfeitable from then (at once when that passed during the sale).
    function _checkReturnedDeposit(uint256 testId) private {
        ITestDrives.TestDrive memory t = market.getTest(testId);
        if (t.phase != ITestDrives.TestPhase.Evaluated) return _flag("deposit not returned");
        if (t.phaseStartedAt != clockOf[testId]) return _flag("a returned deposit's dispute clock restarted");
        bool late = now_ >= clockOf[testId] + DISPUTE_WINDOW;
        ITestDrives.TestStatus want = late ? ITestDrives.TestStatus.Forfeitable : ITestDrives.TestStatus.Evaluated;
        if (market.testStatus(testId) != want) _flag("returned deposit status differs from the reference");
        ok[late ? bytes32("depositBackForfeitable") : bytes32("depositBackEvaluated")] += 1;
    }

    function commitDelivery(uint256 purchaseSeed, bool bad) external step("commitDelivery") {
        if (purchases.length == 0) return;
        uint256 purchaseId = _pickPurchase(purchaseSeed, IFairExchange.PurchaseStatus.AwaitingDelivery, false);
        if (market.purchaseStatus(purchaseId) != IFairExchange.PurchaseStatus.AwaitingDelivery) return;
        bytes32 key = keccak256(abi.encode("key", purchaseId, now_));
        (bytes32 root,) = _ciphertext(key, bad);
        _key[purchaseId] = key;
        _bad[purchaseId] = bad;
        vm.prank(market.getPurchase(purchaseId).seller);
        // One delivery in two is a per-buyer copy (here of the same bytes, so complaints work alike):
        // only its rejection penalty differs.
        if (purchaseSeed % 2 == 0) {
            try market.commitDelivery(purchaseId, root, keccak256(abi.encode(key))) {
                ok["commitDelivery"] += 1;
            } catch {
                _flag("commitDelivery failed");
            }
        } else {
            try market.commitCopyDelivery(purchaseId, root, keccak256(abi.encode(key)), _pair(_leaf(_chunks[0]), _leaf(_chunks[1])), 64) {
                ok["commitCopyDelivery"] += 1;
            } catch {
                _flag("commitCopyDelivery failed");
            }
        }
    }

    function acceptDelivery(uint256 purchaseSeed) external step("acceptDelivery") {
        if (purchases.length == 0) return;
        uint256 purchaseId = _pickPurchase(purchaseSeed, IFairExchange.PurchaseStatus.AwaitingAcceptance, false);
        if (market.purchaseStatus(purchaseId) != IFairExchange.PurchaseStatus.AwaitingAcceptance) return;
        vm.prank(market.getPurchase(purchaseId).buyer);
        try market.acceptDelivery(purchaseId) {
            ok["acceptDelivery"] += 1;
        } catch {
            _flag("acceptDelivery failed");
        }
    }

    function rejectDelivery(uint256 purchaseSeed) external step("rejectDelivery") {
        if (purchases.length == 0) return;
        // Only one attempt in three looks for a rejectable purchase, so most deliveries proceed.
        uint256 purchaseId = purchaseSeed % 3 == 0
            ? _pickPurchase(purchaseSeed, IFairExchange.PurchaseStatus.AwaitingAcceptance, false)
            : purchases[purchaseSeed % purchases.length];
        IFairExchange.Purchase memory p = market.getPurchase(purchaseId);
        vm.prank(p.buyer);
        try market.rejectDelivery(purchaseId) {
            ok["rejectDelivery"] += 1;
            _creditRefund(p, true);
        } catch {}
    }

    function revealKey(uint256 purchaseSeed) external step("revealKey") {
        if (purchases.length == 0) return;
        uint256 purchaseId = _pickPurchase(purchaseSeed, IFairExchange.PurchaseStatus.AwaitingKey, false);
        if (market.purchaseStatus(purchaseId) != IFairExchange.PurchaseStatus.AwaitingKey) return;
        (bytes32 root,) = _ciphertext(_key[purchaseId], _bad[purchaseId]);
        vm.prank(market.getPurchase(purchaseId).seller);
        try market.revealKey(purchaseId, root, _key[purchaseId]) {
            ok["revealKey"] += 1;
        } catch {
            _flag("revealKey failed");
        }
    }

    function complain(uint256 purchaseSeed, uint256 callerSeed) external step("complain") {
        if (purchases.length == 0) return;
        uint256 purchaseId = _pickPurchase(purchaseSeed, IFairExchange.PurchaseStatus.ComplaintWindow, true);
        IFairExchange.Purchase memory p = market.getPurchase(purchaseId);
        IFairExchange.PurchaseStatus status = market.purchaseStatus(purchaseId);
        (bytes32 root, bytes32[2] memory c) = _ciphertext(_key[purchaseId], _bad[purchaseId]);
        IFairExchange.Complaint memory complaint;
        complaint.ciphertextRoot = root;
        complaint.key = _key[purchaseId];
        complaint.index = 1;
        complaint.ciphertextChunk = c[1];
        complaint.ciphertextProof = new bytes32[](1);
        complaint.ciphertextProof[0] = _leaf(c[0]);
        complaint.plaintextLeaf = _leaf(_chunks[1]);
        complaint.plaintextProof = new bytes32[](1);
        complaint.plaintextProof[0] = _leaf(_chunks[0]);
        vm.prank(_actors[callerSeed % ACTORS]);
        try market.complain(purchaseId, complaint) {
            ok["complain"] += 1;
            if (!_bad[purchaseId]) _flag("complaint upheld against an honest delivery");
            _creditRefund(p, false);
        } catch {
            if (_bad[purchaseId] && status == IFairExchange.PurchaseStatus.ComplaintWindow) _flag("valid complaint failed");
        }
    }

    function completePurchase(uint256 purchaseSeed, uint256 callerSeed) external step("completePurchase") {
        if (purchases.length == 0) return;
        uint256 purchaseId = _pickPurchase(purchaseSeed, IFairExchange.PurchaseStatus.Completable, false);
        IFairExchange.Purchase memory p = market.getPurchase(purchaseId);
        IFairExchange.PurchaseStatus status = market.purchaseStatus(purchaseId);
        address caller = _actors[callerSeed % ACTORS];
        vm.prank(caller);
        try market.completePurchase(purchaseId) {
            ok["completePurchase"] += 1;
            bool buyerWaives = status == IFairExchange.PurchaseStatus.ComplaintWindow && caller == p.buyer;
            if (status != IFairExchange.PurchaseStatus.Completable && !buyerWaives) _flag("completePurchase cut a complaint window short");
            entitled[p.seller] += p.price;
            entitled[p.buyer] += p.extra;
        } catch {
            if (status == IFairExchange.PurchaseStatus.Completable) _flag("completePurchase failed");
        }
    }

    function refundPurchase(uint256 purchaseSeed, uint256 callerSeed) external step("refundPurchase") {
        if (purchases.length == 0) return;
        uint256 purchaseId = _pickPurchase(purchaseSeed, purchaseSeed % 2 == 0 ? IFairExchange.PurchaseStatus.DeliveryOverdue : IFairExchange.PurchaseStatus.KeyOverdue, false);
        IFairExchange.Purchase memory p = market.getPurchase(purchaseId);
        IFairExchange.PurchaseStatus status = market.purchaseStatus(purchaseId);
        vm.prank(_actors[callerSeed % ACTORS]);
        try market.refundPurchase(purchaseId) {
            ok["refundPurchase"] += 1;
            _creditRefund(p, false);
        } catch {
            if (status == IFairExchange.PurchaseStatus.DeliveryOverdue || status == IFairExchange.PurchaseStatus.KeyOverdue) {
                _flag("refundPurchase failed");
            }
        }
    }

    // ------------------------------------------------------------------ auctions

    function createAuction(uint96 reserveSeed, uint16 bpsSeed, bool secondPrice, uint8 flags) external step("createAuction") {
        ISealedBidAuctions.AuctionParams memory params = ISealedBidAuctions.AuctionParams({
            reservePrice: uint96(reserveSeed % 3 ether),
            commitDuration: uint32(1_800 + (bpsSeed % 5_400)),
            revealDuration: uint32(1_800 + (reserveSeed % 5_400)),
            kind: secondPrice ? ISealedBidAuctions.AuctionKind.SecondPrice : ISealedBidAuctions.AuctionKind.FirstPrice,
            onlyTestDrivers: flags % 4 == 0,
            nonRevealPenaltyBps: uint16(bpsSeed % 10_001)
        });
        vm.prank(_actors[1]);
        try market.createAuction(listings[2], params) returns (uint256 auctionId) {
            ok["createAuction"] += 1;
            auctions.push(auctionId);
        } catch {
            _flag("createAuction failed");
        }
    }

    struct BidPlan {
        uint256 auctionId;
        address bidder;
        uint96 amount;
        uint256 value;
        uint256 testId;
        uint256 moved;
        bytes32 salt;
    }

    function commitBid(uint256 auctionSeed, uint256 actorSeed, uint96 amountSeed, uint96 extraSeed, uint256 testSeed)
        external
        step("commitBid")
    {
        if (auctions.length == 0) return;
        BidPlan memory b;
        b.auctionId = _pickAuction(auctionSeed, ISealedBidAuctions.AuctionStatus.Committing);
        if (actorSeed % 16 == 0) return _sellerBids(b.auctionId);
        // Any actor but the auctions' seller (actor 1), who may not bid.
        uint256 k = actorSeed % (ACTORS - 1);
        b.bidder = _actors[k >= 1 ? k + 1 : k];
        b.amount = amountSeed % 5 ether;
        // One bid in eight reveals more than its collateral.
        b.value = extraSeed % 8 == 0 && b.amount > 1
            ? 1 + extraSeed % (b.amount - 1)
            : uint256(b.amount) + extraSeed % 1 ether;
        b.testId = testSeed % 2 == 0 ? _findTest(b.bidder, listings[2], testSeed, false) : 0;
        // Only an evaluated test's deposit becomes collateral; its fee was paid at receipt time.
        if (b.testId != 0 && market.testStatus(b.testId) == ITestDrives.TestStatus.Evaluated) {
            (b.moved,) = _price(b.testId);
            // A deposit-backed bid must carry its possible penalty in ether (three bids in four do).
            uint256 bps = market.getAuction(b.auctionId).nonRevealPenaltyBps;
            if (extraSeed % 4 != 0 && bps < 10_000) {
                uint256 floor = (b.moved * bps + (10_000 - bps) - 1) / (10_000 - bps) + 1;
                if (b.value < floor) b.value = floor;
            }
        }
        if (b.bidder.balance < b.value) return;
        b.salt = keccak256(abi.encode("salt", b.auctionId, b.bidder));
        _commitBid(b);
    }

    function _commitBid(BidPlan memory b) private {
        bytes32 commitment = market.bidCommitment(b.amount, b.salt, b.bidder, b.auctionId);
        vm.prank(b.bidder);
        try market.commitBid{value: b.value}(b.auctionId, commitment, b.testId) {
            ok["commitBid"] += 1;
            paidIn[b.bidder] += b.value;
            _bidders[b.auctionId].push(b.bidder);
            _ghostBids[b.auctionId][b.bidder] = GhostBid(b.amount, uint96(b.value + b.moved), b.salt, false);
            if (market.getBid(b.auctionId, b.bidder).collateral != b.value + b.moved) _flag("bid collateral");
        } catch {}
    }

    /// The seller's own bid must always revert, with AuctionsSellerCannotBid while the auction
    /// commits (and never change a balance).
    function _sellerBids(uint256 auctionId) private {
        address seller = _actors[1];
        if (seller.balance < 1 ether) return;
        bool committing = market.auctionStatus(auctionId) == ISealedBidAuctions.AuctionStatus.Committing;
        bytes32 commitment = market.bidCommitment(1 ether, bytes32("shill"), seller, auctionId);
        vm.prank(seller);
        try market.commitBid{value: 1 ether}(auctionId, commitment, 0) {
            _flag("the seller bid in its own auction");
        } catch (bytes memory err) {
            if (!committing) return;
            bytes memory expected = abi.encodeWithSelector(ISealedBidAuctions.AuctionsSellerCannotBid.selector, auctionId);
            if (keccak256(err) != keccak256(expected)) _flag("seller bid reverted with another error");
            ok["sellerBidRejected"] += 1;
        }
    }

    function revealBid(uint256 auctionSeed, uint256 bidderSeed) external step("revealBid") {
        if (auctions.length == 0) return;
        uint256 auctionId = _pickAuction(auctionSeed, ISealedBidAuctions.AuctionStatus.Revealing);
        address[] storage list = _bidders[auctionId];
        if (list.length == 0) return;
        address a = list[bidderSeed % list.length];
        GhostBid storage g = _ghostBids[auctionId][a];
        bool open = market.auctionStatus(auctionId) == ISealedBidAuctions.AuctionStatus.Revealing;
        vm.prank(a);
        try market.revealBid(auctionId, g.amount, g.salt) {
            ok["revealBid"] += 1;
            g.revealed = true;
            _revealOrder[auctionId].push(a);
        } catch {
            if (open && !g.revealed) _flag("revealBid failed");
        }
    }

    function settleAuction(uint256 auctionSeed, uint256 callerSeed) external step("settleAuction") {
        if (auctions.length == 0) return;
        uint256 auctionId = _pickAuction(auctionSeed, ISealedBidAuctions.AuctionStatus.Settleable);
        vm.prank(_actors[callerSeed % ACTORS]);
        try market.settleAuction(auctionId) returns (uint256 purchaseId) {
            ok["settleAuction"] += 1;
            (address winner, uint256 price) = referenceOutcome(auctionId);
            if (winner == address(0)) {
                if (purchaseId != 0) _flag("purchase without a winner");
                return;
            }
            IFairExchange.Purchase memory p = market.getPurchase(purchaseId);
            if (p.buyer != winner) _flag("auction winner differs from the reference");
            if (p.price != price) _flag("auction price differs from the reference");
            purchases.push(purchaseId);
        } catch {}
    }

    function reclaimBid(uint256 auctionSeed, uint256 bidderSeed, uint256 callerSeed) external step("reclaimBid") {
        if (auctions.length == 0) return;
        uint256 auctionId = auctions[auctionSeed % auctions.length];
        address[] storage list = _bidders[auctionId];
        if (list.length == 0) return;
        address bidder = list[bidderSeed % list.length];
        GhostBid memory g = _ghostBids[auctionId][bidder];
        uint256 testId = market.getBid(auctionId, bidder).testId;
        vm.prank(callerSeed % 3 == 0 ? bidder : _actors[callerSeed % ACTORS]);
        try market.reclaimBid(auctionId, bidder) {
            ok["reclaimBid"] += 1;
            _creditRelease(auctionId, bidder, g, testId);
        } catch {}
    }

    /// Reference release of a bid: withheld and invalid bids pay the penalty, burned (to no
    /// actor: neither the winner nor the seller), the winner keeps its escrow in the purchase,
    /// and any test-drive deposit goes back to its test-drive, never to the bidder.
    function _creditRelease(uint256 auctionId, address bidder, GhostBid memory g, uint256 testId) private {
        uint256 deposit = testId == 0 ? 0 : _depositOf(testId);
        uint256 penalty = uint256(g.collateral) * market.getAuction(auctionId).nonRevealPenaltyBps / 10_000;
        (address winner, uint256 price) = referenceOutcome(auctionId);
        if (!g.revealed || g.amount > g.collateral) {
            entitled[bidder] += g.collateral - penalty - deposit;
            burned += penalty;
        } else if (bidder == winner) {
            entitled[bidder] += g.collateral - winnerEscrow(price, deposit, penalty);
            return;
        } else {
            entitled[bidder] += g.collateral - deposit;
        }
        if (testId != 0) _checkReturnedDeposit(testId);
    }

    /// The reference winner's escrow: the price, and at least its deposit plus its penalty.
    function winnerEscrow(uint256 price, uint256 deposit, uint256 penalty) public pure returns (uint256) {
        return price > deposit + penalty ? price : deposit + penalty;
    }

    function _depositOf(uint256 testId) private view returns (uint256 deposit) {
        (deposit,) = _price(testId);
    }

    /// @notice Reference auction outcome from the ghost reveals (in reveal order).
    function referenceOutcome(uint256 auctionId) public view returns (address winner, uint256 price) {
        address[] storage order = _revealOrder[auctionId];
        uint256 best;
        for (uint256 k = 0; k < order.length; ++k) {
            GhostBid storage g = _ghostBids[auctionId][order[k]];
            if (g.amount <= g.collateral && g.amount > best) (best, winner) = (g.amount, order[k]);
        }
        ISealedBidAuctions.Auction memory a = market.getAuction(auctionId);
        if (best == 0 || best < a.reservePrice) return (address(0), 0);
        if (a.kind == ISealedBidAuctions.AuctionKind.FirstPrice) return (winner, best);
        uint256 second;
        for (uint256 k = 0; k < order.length; ++k) {
            GhostBid storage g = _ghostBids[auctionId][order[k]];
            if (order[k] != winner && g.amount <= g.collateral && g.amount > second) second = g.amount;
        }
        price = second > a.reservePrice ? second : a.reservePrice;
    }

    // ------------------------------------------------------------------ ledger and clock

    function withdraw(uint256 actorSeed) external step("withdraw") {
        address a = _actors[actorSeed % ACTORS];
        uint256 amount = market.owed(a);
        uint256 before = a.balance;
        vm.prank(a);
        try market.withdraw() {
            ok["withdraw"] += 1;
            if (a.balance - before != amount) _flag("withdraw amount");
        } catch {
            if (amount != 0) _flag("withdraw failed");
        }
    }

    function warp(uint256 seconds_) external step("warp") {
        now_ += seconds_ % 8 == 0 ? 1 + seconds_ % 2 days : 1 + seconds_ % 40 minutes;
        vm.warp(now_);
    }

    // ------------------------------------------------------------------ internals

    /// Scans from a random offset for an item in the wanted status, else returns the random one
    /// (so out-of-status calls are exercised too).
    function _pickTest(uint256 seed, ITestDrives.TestStatus want) private view returns (uint256) {
        uint256 n = driveIds.length;
        for (uint256 k = 0; k < n; ++k) {
            uint256 id = driveIds[(seed + k) % n];
            if (market.testStatus(id) == want) return id;
        }
        return driveIds[seed % n];
    }

    function _pickPurchase(uint256 seed, IFairExchange.PurchaseStatus want, bool onlyBad) private view returns (uint256) {
        uint256 n = purchases.length;
        for (uint256 k = 0; k < n; ++k) {
            uint256 id = purchases[(seed + k) % n];
            if (market.purchaseStatus(id) == want && (!onlyBad || _bad[id])) return id;
        }
        return purchases[seed % n];
    }

    function _pickAuction(uint256 seed, ISealedBidAuctions.AuctionStatus want) private view returns (uint256) {
        uint256 n = auctions.length;
        for (uint256 k = 0; k < n; ++k) {
            uint256 id = auctions[(seed + k) % n];
            if (market.auctionStatus(id) == want) return id;
        }
        return auctions[seed % n];
    }

    function _list(address seller, bytes32 root, IModelRegistry.SaleMode mode, uint96 price) private returns (uint256) {
        IModelRegistry.ListingTerms memory terms = IModelRegistry.ListingTerms({
            modelRoot: root,
            modelSize: 64,
            task: IModelRegistry.TaskSpec(4, 3, 8, 12),
            claimedAccuracyBps: 9_000,
            testPolicy: IModelRegistry.TestPolicy(1 ether, 0.01 ether, 5, 1, 20, 3_600, 86_400),
            watermarkCommitment: keccak256("wm"),
            disputePolicy: economicsOnlyPolicy()
        });
        IModelRegistry.ListingOffer memory offer =
            IModelRegistry.ListingOffer("ipfs://card", keccak256("card"), mode, price, "http://worker", worker);
        vm.prank(seller);
        return registry.list(terms, offer);
    }

    /// The deposit and fee of `testId`, from the listing's immutable policy.
    function _price(uint256 testId) private view returns (uint256 deposit, uint256 fee) {
        ITestDrives.TestDrive memory t = market.getTest(testId);
        return market.testPrice(t.listingId, t.sampleCount);
    }

    function _sellerOf(uint256 listingId) private view returns (address seller) {
        (seller,,) = registry.testTerms(listingId);
    }

    /// A test of `a` on `listingId`: still holding its deposit (`forPurchase`) or with a receipt.
    function _findTest(address a, uint256 listingId, uint256 seed, bool forPurchase) private view returns (uint256) {
        uint256 n = driveIds.length;
        for (uint256 k = 0; k < n; ++k) {
            uint256 testId = driveIds[(seed + k) % n];
            ITestDrives.TestDrive memory t = market.getTest(testId);
            if (t.buyer != a || t.listingId != listingId) continue;
            ITestDrives.TestStatus s = market.testStatus(testId);
            if (forPurchase && (s == ITestDrives.TestStatus.AwaitingReceipt || s == ITestDrives.TestStatus.Evaluated)) {
                return testId;
            }
            // A bid qualifies with any test past its opening, except an unserved one.
            if (!forPurchase && t.phase != ITestDrives.TestPhase.Open && t.phase != ITestDrives.TestPhase.Unserved) {
                return testId;
            }
        }
        return 0;
    }

    function _ciphertext(bytes32 key, bool bad) private view returns (bytes32 root, bytes32[2] memory c) {
        c[0] = _chunks[0] ^ keccak256(abi.encode(key, uint256(0)));
        c[1] = _chunks[1] ^ keccak256(abi.encode(key, uint256(1))) ^ (bad ? bytes32(uint256(1)) : bytes32(0));
        root = _pair(_leaf(c[0]), _leaf(c[1]));
    }

    function _leaf(bytes32 chunk) private pure returns (bytes32) {
        return keccak256(abi.encode(chunk));
    }

    function _pair(bytes32 l, bytes32 r) private pure returns (bytes32) {
        return keccak256(abi.encodePacked(l, r));
    }

    function _flag(string memory reason) private {
        if (!mismatch) {
            mismatch = true;
            mismatchReason = reason;
        }
    }
}

/**
 * @title ModelMarketInvariantTest
 * @notice Invariant tests of the market's money, run by Hardhat 3's invariant runner over
 * {MarketHandler}: (a) the market's balance is exactly what it owes plus what open
 * test-drives (disputed ones included), bids and purchases hold; (b) no actor has received
 * more than it was entitled to, and received + owed equals the reference entitlement; (c) ether
 * is conserved (between the actors, the market and its refund disputes, which hold a claim's stake);
 * (d) every successful call matched the reference model (winner, price, statuses); (e) every
 * withheld or invalid bid's penalty is burned (credited to PENALTY_SINK, to no actor) and no
 * test-drive's dispute clock restarts when its deposit moves into a sale and back.
 */
contract ModelMarketInvariantTest {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    MarketHandler private handler;
    ModelMarket private market;

    function setUp() public {
        handler = new MarketHandler();
        market = handler.market();
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @notice The fuzzer's own callers: fixed addresses that are neither actors nor contracts,
    /// so a random sender can never be one of the accounts whose balances the invariants sum.
    function targetSenders() public pure returns (address[] memory senders) {
        senders = new address[](3);
        for (uint256 i = 0; i < senders.length; ++i) senders[i] = address(uint160(0xF0220000 + i));
    }

    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory s = new bytes4[](20);
        s[0] = MarketHandler.openTest.selector;
        s[1] = MarketHandler.recordReceipt.selector;
        s[2] = MarketHandler.claimRefund.selector;
        s[3] = MarketHandler.refundUnserved.selector;
        s[4] = MarketHandler.forfeitDeposit.selector;
        s[5] = MarketHandler.buy.selector;
        s[6] = MarketHandler.commitDelivery.selector;
        s[7] = MarketHandler.acceptDelivery.selector;
        s[8] = MarketHandler.rejectDelivery.selector;
        s[9] = MarketHandler.revealKey.selector;
        s[10] = MarketHandler.complain.selector;
        s[11] = MarketHandler.completePurchase.selector;
        s[12] = MarketHandler.refundPurchase.selector;
        s[13] = MarketHandler.createAuction.selector;
        s[14] = MarketHandler.commitBid.selector;
        s[15] = MarketHandler.revealBid.selector;
        s[16] = MarketHandler.settleAuction.selector;
        s[17] = MarketHandler.reclaimBid.selector;
        s[18] = MarketHandler.withdraw.selector;
        s[19] = MarketHandler.warp.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector(address(handler), s);
    }

    /// @notice What open test-drives, purchases and bids hold, from the market's own views.
    function held() public view returns (uint256 total) {
        for (uint256 i = 0; i < handler.driveCount(); ++i) {
            ITestDrives.TestDrive memory t = market.getTest(handler.driveIds(i));
            if (
                t.phase != ITestDrives.TestPhase.Open && t.phase != ITestDrives.TestPhase.Evaluated
                    && t.phase != ITestDrives.TestPhase.Disputed
            ) continue;
            (uint256 deposit, uint256 fee) = market.testPrice(t.listingId, t.sampleCount);
            // Open: deposit and fee; Evaluated or Disputed: the fee has gone to the seller.
            total += deposit + (t.phase == ITestDrives.TestPhase.Open ? fee : 0);
        }
        for (uint256 i = 0; i < handler.purchasesLength(); ++i) {
            IFairExchange.Purchase memory p = market.getPurchase(handler.purchases(i));
            if (p.settlement == IFairExchange.Settlement.Pending) total += uint256(p.price) + p.extra;
        }
        for (uint256 i = 0; i < handler.auctionsLength(); ++i) total += _auctionHeld(handler.auctions(i));
    }

    function _auctionHeld(uint256 auctionId) private view returns (uint256 total) {
        ISealedBidAuctions.Auction memory a = market.getAuction(auctionId);
        bool over = market.auctionStatus(auctionId) >= ISealedBidAuctions.AuctionStatus.Settleable;
        address winner = over && a.highestAmount > 0 && a.highestAmount >= a.reservePrice ? a.highestBidder : address(0);
        uint256 price = market.clearingPrice(auctionId);
        address[] memory list = handler.bidders(auctionId);
        for (uint256 k = 0; k < list.length; ++k) {
            ISealedBidAuctions.Bid memory b = market.getBid(auctionId, list[k]);
            if (list[k] != winner) {
                if (!b.reclaimed) total += b.collateral;
                continue;
            }
            uint256 deposit;
            if (b.testId != 0) {
                ITestDrives.TestDrive memory t = market.getTest(b.testId);
                (deposit,) = market.testPrice(t.listingId, t.sampleCount);
            }
            uint256 escrow = handler.winnerEscrow(price, deposit, uint256(b.collateral) * a.nonRevealPenaltyBps / 10_000);
            // The escrow moves into the purchase at settlement; the rest waits for the reclaim.
            if (!b.reclaimed) total += b.collateral - (a.settled ? escrow : 0);
            else if (!a.settled) total += escrow;
        }
    }

    /// What the market owes: the actors, and the burned penalties credited to its sink.
    function _owedTotal() private view returns (uint256 total) {
        for (uint256 i = 0; i < handler.ACTORS(); ++i) total += market.owed(handler.actor(i));
        total += market.owed(market.PENALTY_SINK());
    }

    /// hardhat-config: invariant.runs = 10
    /// hardhat-config: invariant.depth = 300
    function invariant_balanceIsOwedPlusHeld() public view {
        uint256 owedTotal = _owedTotal();
        uint256 h = held();
        require(address(market).balance == owedTotal + h, "market balance != sum(owed) + held");
    }

    /// hardhat-config: invariant.runs = 10
    /// hardhat-config: invariant.depth = 300
    function invariant_noActorReceivesMoreThanEntitled() public view {
        for (uint256 i = 0; i < handler.ACTORS(); ++i) {
            address a = handler.actor(i);
            uint256 received = a.balance + handler.paidIn(a) - handler.INITIAL_BALANCE();
            uint256 e = handler.entitled(a);
            require(received <= e, "an actor received more than it was entitled to");
            require(received + market.owed(a) == e, "received + owed != reference entitlement");
        }
    }

    /// hardhat-config: invariant.runs = 10
    /// hardhat-config: invariant.depth = 300
    function invariant_etherIsConserved() public view {
        uint256 total = address(market).balance + address(market.refundDisputes()).balance;
        for (uint256 i = 0; i < handler.ACTORS(); ++i) total += handler.actor(i).balance;
        require(total == handler.ACTORS() * handler.INITIAL_BALANCE(), "ether created or destroyed");
    }

    /// @notice Penalties are burned (the sink's credit is exactly the reference's, and nothing
    /// ever leaves it), and no deposit's dispute clock ever restarts: a test-drive that is
    /// Evaluated, or whose deposit sits in a purchase or a bid, still has the clock of its
    /// opening or receipt.
    /// hardhat-config: invariant.runs = 10
    /// hardhat-config: invariant.depth = 300
    function invariant_penaltiesBurnedAndClocksKept() public view {
        require(market.owed(market.PENALTY_SINK()) == handler.burned(), "burned penalties != reference");
        for (uint256 i = 0; i < handler.driveCount(); ++i) {
            uint256 testId = handler.driveIds(i);
            ITestDrives.TestDrive memory t = market.getTest(testId);
            if (
                t.phase == ITestDrives.TestPhase.Open || t.phase == ITestDrives.TestPhase.Evaluated
                    || t.phase == ITestDrives.TestPhase.AppliedToPurchase || t.phase == ITestDrives.TestPhase.AppliedToBid
            ) require(t.phaseStartedAt == handler.clockOf(testId), "a test-drive's dispute clock moved");
        }
    }

    /// hardhat-config: invariant.runs = 10
    /// hardhat-config: invariant.depth = 300
    function invariant_referenceModelAgrees() public view {
        if (handler.mismatch()) revert(handler.mismatchReason());
    }

    // ------------------------------------------------------------------ seeded sequences

    /// @notice The same invariants as a long seeded fuzz test: a random sequence of handler
    /// actions from a fuzzed seed, with every invariant checked after every step.
    /// hardhat-config: fuzz.runs = 6
    function testFuzz_seededSequenceKeepsInvariants(uint256 seed) public {
        _runSequence(seed, 60, 1);
    }

    /// @notice A fixed seed long enough to reach every action at least once, so the invariant
    /// runs above are known to exercise every payout path.
    function test_seededSequenceCoversEveryAction() public {
        _runSequence(20_250_601, 300, 25);
        string[23] memory names = [
            "openTest", "recordReceipt", "claimRefund", "refundUnserved", "forfeitDeposit", "buy",
            "commitDelivery", "commitCopyDelivery", "acceptDelivery", "rejectDelivery", "revealKey", "complain", "completePurchase",
            "refundPurchase", "createAuction", "commitBid", "revealBid", "settleAuction", "reclaimBid", "withdraw",
            "sellerBidRejected", "depositBackEvaluated", "closeDispute"
        ];
        for (uint256 i = 0; i < names.length; ++i) {
            require(handler.ok(bytes32(bytes(names[i]))) > 0, string.concat("never succeeded: ", names[i]));
        }
    }

    /// @notice A fixed seed whose sequence brings a deposit back from a sale after its dispute
    /// deadline passed (forfeitable at once, under the clock it left with), which the seed above
    /// does not reach.
    function test_seededSequenceReturnsADepositPastItsDeadline() public {
        _runSequence(7, 300, 25);
        require(handler.ok(bytes32("depositBackForfeitable")) > 0, "no deposit came back past its deadline");
    }

    function _runSequence(uint256 seed, uint256 steps, uint256 checkEvery) private {
        for (uint256 i = 0; i < steps; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            _dispatch(r % 20, uint256(keccak256(abi.encode(r, 1))), uint256(keccak256(abi.encode(r, 2))), uint256(keccak256(abi.encode(r, 3))));
            if ((i + 1) % checkEvery != 0) continue;
            invariant_balanceIsOwedPlusHeld();
            invariant_noActorReceivesMoreThanEntitled();
            invariant_etherIsConserved();
            invariant_penaltiesBurnedAndClocksKept();
            invariant_referenceModelAgrees();
        }
    }

    function _dispatch(uint256 action, uint256 x, uint256 y, uint256 z) private {
        if (action == 0) handler.openTest(x, y, z);
        else if (action == 1) handler.recordReceipt(x, y);
        else if (action == 2) handler.claimRefund(x, y);
        else if (action == 3) handler.refundUnserved(x, y);
        else if (action == 4) handler.forfeitDeposit(x, y);
        else if (action == 5) handler.buy(x, y, z, z % 2 == 0);
        else if (action == 6) handler.commitDelivery(x, y % 3 == 0);
        else if (action == 7) handler.acceptDelivery(x);
        else if (action == 8) handler.rejectDelivery(x);
        else if (action == 9) handler.revealKey(x);
        else if (action == 10) handler.complain(x, y);
        else if (action == 11) handler.completePurchase(x, y);
        else if (action == 12) handler.refundPurchase(x, y);
        else if (action == 13) handler.createAuction(uint96(x), uint16(y), z % 2 == 0, uint8(z >> 8));
        else if (action == 14) handler.commitBid(x, y, uint96(z), uint96(z >> 96), x >> 128);
        else if (action == 15) handler.revealBid(x, y);
        else if (action == 16) handler.settleAuction(x, y);
        else if (action == 17) handler.reclaimBid(x, y, z);
        else if (action == 18) handler.withdraw(x);
        else handler.warp(x);
    }
}
