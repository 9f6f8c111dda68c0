// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title IFairExchange
 * @notice Types, errors and events of the purchase escrow with fair delivery (after FairSwap,
 * CCS 2018). The buyer's payment is held while the seller commits to an encrypted copy of the
 * model and then reveals the key; a buyer who receives a wrong chunk proves it with one chunk
 * and two Merkle paths and is refunded. Every stage has a deadline.
 */
interface IFairExchange {
    /// @notice Final settlement of a purchase; `Pending` while it runs.
    enum Settlement {
        Pending,
        Completed,
        Refunded
    }

    /// @notice Why a purchase was refunded.
    enum RefundReason {
        DeliveryMissed, // the seller committed no delivery in time
        DeliveryRejected, // the buyer did not receive a ciphertext matching the commitment
        KeyMissed, // the seller revealed no key in time (for a copy: the buyer never accepted it)
        ComplaintUpheld // a decrypted chunk does not match the purchase's model root (the listing's, or the buyer's copy)
    }

    /// @notice Where a purchase stands, computed from its facts (see {purchaseStatus}).
    enum PurchaseStatus {
        None,
        AwaitingDelivery, // the seller must commit a ciphertext root and key hash
        DeliveryOverdue, // the delivery deadline passed: refundable
        AwaitingAcceptance, // the buyer may accept (or reject) the ciphertext
        AwaitingKey, // the seller must reveal the key
        KeyOverdue, // the key deadline passed (for an unaccepted copy, the acceptance deadline): refundable
        ComplaintWindow, // key revealed; the buyer may prove a bad chunk
        Completable, // the complaint window passed: the seller can be paid
        Completed,
        Refunded
    }

    /// @notice A purchase's facts. The escrow holds `price + extra`: `price` goes to the seller
    /// on completion and `extra` back to the buyer (a deposit larger than the price, or the part
    /// of a winning bid's collateral held to pay a rejection penalty). When a test-drive's
    /// deposit paid into it (`testId` non-zero), that part of the escrow goes back under the
    /// test-drive's rule if the purchase is refunded ({ITestDrives-DepositReturned}).
    struct Purchase {
        address buyer;
        uint32 listingId;
        uint40 createdAt;
        Settlement settlement;
        bool accepted;
        bool deliversCopy; // set with copyRoot, in this slot so that the paths without a copy read no other
        address seller;
        uint96 price;
        bytes32 deliveryCommitment; // keccak256(abi.encode(ciphertextRoot, keccak256(abi.encode(key))))
        uint40 committedAt;
        uint40 revealedAt;
        uint48 testId;
        uint96 extra;
        uint32 auctionId;
        bytes32 copyRoot; // non-zero when the delivery is a per-buyer copy ({commitCopyDelivery}), else the listing's modelRoot applies
        uint64 copySize;
    }

    /// @notice A proof of misbehaviour: chunk `index` of the ciphertext, decrypted with the
    /// revealed key, does not hash to leaf `index` of the purchase's model root (the listing's
    /// `modelRoot`, or the copy root committed with {commitCopyDelivery}).
    struct Complaint {
        bytes32 ciphertextRoot;
        bytes32 key;
        uint256 index;
        bytes32 ciphertextChunk;
        bytes32[] ciphertextProof;
        bytes32 plaintextLeaf;
        bytes32[] plaintextProof;
    }

    /// @notice The purchase id was never used.
    error FairExchangeUnknownPurchase(uint256 purchaseId);
    /// @notice The purchase is not in a status that allows this.
    error FairExchangeInvalidStatus(uint256 purchaseId, PurchaseStatus current);
    /// @notice Only the purchase's buyer may do this.
    error FairExchangeNotBuyer(uint256 purchaseId, address account);
    /// @notice Only the purchase's seller may do this.
    error FairExchangeNotSeller(uint256 purchaseId, address account);
    /// @notice The listing is not an active fixed-price listing.
    error FairExchangeNotForSale(uint256 listingId);
    /// @notice `msg.value` plus any applied deposit is not the listing's price.
    error FairExchangeIncorrectPayment(uint256 sent, uint256 required);
    /// @notice The listing's price is not the price the buyer agreed to (it changed, or the
    /// buyer was shown another); nothing was bought.
    error FairExchangePriceChanged(uint256 listingId, uint256 listedPrice, uint256 agreedPrice);
    /// @notice The ciphertext root, key hash, copy root or copy size is zero.
    error FairExchangeEmptyCommitment();
    /// @notice The ciphertext root and key do not open the delivery commitment.
    error FairExchangeCommitmentMismatch(uint256 purchaseId);
    /// @notice A Merkle path has the wrong length or does not lead to the expected root.
    error FairExchangeInvalidMerkleProof(uint256 purchaseId);
    /// @notice The chunk decrypts correctly: there is nothing to complain about.
    error FairExchangeChunkIsCorrect(uint256 purchaseId, uint256 index);

    /// @notice A purchase was paid into escrow: `escrow` (at least `price`) is held, of which
    /// `depositApplied` came from test-drive `testId`; `auctionId` is non-zero when an auction
    /// settled into it.
    event PurchaseOpened(
        uint256 indexed purchaseId,
        uint256 indexed listingId,
        address indexed buyer,
        address seller,
        uint256 price,
        uint256 escrow,
        uint256 depositApplied,
        uint256 testId,
        uint256 auctionId
    );
    /// @notice The seller committed to an encrypted copy and to its key.
    event DeliveryCommitted(uint256 indexed purchaseId, bytes32 ciphertextRoot, bytes32 keyHash);
    /// @notice The delivery is the buyer's own copy (a fingerprinted model), whose bytes have
    /// chunk Merkle root `copyRoot` and length `copySize`: chunks are proven against it, not
    /// against the listing's `modelRoot`.
    event CopyCommitted(uint256 indexed purchaseId, bytes32 copyRoot, uint64 copySize);
    /// @notice The buyer confirmed holding a ciphertext that matches the committed root.
    event DeliveryAccepted(uint256 indexed purchaseId);
    /// @notice The seller revealed the key; the complaint window starts.
    event KeyRevealed(uint256 indexed purchaseId, bytes32 key);
    /// @notice A proof of misbehaviour for chunk `index` was upheld.
    event ComplaintUpheld(uint256 indexed purchaseId, uint256 index);
    /// @notice The seller was paid `amount`; the buyer got back `toBuyer`, the escrow beyond the price.
    event PurchaseCompleted(uint256 indexed purchaseId, address indexed seller, uint256 amount, uint256 toBuyer);
    /// @notice The purchase was refunded: `toBuyer` went to the buyer, `depositReturned` back to
    /// the test-drive whose deposit had paid into it, and `penalty` to the seller (an auction
    /// winner that rejected the delivery).
    event PurchaseRefunded(
        uint256 indexed purchaseId,
        address indexed buyer,
        uint256 toBuyer,
        uint256 depositReturned,
        uint256 penalty,
        RefundReason reason
    );

    /// @notice Buys a fixed-price listing at `price`, which must be the listing's price now; a
    /// test-drive of the caller still holding its deposit may pay the deposit towards it.
    function buy(uint256 listingId, uint256 testId, uint256 price) external payable returns (uint256 purchaseId);

    /// @notice The seller commits to the ciphertext's Merkle root and the key's hash.
    function commitDelivery(uint256 purchaseId, bytes32 ciphertextRoot, bytes32 keyHash) external;

    /// @notice As {commitDelivery}, for a per-buyer copy of the model: the seller also commits the
    /// copy's chunk Merkle root and size, against which the buyer checks and complains. The
    /// buyer accepts only the copy its test-drive evaluated (docs/PROTOCOL.md §7.2), and only
    /// explicitly: silence never accepts a copy, whose key is overdue once the acceptance window ends.
    function commitCopyDelivery(uint256 purchaseId, bytes32 ciphertextRoot, bytes32 keyHash, bytes32 copyRoot, uint64 copySize)
        external;

    /// @notice The buyer confirms holding the committed ciphertext, so the key may be revealed at once.
    function acceptDelivery(uint256 purchaseId) external;

    /// @notice The buyer reports that no ciphertext matching the commitment arrived; refunds.
    function rejectDelivery(uint256 purchaseId) external;

    /// @notice Reveals the key that opens the delivery commitment: the seller, or its worker holding the key.
    function revealKey(uint256 purchaseId, bytes32 ciphertextRoot, bytes32 key) external;

    /// @notice The buyer proves that a delivered chunk is wrong; refunds.
    function complain(uint256 purchaseId, Complaint calldata complaint) external;

    /// @notice Pays the seller: anyone after the complaint window, or the buyer at once once it verified the model.
    function completePurchase(uint256 purchaseId) external;

    /// @notice Refunds the buyer after a missed delivery or key deadline; anyone may call.
    function refundPurchase(uint256 purchaseId) external;

    /// @notice A purchase's facts.
    function getPurchase(uint256 purchaseId) external view returns (Purchase memory);

    /// @notice Where a purchase stands now.
    function purchaseStatus(uint256 purchaseId) external view returns (PurchaseStatus);
}
