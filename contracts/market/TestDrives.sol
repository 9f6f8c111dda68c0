// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IDisputeVerifier} from "../interfaces/IDisputeVerifier.sol";
import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {ITestDrives} from "../interfaces/ITestDrives.sol";
import {DisputeContext} from "../libraries/DisputeContext.sol";
import {MarketLedger} from "./MarketLedger.sol";

/**
 * @title TestDrives
 * @notice Security deposits for test-driving a model on a private test set.
 * @dev A test-drive stores only facts (who, what, how much, when); its status is computed by
 * {testStatus} from those facts, the clock and the listing's immutable windows. Every status
 * has a way out: a receipt or a refund when the worker never serves, a proof-backed refund or
 * a forfeit when the dispute window ends.
 */
abstract contract TestDrives is ITestDrives, MarketLedger, EIP712 {
    /// @dev The BN254 scalar field: public signals of a Groth16 proof must lie below it.
    uint256 internal constant SNARK_SCALAR_FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;

    bytes32 private constant RECEIPT_TYPEHASH = keccak256("EvaluationReceipt(uint256 testId,bytes32 resultHash)");

    /// @notice The listings this market trades.
    IModelRegistry public immutable registry;
    /// @notice The Groth16 verifier of the dispute circuit.
    IDisputeVerifier public immutable disputeVerifier;

    uint256 private _testCount;
    mapping(uint256 testId => TestDrive) private _tests;

    constructor(IModelRegistry registry_, IDisputeVerifier disputeVerifier_) {
        registry = registry_;
        disputeVerifier = disputeVerifier_;
    }

    /// @inheritdoc ITestDrives
    /// @dev Emits {TestOpened}. Requirements: the listing is active; `sampleCount` is within
    /// the policy's bounds; `dataCommitment` is a non-zero BN254 field element; `msg.value` is
    /// exactly `deposit + feePerExtraSample * max(0, sampleCount - freeSamples)`.
    function openTest(uint256 listingId, bytes32 dataCommitment, uint32 sampleCount)
        external
        payable
        returns (uint256 testId)
    {
        (, IModelRegistry.ListingStatus status, IModelRegistry.TestPolicy memory p) = registry.testTerms(listingId);
        if (status != IModelRegistry.ListingStatus.Active) revert TestDrivesListingNotActive(listingId);
        if (sampleCount < p.minSamples || sampleCount > p.maxSamples) {
            revert TestDrivesSampleCountOutOfRange(sampleCount, p.minSamples, p.maxSamples);
        }
        if (dataCommitment == bytes32(0) || uint256(dataCommitment) >= SNARK_SCALAR_FIELD) {
            revert TestDrivesInvalidDataCommitment(dataCommitment);
        }
        uint256 fee = sampleCount > p.freeSamples ? uint256(sampleCount - p.freeSamples) * p.feePerExtraSample : 0;
        uint256 required = p.deposit + fee;
        if (msg.value != required) revert TestDrivesIncorrectPayment(msg.value, required);

        testId = ++_testCount;
        _tests[testId] = TestDrive({
            buyer: msg.sender,
            listingId: SafeCast.toUint40(listingId),
            sampleCount: sampleCount,
            outcome: TestOutcome.None,
            dataCommitment: dataCommitment,
            deposit: p.deposit,
            fee: SafeCast.toUint96(fee),
            openedAt: uint32(block.timestamp),
            receiptAt: 0
        });
        emit TestOpened(testId, listingId, msg.sender, dataCommitment, sampleCount, p.deposit, fee);
    }

    /// @inheritdoc ITestDrives
    /// @dev Emits {ReceiptRecorded}. Requirements: the test awaits its receipt; the caller is
    /// the listing's worker signer or seller; `resultHash` is non-zero.
    function recordReceipt(uint256 testId, bytes32 resultHash) external {
        (address seller, address workerSigner) = _receiptAuthorities(testId, resultHash);
        if (msg.sender != workerSigner && msg.sender != seller) revert TestDrivesUnauthorizedWorker(testId, msg.sender);
        _recordReceipt(testId, resultHash, msg.sender);
    }

    /// @inheritdoc ITestDrives
    /// @dev Emits {ReceiptRecorded}. Requirements: the test awaits its receipt; `signature` is
    /// the worker signer's (or the seller's) EIP-712 signature of {receiptDigest}; ERC-1271
    /// contract signers are supported. A signature cannot be replayed: it names the test id,
    /// and a test takes one receipt.
    function recordSignedReceipt(uint256 testId, bytes32 resultHash, bytes calldata signature) external {
        (address seller, address workerSigner) = _receiptAuthorities(testId, resultHash);
        bytes32 digest = receiptDigest(testId, resultHash);
        address signer;
        if (SignatureChecker.isValidSignatureNow(workerSigner, digest, signature)) signer = workerSigner;
        else if (SignatureChecker.isValidSignatureNow(seller, digest, signature)) signer = seller;
        else revert TestDrivesUnauthorizedWorker(testId, address(0));
        _recordReceipt(testId, resultHash, signer);
    }

    /// @inheritdoc ITestDrives
    /// @dev Emits {TestClosed} with outcome `Refunded`: the deposit goes to the buyer (not to the
    /// caller, so a copied proof only ever helps the buyer), the fee to the seller.
    /// Requirements: the test is `Evaluated`; `proof` verifies against the public signals
    /// `[disputeContext(testId), dataCommitment]`.
    function claimRefund(uint256 testId, Groth16Proof calldata proof) external nonReentrant {
        TestDrive storage t = _existingTest(testId);
        (address seller,, IModelRegistry.TestPolicy memory p) = registry.testTerms(t.listingId);
        _requireStatus(testId, t, p, TestStatus.Evaluated);
        uint256[2] memory signals = [_disputeContext(testId, t), uint256(t.dataCommitment)];
        if (!disputeVerifier.verifyProof(proof.a, proof.b, proof.c, signals)) revert TestDrivesInvalidProof(testId);
        _close(testId, t, TestOutcome.Refunded, seller, t.deposit, t.fee);
    }

    /// @inheritdoc ITestDrives
    /// @dev Emits {TestClosed} with outcome `Unserved`. Requirements: the test is `Unserved`.
    function refundUnserved(uint256 testId) external nonReentrant {
        TestDrive storage t = _existingTest(testId);
        (address seller,, IModelRegistry.TestPolicy memory p) = registry.testTerms(t.listingId);
        _requireStatus(testId, t, p, TestStatus.Unserved);
        _close(testId, t, TestOutcome.Unserved, seller, uint256(t.deposit) + t.fee, 0);
    }

    /// @inheritdoc ITestDrives
    /// @dev Emits {TestClosed} with outcome `Forfeited`. Requirements: the test is `Forfeitable`.
    function forfeitDeposit(uint256 testId) external nonReentrant {
        TestDrive storage t = _existingTest(testId);
        (address seller,, IModelRegistry.TestPolicy memory p) = registry.testTerms(t.listingId);
        _requireStatus(testId, t, p, TestStatus.Forfeitable);
        _close(testId, t, TestOutcome.Forfeited, seller, 0, uint256(t.deposit) + t.fee);
    }

    /// @inheritdoc ITestDrives
    function getTest(uint256 testId) external view returns (TestDrive memory) {
        return _existingTest(testId);
    }

    /// @inheritdoc ITestDrives
    function testStatus(uint256 testId) external view returns (TestStatus) {
        TestDrive storage t = _tests[testId];
        if (t.buyer == address(0)) return TestStatus.None;
        (,, IModelRegistry.TestPolicy memory p) = registry.testTerms(t.listingId);
        return _status(t, p);
    }

    /// @inheritdoc ITestDrives
    function disputeContext(uint256 testId) external view returns (uint256) {
        return _disputeContext(testId, _existingTest(testId));
    }

    /// @inheritdoc ITestDrives
    function receiptDigest(uint256 testId, bytes32 resultHash) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(RECEIPT_TYPEHASH, testId, resultHash)));
    }

    /**
     * @dev Moves the deposit of `buyer`'s test-drive of `listingId` into a purchase and credits
     * the fee to the seller. The test must still hold its deposit (`AwaitingReceipt` or
     * `Evaluated`). Emits {TestClosed} with outcome `AppliedToPurchase`.
     */
    function _depositForPurchase(uint256 testId, uint256 listingId, address buyer) internal returns (uint256) {
        (TestDrive storage t, address seller, TestStatus status) = _buyersTest(testId, listingId, buyer);
        if (status != TestStatus.AwaitingReceipt && status != TestStatus.Evaluated) {
            revert TestDrivesInvalidStatus(testId, status);
        }
        return _moveDepositIntoSale(testId, t, TestOutcome.AppliedToPurchase, seller);
    }

    /**
     * @dev Checks that `bidder` test-drove `listingId` with `testId` (a receipt was recorded)
     * and, while the test is `Evaluated`, moves its deposit into the bid's collateral and
     * credits the fee to the seller (outcome `AppliedToBid`). Returns the deposit moved, or 0
     * when the test was already resolved.
     */
    function _depositForBid(uint256 testId, uint256 listingId, address bidder) internal returns (uint256) {
        (TestDrive storage t, address seller, TestStatus status) = _buyersTest(testId, listingId, bidder);
        if (t.receiptAt == 0) revert TestDrivesInvalidStatus(testId, status);
        if (status != TestStatus.Evaluated) return 0;
        return _moveDepositIntoSale(testId, t, TestOutcome.AppliedToBid, seller);
    }

    function _buyersTest(uint256 testId, uint256 listingId, address buyer)
        private
        view
        returns (TestDrive storage t, address seller, TestStatus status)
    {
        t = _existingTest(testId);
        if (t.buyer != buyer) revert TestDrivesNotBuyer(testId, buyer);
        if (t.listingId != listingId) revert TestDrivesWrongListing(testId, listingId);
        IModelRegistry.TestPolicy memory p;
        (seller,, p) = registry.testTerms(listingId);
        status = _status(t, p);
    }

    /// @dev The deposit stays in the contract for the sale; the fee is credited, never sent,
    /// so the calling sale function keeps checks-effects-interactions.
    function _moveDepositIntoSale(uint256 testId, TestDrive storage t, TestOutcome outcome, address seller)
        private
        returns (uint256 deposit)
    {
        deposit = t.deposit;
        t.outcome = outcome;
        emit TestClosed(testId, outcome, deposit, t.fee);
        _credit(seller, t.fee);
    }

    function _recordReceipt(uint256 testId, bytes32 resultHash, address worker) private {
        _tests[testId].receiptAt = uint32(block.timestamp);
        emit ReceiptRecorded(testId, resultHash, worker);
    }

    /// @dev Checks that `testId` awaits its receipt and returns who may vouch for it.
    function _receiptAuthorities(uint256 testId, bytes32 resultHash)
        private
        view
        returns (address seller, address workerSigner)
    {
        TestDrive storage t = _existingTest(testId);
        if (resultHash == bytes32(0)) revert TestDrivesEmptyReceipt(testId);
        (,, IModelRegistry.TestPolicy memory p) = registry.testTerms(t.listingId);
        _requireStatus(testId, t, p, TestStatus.AwaitingReceipt);
        return registry.workerOf(t.listingId);
    }

    /// @dev Ends a test-drive and pays both sides.
    function _close(
        uint256 testId,
        TestDrive storage t,
        TestOutcome outcome,
        address seller,
        uint256 toBuyer,
        uint256 toSeller
    ) private {
        t.outcome = outcome;
        emit TestClosed(testId, outcome, toBuyer, toSeller);
        _releasePair(t.buyer, toBuyer, seller, toSeller);
    }

    function _disputeContext(uint256 testId, TestDrive storage t) private view returns (uint256) {
        (uint16 claimedAccuracyBps, IModelRegistry.TaskSpec memory task) = registry.disputeTerms(t.listingId);
        return DisputeContext.pack(
            DisputeContext.Fields({
                claimedAccuracyBps: claimedAccuracyBps,
                sampleCount: t.sampleCount,
                classCount: task.classCount,
                featureBits: task.featureBits,
                featureCount: task.featureCount
            }),
            DisputeContext.bindingTag(block.chainid, address(this), testId, t.buyer)
        );
    }

    function _status(TestDrive storage t, IModelRegistry.TestPolicy memory p) private view returns (TestStatus) {
        if (t.outcome != TestOutcome.None) return TestStatus.Closed;
        if (t.receiptAt == 0) {
            return block.timestamp < uint256(t.openedAt) + p.serviceWindow ? TestStatus.AwaitingReceipt : TestStatus.Unserved;
        }
        return block.timestamp < uint256(t.receiptAt) + p.disputeWindow ? TestStatus.Evaluated : TestStatus.Forfeitable;
    }

    function _requireStatus(
        uint256 testId,
        TestDrive storage t,
        IModelRegistry.TestPolicy memory p,
        TestStatus expected
    ) private view {
        TestStatus current = _status(t, p);
        if (current != expected) revert TestDrivesInvalidStatus(testId, current);
    }

    function _existingTest(uint256 testId) private view returns (TestDrive storage t) {
        t = _tests[testId];
        if (t.buyer == address(0)) revert TestDrivesUnknownTest(testId);
    }
}
