// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {TransientReentrancyGuard} from "./utils/TransientReentrancyGuard.sol";
import {IModelRegistry} from "./interfaces/IModelRegistry.sol";

/**
 * @title ModelRegistry
 * @notice The advertisements of ModelBazaar: sellers list models with immutable terms (model
 * root, task, claimed accuracy, test policy, watermark commitment) and a mutable offer (price,
 * sale mode, worker). Anyone may pay to promote a listing; the fees go to the registry's owner.
 * @dev Storage is laid out so the market's hot paths read two or three slots: see the
 * `*Terms` views.
 */
contract ModelRegistry is IModelRegistry, Ownable2Step, TransientReentrancyGuard {
    /// @notice Largest test set one test-drive may cover.
    uint32 public constant MAX_SAMPLES = type(uint16).max;
    /// @notice Longest service or dispute window, so no deposit waits longer than this.
    uint32 public constant MAX_WINDOW = 30 days;
    /// @notice A contestable listing's smallest test set: twice the 16 samples a contest opens,
    /// so a contest never reveals more than half of a test set (docs/DISPUTES.md §4.1).
    uint32 public constant MIN_CONTESTABLE_SAMPLES = 32;
    /// @notice A contestable listing's largest test set: the leaves of the features tree a
    /// contest opens samples of (depth 10).
    uint32 public constant MAX_CONTESTABLE_SAMPLES = 1024;
    /// @notice A contestable listing's widest features: the contest circuits' 16-bit lanes.
    uint8 public constant MAX_CONTESTABLE_FEATURE_BITS = 16;

    /// @dev The BN254 scalar field: a plan commitment is a public signal of the contest circuits.
    uint256 private constant SNARK_SCALAR_FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// @dev Flattened so that each market path reads few slots: slot 0 by every path, slot 3
    /// alone by a refund, slots 0, 2 and 3 when a test opens.
    struct ListingRecord {
        // slot 0
        address seller;
        ListingStatus status;
        SaleMode saleMode;
        uint40 listedAt;
        // slot 1
        uint96 price;
        address workerSigner;
        // slot 2
        uint96 feePerExtraSample;
        uint32 freeSamples;
        uint32 minSamples;
        uint32 maxSamples;
        // slot 3
        DisputeTerms dispute;
        // slot 4..
        bytes32 modelRoot;
        uint64 modelSize;
        bytes32 metadataHash;
        bytes32 watermarkCommitment;
        uint256 promotionTotal;
        string metadataURI;
        string workerEndpoint;
        DisputePolicy disputePolicy;
    }

    uint256 private _listingCount;
    uint256 private _promotionFees;
    mapping(uint256 listingId => ListingRecord) private _listings;

    constructor(address initialOwner) Ownable(initialOwner) {}

    /// @inheritdoc IModelRegistry
    /// @dev Emits {ListingCreated}. Requirements: a non-empty model, a claim in 1..10000 bps,
    /// a usable task, sample bounds 1 <= min <= max <= MAX_SAMPLES, windows in 1..MAX_WINDOW,
    /// a positive deposit, fees of at most 2**96 - 1 wei per test, a usable dispute policy
    /// ({ModelRegistryInvalidDisputePolicy}), and a valid offer (see {updateOffer}).
    function list(ListingTerms calldata terms, ListingOffer calldata offer) external returns (uint256 listingId) {
        _validateTerms(terms);
        _validateOffer(offer);
        listingId = ++_listingCount;
        ListingRecord storage l = _listings[listingId];
        l.seller = msg.sender;
        l.status = ListingStatus.Active;
        l.listedAt = uint40(block.timestamp);
        TestPolicy calldata p = terms.testPolicy;
        l.feePerExtraSample = p.feePerExtraSample;
        l.freeSamples = p.freeSamples;
        l.minSamples = p.minSamples;
        l.maxSamples = p.maxSamples;
        l.dispute = DisputeTerms({
            deposit: p.deposit,
            serviceWindow: p.serviceWindow,
            disputeWindow: p.disputeWindow,
            claimedAccuracyBps: terms.claimedAccuracyBps,
            featureCount: terms.task.featureCount,
            classCount: terms.task.classCount,
            scaleBits: terms.task.scaleBits,
            featureBits: terms.task.featureBits,
            planFamily: terms.disputePolicy.planFamily
        });
        l.modelRoot = terms.modelRoot;
        l.modelSize = terms.modelSize;
        l.watermarkCommitment = terms.watermarkCommitment;
        l.disputePolicy = terms.disputePolicy;
        _storeOffer(l, offer);
        emit ListingCreated(listingId, msg.sender, terms.modelRoot, terms, offer);
    }

    /// @inheritdoc IModelRegistry
    /// @dev Emits {ListingUpdated}. Requirements: caller is the seller; the listing is active or
    /// paused; the worker signer is non-zero; a fixed-price offer has a positive price.
    function updateOffer(uint256 listingId, ListingOffer calldata offer) external {
        ListingRecord storage l = _sellerListing(listingId);
        _requireStatus(listingId, l.status, ListingStatus.Active, ListingStatus.Paused);
        _validateOffer(offer);
        _storeOffer(l, offer);
        emit ListingUpdated(listingId, offer);
    }

    /// @inheritdoc IModelRegistry
    /// @dev Emits {ListingPaused}. Requirements: caller is the seller; the listing is active.
    function pause(uint256 listingId) external {
        ListingRecord storage l = _sellerListing(listingId);
        _requireStatus(listingId, l.status, ListingStatus.Active, ListingStatus.Active);
        l.status = ListingStatus.Paused;
        emit ListingPaused(listingId);
    }

    /// @inheritdoc IModelRegistry
    /// @dev Emits {ListingUnpaused}. Requirements: caller is the seller; the listing is paused.
    function unpause(uint256 listingId) external {
        ListingRecord storage l = _sellerListing(listingId);
        _requireStatus(listingId, l.status, ListingStatus.Paused, ListingStatus.Paused);
        l.status = ListingStatus.Active;
        emit ListingUnpaused(listingId);
    }

    /// @inheritdoc IModelRegistry
    /// @dev Emits {ListingDelisted}. Requirements: caller is the seller; not already delisted.
    function delist(uint256 listingId) external {
        ListingRecord storage l = _sellerListing(listingId);
        _requireStatus(listingId, l.status, ListingStatus.Active, ListingStatus.Paused);
        l.status = ListingStatus.Delisted;
        emit ListingDelisted(listingId);
    }

    /// @inheritdoc IModelRegistry
    /// @dev Emits {ListingPromoted}. Requirements: the listing is active; `msg.value > 0`.
    function promote(uint256 listingId) external payable {
        ListingRecord storage l = _existing(listingId);
        _requireStatus(listingId, l.status, ListingStatus.Active, ListingStatus.Active);
        if (msg.value == 0) revert ModelRegistryZeroPromotion();
        uint256 total = l.promotionTotal + msg.value;
        l.promotionTotal = total;
        _promotionFees += msg.value;
        emit ListingPromoted(listingId, msg.sender, msg.value, total);
    }

    /**
     * @notice Sends all accumulated promotion fees to `to`.
     * @dev Emits {PromotionFeesWithdrawn}. Requirements: caller is the owner; there are fees;
     * `to` is not the zero address.
     */
    function withdrawPromotionFees(address payable to) external onlyOwner nonReentrant {
        uint256 amount = _promotionFees;
        if (amount == 0 || to == address(0)) revert ModelRegistryNothingToWithdraw();
        _promotionFees = 0;
        emit PromotionFeesWithdrawn(to, amount);
        Address.sendValue(to, amount);
    }

    /**
     * @notice Always reverts: without an owner the promotion fees could never leave the
     * registry. Use {transferOwnership} (two steps) instead.
     */
    function renounceOwnership() public view override onlyOwner {
        revert ModelRegistryCannotRenounceOwnership();
    }

    /// @notice Promotion fees the owner may withdraw.
    function promotionFees() external view returns (uint256) {
        return _promotionFees;
    }

    /// @inheritdoc IModelRegistry
    function getListing(uint256 listingId) external view returns (Listing memory) {
        ListingRecord storage l = _existing(listingId);
        return Listing({
            seller: l.seller,
            status: l.status,
            listedAt: l.listedAt,
            promotionTotal: l.promotionTotal,
            terms: ListingTerms({
                modelRoot: l.modelRoot,
                modelSize: l.modelSize,
                task: TaskSpec({
                    featureCount: l.dispute.featureCount,
                    classCount: l.dispute.classCount,
                    scaleBits: l.dispute.scaleBits,
                    featureBits: l.dispute.featureBits
                }),
                claimedAccuracyBps: l.dispute.claimedAccuracyBps,
                testPolicy: _testPolicy(l),
                watermarkCommitment: l.watermarkCommitment,
                disputePolicy: l.disputePolicy
            }),
            offer: ListingOffer({
                metadataURI: l.metadataURI,
                metadataHash: l.metadataHash,
                saleMode: l.saleMode,
                price: l.price,
                workerEndpoint: l.workerEndpoint,
                workerSigner: l.workerSigner
            })
        });
    }

    /// @inheritdoc IModelRegistry
    function listingCount() external view returns (uint256) {
        return _listingCount;
    }

    /// @inheritdoc IModelRegistry
    function testTerms(uint256 listingId)
        external
        view
        returns (address seller, ListingStatus status, TestPolicy memory policy)
    {
        ListingRecord storage l = _listings[listingId];
        return (l.seller, l.status, _testPolicy(l));
    }

    /// @inheritdoc IModelRegistry
    function disputeTerms(uint256 listingId) external view returns (DisputeTerms memory) {
        return _existing(listingId).dispute;
    }

    /// @inheritdoc IModelRegistry
    function disputePolicy(uint256 listingId) external view returns (DisputePolicy memory) {
        return _existing(listingId).disputePolicy;
    }

    /// @inheritdoc IModelRegistry
    function saleTerms(uint256 listingId)
        external
        view
        returns (address seller, ListingStatus status, SaleMode saleMode, uint96 price)
    {
        ListingRecord storage l = _listings[listingId];
        return (l.seller, l.status, l.saleMode, l.price);
    }

    /// @inheritdoc IModelRegistry
    function deliveryTerms(uint256 listingId) external view returns (bytes32 modelRoot, uint64 modelSize) {
        ListingRecord storage l = _existing(listingId);
        return (l.modelRoot, l.modelSize);
    }

    /// @inheritdoc IModelRegistry
    function workerOf(uint256 listingId) external view returns (address seller, address workerSigner) {
        ListingRecord storage l = _existing(listingId);
        return (l.seller, l.workerSigner);
    }

    function _testPolicy(ListingRecord storage l) private view returns (TestPolicy memory) {
        DisputeTerms storage d = l.dispute;
        return TestPolicy({
            deposit: d.deposit,
            feePerExtraSample: l.feePerExtraSample,
            freeSamples: l.freeSamples,
            minSamples: l.minSamples,
            maxSamples: l.maxSamples,
            serviceWindow: d.serviceWindow,
            disputeWindow: d.disputeWindow
        });
    }

    function _storeOffer(ListingRecord storage l, ListingOffer calldata offer) private {
        l.saleMode = offer.saleMode;
        l.price = offer.price;
        l.workerSigner = offer.workerSigner;
        l.metadataHash = offer.metadataHash;
        l.metadataURI = offer.metadataURI;
        l.workerEndpoint = offer.workerEndpoint;
    }

    function _validateTerms(ListingTerms calldata terms) private pure {
        if (terms.modelRoot == bytes32(0) || terms.modelSize == 0) revert ModelRegistryEmptyModel();
        if (terms.claimedAccuracyBps == 0 || terms.claimedAccuracyBps > 10_000) {
            revert ModelRegistryInvalidClaim(terms.claimedAccuracyBps);
        }
        TaskSpec calldata task = terms.task;
        if (
            task.featureCount == 0 || task.classCount < 2 || task.featureBits == 0 || task.featureBits > 32
                || task.scaleBits > task.featureBits
        ) revert ModelRegistryInvalidTask();
        TestPolicy calldata p = terms.testPolicy;
        if (p.minSamples == 0 || p.minSamples > p.maxSamples || p.maxSamples > MAX_SAMPLES) {
            revert ModelRegistryInvalidSampleBounds(p.minSamples, p.maxSamples);
        }
        _validateWindow(p.serviceWindow);
        _validateWindow(p.disputeWindow);
        if (p.deposit == 0) revert ModelRegistryZeroDeposit();
        uint256 paidSamples = p.maxSamples > p.freeSamples ? p.maxSamples - p.freeSamples : 0;
        if (paidSamples * p.feePerExtraSample > type(uint96).max) revert ModelRegistryFeeTooLarge();
        _validateDisputePolicy(terms.disputePolicy, task, p);
    }

    /// @dev A plan family needs a plan to contest against, both bonds and test sets a contest
    /// can open; without one, nothing may be set that only a contest would use.
    function _validateDisputePolicy(DisputePolicy calldata d, TaskSpec calldata task, TestPolicy calldata p)
        private
        pure
    {
        if (d.refundSlopeBps == 0 || d.refundSlopeBps > 10_000) revert ModelRegistryInvalidDisputePolicy();
        if (d.planFamily == PlanFamily.None) {
            if (d.planCommitment != bytes32(0) || d.contestToleranceQ != 0 || d.buyerBond != 0 || d.sellerBond != 0) {
                revert ModelRegistryInvalidDisputePolicy();
            }
            return;
        }
        if (
            d.planCommitment == bytes32(0) || uint256(d.planCommitment) >= SNARK_SCALAR_FIELD || d.buyerBond == 0
                || d.sellerBond == 0 || d.contestToleranceQ == 0 || p.minSamples < MIN_CONTESTABLE_SAMPLES || p.maxSamples > MAX_CONTESTABLE_SAMPLES
                || task.featureBits > MAX_CONTESTABLE_FEATURE_BITS
        ) revert ModelRegistryInvalidDisputePolicy();
    }

    function _validateOffer(ListingOffer calldata offer) private pure {
        if (offer.workerSigner == address(0)) revert ModelRegistryInvalidWorkerSigner();
        if (offer.saleMode == SaleMode.FixedPrice && offer.price == 0) revert ModelRegistryZeroPrice();
    }

    function _validateWindow(uint32 window) private pure {
        if (window == 0 || window > MAX_WINDOW) revert ModelRegistryInvalidWindow(window);
    }

    function _existing(uint256 listingId) private view returns (ListingRecord storage l) {
        l = _listings[listingId];
        if (l.status == ListingStatus.None) revert ModelRegistryUnknownListing(listingId);
    }

    function _sellerListing(uint256 listingId) private view returns (ListingRecord storage l) {
        l = _existing(listingId);
        if (l.seller != msg.sender) revert ModelRegistryUnauthorizedSeller(listingId, msg.sender);
    }

    function _requireStatus(uint256 listingId, ListingStatus current, ListingStatus a, ListingStatus b) private pure {
        if (current != a && current != b) revert ModelRegistryInvalidStatus(listingId, current);
    }
}
