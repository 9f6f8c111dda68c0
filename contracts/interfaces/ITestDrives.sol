// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title ITestDrives
 * @notice Types, errors and events of test-drives: a buyer stakes a deposit (plus per-sample
 * fees), commits to a private test set, and the seller's worker evaluates the model on it
 * under homomorphic encryption.
 */
interface ITestDrives {
    /// @notice The last thing that happened to a test-drive. `Open` and `Evaluated` are under
    /// way; every other phase is final and names how the test-drive ended.
    enum TestPhase {
        Open, // deposit and fee held; the worker may record a receipt
        Evaluated, // receipt recorded, fee paid to the seller; the deposit is held
        Refunded, // the buyer won a refund dispute ({refundDisputes}): its refund back to the buyer
        Unserved, // no receipt in the service window: deposit and fee back
        Forfeited, // no refund in the dispute window: deposit to the seller
        AppliedToPurchase, // the deposit paid part of a purchase
        AppliedToBid, // the deposit became collateral of a sealed bid
        Disputed, // a refund is claimed: the deposit waits for {refundDisputes} to settle it
        RefundRejected // the seller won the refund dispute: the deposit went to the seller
    }

    /// @notice Where a test-drive stands, computed from its phase and the clock (see {testStatus}).
    enum TestStatus {
        None, // unknown id
        AwaitingReceipt, // open; the worker may record a receipt
        Unserved, // the service window passed without a receipt: the buyer may be refunded
        Evaluated, // receipt recorded, dispute window open
        Forfeitable, // dispute window over: the deposit may go to the seller
        Closed, // ended; see {TestPhase}
        Disputed // a refund is claimed; see {refundDisputes}
    }

    /// @notice A test-drive's facts, in two storage slots. The deposit and the fee are not
    /// stored: the listing's test policy is immutable, so they follow from it and `sampleCount`.
    /// @param buyer who opened it and gets any refund
    /// @param listingId the listing tested
    /// @param sampleCount number of samples paid for (the worker's query cap)
    /// @param phase the last thing that happened
    /// @param phaseStartedAt when the phase began: the opening, the receipt, or the end. A deposit
    /// paid into a purchase or a bid keeps the time it had (the start of its dispute clock), so
    /// that if it comes back it resumes the same dispute deadline.
    /// @param dataCommitment Poseidon commitment to the quantized test set, labels and a salt
    struct TestDrive {
        address buyer;
        uint32 listingId;
        uint16 sampleCount;
        TestPhase phase;
        uint40 phaseStartedAt;
        bytes32 dataCommitment;
    }

    /// @notice A Groth16 proof in snarkjs's Solidity calldata layout.
    struct Groth16Proof {
        uint256[2] a;
        uint256[2][2] b;
        uint256[2] c;
    }

    /// @notice The test id was never used.
    error TestDrivesUnknownTest(uint256 testId);
    /// @notice The test-drive is not in a status that allows this.
    error TestDrivesInvalidStatus(uint256 testId, TestStatus current);
    /// @notice The listing cannot be test-driven now (paused, delisted or unknown).
    error TestDrivesListingNotActive(uint256 listingId);
    /// @notice The sample count is outside the listing's [minSamples, maxSamples].
    error TestDrivesSampleCountOutOfRange(uint32 sampleCount, uint32 minSamples, uint32 maxSamples);
    /// @notice No dispute circuit holds this many samples, so the deposit could never be
    /// refunded by proof.
    error TestDrivesNotDisputable(uint32 sampleCount, uint32 maxSampleCount);
    /// @notice `msg.value` is not exactly the deposit plus the fees.
    error TestDrivesIncorrectPayment(uint256 sent, uint256 required);
    /// @notice The data commitment is zero or not an element of the BN254 scalar field.
    error TestDrivesInvalidDataCommitment(bytes32 dataCommitment);
    /// @notice The caller (or the signer) is neither the listing's worker signer nor its seller.
    error TestDrivesUnauthorizedWorker(uint256 testId, address account);
    /// @notice The receipt's result hash is zero.
    error TestDrivesEmptyReceipt(uint256 testId);
    /// @notice The account is not this test-drive's buyer.
    error TestDrivesNotBuyer(uint256 testId, address account);
    /// @notice The worker never served this test-drive (no receipt), so it does not make its
    /// buyer a test driver.
    error TestDrivesNotServed(uint256 testId);
    /// @notice The test-drive is for another listing.
    error TestDrivesWrongListing(uint256 testId, uint256 expectedListingId);
    /// @notice Only the market's {refundDisputes} may do this.
    error TestDrivesNotRefundDisputes(address account);
    /// @notice A dispute's settlement does not apply: the test-drive is not `Disputed`, the refund
    /// is above the deposit, or the ether is less than the extras it pays.
    error TestDrivesInvalidSettlement(uint256 testId);

    /// @notice A buyer opened a test-drive and staked `deposit + fee`.
    event TestOpened(
        uint256 indexed testId,
        uint256 indexed listingId,
        address indexed buyer,
        bytes32 dataCommitment,
        uint32 sampleCount,
        uint256 deposit,
        uint256 fee
    );
    /// @notice The seller's worker recorded that it evaluated the test set; `resultHash` is
    /// the keccak256 of the encrypted results it returned. The fee (`feePaid`) is now the seller's.
    event ReceiptRecorded(uint256 indexed testId, bytes32 resultHash, address indexed worker, uint256 feePaid);
    /// @notice The deposit of a test-drive, which had paid into a purchase or a bid, came back
    /// whole when that sale was refunded or lost. The test-drive is `Evaluated` again under the
    /// dispute deadline it had before the sale: refunded only by proof until then, else
    /// forfeitable to the seller (at once if that deadline has passed).
    event DepositReturned(uint256 indexed testId, uint256 deposit);
    /// @notice The buyer claimed a refund ({IRefundDisputes-claimRefund}): the deposit is held
    /// for the dispute.
    event TestDisputed(uint256 indexed testId);
    /// @notice A test-drive ended with `outcome`: `toBuyer` went back to the buyer, `toSeller`
    /// to the seller (for `AppliedToPurchase`/`AppliedToBid`, `toBuyer` is the deposit moved
    /// into the sale).
    event TestClosed(uint256 indexed testId, TestPhase indexed outcome, uint256 toBuyer, uint256 toSeller);

    /// @notice Opens a test-drive of `listingId` on `sampleCount` samples committed by `dataCommitment`.
    function openTest(uint256 listingId, bytes32 dataCommitment, uint32 sampleCount)
        external
        payable
        returns (uint256 testId);

    /// @notice Records the evaluation receipt and pays the fee to the seller; called by the
    /// listing's worker signer or seller.
    function recordReceipt(uint256 testId, bytes32 resultHash) external;

    /// @notice Records an evaluation receipt signed (EIP-712) by the listing's worker signer;
    /// anyone may submit it, usually the buyer.
    function recordSignedReceipt(uint256 testId, bytes32 resultHash, bytes calldata signature) external;

    /// @notice Holds the deposit of an `Evaluated` test-drive for a refund dispute; called by
    /// {refundDisputes} when the buyer claims.
    function lockForDispute(uint256 testId) external;

    /// @notice Ends a refund dispute; called by {refundDisputes} with everything the dispute
    /// staked: the buyer is credited `refund + buyerExtra`, the seller `deposit - refund +
    /// sellerExtra`, and the rest of `msg.value` is burned (credited to the penalty sink).
    function settleDispute(uint256 testId, bool buyerWon, uint256 refund, uint256 buyerExtra, uint256 sellerExtra)
        external
        payable;

    /// @notice Refunds deposit and fee when the worker recorded no receipt in the service window.
    function refundUnserved(uint256 testId) external;

    /// @notice Pays the deposit to the seller once the dispute window has passed.
    function forfeitDeposit(uint256 testId) external;

    /// @notice The deposit and the fee a test-drive of `sampleCount` samples of `listingId`
    /// costs. Reverts for an unknown listing or a sample count outside its bounds.
    function testPrice(uint256 listingId, uint32 sampleCount) external view returns (uint256 deposit, uint256 fee);

    /// @notice A test-drive's facts.
    function getTest(uint256 testId) external view returns (TestDrive memory);

    /// @notice Where a test-drive stands now.
    function testStatus(uint256 testId) external view returns (TestStatus);

    /// @notice The packed public signal binding a dispute proof to this test-drive.
    function disputeContext(uint256 testId) external view returns (uint256);

    /// @notice The EIP-712 digest a worker signs to vouch for `resultHash` on `testId`.
    function receiptDigest(uint256 testId, bytes32 resultHash) external view returns (bytes32);
}
