// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IFairExchange} from "../interfaces/IFairExchange.sol";
import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {ChunkMerkle} from "../libraries/ChunkMerkle.sol";
import {TestDrives} from "./TestDrives.sol";

/**
 * @title FairExchange
 * @notice Purchase escrow with fair delivery, after FairSwap (Dziembowski, Eckey, Faust, CCS 2018).
 *
 * 1. The buyer pays the price into escrow ({buy}, or an auction settles into it).
 * 2. The seller sends the model encrypted chunk by chunk with a one-time key (keystream
 *    `keccak256(abi.encode(key, i))`, see {ChunkMerkle}) and commits to the ciphertext's
 *    Merkle root and the key's hash ({commitDelivery}).
 * 3. The buyer checks the ciphertext against the root and may {acceptDelivery} at once or
 *    {rejectDelivery} if it never arrived; silence accepts when the acceptance window ends,
 *    except a per-buyer copy, which only the buyer's {acceptDelivery} accepts.
 * 4. The seller reveals the key ({revealKey}).
 * 5. Within the complaint window the buyer may prove that one decrypted chunk does not match
 *    the listing's `modelRoot`, or the buyer's copy root when the seller delivered a per-buyer
 *    copy ({commitCopyDelivery}), with {complain}, which refunds; otherwise the seller is paid
 *    ({completePurchase}).
 * Missing a delivery or key deadline refunds the buyer ({refundPurchase}).
 *
 * Whatever part of the escrow came from a test-drive deposit goes back under the test-drive's
 * rule when the purchase is refunded, for any reason (refund only by a dispute proof, else
 * forfeitable to the seller): buying and then refunding is never a way to recover a deposit
 * without a proof. An auction winner that rejects the delivery of the listed model pays the
 * seller the auction's non-reveal penalty on its collateral ({_rejectionPenalty}).
 * @dev A purchase stores facts; {purchaseStatus} computes its stage from them and the clock.
 */
abstract contract FairExchange is IFairExchange, TestDrives {
    /// @notice Seconds the seller has, from the purchase, to commit a delivery.
    uint32 public immutable deliveryWindow;
    /// @notice Seconds the buyer has, from the commitment, to accept or reject the ciphertext.
    uint32 public immutable acceptWindow;
    /// @notice Seconds the seller has, after the acceptance window, to reveal the key.
    uint32 public immutable revealWindow;
    /// @notice Seconds the buyer has, from the key reveal, to complain.
    uint32 public immutable complaintWindow;

    /// @dev The next purchase id; starts at 1 in the constructor (see {TestDrives}).
    uint256 private _nextPurchaseId;
    mapping(uint256 purchaseId => Purchase) private _purchases;

    constructor(uint32 deliveryWindow_, uint32 acceptWindow_, uint32 revealWindow_, uint32 complaintWindow_) {
        deliveryWindow = deliveryWindow_;
        acceptWindow = acceptWindow_;
        revealWindow = revealWindow_;
        complaintWindow = complaintWindow_;
        _nextPurchaseId = 1;
    }

    /// @inheritdoc IFairExchange
    /// @dev Emits {PurchaseOpened} (and {TestClosed} when a deposit is applied). Requirements:
    /// the listing is an active fixed-price listing whose price is `price`; `testId` is 0 or
    /// the caller's test-drive of it still holding its deposit; `msg.value` is the price minus
    /// that deposit (0 if the deposit covers the price). A deposit larger than the price stays
    /// in escrow: its excess comes back to the buyer when the purchase completes.
    function buy(uint256 listingId, uint256 testId, uint256 price) external payable nonReentrant returns (uint256 purchaseId) {
        (address seller, IModelRegistry.ListingStatus status, IModelRegistry.SaleMode mode, uint96 listed) =
            registry.saleTerms(listingId);
        if (status != IModelRegistry.ListingStatus.Active || mode != IModelRegistry.SaleMode.FixedPrice) {
            revert FairExchangeNotForSale(listingId);
        }
        if (listed != price) revert FairExchangePriceChanged(listingId, listed, price);
        uint256 deposit = testId == 0 ? 0 : _depositForPurchase(testId, listingId, msg.sender);
        uint256 due = deposit >= price ? 0 : price - deposit;
        if (msg.value != due) revert FairExchangeIncorrectPayment(msg.value, due);
        purchaseId = _openPurchase(listingId, msg.sender, seller, price, deposit + due, deposit, testId, 0);
    }

    /// @inheritdoc IFairExchange
    /// @dev Emits {DeliveryCommitted}. Requirements: the caller is the seller; the purchase
    /// awaits delivery; neither value is zero.
    function commitDelivery(uint256 purchaseId, bytes32 ciphertextRoot, bytes32 keyHash) external {
        _commitDelivery(purchaseId, ciphertextRoot, keyHash);
    }

    /// @inheritdoc IFairExchange
    /// @dev Emits {DeliveryCommitted} and {CopyCommitted}. Requirements: as {commitDelivery};
    /// neither the copy root nor its size is zero. An auction's winner may reject a copy
    /// without the rejection penalty: it may never have tested that copy. Silence never accepts
    /// a copy (the seller chose its root after the sale): unaccepted when the acceptance window
    /// ends, its key is overdue and the purchase refundable.
    function commitCopyDelivery(uint256 purchaseId, bytes32 ciphertextRoot, bytes32 keyHash, bytes32 copyRoot, uint64 copySize)
        external
    {
        if (copyRoot == bytes32(0) || copySize == 0) revert FairExchangeEmptyCommitment();
        Purchase storage p = _commitDelivery(purchaseId, ciphertextRoot, keyHash);
        p.deliversCopy = true;
        p.copyRoot = copyRoot;
        p.copySize = copySize;
        emit CopyCommitted(purchaseId, copyRoot, copySize);
    }

    /// @inheritdoc IFairExchange
    /// @dev Emits {DeliveryAccepted}. Requirements: the caller is the buyer; the purchase awaits acceptance.
    function acceptDelivery(uint256 purchaseId) external {
        Purchase storage p = _existingPurchase(purchaseId);
        _requireBuyer(purchaseId, p);
        _requireStatus(purchaseId, p, PurchaseStatus.AwaitingAcceptance);
        p.accepted = true;
        emit DeliveryAccepted(purchaseId);
    }

    /// @inheritdoc IFairExchange
    /// @dev Emits {PurchaseRefunded} with reason `DeliveryRejected`. Requirements: the caller is
    /// the buyer; the purchase awaits acceptance. The buyer holds at most a ciphertext whose
    /// key is never revealed, so rejecting costs the seller nothing but time.
    /// An auction's winner pays the seller the auction's non-reveal penalty on its collateral,
    /// unless the delivery is a per-buyer copy ({commitCopyDelivery}).
    function rejectDelivery(uint256 purchaseId) external nonReentrant {
        Purchase storage p = _existingPurchase(purchaseId);
        _requireBuyer(purchaseId, p);
        _requireStatus(purchaseId, p, PurchaseStatus.AwaitingAcceptance);
        _refund(purchaseId, p, RefundReason.DeliveryRejected);
    }

    /// @inheritdoc IFairExchange
    /// @dev Emits {KeyRevealed}. Requirements: the purchase awaits the key (accepted, or the
    /// acceptance window is over); `ciphertextRoot` and `key` open the delivery commitment.
    /// Knowing the key is the authorization: the seller, or the worker it handed the delivery
    /// to, may reveal it (nobody else holds it before the reveal).
    function revealKey(uint256 purchaseId, bytes32 ciphertextRoot, bytes32 key) external {
        Purchase storage p = _existingPurchase(purchaseId);
        _requireStatus(purchaseId, p, PurchaseStatus.AwaitingKey);
        _requireOpening(purchaseId, p, ciphertextRoot, key);
        p.revealedAt = uint40(block.timestamp);
        emit KeyRevealed(purchaseId, key);
    }

    /// @inheritdoc IFairExchange
    /// @dev Emits {ComplaintUpheld} and {PurchaseRefunded}. Anyone may submit it; the refund
    /// goes to the buyer. Requirements: the complaint window is open; the complaint's root and
    /// key open the delivery commitment; both Merkle paths have the model's depth and verify
    /// (the model being the buyer's copy when one was committed, else the listing's);
    /// the decrypted chunk does not hash to the plaintext leaf.
    function complain(uint256 purchaseId, Complaint calldata c) external nonReentrant {
        Purchase storage p = _existingPurchase(purchaseId);
        _requireStatus(purchaseId, p, PurchaseStatus.ComplaintWindow);
        _requireOpening(purchaseId, p, c.ciphertextRoot, c.key);
        (bytes32 modelRoot, uint64 modelSize) =
            p.deliversCopy ? (p.copyRoot, p.copySize) : registry.deliveryTerms(p.listingId);
        uint256 depth = ChunkMerkle.depth(ChunkMerkle.chunkCount(modelSize));
        if (
            !ChunkMerkle.verify(c.ciphertextProof, depth, c.ciphertextRoot, ChunkMerkle.leaf(c.ciphertextChunk), c.index)
                || !ChunkMerkle.verify(c.plaintextProof, depth, modelRoot, c.plaintextLeaf, c.index)
        ) revert FairExchangeInvalidMerkleProof(purchaseId);
        bytes32 decrypted = c.ciphertextChunk ^ ChunkMerkle.keystream(c.key, c.index);
        if (ChunkMerkle.leaf(decrypted) == c.plaintextLeaf) revert FairExchangeChunkIsCorrect(purchaseId, c.index);
        emit ComplaintUpheld(purchaseId, c.index);
        _refund(purchaseId, p, RefundReason.ComplaintUpheld);
    }

    /// @inheritdoc IFairExchange
    /// @dev Emits {PurchaseCompleted}. Requirements: the purchase is `Completable`, or in its
    /// `ComplaintWindow` when the caller is the buyer (which verified the model and waives its
    /// complaints). The seller gets the price and the buyer the escrow beyond it.
    function completePurchase(uint256 purchaseId) external nonReentrant {
        Purchase storage p = _existingPurchase(purchaseId);
        PurchaseStatus status = _status(p);
        if (status != PurchaseStatus.Completable && (status != PurchaseStatus.ComplaintWindow || msg.sender != p.buyer)) {
            revert FairExchangeInvalidStatus(purchaseId, status);
        }
        p.settlement = Settlement.Completed;
        emit PurchaseCompleted(purchaseId, p.seller, p.price, p.extra);
        _releasePair(p.seller, p.price, p.buyer, p.extra);
    }

    /// @inheritdoc IFairExchange
    /// @dev Emits {PurchaseRefunded} with reason `DeliveryMissed` or `KeyMissed`.
    /// Requirements: the purchase is `DeliveryOverdue` or `KeyOverdue`.
    function refundPurchase(uint256 purchaseId) external nonReentrant {
        Purchase storage p = _existingPurchase(purchaseId);
        PurchaseStatus status = _status(p);
        if (status == PurchaseStatus.DeliveryOverdue) _refund(purchaseId, p, RefundReason.DeliveryMissed);
        else if (status == PurchaseStatus.KeyOverdue) _refund(purchaseId, p, RefundReason.KeyMissed);
        else revert FairExchangeInvalidStatus(purchaseId, status);
    }

    /// @inheritdoc IFairExchange
    function getPurchase(uint256 purchaseId) external view returns (Purchase memory) {
        return _existingPurchase(purchaseId);
    }

    /// @inheritdoc IFairExchange
    function purchaseStatus(uint256 purchaseId) external view returns (PurchaseStatus) {
        Purchase storage p = _purchases[purchaseId];
        return p.buyer == address(0) ? PurchaseStatus.None : _status(p);
    }

    /// @dev Records a paid purchase whose `escrow` (at least `price`) the contract already
    /// holds, `depositApplied` of it from test-drive `testId`. Emits {PurchaseOpened}.
    function _openPurchase(
        uint256 listingId,
        address buyer,
        address seller,
        uint256 price,
        uint256 escrow,
        uint256 depositApplied,
        uint256 testId,
        uint256 auctionId
    ) internal returns (uint256 purchaseId) {
        purchaseId = _nextPurchaseId++;
        Purchase storage p = _purchases[purchaseId];
        p.buyer = buyer;
        p.listingId = SafeCast.toUint32(listingId);
        p.createdAt = uint40(block.timestamp);
        p.seller = seller;
        p.price = SafeCast.toUint96(price);
        // The last slot is written now only when it holds something, as a plain purchase leaves it to commitDelivery.
        if (escrow != price || testId != 0 || auctionId != 0) {
            p.testId = SafeCast.toUint48(testId);
            p.extra = SafeCast.toUint96(escrow - price);
            p.auctionId = SafeCast.toUint32(auctionId);
        }
        emit PurchaseOpened(purchaseId, listingId, buyer, seller, price, escrow, depositApplied, testId, auctionId);
    }

    /**
     * @dev What an auction's winner pays the seller when it rejects the delivery: the auction's
     * non-reveal penalty on its collateral (0 for a purchase that no auction opened).
     */
    function _rejectionPenalty(uint256 auctionId, address buyer) internal view virtual returns (uint256);

    /**
     * @dev Refunds the escrow: the test-drive deposit that paid into it goes back whole under the
     * test-drive's rule, a rejecting auction winner's penalty to the seller (the escrow holds it
     * in the winner's ether, see {SealedBidAuctions}), the rest to the buyer.
     * Emits {DepositReturned} when a deposit comes back, and {PurchaseRefunded}.
     */
    function _refund(uint256 purchaseId, Purchase storage p, RefundReason reason) private {
        p.settlement = Settlement.Refunded;
        uint256 penalty = reason == RefundReason.DeliveryRejected && p.auctionId != 0 && !p.deliversCopy
            ? _rejectionPenalty(p.auctionId, p.buyer)
            : 0;
        uint256 deposit = p.testId == 0 ? 0 : _returnDeposit(p.testId);
        uint256 toBuyer = uint256(p.price) + p.extra - deposit - penalty;
        emit PurchaseRefunded(purchaseId, p.buyer, toBuyer, deposit, penalty, reason);
        _releasePair(p.buyer, toBuyer, p.seller, penalty);
    }

    /// @dev Records the delivery commitment of a purchase awaiting delivery, by its seller. Emits {DeliveryCommitted}.
    function _commitDelivery(uint256 purchaseId, bytes32 ciphertextRoot, bytes32 keyHash)
        private
        returns (Purchase storage p)
    {
        p = _existingPurchase(purchaseId);
        _requireSeller(purchaseId, p);
        _requireStatus(purchaseId, p, PurchaseStatus.AwaitingDelivery);
        if (ciphertextRoot == bytes32(0) || keyHash == bytes32(0)) revert FairExchangeEmptyCommitment();
        p.deliveryCommitment = keccak256(abi.encode(ciphertextRoot, keyHash));
        p.committedAt = uint40(block.timestamp);
        emit DeliveryCommitted(purchaseId, ciphertextRoot, keyHash);
    }

    function _status(Purchase storage p) private view returns (PurchaseStatus) {
        if (p.settlement == Settlement.Completed) return PurchaseStatus.Completed;
        if (p.settlement == Settlement.Refunded) return PurchaseStatus.Refunded;
        uint256 committedAt = p.committedAt;
        if (committedAt == 0) {
            return block.timestamp < uint256(p.createdAt) + deliveryWindow
                ? PurchaseStatus.AwaitingDelivery
                : PurchaseStatus.DeliveryOverdue;
        }
        uint256 revealedAt = p.revealedAt;
        if (revealedAt == 0) {
            uint256 acceptEnd = committedAt + acceptWindow;
            if (!p.accepted && block.timestamp < acceptEnd) return PurchaseStatus.AwaitingAcceptance;
            // Silence never accepts a copy: its root is the seller's choice after the sale, so only
            // the buyer, who tested it, can vouch for it. Unaccepted, its key can no longer be revealed.
            if (!p.accepted && p.deliversCopy) return PurchaseStatus.KeyOverdue;
            return block.timestamp < acceptEnd + revealWindow ? PurchaseStatus.AwaitingKey : PurchaseStatus.KeyOverdue;
        }
        return block.timestamp < revealedAt + complaintWindow ? PurchaseStatus.ComplaintWindow : PurchaseStatus.Completable;
    }

    function _requireOpening(uint256 purchaseId, Purchase storage p, bytes32 ciphertextRoot, bytes32 key)
        private
        view
    {
        bytes32 keyHash = keccak256(abi.encode(key));
        if (keccak256(abi.encode(ciphertextRoot, keyHash)) != p.deliveryCommitment) {
            revert FairExchangeCommitmentMismatch(purchaseId);
        }
    }

    function _requireStatus(uint256 purchaseId, Purchase storage p, PurchaseStatus expected) private view {
        PurchaseStatus current = _status(p);
        if (current != expected) revert FairExchangeInvalidStatus(purchaseId, current);
    }

    function _requireBuyer(uint256 purchaseId, Purchase storage p) private view {
        if (msg.sender != p.buyer) revert FairExchangeNotBuyer(purchaseId, msg.sender);
    }

    function _requireSeller(uint256 purchaseId, Purchase storage p) private view {
        if (msg.sender != p.seller) revert FairExchangeNotSeller(purchaseId, msg.sender);
    }

    function _existingPurchase(uint256 purchaseId) private view returns (Purchase storage p) {
        p = _purchases[purchaseId];
        if (p.buyer == address(0)) revert FairExchangeUnknownPurchase(purchaseId);
    }
}
