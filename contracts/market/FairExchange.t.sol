// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IFairExchange} from "../interfaces/IFairExchange.sol";
import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {ITestDrives} from "../interfaces/ITestDrives.sol";
import {ChunkTreeBuilder} from "../test-utils/ChunkTreeBuilder.sol";
import {MarketTestBase} from "../test-utils/MarketTestBase.sol";
import {Vm, vm} from "../test-utils/Vm.sol";

/// @notice Fuzz tests of the purchase escrow: payment with and without a test deposit, the
/// deadline state machine against a reference, and complaints against honest and corrupted deliveries.
contract FairExchangeFuzzTest is MarketTestBase {
    struct Delivery {
        bytes32 key;
        bytes32[] ciphertext;
        bytes32 root;
    }

    function _delivery(bytes32 key, bool corrupt, uint256 badIndex) private view returns (Delivery memory d) {
        d.key = key;
        d.ciphertext = ChunkTreeBuilder.encrypt(modelChunks, key);
        if (corrupt) d.ciphertext[badIndex] ^= bytes32(uint256(1));
        d.root = ChunkTreeBuilder.root(ChunkTreeBuilder.leavesOf(d.ciphertext));
    }

    /// A complaint about chunk `index` of `d`, its plaintext proven against the tree of `plainLeaves`
    /// (the listed model's leaves, or a per-buyer copy's).
    function _complaint(Delivery memory d, bytes32[] memory plainLeaves, uint256 index)
        private
        pure
        returns (IFairExchange.Complaint memory c)
    {
        c.ciphertextRoot = d.root;
        c.key = d.key;
        c.index = index;
        c.ciphertextChunk = d.ciphertext[index];
        c.ciphertextProof = ChunkTreeBuilder.proof(ChunkTreeBuilder.leavesOf(d.ciphertext), index);
        c.plaintextLeaf = plainLeaves[index];
        c.plaintextProof = ChunkTreeBuilder.proof(plainLeaves, index);
    }

    function _buy(uint256 listingId, uint96 price) private returns (uint256 purchaseId) {
        vm.deal(BUYER, BUYER.balance + price);
        vm.prank(BUYER);
        purchaseId = market.buy{value: price}(listingId, 0, price);
    }

    function _commit(uint256 purchaseId, Delivery memory d) private {
        vm.prank(SELLER);
        market.commitDelivery(purchaseId, d.root, keccak256(abi.encode(d.key)));
    }

    function _status(uint256 purchaseId) private view returns (uint256) {
        return uint256(market.purchaseStatus(purchaseId));
    }

    function _expectStatus(uint256 purchaseId, IFairExchange.PurchaseStatus s) private {
        vm.expectRevert(abi.encodeWithSelector(IFairExchange.FairExchangeInvalidStatus.selector, purchaseId, s));
    }

    // ------------------------------------------------------------------ buy

    struct BuyCase {
        uint96 price;
        uint96 deposit;
        bool useTest;
        uint256 listingId;
        uint256 testId;
        uint256 fee;
        bool evaluated;
        uint256 applied;
        uint256 due;
    }

    function testFuzz_buyChargesPriceMinusAppliedDeposit(uint96 price, uint96 deposit, bool useTest, bool evaluated, uint256 delta)
        public
    {
        BuyCase memory b;
        b.price = uint96(_bound(price, 1, 1e24));
        b.deposit = uint96(_bound(deposit, 1, 1e24));
        b.useTest = useTest;
        IModelRegistry.TestPolicy memory p = _policy();
        p.deposit = b.deposit;
        b.listingId = _listAs(SELLER, _terms(p, _task(), 9_000), _offer(IModelRegistry.SaleMode.FixedPrice, b.price));
        if (useTest) {
            b.testId = _openTest(BUYER, b.listingId, 150);
            b.fee = _fee(p, 150);
            b.evaluated = evaluated;
            if (evaluated) _receipt(b.testId); // the fee is credited to the seller now
            _eq(market.owed(SELLER), evaluated ? b.fee : 0, "fee paid at receipt time only");
            b.applied = b.deposit >= b.price ? b.price : b.deposit; // reference: min(deposit, price)
        }
        b.due = b.price - b.applied;
        vm.deal(BUYER, b.due + 1e24 + 1);
        _checkWrongPayments(b, delta);
        _checkBuy(b);
    }

    function _checkWrongPayments(BuyCase memory b, uint256 delta) private {
        uint256 wrong = b.due + _bound(delta, 1, 1e24);
        vm.expectRevert(abi.encodeWithSelector(IFairExchange.FairExchangeIncorrectPayment.selector, wrong, b.due));
        vm.prank(BUYER);
        market.buy{value: wrong}(b.listingId, b.testId, b.price);
        if (b.due > 0) {
            wrong = b.due - _bound(delta, 1, b.due);
            vm.expectRevert(abi.encodeWithSelector(IFairExchange.FairExchangeIncorrectPayment.selector, wrong, b.due));
            vm.prank(BUYER);
            market.buy{value: wrong}(b.listingId, b.testId, b.price);
        }
    }

    function _checkBuy(BuyCase memory b) private {
        vm.recordLogs();
        vm.prank(BUYER);
        uint256 purchaseId = market.buy{value: b.due}(b.listingId, b.testId, b.price);
        if (b.useTest) {
            // TestClosed(AppliedToPurchase, deposit moved, fee credited now): the fee only if no receipt paid it.
            Vm.Log[] memory closed = _marketLogs(ITestDrives.TestClosed.selector);
            _eq(closed.length, 1, "one TestClosed");
            _eq(uint256(closed[0].topics[2]), uint256(ITestDrives.TestPhase.AppliedToPurchase), "TestClosed outcome");
            (uint256 toBuyer, uint256 toSeller) = abi.decode(closed[0].data, (uint256, uint256));
            _eq(toBuyer, b.deposit, "TestClosed toBuyer = deposit moved");
            _eq(toSeller, b.evaluated ? 0 : b.fee, "TestClosed toSeller = the unpaid fee");
        }
        IFairExchange.Purchase memory pur = market.getPurchase(purchaseId);
        _eq(pur.price, b.price, "escrowed price");
        _eq(pur.buyer, BUYER, "buyer");
        _eq(pur.seller, SELLER, "seller");
        // A deposit larger than the price stays in escrow: its excess is the buyer's only once the purchase completes.
        _eq(pur.extra, b.useTest ? b.deposit - b.applied : 0, "excess deposit kept in escrow");
        _eq(pur.testId, b.testId, "the deposit's test-drive");
        _eq(market.owed(BUYER), 0, "nothing back before the purchase ends");
        _eq(market.owed(SELLER), b.fee, "test fee credited to the seller exactly once");
        _eq(pur.createdAt, block.timestamp, "createdAt");
        _eq(pur.listingId, b.listingId, "listingId");
        _eq(address(market).balance, uint256(b.price) + pur.extra + market.owed(SELLER), "held == escrow + owed");
        if (b.useTest) {
            _eq(_phase(b.testId), uint256(ITestDrives.TestPhase.AppliedToPurchase), "phase");
            _eq(market.getTest(b.testId).phaseStartedAt, block.timestamp, "phaseStartedAt");
            // The deposit cannot be used twice.
            vm.expectRevert(
                abi.encodeWithSelector(ITestDrives.TestDrivesInvalidStatus.selector, b.testId, ITestDrives.TestStatus.Closed)
            );
            vm.prank(BUYER);
            market.buy{value: b.price}(b.listingId, b.testId, b.price);
        }
    }

    /// The buyer names the price it agreed to; a seller who changes it (e.g. front-running the
    /// buy, or raising it up to a deposit that covers the price) makes the purchase revert.
    function testFuzz_buyRefusesAnyPriceButTheAgreedOne(uint96 shown, uint96 raised, bool useTest) public {
        shown = uint96(_bound(shown, 1, 10 ether));
        raised = uint96(_bound(raised, 1, 10 ether));
        vm.assume(raised != shown);
        uint256 listingId = _listFixed(shown);
        uint256 testId = useTest ? _openTest(BUYER, listingId, 50) : 0;
        // The seller reprices between what the buyer saw and its transaction.
        IModelRegistry.ListingOffer memory offer = _offer(IModelRegistry.SaleMode.FixedPrice, raised);
        vm.prank(SELLER);
        registry.updateOffer(listingId, offer);
        uint256 due = useTest ? (shown > 1 ether ? shown - 1 ether : 0) : shown;
        vm.deal(BUYER, due);
        vm.expectRevert(abi.encodeWithSelector(IFairExchange.FairExchangePriceChanged.selector, listingId, raised, shown));
        vm.prank(BUYER);
        market.buy{value: due}(listingId, testId, shown);
        _eq(BUYER.balance, due, "nothing taken");
        if (useTest) _eq(_phase(testId), uint256(ITestDrives.TestPhase.Open), "deposit untouched");
    }

    /// A deposit applied to a purchase goes back under the test-drive's rule when the purchase
    /// is refunded, whatever the reason, never to the buyer: rejecting the delivery, or letting
    /// the delivery deadline pass, used to return the whole price, deposit included, for free.
    /// It comes back under the dispute deadline it had before the sale (receipt + dispute
    /// window), never a fresh one: Evaluated until then, forfeitable to the seller after.
    function testFuzz_refundedPurchaseReturnsTheDepositToItsTestDrive(uint96 price, uint8 how, bytes32 key, uint32 left)
        public
    {
        price = uint96(_bound(price, 0.1 ether, 3 ether)); // at, below or above the 1 ether deposit
        how = uint8(how % 3);
        uint256 listingId = _listFixed(price);
        uint256 testId = _openTest(BUYER, listingId, 150);
        _receipt(testId);
        uint256 receivedAt = block.timestamp;
        uint256 deadline = receivedAt + 86_400;
        uint256 sellerFee = market.owed(SELLER);
        // Buy with `left` seconds of the dispute window to go; the refund below comes back
        // DELIVERY_WINDOW later (how == 0) or in the same block (how == 1, 2).
        vm.warp(deadline - _bound(left, 1, 86_400));
        uint256 due = price > 1 ether ? price - 1 ether : 0;
        vm.deal(BUYER, due);
        vm.prank(BUYER);
        uint256 purchaseId = market.buy{value: due}(listingId, testId, price);
        _eq(market.getTest(testId).phaseStartedAt, receivedAt, "applying the deposit keeps its clock");
        if (how == 0) {
            vm.warp(block.timestamp + DELIVERY_WINDOW);
            market.refundPurchase(purchaseId); // anyone, after the seller missed its deadline
        } else {
            Delivery memory d = _delivery(key, how == 2, 0);
            _commit(purchaseId, d);
            if (how == 1) {
                vm.prank(BUYER);
                market.rejectDelivery(purchaseId);
            } else {
                vm.prank(BUYER);
                market.acceptDelivery(purchaseId);
                vm.prank(SELLER);
                market.revealKey(purchaseId, d.root, d.key);
                market.complain(purchaseId, _complaint(d, ChunkTreeBuilder.leavesOf(modelChunks), 0));
            }
        }
        // (sent at once when the buyer itself rejects, credited otherwise)
        _eq(BUYER.balance + market.owed(BUYER), due, "only the buyer's own ether comes back");
        _eq(_phase(testId), uint256(ITestDrives.TestPhase.Evaluated), "the deposit is held by its test-drive again");
        _eq(market.getTest(testId).phaseStartedAt, receivedAt, "the clock is still the receipt's: no fresh window");
        _eq(
            uint256(market.testStatus(testId)),
            uint256(block.timestamp < deadline ? ITestDrives.TestStatus.Evaluated : ITestDrives.TestStatus.Forfeitable),
            "Evaluated until the old deadline, forfeitable from it"
        );
        // From here the test-drive's own rule: no proof, so the seller takes the deposit at the old deadline.
        if (block.timestamp < deadline) {
            vm.warp(deadline - 1);
            vm.expectRevert(
                abi.encodeWithSelector(ITestDrives.TestDrivesInvalidStatus.selector, testId, ITestDrives.TestStatus.Evaluated)
            );
            market.forfeitDeposit(testId);
            vm.warp(deadline);
        }
        market.forfeitDeposit(testId);
        _eq(market.owed(SELLER), sellerFee + 1 ether, "forfeited to the seller");
        _eq(address(market).balance, market.owed(BUYER) + market.owed(SELLER), "nothing else held");
    }

    /// A deposit whose dispute deadline passed while it sat in a purchase is forfeitable the
    /// moment the purchase is refunded: the buyer can no longer prove anything, and the seller
    /// may take it in the same block.
    function test_depositBackAfterItsDeadlineIsForfeitableAtOnce() public {
        uint256 listingId = _listFixed(0.5 ether);
        uint256 testId = _openTest(BUYER, listingId, 150);
        _receipt(testId);
        uint256 deadline = block.timestamp + 86_400;
        vm.warp(deadline - 60); // a minute of the dispute window left
        vm.prank(BUYER);
        uint256 purchaseId = market.buy(listingId, testId, 0.5 ether);
        vm.warp(block.timestamp + DELIVERY_WINDOW); // the deadline passes during the sale
        market.refundPurchase(purchaseId);
        _eq(uint256(market.testStatus(testId)), uint256(ITestDrives.TestStatus.Forfeitable), "forfeitable at once");
        ITestDrives.Groth16Proof memory proof = _claimProof(testId, 100);
        uint256 stake = _claimValue(testId);
        vm.deal(BUYER, BUYER.balance + stake);
        vm.expectRevert(
            abi.encodeWithSelector(ITestDrives.TestDrivesInvalidStatus.selector, testId, ITestDrives.TestStatus.Forfeitable)
        );
        vm.prank(BUYER);
        refundDisputes.claimRefund{value: stake}(testId, 100, PREDICTIONS, _hb(), proof);
        uint256 before = market.owed(SELLER);
        vm.prank(MALLORY); // anyone, in the same block as the refund
        market.forfeitDeposit(testId);
        _eq(market.owed(SELLER) - before, 1 ether, "the deposit to the seller");
        _eq(market.owed(BUYER), 0, "nothing to the buyer");
    }

    /// A deposit applied to a purchase before any receipt (the unpaid fee goes to the seller)
    /// comes back with the opening time as its clock: Evaluated until opening + dispute window.
    function test_depositAppliedBeforeAnyReceiptComesBackWithTheOpeningTimeAsItsClock() public {
        uint256 listingId = _listFixed(2 ether);
        uint256 testId = _openTest(BUYER, listingId, 150);
        uint256 openedAt = block.timestamp;
        vm.warp(openedAt + 1_000); // still awaiting its receipt (service window 3,600)
        vm.deal(BUYER, 1 ether);
        vm.prank(BUYER);
        uint256 purchaseId = market.buy{value: 1 ether}(listingId, testId, 2 ether);
        _eq(market.owed(SELLER), 0.05 ether, "the unpaid fee (50 extra samples) to the seller");
        _eq(market.getTest(testId).phaseStartedAt, openedAt, "applied: the opening time is kept");
        vm.warp(block.timestamp + DELIVERY_WINDOW);
        market.refundPurchase(purchaseId);
        _eq(_phase(testId), uint256(ITestDrives.TestPhase.Evaluated), "the deposit is the test-drive's again");
        _eq(market.getTest(testId).phaseStartedAt, openedAt, "its clock is the opening");
        vm.warp(openedAt + 86_400 - 1);
        _eq(uint256(market.testStatus(testId)), uint256(ITestDrives.TestStatus.Evaluated), "until opening + dispute window");
        vm.warp(openedAt + 86_400);
        _eq(uint256(market.testStatus(testId)), uint256(ITestDrives.TestStatus.Forfeitable), "forfeitable from then");
        market.forfeitDeposit(testId);
        _eq(market.owed(SELLER), 0.05 ether + 1 ether, "fee and deposit to the seller");
        _eq(market.owed(BUYER), 1 ether, "the buyer's own ether back");
    }

    /// A deposit larger than the price: the seller gets the price and the buyer the excess when
    /// the purchase completes.
    function test_completedPurchaseReturnsTheExcessDeposit() public {
        uint256 listingId = _listFixed(0.25 ether);
        uint256 testId = _openTest(BUYER, listingId, 50);
        _receipt(testId);
        vm.prank(BUYER);
        uint256 purchaseId = market.buy(listingId, testId, 0.25 ether);
        Delivery memory d = _delivery(bytes32("k"), false, 0);
        _commit(purchaseId, d);
        vm.warp(block.timestamp + ACCEPT_WINDOW);
        vm.prank(SELLER);
        market.revealKey(purchaseId, d.root, d.key);
        vm.warp(block.timestamp + COMPLAINT_WINDOW);
        market.completePurchase(purchaseId);
        _eq(market.owed(SELLER), 0.25 ether, "price to the seller");
        _eq(market.owed(BUYER), 0.75 ether, "the deposit beyond the price to the buyer");
    }

    /// Whoever holds the key may reveal it (the seller's worker does, when the buyer accepts);
    /// a key that does not open the commitment is refused whoever sends it.
    function testFuzz_anyoneHoldingTheKeyMayRevealIt(address revealer, bytes32 key) public {
        vm.assume(key != bytes32(0));
        uint256 purchaseId = _buy(_listFixed(1 ether), 1 ether);
        Delivery memory d = _delivery(key, false, 0);
        _commit(purchaseId, d);
        vm.prank(BUYER);
        market.acceptDelivery(purchaseId);
        vm.prank(revealer);
        vm.expectRevert(abi.encodeWithSelector(IFairExchange.FairExchangeCommitmentMismatch.selector, purchaseId));
        market.revealKey(purchaseId, d.root, keccak256(abi.encode(key)));
        vm.prank(revealer);
        market.revealKey(purchaseId, d.root, d.key);
        _eq(_status(purchaseId), uint256(IFairExchange.PurchaseStatus.ComplaintWindow), "revealed");
    }

    /// A buyer that verified every chunk pays the seller at once; nobody else can cut its
    /// complaint window short.
    function testFuzz_onlyTheBuyerCompletesDuringTheComplaintWindow(address other) public {
        vm.assume(other != BUYER);
        uint256 purchaseId = _buy(_listFixed(1 ether), 1 ether);
        Delivery memory d = _delivery(bytes32("k"), false, 0);
        _commit(purchaseId, d);
        vm.prank(BUYER);
        market.acceptDelivery(purchaseId);
        vm.prank(SELLER);
        market.revealKey(purchaseId, d.root, d.key);
        vm.prank(other);
        vm.expectRevert(
            abi.encodeWithSelector(
                IFairExchange.FairExchangeInvalidStatus.selector, purchaseId, IFairExchange.PurchaseStatus.ComplaintWindow
            )
        );
        market.completePurchase(purchaseId);
        vm.prank(BUYER);
        market.completePurchase(purchaseId);
        _eq(_status(purchaseId), uint256(IFairExchange.PurchaseStatus.Completed), "completed");
        _eq(market.owed(SELLER), 1 ether, "the price to the seller at once");
    }

    function testFuzz_buyRejectsSomeoneElsesTestDrive(address thief) public {
        vm.assume(thief != BUYER && uint160(thief) > 0xffff && thief.code.length == 0 && thief != address(vm));
        uint256 listingId = _listFixed(5 ether);
        uint256 testId = _openTest(BUYER, listingId, 50);
        vm.deal(thief, 4 ether);
        vm.expectRevert(abi.encodeWithSelector(ITestDrives.TestDrivesNotBuyer.selector, testId, thief));
        vm.prank(thief);
        market.buy{value: 4 ether}(listingId, testId, 5 ether);
    }

    // ------------------------------------------------------------------ deadlines

    function testFuzz_deadlinesMatchReference(uint32 d1, uint32 d2, uint32 d3, bool acceptEarly, address keeper) public {
        vm.assume(keeper != BUYER && keeper != SELLER && uint160(keeper) > 0xffff && keeper.code.length == 0);
        uint96 price = 5 ether;
        uint256 purchaseId = _buy(_listFixed(price), price);
        uint256 t0 = block.timestamp;

        d1 = uint32(_bound(d1, 0, 2 * uint256(DELIVERY_WINDOW)));
        vm.warp(t0 + d1);
        Delivery memory d = _delivery(keccak256(abi.encode(d1, d2)), false, 0);
        if (d1 >= DELIVERY_WINDOW) {
            _eq(_status(purchaseId), uint256(IFairExchange.PurchaseStatus.DeliveryOverdue), "delivery overdue");
            _expectStatus(purchaseId, IFairExchange.PurchaseStatus.DeliveryOverdue);
            vm.prank(SELLER);
            market.commitDelivery(purchaseId, d.root, keccak256(abi.encode(d.key)));
            vm.prank(keeper);
            market.refundPurchase(purchaseId);
            _eq(market.owed(BUYER), price, "refund after missed delivery");
            return;
        }
        _expectStatus(purchaseId, IFairExchange.PurchaseStatus.AwaitingDelivery);
        market.refundPurchase(purchaseId);
        _commit(purchaseId, d);
        uint256 committedAt = block.timestamp;
        if (acceptEarly) {
            vm.prank(BUYER);
            market.acceptDelivery(purchaseId);
        }

        d2 = uint32(_bound(d2, 0, 2 * uint256(ACCEPT_WINDOW + REVEAL_WINDOW)));
        vm.warp(committedAt + d2);
        if (!acceptEarly && d2 < ACCEPT_WINDOW) {
            _eq(_status(purchaseId), uint256(IFairExchange.PurchaseStatus.AwaitingAcceptance), "awaiting acceptance");
            _expectStatus(purchaseId, IFairExchange.PurchaseStatus.AwaitingAcceptance);
            vm.prank(SELLER);
            market.revealKey(purchaseId, d.root, d.key);
            vm.expectRevert(abi.encodeWithSelector(IFairExchange.FairExchangeNotBuyer.selector, purchaseId, keeper));
            vm.prank(keeper);
            market.rejectDelivery(purchaseId);
            vm.prank(BUYER);
            market.rejectDelivery(purchaseId);
            _eq(BUYER.balance, price, "rejecting buyer paid back directly");
            return;
        }
        if (d2 >= uint256(ACCEPT_WINDOW) + REVEAL_WINDOW) {
            _eq(_status(purchaseId), uint256(IFairExchange.PurchaseStatus.KeyOverdue), "key overdue");
            _expectStatus(purchaseId, IFairExchange.PurchaseStatus.KeyOverdue);
            vm.prank(SELLER);
            market.revealKey(purchaseId, d.root, d.key);
            vm.prank(keeper);
            market.refundPurchase(purchaseId);
            _eq(market.owed(BUYER), price, "refund after missed key");
            return;
        }
        _eq(_status(purchaseId), uint256(IFairExchange.PurchaseStatus.AwaitingKey), "awaiting key");
        vm.expectRevert(abi.encodeWithSelector(IFairExchange.FairExchangeCommitmentMismatch.selector, purchaseId));
        vm.prank(SELLER);
        market.revealKey(purchaseId, d.root, ~d.key);
        vm.prank(SELLER);
        market.revealKey(purchaseId, d.root, d.key);
        uint256 revealedAt = block.timestamp;

        d3 = uint32(_bound(d3, 0, 2 * uint256(COMPLAINT_WINDOW)));
        vm.warp(revealedAt + d3);
        if (d3 < COMPLAINT_WINDOW) {
            _expectStatus(purchaseId, IFairExchange.PurchaseStatus.ComplaintWindow);
            market.completePurchase(purchaseId);
            // An honest delivery cannot be complained about, at any chunk.
            IFairExchange.Complaint memory c = _complaint(d, ChunkTreeBuilder.leavesOf(modelChunks), d3 % MODEL_CHUNKS);
            vm.expectRevert(abi.encodeWithSelector(IFairExchange.FairExchangeChunkIsCorrect.selector, purchaseId, c.index));
            vm.prank(BUYER);
            market.complain(purchaseId, c);
            return;
        }
        _expectStatus(purchaseId, IFairExchange.PurchaseStatus.Completable);
        market.refundPurchase(purchaseId);
        vm.prank(keeper);
        market.completePurchase(purchaseId);
        _eq(market.owed(SELLER), price, "seller credited the price");
        _eq(market.owed(BUYER), 0, "buyer gets nothing");
        _expectStatus(purchaseId, IFairExchange.PurchaseStatus.Completed);
        market.completePurchase(purchaseId);
        _eq(address(market).balance, price, "paid once");
    }

    // ------------------------------------------------------------------ complaints

    function testFuzz_complaintUpheldOnlyForTheCorruptedChunk(
        bytes32 key,
        bool corrupt,
        uint256 badIndex,
        uint256 index,
        address submitter
    ) public {
        vm.assume(submitter != BUYER && submitter != SELLER && uint160(submitter) > 0xffff && submitter.code.length == 0);
        badIndex = badIndex % MODEL_CHUNKS;
        index = index % MODEL_CHUNKS;
        uint96 price = 3 ether;
        uint256 purchaseId = _buy(_listFixed(price), price);
        Delivery memory d = _delivery(key, corrupt, badIndex);
        _commit(purchaseId, d);
        vm.prank(BUYER);
        market.acceptDelivery(purchaseId);
        vm.prank(SELLER);
        market.revealKey(purchaseId, d.root, d.key);

        IFairExchange.Complaint memory c = _complaint(d, ChunkTreeBuilder.leavesOf(modelChunks), index);
        // A complaint whose paths are claimed for another position never verifies.
        IFairExchange.Complaint memory moved = _complaint(d, ChunkTreeBuilder.leavesOf(modelChunks), index);
        moved.index = (index + 1) % MODEL_CHUNKS;
        vm.expectRevert(abi.encodeWithSelector(IFairExchange.FairExchangeInvalidMerkleProof.selector, purchaseId));
        market.complain(purchaseId, moved);
        // Nor with a key that does not open the commitment.
        IFairExchange.Complaint memory wrongKey = _complaint(d, ChunkTreeBuilder.leavesOf(modelChunks), index);
        wrongKey.key = ~d.key;
        vm.expectRevert(abi.encodeWithSelector(IFairExchange.FairExchangeCommitmentMismatch.selector, purchaseId));
        market.complain(purchaseId, wrongKey);

        if (!corrupt || index != badIndex) {
            vm.expectRevert(abi.encodeWithSelector(IFairExchange.FairExchangeChunkIsCorrect.selector, purchaseId, index));
            vm.prank(submitter);
            market.complain(purchaseId, c);
            return;
        }
        vm.prank(submitter); // anyone may submit; the refund goes to the buyer
        market.complain(purchaseId, c);
        _eq(market.owed(BUYER), price, "buyer refunded");
        _eq(market.owed(submitter), 0, "submitter gets nothing");
        _eq(uint256(market.getPurchase(purchaseId).settlement), uint256(IFairExchange.Settlement.Refunded), "refunded");
        _expectStatus(purchaseId, IFairExchange.PurchaseStatus.Refunded);
        market.complain(purchaseId, c);
    }

    // ------------------------------------------------------------------ per-buyer copies

    uint64 private constant COPY_SIZE = 200; // 7 chunks: a tree one level deeper than the listed model's

    function _copyChunks() private pure returns (bytes32[] memory chunks) {
        chunks = new bytes32[](7);
        for (uint256 i = 0; i < chunks.length; ++i) chunks[i] = keccak256(abi.encode("copy chunk", i));
    }

    function _commitCopy(uint256 purchaseId, bytes32 key, bool corrupt, uint256 badIndex)
        private
        returns (Delivery memory d, bytes32[] memory copyLeaves)
    {
        bytes32[] memory chunks = _copyChunks();
        copyLeaves = ChunkTreeBuilder.leavesOf(chunks);
        d.key = key;
        d.ciphertext = ChunkTreeBuilder.encrypt(chunks, key);
        if (corrupt) d.ciphertext[badIndex] ^= bytes32(uint256(1));
        d.root = ChunkTreeBuilder.root(ChunkTreeBuilder.leavesOf(d.ciphertext));
        vm.prank(SELLER);
        market.commitCopyDelivery(purchaseId, d.root, keccak256(abi.encode(key)), ChunkTreeBuilder.root(copyLeaves), COPY_SIZE);
    }

    /// A copy's chunks are proven against the copy root the seller committed for this purchase:
    /// a corrupted chunk refunds, a correct one does not, and the listing's own model tree no
    /// longer proves anything about this delivery.
    function testFuzz_copyComplaintsProveAgainstTheCommittedCopy(bytes32 key, bool corrupt, uint256 badIndex, uint256 index)
        public
    {
        badIndex = badIndex % 7;
        index = index % 7;
        uint96 price = 2 ether;
        uint256 purchaseId = _buy(_listFixed(price), price);
        (Delivery memory d, bytes32[] memory copyLeaves) = _commitCopy(purchaseId, key, corrupt, badIndex);
        IFairExchange.Purchase memory p = market.getPurchase(purchaseId);
        _eq(p.copyRoot, ChunkTreeBuilder.root(copyLeaves), "copy root stored");
        _eq(p.copySize, COPY_SIZE, "copy size stored");
        vm.prank(BUYER);
        market.acceptDelivery(purchaseId);
        vm.prank(SELLER);
        market.revealKey(purchaseId, d.root, d.key);

        // The listed model's leaf and path (depth 2) do not verify against the copy (depth 3).
        IFairExchange.Complaint memory listed = _complaint(d, copyLeaves, index % MODEL_CHUNKS);
        bytes32[] memory modelLeaves = ChunkTreeBuilder.leavesOf(modelChunks);
        listed.plaintextLeaf = modelLeaves[index % MODEL_CHUNKS];
        listed.plaintextProof = ChunkTreeBuilder.proof(modelLeaves, index % MODEL_CHUNKS);
        vm.expectRevert(abi.encodeWithSelector(IFairExchange.FairExchangeInvalidMerkleProof.selector, purchaseId));
        market.complain(purchaseId, listed);

        IFairExchange.Complaint memory c = _complaint(d, copyLeaves, index);
        if (!corrupt || index != badIndex) {
            vm.expectRevert(abi.encodeWithSelector(IFairExchange.FairExchangeChunkIsCorrect.selector, purchaseId, index));
            market.complain(purchaseId, c);
            return;
        }
        vm.recordLogs();
        market.complain(purchaseId, c);
        Vm.Log[] memory upheld = _marketLogs(IFairExchange.ComplaintUpheld.selector);
        _eq(upheld.length, 1, "one ComplaintUpheld");
        _eq(abi.decode(upheld[0].data, (uint256)), index, "the corrupted chunk");
        _eq(market.owed(BUYER), price, "buyer refunded");
    }

    /// Attack: after the sale the seller commits, as the buyer's "copy", any bytes with their own
    /// root (bytes nobody tested), and waits out the acceptance window. Were silence to accept a
    /// copy, the key would be revealed, every chunk would match the seller's chosen root, no
    /// complaint could refund and the seller would be paid. A copy is accepted only explicitly
    /// (the buyer's clients accept only a copy their test-drive was evaluated with): silence
    /// leaves its key unrevealable and the purchase refundable, penalty-free, at the acceptance deadline.
    function test_silenceNeverAcceptsACopy() public {
        uint96 price = 2 ether;
        uint256 purchaseId = _buy(_listFixed(price), price);
        (Delivery memory d,) = _commitCopy(purchaseId, bytes32("k"), false, 0);
        vm.warp(block.timestamp + ACCEPT_WINDOW - 1);
        _eq(_status(purchaseId), uint256(IFairExchange.PurchaseStatus.AwaitingAcceptance), "AwaitingAcceptance");
        vm.warp(block.timestamp + 1);
        _eq(_status(purchaseId), uint256(IFairExchange.PurchaseStatus.KeyOverdue), "KeyOverdue");
        vm.prank(SELLER);
        vm.expectRevert(
            abi.encodeWithSelector(IFairExchange.FairExchangeInvalidStatus.selector, purchaseId, IFairExchange.PurchaseStatus.KeyOverdue)
        );
        market.revealKey(purchaseId, d.root, d.key);
        vm.prank(BUYER);
        vm.expectRevert(
            abi.encodeWithSelector(IFairExchange.FairExchangeInvalidStatus.selector, purchaseId, IFairExchange.PurchaseStatus.KeyOverdue)
        );
        market.acceptDelivery(purchaseId);
        market.refundPurchase(purchaseId);
        _eq(_status(purchaseId), uint256(IFairExchange.PurchaseStatus.Refunded), "Refunded");
        _eq(market.owed(BUYER), price, "the buyer refunded in full");
        _eq(market.owed(SELLER), 0, "the seller paid nothing");
    }

    /// An explicitly accepted copy keeps the listed model's key deadline: accepted, the seller
    /// may reveal until the acceptance and reveal windows have passed.
    function test_anAcceptedCopyIsRevealedAsTheListedModel() public {
        uint96 price = 2 ether;
        uint256 purchaseId = _buy(_listFixed(price), price);
        (Delivery memory d,) = _commitCopy(purchaseId, bytes32("k"), false, 0);
        vm.prank(BUYER);
        market.acceptDelivery(purchaseId);
        vm.warp(block.timestamp + ACCEPT_WINDOW + REVEAL_WINDOW - 1);
        _eq(_status(purchaseId), uint256(IFairExchange.PurchaseStatus.AwaitingKey), "AwaitingKey");
        vm.prank(SELLER);
        market.revealKey(purchaseId, d.root, d.key);
        _eq(_status(purchaseId), uint256(IFairExchange.PurchaseStatus.ComplaintWindow), "ComplaintWindow");
    }

    function test_copyCommitmentIsTheSellersAndNeverEmpty() public {
        uint96 price = 1 ether;
        uint256 purchaseId = _buy(_listFixed(price), price);
        bytes32 root = keccak256("copy");
        bytes32 keyHash = keccak256("key");
        vm.prank(SELLER);
        vm.expectRevert(IFairExchange.FairExchangeEmptyCommitment.selector);
        market.commitCopyDelivery(purchaseId, root, keyHash, bytes32(0), COPY_SIZE);
        vm.prank(SELLER);
        vm.expectRevert(IFairExchange.FairExchangeEmptyCommitment.selector);
        market.commitCopyDelivery(purchaseId, root, keyHash, root, 0);
        vm.prank(SELLER);
        vm.expectRevert(IFairExchange.FairExchangeEmptyCommitment.selector);
        market.commitCopyDelivery(purchaseId, bytes32(0), keyHash, root, COPY_SIZE);
        vm.prank(BUYER);
        vm.expectRevert(abi.encodeWithSelector(IFairExchange.FairExchangeNotSeller.selector, purchaseId, BUYER));
        market.commitCopyDelivery(purchaseId, root, keyHash, root, COPY_SIZE);

        vm.recordLogs();
        vm.prank(SELLER);
        market.commitCopyDelivery(purchaseId, root, keyHash, root, COPY_SIZE);
        Vm.Log[] memory copies = _marketLogs(IFairExchange.CopyCommitted.selector);
        _eq(copies.length, 1, "one CopyCommitted");
        (bytes32 loggedRoot, uint64 loggedSize) = abi.decode(copies[0].data, (bytes32, uint64));
        _eq(loggedRoot, root, "CopyCommitted root");
        _eq(loggedSize, COPY_SIZE, "CopyCommitted size");
        _eq(market.getPurchase(purchaseId).committedAt, block.timestamp, "the delivery is committed");
        // Committed once: neither a copy nor the listed model can replace it.
        _expectStatus(purchaseId, IFairExchange.PurchaseStatus.AwaitingAcceptance);
        vm.prank(SELLER);
        market.commitCopyDelivery(purchaseId, root, keyHash, keccak256("other copy"), COPY_SIZE);
        _expectStatus(purchaseId, IFairExchange.PurchaseStatus.AwaitingAcceptance);
        vm.prank(SELLER);
        market.commitDelivery(purchaseId, root, keyHash);
    }

    // ------------------------------------------------------------------ past 2106 (uint40 timestamps)

    /// A purchase opened, delivered and revealed past 2**32 seconds keeps its deadlines:
    /// createdAt, committedAt and revealedAt are uint40.
    function testFuzz_purchasesKeepWorkingPast2106(uint40 start, bool withTest, bool refundLate, bytes32 key) public {
        uint256 t0 = _bound(start, uint256(type(uint32).max) - 1 hours, uint256(type(uint40).max) - 30 days);
        vm.warp(t0);
        uint96 price = 5 ether;
        uint256 listingId = _listFixed(price);
        uint256 testId = withTest ? _openTest(BUYER, listingId, 50) : 0;
        uint256 due = withTest ? price - 1 ether : price;
        vm.deal(BUYER, due);
        vm.prank(BUYER);
        uint256 purchaseId = market.buy{value: due}(listingId, testId, price);
        IFairExchange.Purchase memory p = market.getPurchase(purchaseId);
        _eq(p.createdAt, t0, "createdAt, no wrap");
        _eq(_status(purchaseId), uint256(IFairExchange.PurchaseStatus.AwaitingDelivery), "awaiting delivery");
        if (refundLate) {
            vm.warp(t0 + DELIVERY_WINDOW - 1);
            _expectStatus(purchaseId, IFairExchange.PurchaseStatus.AwaitingDelivery);
            market.refundPurchase(purchaseId);
            vm.warp(t0 + DELIVERY_WINDOW);
            market.refundPurchase(purchaseId);
            _eq(market.owed(BUYER), due, "refund after the delivery deadline (a deposit goes back to its test-drive)");
            return;
        }
        vm.warp(t0 + DELIVERY_WINDOW - 1);
        Delivery memory d = _delivery(key, false, 0);
        _commit(purchaseId, d);
        _eq(market.getPurchase(purchaseId).committedAt, block.timestamp, "committedAt, no wrap");
        vm.warp(block.timestamp + ACCEPT_WINDOW);
        _eq(_status(purchaseId), uint256(IFairExchange.PurchaseStatus.AwaitingKey), "awaiting key");
        vm.prank(SELLER);
        market.revealKey(purchaseId, d.root, d.key);
        uint256 revealedAt = block.timestamp;
        _eq(market.getPurchase(purchaseId).revealedAt, revealedAt, "revealedAt, no wrap");
        vm.warp(revealedAt + COMPLAINT_WINDOW - 1);
        _eq(_status(purchaseId), uint256(IFairExchange.PurchaseStatus.ComplaintWindow), "complaint window");
        vm.warp(revealedAt + COMPLAINT_WINDOW);
        market.completePurchase(purchaseId);
        _eq(market.owed(SELLER), uint256(price) + (withTest ? _fee(_policy(), 50) : 0), "seller paid");
    }
}
