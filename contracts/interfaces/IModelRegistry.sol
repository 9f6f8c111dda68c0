// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title IModelRegistry
 * @notice Types, errors and events of the listing registry: the advertisements of ModelBazaar.
 * @dev A listing has immutable {ListingTerms} (what is sold and how it may be tested: the model's
 * Merkle root, task, claimed accuracy, test policy, watermark commitment) and a mutable
 * {ListingOffer} (how it is sold and where its worker runs). Terms never change under a buyer:
 * to change them, a seller delists and lists anew.
 */
interface IModelRegistry {
    /// @notice How a listing is sold.
    enum SaleMode {
        FixedPrice,
        Auction
    }

    /// @notice Lifecycle of a listing. `None` means the id was never used.
    enum ListingStatus {
        None,
        Active,
        Paused,
        Delisted
    }

    /// @notice Shape of the model's input and output, as the buyer's client quantizes it.
    /// @param featureCount number of input features per sample
    /// @param classCount number of classes; labels are in [0, classCount)
    /// @param scaleBits fixed-point scale: a feature x is quantized as round(x * 2**scaleBits)
    /// @param featureBits quantized features lie in [0, 2**featureBits) (offset-encoded)
    struct TaskSpec {
        uint32 featureCount;
        uint16 classCount;
        uint8 scaleBits;
        uint8 featureBits;
    }

    /// @notice How buyers may test-drive the model.
    /// @param deposit security deposit staked per test-drive (refundable by proof)
    /// @param feePerExtraSample non-refundable fee per sample above `freeSamples`
    /// @param freeSamples samples per test-drive that carry no fee
    /// @param minSamples smallest test set accepted
    /// @param maxSamples largest test set accepted (the query cap of one test-drive)
    /// @param serviceWindow seconds the worker has to record an evaluation receipt
    /// @param disputeWindow seconds after the receipt during which the buyer may claim a refund
    struct TestPolicy {
        uint96 deposit;
        uint96 feePerExtraSample;
        uint32 freeSamples;
        uint32 minSamples;
        uint32 maxSamples;
        uint32 serviceWindow;
        uint32 disputeWindow;
    }

    /// @notice Which contest circuit family proves the listing's plan (docs/DISPUTES.md §3.1, §5.3).
    /// `None`: refunds are bound by their fees and deposit only (no contest).
    enum PlanFamily {
        None,
        Linear,
        SquareMlp
    }

    /// @notice How a refund claimed under the v2 dispute protocol (docs/DISPUTES.md §4, §7) is
    /// graded, bonded and contested.
    /// @param planCommitment Poseidon commitment to the quantized plan the worker evaluates
    /// (zero when `planFamily` is `None`)
    /// @param planFamily the contest circuit family of the plan
    /// @param contestToleranceQ τ_q: a contest must show the plan's class beating the buyer's
    /// prediction by more than this, in the plan's integer score units
    /// @param refundSlopeBps w: a proven shortfall of s basis points refunds deposit·min(s, w)/w
    /// @param buyerBond B_b: staked with a refund claim, burned if the seller wins a contest
    /// @param sellerBond B_s: staked with a contest, paid to the buyer if the seller loses it
    struct DisputePolicy {
        bytes32 planCommitment;
        PlanFamily planFamily;
        uint64 contestToleranceQ;
        uint16 refundSlopeBps;
        uint96 buyerBond;
        uint96 sellerBond;
    }

    /// @notice The immutable part of a listing: what is sold and the promise made about it.
    /// @param modelRoot Merkle root of the model file's 32-byte chunks (see {ChunkMerkle})
    /// @param modelSize size of the model file in bytes
    /// @param task input/output shape
    /// @param claimedAccuracyBps accuracy the seller claims, in basis points (1..10000)
    /// @param testPolicy how the model may be test-driven
    /// @param watermarkCommitment commitment to the model's watermark, for ownership disputes
    /// @param disputePolicy how a refund is graded, bonded and contested
    struct ListingTerms {
        bytes32 modelRoot;
        uint64 modelSize;
        TaskSpec task;
        uint16 claimedAccuracyBps;
        TestPolicy testPolicy;
        bytes32 watermarkCommitment;
        DisputePolicy disputePolicy;
    }

    /// @notice The mutable part of a listing: how it is sold and where its worker runs.
    /// @param metadataURI where the model card lives
    /// @param metadataHash content hash of the model card
    /// @param saleMode fixed price or sealed-bid auction
    /// @param price fixed price in wei (ignored for auctions)
    /// @param workerEndpoint URL of the seller's evaluation worker
    /// @param workerSigner address whose signature or transaction records evaluation receipts
    struct ListingOffer {
        string metadataURI;
        bytes32 metadataHash;
        SaleMode saleMode;
        uint96 price;
        string workerEndpoint;
        address workerSigner;
    }

    /// @notice What a test-drive's deposit, deadlines and dispute proof are checked against,
    /// flattened into one storage slot so that a refund reads the registry once (the task's
    /// fields are inlined: a nested struct would start a slot of its own).
    /// `planFamily` repeats the dispute policy's, so the market tells a contestable listing
    /// from this one read.
    struct DisputeTerms {
        uint96 deposit;
        uint32 serviceWindow;
        uint32 disputeWindow;
        uint16 claimedAccuracyBps;
        uint32 featureCount;
        uint16 classCount;
        uint8 scaleBits;
        uint8 featureBits;
        PlanFamily planFamily;
    }

    /// @notice A listing as clients read it.
    struct Listing {
        address seller;
        ListingStatus status;
        uint40 listedAt;
        uint256 promotionTotal;
        ListingTerms terms;
        ListingOffer offer;
    }

    /// @notice The listing id was never used.
    error ModelRegistryUnknownListing(uint256 listingId);
    /// @notice Only the listing's seller may do this.
    error ModelRegistryUnauthorizedSeller(uint256 listingId, address account);
    /// @notice The listing is not in a status that allows this.
    error ModelRegistryInvalidStatus(uint256 listingId, ListingStatus current);
    /// @notice The model root is zero or the model size is zero.
    error ModelRegistryEmptyModel();
    /// @notice The claimed accuracy is not in 1..10000 basis points.
    error ModelRegistryInvalidClaim(uint16 claimedAccuracyBps);
    /// @notice The task spec is unusable (no features, fewer than two classes, bad bit widths).
    error ModelRegistryInvalidTask();
    /// @notice The sample bounds are not 1 <= min <= max <= MAX_SAMPLES.
    error ModelRegistryInvalidSampleBounds(uint32 minSamples, uint32 maxSamples);
    /// @notice A window is zero or longer than MAX_WINDOW.
    error ModelRegistryInvalidWindow(uint32 window);
    /// @notice The test-drive deposit is zero.
    error ModelRegistryZeroDeposit();
    /// @notice The largest test-drive's fees, `(maxSamples - freeSamples) * feePerExtraSample`, exceed 2**96 - 1 wei.
    error ModelRegistryFeeTooLarge();
    /// @notice The dispute policy is unusable: a refund slope outside 1..10000 bps; for a plan
    /// family, a plan commitment that is zero or not a BN254 field element, a zero bond or
    /// tolerance, a test
    /// set outside [2 * 16, 1024] samples or features wider than 16 bits; without one, a plan
    /// commitment, tolerance or bond that could never be used.
    error ModelRegistryInvalidDisputePolicy();
    /// @notice A fixed-price listing must have a positive price.
    error ModelRegistryZeroPrice();
    /// @notice The worker signer is the zero address.
    error ModelRegistryInvalidWorkerSigner();
    /// @notice A promotion must pay something.
    error ModelRegistryZeroPromotion();
    /// @notice There are no promotion fees to withdraw, or the recipient is the zero address.
    error ModelRegistryNothingToWithdraw();
    /// @notice Renouncing ownership would lock the promotion fees forever; transfer it instead.
    error ModelRegistryCannotRenounceOwnership();

    /// @notice A model was listed. The full terms and offer are in the event for the audit trail.
    event ListingCreated(
        uint256 indexed listingId, address indexed seller, bytes32 indexed modelRoot, ListingTerms terms, ListingOffer offer
    );
    /// @notice The seller changed the offer of a listing.
    event ListingUpdated(uint256 indexed listingId, ListingOffer offer);
    /// @notice The seller paused a listing: no new test-drives, purchases or auctions.
    event ListingPaused(uint256 indexed listingId);
    /// @notice The seller resumed a paused listing.
    event ListingUnpaused(uint256 indexed listingId);
    /// @notice The seller withdrew a listing for good. Open test-drives and purchases still resolve.
    event ListingDelisted(uint256 indexed listingId);
    /// @notice Someone paid to promote a listing; clients may rank by `totalPaid`.
    event ListingPromoted(uint256 indexed listingId, address indexed payer, uint256 amount, uint256 totalPaid);
    /// @notice The registry's owner withdrew accumulated promotion fees.
    event PromotionFeesWithdrawn(address indexed to, uint256 amount);

    /// @notice Lists a model. The caller becomes its seller.
    function list(ListingTerms calldata terms, ListingOffer calldata offer) external returns (uint256 listingId);

    /// @notice Replaces the offer of an active or paused listing.
    function updateOffer(uint256 listingId, ListingOffer calldata offer) external;

    /// @notice Pauses an active listing.
    function pause(uint256 listingId) external;

    /// @notice Resumes a paused listing.
    function unpause(uint256 listingId) external;

    /// @notice Withdraws a listing for good.
    function delist(uint256 listingId) external;

    /// @notice Pays to promote an active listing.
    function promote(uint256 listingId) external payable;

    /// @notice The whole listing.
    function getListing(uint256 listingId) external view returns (Listing memory);

    /// @notice Number of listings ever created; ids run from 1 to this value.
    function listingCount() external view returns (uint256);

    /// @notice What the market needs when a test opens or is paid for (three storage reads).
    /// Returns zeros for an unknown listing.
    function testTerms(uint256 listingId)
        external
        view
        returns (address seller, ListingStatus status, TestPolicy memory policy);

    /// @notice What a test-drive's deadlines and dispute proof are checked against (one storage read).
    function disputeTerms(uint256 listingId) external view returns (DisputeTerms memory);

    /// @notice How a refund of the listing is graded, bonded and contested.
    function disputePolicy(uint256 listingId) external view returns (DisputePolicy memory);

    /// @notice What a purchase or an auction needs. Returns zeros for an unknown listing.
    function saleTerms(uint256 listingId)
        external
        view
        returns (address seller, ListingStatus status, SaleMode saleMode, uint96 price);

    /// @notice What a delivery complaint is checked against.
    function deliveryTerms(uint256 listingId) external view returns (bytes32 modelRoot, uint64 modelSize);

    /// @notice Who may record evaluation receipts for the listing.
    function workerOf(uint256 listingId) external view returns (address seller, address workerSigner);
}
