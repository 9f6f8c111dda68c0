// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {IRefundDisputes} from "../interfaces/IRefundDisputes.sol";
import {ITestDrives} from "../interfaces/ITestDrives.sol";
import {DisputeContext} from "../libraries/DisputeContext.sol";
import {MarketLedger} from "./MarketLedger.sol";
import {RefundDisputes} from "./RefundDisputes.sol";

/**
 * @title TestDrives
 * @notice Security deposits for test-driving a model on a private test set.
 * @dev A test-drive stores only facts (who, what, its phase and since when) in two slots; the
 * deposit and the fee follow from the listing's immutable test policy, and {testStatus}
 * computes the status from the phase, the clock and the listing's windows. The fee is paid
 * to the seller when the worker records its receipt: it prices the work done. Refunds by proof
 * are {refundDisputes}'s: it holds the deposit of a claimed refund ({lockForDispute}) and
 * settles it ({settleDispute}). Every status has a way out: a receipt or a refund when the
 * worker never serves, a refund dispute or a forfeit when the dispute window ends.
 */
abstract contract TestDrives is ITestDrives, MarketLedger, EIP712 {
    /// @dev The BN254 scalar field: public signals of a Groth16 proof must lie below it.
    uint256 internal constant SNARK_SCALAR_FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;

    bytes32 private constant RECEIPT_TYPEHASH = keccak256("EvaluationReceipt(uint256 testId,bytes32 resultHash)");

    /// @notice The listings this market trades.
    IModelRegistry public immutable registry;
    /// @notice The refund disputes of this market's test-drives ({RefundDisputes}), created
    /// with the market: the one account that may hold a deposit for a dispute and settle it.
    IRefundDisputes public immutable refundDisputes;
    /// @dev The most samples a refund can be proven for (the circuits of {refundDisputes} are immutable).
    uint32 private immutable _maxDisputableSamples;

    /// @dev The next test id; set to 1 in the constructor, so the first test-drive of a
    /// deployment pays no more gas than any other (no zero-to-non-zero counter write).
    uint256 private _nextTestId;
    mapping(uint256 testId => TestDrive) private _tests;

    constructor(IModelRegistry registry_, IRefundDisputes.Config memory disputes) {
        registry = registry_;
        IRefundDisputes created = new RefundDisputes(this, registry_, disputes);
        refundDisputes = created;
        _maxDisputableSamples = created.maxSampleCount();
        _nextTestId = 1;
    }

    /// @inheritdoc ITestDrives
    /// @dev Emits {TestOpened}. Requirements: the listing is active; `sampleCount` is within
    /// the policy's bounds and no larger than the refund circuits of {refundDisputes} can prove;
    /// `dataCommitment` is a non-zero BN254 field element; `msg.value` is exactly `deposit + feePerExtraSample * max(0, sampleCount - freeSamples)` ({testPrice}).
    function openTest(uint256 listingId, bytes32 dataCommitment, uint32 sampleCount)
        external
        payable
        returns (uint256 testId)
    {
        (, IModelRegistry.ListingStatus status, IModelRegistry.TestPolicy memory p) = registry.testTerms(listingId);
        if (status != IModelRegistry.ListingStatus.Active) revert TestDrivesListingNotActive(listingId);
        _requireSampleCount(p, sampleCount);
        if (sampleCount > _maxDisputableSamples) revert TestDrivesNotDisputable(sampleCount, _maxDisputableSamples);
        if (dataCommitment == bytes32(0) || uint256(dataCommitment) >= SNARK_SCALAR_FIELD) {
            revert TestDrivesInvalidDataCommitment(dataCommitment);
        }
        uint256 fee = _fee(p, sampleCount);
        uint256 required = p.deposit + fee;
        if (msg.value != required) revert TestDrivesIncorrectPayment(msg.value, required);

        testId = _nextTestId++;
        _tests[testId] = TestDrive({
            buyer: msg.sender,
            listingId: SafeCast.toUint32(listingId),
            sampleCount: uint16(sampleCount), // maxSamples <= type(uint16).max (ModelRegistry.MAX_SAMPLES)
            phase: TestPhase.Open,
            phaseStartedAt: uint40(block.timestamp),
            dataCommitment: dataCommitment
        });
        emit TestOpened(testId, listingId, msg.sender, dataCommitment, sampleCount, p.deposit, fee);
    }

    /// @inheritdoc ITestDrives
    /// @dev Emits {ReceiptRecorded}. Requirements: the test awaits its receipt; the caller is
    /// the listing's worker signer or seller; `resultHash` is non-zero.
    function recordReceipt(uint256 testId, bytes32 resultHash) external nonReentrant {
        (TestDrive storage t, address seller, address workerSigner, uint256 fee) = _awaitingReceipt(testId, resultHash);
        if (msg.sender != workerSigner && msg.sender != seller) revert TestDrivesUnauthorizedWorker(testId, msg.sender);
        _recordReceipt(testId, t, resultHash, msg.sender, seller, fee);
    }

    /// @inheritdoc ITestDrives
    /// @dev Emits {ReceiptRecorded}. Requirements: the test awaits its receipt; `signature` is
    /// the worker signer's (or the seller's) EIP-712 signature of {receiptDigest}; ERC-1271
    /// contract signers are supported. A signature cannot be replayed: it names the test id,
    /// and a test takes one receipt.
    function recordSignedReceipt(uint256 testId, bytes32 resultHash, bytes calldata signature) external nonReentrant {
        (TestDrive storage t, address seller, address workerSigner, uint256 fee) = _awaitingReceipt(testId, resultHash);
        bytes32 digest = receiptDigest(testId, resultHash);
        address signer;
        if (SignatureChecker.isValidSignatureNow(workerSigner, digest, signature)) signer = workerSigner;
        else if (SignatureChecker.isValidSignatureNow(seller, digest, signature)) signer = seller;
        else revert TestDrivesUnauthorizedWorker(testId, address(0));
        _recordReceipt(testId, t, resultHash, signer, seller, fee);
    }

    /// @inheritdoc ITestDrives
    /// @dev Emits {TestDisputed}. Requirements: the caller is {refundDisputes}; the test-drive is
    /// `Evaluated`. The dispute clock is {refundDisputes}'s; `phaseStartedAt` records the claim.
    function lockForDispute(uint256 testId) external {
        _onlyRefundDisputes();
        TestDrive storage t = _existingTest(testId);
        _requireStatus(testId, t, registry.disputeTerms(t.listingId), TestStatus.Evaluated);
        _setPhase(t, TestPhase.Disputed);
        emit TestDisputed(testId);
    }

    /// @inheritdoc ITestDrives
    /// @dev Emits {TestClosed} with outcome `Refunded` (the buyer won) or `RefundRejected`.
    /// Only credits (the caller is {refundDisputes}, never a payee). Requirements: the caller is
    /// {refundDisputes}; the test-drive is `Disputed`, `refund` at most the deposit and
    /// `msg.value` at least `buyerExtra + sellerExtra` ({TestDrivesInvalidSettlement} otherwise).
    function settleDispute(uint256 testId, bool buyerWon, uint256 refund, uint256 buyerExtra, uint256 sellerExtra)
        external
        payable
        nonReentrant
    {
        _onlyRefundDisputes();
        TestDrive storage t = _existingTest(testId);
        uint256 deposit = _depositOf(testId);
        if (t.phase != TestPhase.Disputed || refund > deposit || msg.value < buyerExtra + sellerExtra) {
            revert TestDrivesInvalidSettlement(testId);
        }
        (address seller,) = registry.workerOf(t.listingId);
        _close(testId, t, buyerWon ? TestPhase.Refunded : TestPhase.RefundRejected, seller, refund + buyerExtra, deposit - refund + sellerExtra);
        _credit(PENALTY_SINK, msg.value - buyerExtra - sellerExtra);
    }

    /// @inheritdoc ITestDrives
    /// @dev Emits {TestClosed} with outcome `Unserved`: deposit and fee back to the buyer.
    /// Requirements: the test is `Unserved`.
    function refundUnserved(uint256 testId) external nonReentrant {
        TestDrive storage t = _existingTest(testId);
        (, , IModelRegistry.TestPolicy memory p) = registry.testTerms(t.listingId);
        _requireStatus(testId, t, _windows(p), TestStatus.Unserved);
        _close(testId, t, TestPhase.Unserved, address(0), p.deposit + _fee(p, t.sampleCount), 0);
    }

    /// @inheritdoc ITestDrives
    /// @dev Emits {TestClosed} with outcome `Forfeited`: the deposit goes to the seller.
    /// Requirements: the test is `Forfeitable`.
    function forfeitDeposit(uint256 testId) external nonReentrant {
        TestDrive storage t = _existingTest(testId);
        (address seller,, IModelRegistry.TestPolicy memory p) = registry.testTerms(t.listingId);
        _requireStatus(testId, t, _windows(p), TestStatus.Forfeitable);
        _close(testId, t, TestPhase.Forfeited, seller, 0, p.deposit);
    }

    /// @inheritdoc ITestDrives
    function testPrice(uint256 listingId, uint32 sampleCount) external view returns (uint256 deposit, uint256 fee) {
        (, IModelRegistry.ListingStatus status, IModelRegistry.TestPolicy memory p) = registry.testTerms(listingId);
        if (status == IModelRegistry.ListingStatus.None) revert TestDrivesListingNotActive(listingId);
        _requireSampleCount(p, sampleCount);
        return (p.deposit, _fee(p, sampleCount));
    }

    /// @inheritdoc ITestDrives
    function getTest(uint256 testId) external view returns (TestDrive memory) {
        return _existingTest(testId);
    }

    /// @inheritdoc ITestDrives
    function testStatus(uint256 testId) external view returns (TestStatus) {
        TestDrive storage t = _tests[testId];
        if (t.buyer == address(0)) return TestStatus.None;
        return _status(t, registry.disputeTerms(t.listingId));
    }

    /// @inheritdoc ITestDrives
    function disputeContext(uint256 testId) external view returns (uint256) {
        TestDrive storage t = _existingTest(testId);
        return DisputeContext.ofTest(registry.disputeTerms(t.listingId), t.sampleCount, address(this), testId, t.buyer);
    }

    /// @inheritdoc ITestDrives
    function receiptDigest(uint256 testId, bytes32 resultHash) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(RECEIPT_TYPEHASH, testId, resultHash)));
    }

    /**
     * @dev Moves the deposit of `buyer`'s test-drive of `listingId` into a purchase. The test
     * must still hold its deposit (`AwaitingReceipt` or `Evaluated`); a fee not yet paid is
     * credited to the seller. Emits {TestClosed} with outcome `AppliedToPurchase`.
     */
    function _depositForPurchase(uint256 testId, uint256 listingId, address buyer) internal returns (uint256) {
        (TestDrive storage t, TestStatus status, address seller, IModelRegistry.TestPolicy memory p) =
            _buyersTest(testId, listingId, buyer);
        if (status != TestStatus.AwaitingReceipt && status != TestStatus.Evaluated) {
            revert TestDrivesInvalidStatus(testId, status);
        }
        uint256 unpaidFee = t.phase == TestPhase.Open ? _fee(p, t.sampleCount) : 0;
        return _moveDepositIntoSale(testId, t, TestPhase.AppliedToPurchase, seller, p.deposit, unpaidFee);
    }

    /**
     * @dev Checks that `bidder` test-drove `listingId` with `testId`: any phase but `Open` and
     * `Unserved` (a deposit applied to a purchase before the receipt also counts: its buyer
     * chose to buy) and, while the test is `Evaluated`, moves its deposit into the bid's
     * collateral (outcome `AppliedToBid`). Returns the deposit moved, or 0 when the test has
     * already ended.
     */
    function _depositForBid(uint256 testId, uint256 listingId, address bidder) internal returns (uint256) {
        TestDrive storage t = _existingTest(testId);
        if (t.buyer != bidder) revert TestDrivesNotBuyer(testId, bidder);
        if (t.listingId != listingId) revert TestDrivesWrongListing(testId, listingId);
        TestPhase phase = t.phase;
        if (phase == TestPhase.Open || phase == TestPhase.Unserved) revert TestDrivesNotServed(testId);
        // An ended test-drive qualifies its buyer without reading the listing (its deposit is spent).
        if (phase != TestPhase.Evaluated) return 0;
        (address seller,, IModelRegistry.TestPolicy memory p) = registry.testTerms(listingId);
        if (_status(t, _windows(p)) != TestStatus.Evaluated) return 0;
        return _moveDepositIntoSale(testId, t, TestPhase.AppliedToBid, seller, p.deposit, 0);
    }

    /**
     * @dev Puts the deposit that `testId` paid into a sale back under the test-drive's rule,
     * because that sale was refunded or lost: the test-drive is `Evaluated` again under the
     * dispute deadline it had (its receipt, or its opening if it paid into the sale before any
     * receipt, plus the dispute window): refunded only by proof until then, forfeitable to the
     * seller after, never paid to the buyer directly. A deposit that comes back after that
     * deadline is forfeitable at once; the clock never restarts, so buying and refunding again
     * cannot hold a deposit back from the seller. Sales never take a penalty from a deposit, so
     * it comes back whole. Returns the deposit. Emits {DepositReturned}.
     */
    function _returnDeposit(uint256 testId) internal returns (uint256 deposit) {
        TestDrive storage t = _tests[testId];
        (,, IModelRegistry.TestPolicy memory p) = registry.testTerms(t.listingId);
        deposit = p.deposit;
        t.phase = TestPhase.Evaluated; // the dispute clock is the one it left with (phaseStartedAt untouched)
        emit DepositReturned(testId, deposit);
    }

    /// @dev The listing's deposit of test-drive `testId` (immutable, like the whole test policy).
    function _depositOf(uint256 testId) internal view returns (uint256) {
        (,, IModelRegistry.TestPolicy memory p) = registry.testTerms(_tests[testId].listingId);
        return p.deposit;
    }

    function _buyersTest(uint256 testId, uint256 listingId, address buyer)
        private
        view
        returns (TestDrive storage t, TestStatus status, address seller, IModelRegistry.TestPolicy memory p)
    {
        t = _existingTest(testId);
        if (t.buyer != buyer) revert TestDrivesNotBuyer(testId, buyer);
        if (t.listingId != listingId) revert TestDrivesWrongListing(testId, listingId);
        (seller,, p) = registry.testTerms(listingId);
        status = _status(t, _windows(p));
    }

    /// @dev The deposit stays in the contract for the sale; a fee is credited, never sent, so
    /// the calling sale function keeps checks-effects-interactions.
    function _moveDepositIntoSale(
        uint256 testId,
        TestDrive storage t,
        TestPhase outcome,
        address seller,
        uint256 deposit,
        uint256 unpaidFee
    ) private returns (uint256) {
        t.phase = outcome; // phaseStartedAt keeps the dispute clock, should the deposit come back
        emit TestClosed(testId, outcome, deposit, unpaidFee);
        _credit(seller, unpaidFee);
        return deposit;
    }

    /// @dev Checks that `testId` awaits its receipt and returns who may vouch for it and the fee.
    function _awaitingReceipt(uint256 testId, bytes32 resultHash)
        private
        view
        returns (TestDrive storage t, address seller, address workerSigner, uint256 fee)
    {
        t = _existingTest(testId);
        if (resultHash == bytes32(0)) revert TestDrivesEmptyReceipt(testId);
        (,, IModelRegistry.TestPolicy memory p) = registry.testTerms(t.listingId);
        _requireStatus(testId, t, _windows(p), TestStatus.AwaitingReceipt);
        (seller, workerSigner) = registry.workerOf(t.listingId);
        fee = _fee(p, t.sampleCount);
    }

    function _recordReceipt(
        uint256 testId,
        TestDrive storage t,
        bytes32 resultHash,
        address worker,
        address seller,
        uint256 fee
    ) private {
        _setPhase(t, TestPhase.Evaluated);
        emit ReceiptRecorded(testId, resultHash, worker, fee);
        _release(seller, fee);
    }

    /// @dev Ends a test-drive and pays both sides.
    function _close(
        uint256 testId,
        TestDrive storage t,
        TestPhase outcome,
        address seller,
        uint256 toBuyer,
        uint256 toSeller
    ) private {
        _setPhase(t, outcome);
        emit TestClosed(testId, outcome, toBuyer, toSeller);
        _releasePair(t.buyer, toBuyer, seller, toSeller);
    }

    function _setPhase(TestDrive storage t, TestPhase phase) private {
        t.phase = phase;
        t.phaseStartedAt = uint40(block.timestamp);
    }

    function _requireSampleCount(IModelRegistry.TestPolicy memory p, uint32 sampleCount) private pure {
        if (sampleCount < p.minSamples || sampleCount > p.maxSamples) {
            revert TestDrivesSampleCountOutOfRange(sampleCount, p.minSamples, p.maxSamples);
        }
    }

    function _fee(IModelRegistry.TestPolicy memory p, uint256 sampleCount) private pure returns (uint256) {
        return sampleCount > p.freeSamples ? (sampleCount - p.freeSamples) * p.feePerExtraSample : 0;
    }

    /// @dev The part of a test policy the status depends on, in the shape {_status} takes.
    function _windows(IModelRegistry.TestPolicy memory p) private pure returns (IModelRegistry.DisputeTerms memory w) {
        w.serviceWindow = p.serviceWindow;
        w.disputeWindow = p.disputeWindow;
    }

    function _status(TestDrive storage t, IModelRegistry.DisputeTerms memory terms) private view returns (TestStatus) {
        TestPhase phase = t.phase;
        if (phase == TestPhase.Open) {
            return block.timestamp < uint256(t.phaseStartedAt) + terms.serviceWindow
                ? TestStatus.AwaitingReceipt
                : TestStatus.Unserved;
        }
        if (phase == TestPhase.Evaluated) {
            return block.timestamp < uint256(t.phaseStartedAt) + terms.disputeWindow
                ? TestStatus.Evaluated
                : TestStatus.Forfeitable;
        }
        return phase == TestPhase.Disputed ? TestStatus.Disputed : TestStatus.Closed;
    }

    function _requireStatus(
        uint256 testId,
        TestDrive storage t,
        IModelRegistry.DisputeTerms memory terms,
        TestStatus expected
    ) private view {
        TestStatus current = _status(t, terms);
        if (current != expected) revert TestDrivesInvalidStatus(testId, current);
    }

    function _onlyRefundDisputes() private view {
        if (msg.sender != address(refundDisputes)) revert TestDrivesNotRefundDisputes(msg.sender);
    }

    function _existingTest(uint256 testId) private view returns (TestDrive storage t) {
        t = _tests[testId];
        if (t.buyer == address(0)) revert TestDrivesUnknownTest(testId);
    }
}
