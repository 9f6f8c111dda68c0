// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title ISealedBidAuctions
 * @notice Types, errors and events of sealed-bid auctions: bidders commit
 * `keccak256(abi.encode(amount, salt, bidder, auctionId))` with collateral of at least the bid,
 * reveal, and the highest valid bid wins at its own price (first-price) or at the second
 * price (Vickrey). The winner's payment moves into the purchase escrow.
 */
interface ISealedBidAuctions {
    /// @notice What the winner pays.
    enum AuctionKind {
        FirstPrice,
        SecondPrice
    }

    /// @notice Where an auction stands, computed from its facts.
    enum AuctionStatus {
        None,
        Committing,
        Revealing,
        Settleable, // reveal phase over, not yet settled
        Settled
    }

    /// @notice What the seller chooses when creating an auction.
    /// @param reservePrice lowest winning bid
    /// @param commitDuration seconds bids may be committed
    /// @param revealDuration seconds bids may be revealed, after the commit phase
    /// @param kind first-price or second-price
    /// @param onlyTestDrivers only addresses that test-drove the listing may bid
    /// @param nonRevealPenaltyBps share of the collateral a bidder pays when it never reveals (or
    /// reveals more than its collateral), burned. The winner pays the same share of its
    /// collateral to the seller if it rejects the delivery.
    struct AuctionParams {
        uint96 reservePrice;
        uint32 commitDuration;
        uint32 revealDuration;
        AuctionKind kind;
        bool onlyTestDrivers;
        uint16 nonRevealPenaltyBps;
    }

    /// @notice An auction's facts. Phase ends are 32-bit timestamps: auctions can be created
    /// until 2106.
    struct Auction {
        address seller;
        uint32 listingId;
        AuctionKind kind;
        bool onlyTestDrivers;
        uint16 nonRevealPenaltyBps;
        bool settled;
        uint96 reservePrice;
        uint32 commitEnd;
        uint32 revealEnd;
        uint96 secondAmount;
        address highestBidder;
        uint96 highestAmount;
    }

    /// @notice A bid's facts. `collateral` includes the deposit of test-drive `testId` when
    /// one paid into it (`testId` is 0 otherwise); the deposit goes back whole under the
    /// test-drive's rule when the bid is released ({ITestDrives-DepositReturned}).
    struct Bid {
        bytes32 commitment;
        uint96 collateral;
        uint96 amount;
        bool revealed;
        bool reclaimed;
        uint48 testId;
    }

    /// @notice The auction id was never used.
    error AuctionsUnknownAuction(uint256 auctionId);
    /// @notice The auction is not in a status that allows this.
    error AuctionsInvalidStatus(uint256 auctionId, AuctionStatus current);
    /// @notice The listing is not an active auction listing of the caller.
    error AuctionsNotAuctionable(uint256 listingId, address account);
    /// @notice A phase is zero or longer than MAX_PHASE, or the penalty exceeds 100%.
    error AuctionsInvalidParams();
    /// @notice The seller may not bid in its own auction.
    error AuctionsSellerCannotBid(uint256 auctionId);
    /// @notice The bidder already bid in this auction.
    error AuctionsAlreadyBid(uint256 auctionId, address bidder);
    /// @notice The commitment is zero or the bid carries no collateral.
    error AuctionsEmptyBid();
    /// @notice A bid backed by a test-drive deposit must carry in ether at least the penalty its
    /// collateral could owe (`nonRevealPenaltyBps` of it), so that no penalty ever takes a deposit.
    error AuctionsPenaltyNotCovered(uint256 auctionId, uint256 required, uint256 sent);
    /// @notice The auction only admits bidders who test-drove the listing.
    error AuctionsNotTestDriver(uint256 auctionId, address bidder);
    /// @notice The account has no bid in this auction.
    error AuctionsNoBid(uint256 auctionId, address bidder);
    /// @notice The revealed amount and salt do not open the commitment.
    error AuctionsCommitmentMismatch(uint256 auctionId, address bidder);
    /// @notice The bid was already revealed or reclaimed.
    error AuctionsBidClosed(uint256 auctionId, address bidder);

    /// @notice A seller opened an auction.
    event AuctionCreated(uint256 indexed auctionId, uint256 indexed listingId, address indexed seller, AuctionParams params);
    /// @notice A sealed bid was committed with `collateral` (including any applied test deposit).
    event BidCommitted(uint256 indexed auctionId, address indexed bidder, bytes32 commitment, uint256 collateral);
    /// @notice A bid was revealed; `valid` bids (amount within collateral) compete.
    event BidRevealed(uint256 indexed auctionId, address indexed bidder, uint256 amount, bool valid);
    /// @notice The auction ended; `winner` is zero when no valid bid reached the reserve.
    event AuctionSettled(uint256 indexed auctionId, address indexed winner, uint256 price, uint256 purchaseId);
    /// @notice A bid's collateral was released: `refund` to the bidder, `depositReturned` back to
    /// the test-drive whose deposit paid into it, `penalty` to `penaltyRecipient` (the burn
    /// address). A winner's `refund` is its collateral beyond the purchase escrow, which keeps
    /// any deposit.
    event BidReclaimed(
        uint256 indexed auctionId,
        address indexed bidder,
        uint256 refund,
        uint256 depositReturned,
        uint256 penalty,
        address penaltyRecipient
    );

    /// @notice Opens a sealed-bid auction of an auction-mode listing of the caller.
    function createAuction(uint256 listingId, AuctionParams calldata params) external returns (uint256 auctionId);

    /// @notice Commits a sealed bid; `msg.value` (plus a test deposit, if `testId` converts
    /// one) is the collateral. `testId` is 0 or a test-drive of the caller on this listing; when
    /// its deposit joins the collateral, `msg.value` must cover the non-reveal penalty.
    function commitBid(uint256 auctionId, bytes32 commitment, uint256 testId) external payable;

    /// @notice Reveals the caller's bid.
    function revealBid(uint256 auctionId, uint96 amount, bytes32 salt) external;

    /// @notice Ends the auction after the reveal phase and moves the winner's payment into escrow.
    function settleAuction(uint256 auctionId) external returns (uint256 purchaseId);

    /// @notice Releases `bidder`'s collateral after the reveal phase; anyone may call.
    function reclaimBid(uint256 auctionId, address bidder) external;

    /// @notice The commitment a bidder posts for `amount` and `salt`.
    function bidCommitment(uint96 amount, bytes32 salt, address bidder, uint256 auctionId)
        external
        pure
        returns (bytes32);

    /// @notice An auction's facts.
    function getAuction(uint256 auctionId) external view returns (Auction memory);

    /// @notice A bid's facts.
    function getBid(uint256 auctionId, address bidder) external view returns (Bid memory);

    /// @notice Where an auction stands now.
    function auctionStatus(uint256 auctionId) external view returns (AuctionStatus);

    /// @notice What the winner pays (0 while unknown or without a winner). A second-price
    /// auction with one valid bid clears at the reserve, which may be 0: the reserve is the floor.
    function clearingPrice(uint256 auctionId) external view returns (uint256);
}
