// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {ISealedBidAuctions} from "../interfaces/ISealedBidAuctions.sol";
import {FairExchange} from "./FairExchange.sol";

/**
 * @title SealedBidAuctions
 * @notice Sealed-bid auctions of auction-mode listings; the winner's payment moves into the
 * purchase escrow of {FairExchange}.
 *
 * - A bid commits `keccak256(abi.encode(amount, salt, bidder, auctionId))` with collateral of
 *   at least the amount (more hides the amount). The hash names the bidder, so a copied
 *   commitment cannot be revealed by the copier.
 * - Valid reveals (amount <= collateral) compete; the highest at or above the reserve wins.
 *   Ties go to the bid revealed first. First-price: the winner pays its bid. Second-price
 *   (Vickrey): the winner pays the larger of the second-highest valid bid and the reserve.
 * - A bidder who never reveals, or reveals more than its collateral, pays
 *   `nonRevealPenaltyBps` of the collateral, burned (credited to {PENALTY_SINK}, which nobody
 *   can withdraw), so withholding a bid always costs its bidder: neither the seller's shill nor
 *   a bidder's own sybil bids get their penalty back, as they would if it went to the seller
 *   or to the winner.
 * - The winner's purchase escrow holds the price and at least that share of its collateral,
 *   which it pays the seller if it rejects the delivery (see {FairExchange}).
 * - A test-drive deposit in a bid's collateral goes back whole under the test-drive's rule when
 *   the bid is released or the winner's purchase refunded: such a bid must carry the penalty
 *   it could owe in ether, so no penalty ever takes a deposit.
 * - After the reveal phase anyone may settle the auction and release any bid.
 */
abstract contract SealedBidAuctions is ISealedBidAuctions, FairExchange {
    /// @notice Longest commit or reveal phase.
    uint32 public constant MAX_PHASE = 30 days;

    /// @dev The next auction id; starts at 1 in the constructor (see {TestDrives}).
    uint256 private _nextAuctionId;
    mapping(uint256 auctionId => Auction) private _auctions;
    mapping(uint256 auctionId => mapping(address bidder => Bid)) private _bids;

    constructor() {
        _nextAuctionId = 1;
    }

    /// @inheritdoc ISealedBidAuctions
    /// @dev Emits {AuctionCreated}. Requirements: the caller is the seller of an active
    /// auction-mode listing; both phases last 1..MAX_PHASE seconds; the penalty is at most 100%.
    function createAuction(uint256 listingId, AuctionParams calldata params) external returns (uint256 auctionId) {
        (address seller, IModelRegistry.ListingStatus status, IModelRegistry.SaleMode mode,) =
            registry.saleTerms(listingId);
        if (
            seller != msg.sender || status != IModelRegistry.ListingStatus.Active
                || mode != IModelRegistry.SaleMode.Auction
        ) revert AuctionsNotAuctionable(listingId, msg.sender);
        if (
            params.commitDuration == 0 || params.commitDuration > MAX_PHASE || params.revealDuration == 0
                || params.revealDuration > MAX_PHASE || params.nonRevealPenaltyBps > 10_000
        ) revert AuctionsInvalidParams();

        auctionId = _nextAuctionId++;
        uint32 commitEnd = SafeCast.toUint32(block.timestamp + params.commitDuration);
        uint32 revealEnd = SafeCast.toUint32(uint256(commitEnd) + params.revealDuration);
        _auctions[auctionId] = Auction({
            seller: msg.sender,
            listingId: SafeCast.toUint32(listingId),
            kind: params.kind,
            onlyTestDrivers: params.onlyTestDrivers,
            nonRevealPenaltyBps: params.nonRevealPenaltyBps,
            settled: false,
            reservePrice: params.reservePrice,
            commitEnd: commitEnd,
            revealEnd: revealEnd,
            secondAmount: 0,
            highestBidder: address(0),
            highestAmount: 0
        });
        emit AuctionCreated(auctionId, listingId, msg.sender, params);
    }

    /// @inheritdoc ISealedBidAuctions
    /// @dev Emits {BidCommitted} (and {TestClosed} when a deposit becomes collateral).
    /// Requirements: the commit phase is open; the caller has not bid yet; the commitment is
    /// non-zero; the collateral is positive; the caller is not the seller; when the auction only admits test drivers,
    /// `testId` is an evaluated test-drive of the caller on this listing.
    function commitBid(uint256 auctionId, bytes32 commitment, uint256 testId) external payable nonReentrant {
        Auction storage a = _existingAuction(auctionId);
        _requireStatus(auctionId, a, AuctionStatus.Committing);
        if (msg.sender == a.seller) revert AuctionsSellerCannotBid(auctionId);
        Bid storage bid = _bids[auctionId][msg.sender];
        if (bid.commitment != bytes32(0)) revert AuctionsAlreadyBid(auctionId, msg.sender);
        uint256 deposit;
        if (testId != 0) deposit = _depositForBid(testId, a.listingId, msg.sender);
        else if (a.onlyTestDrivers) revert AuctionsNotTestDriver(auctionId, msg.sender);
        uint256 collateral = msg.value + deposit;
        if (commitment == bytes32(0) || collateral == 0) revert AuctionsEmptyBid();
        if (deposit != 0) {
            uint256 penalty = _penalty(a, collateral);
            if (msg.value < penalty) revert AuctionsPenaltyNotCovered(auctionId, penalty, msg.value);
        }
        bid.commitment = commitment;
        bid.collateral = SafeCast.toUint96(collateral);
        if (deposit != 0) bid.testId = SafeCast.toUint48(testId);
        emit BidCommitted(auctionId, msg.sender, commitment, collateral);
    }

    /// @inheritdoc ISealedBidAuctions
    /// @dev Emits {BidRevealed}. Requirements: the reveal phase is open; the caller has an
    /// unrevealed bid; `amount` and `salt` open its commitment.
    function revealBid(uint256 auctionId, uint96 amount, bytes32 salt) external {
        Auction storage a = _existingAuction(auctionId);
        _requireStatus(auctionId, a, AuctionStatus.Revealing);
        Bid storage bid = _bids[auctionId][msg.sender];
        if (bid.commitment == bytes32(0)) revert AuctionsNoBid(auctionId, msg.sender);
        if (bid.revealed) revert AuctionsBidClosed(auctionId, msg.sender);
        if (bidCommitment(amount, salt, msg.sender, auctionId) != bid.commitment) {
            revert AuctionsCommitmentMismatch(auctionId, msg.sender);
        }
        bid.revealed = true;
        bid.amount = amount;
        bool valid = amount <= bid.collateral;
        if (valid) {
            if (amount > a.highestAmount) {
                a.secondAmount = a.highestAmount;
                a.highestBidder = msg.sender;
                a.highestAmount = amount;
            } else if (amount > a.secondAmount) {
                a.secondAmount = amount;
            }
        }
        emit BidRevealed(auctionId, msg.sender, amount, valid);
    }

    /// @inheritdoc ISealedBidAuctions
    /// @dev Emits {AuctionSettled}, and {PurchaseOpened} when there is a winner. Anyone may
    /// call. Requirements: the reveal phase is over and the auction is not settled.
    function settleAuction(uint256 auctionId) external returns (uint256 purchaseId) {
        Auction storage a = _existingAuction(auctionId);
        _requireStatus(auctionId, a, AuctionStatus.Settleable);
        a.settled = true;
        address winner = _winner(a);
        uint256 price = _clearingPrice(a);
        if (winner != address(0)) {
            Bid storage w = _bids[auctionId][winner];
            uint256 testId = w.testId;
            uint256 deposit = testId == 0 ? 0 : _depositOf(testId);
            purchaseId = _openPurchase(
                a.listingId, winner, a.seller, price, _winnerEscrow(a, w.collateral, deposit), deposit, testId, auctionId
            );
        }
        emit AuctionSettled(auctionId, winner, price, purchaseId);
    }

    /// @inheritdoc ISealedBidAuctions
    /// @dev Emits {BidReclaimed} (and {DepositReturned} when a test-drive deposit comes back).
    /// Anyone may call; the refund goes to the bidder and any penalty is burned ({PENALTY_SINK}).
    /// The winner gets its collateral beyond the purchase escrow
    /// ({_winnerEscrow}). A test-drive deposit in a losing or withheld bid goes back whole to
    /// its test-drive ({DepositReturned}). Requirements: the reveal phase is over; the bid
    /// exists and was not reclaimed.
    function reclaimBid(uint256 auctionId, address bidder) external nonReentrant {
        Auction storage a = _existingAuction(auctionId);
        AuctionStatus status = _status(a);
        if (status != AuctionStatus.Settleable && status != AuctionStatus.Settled) {
            revert AuctionsInvalidStatus(auctionId, status);
        }
        Bid storage bid = _bids[auctionId][bidder];
        if (bid.commitment == bytes32(0)) revert AuctionsNoBid(auctionId, bidder);
        if (bid.reclaimed) revert AuctionsBidClosed(auctionId, bidder);
        bid.reclaimed = true;
        uint256 collateral = bid.collateral;
        uint256 testId = bid.testId;
        address winner = _winner(a);
        uint256 penalty;
        uint256 released = collateral;
        if (!bid.revealed || bid.amount > collateral) {
            penalty = _penalty(a, collateral);
            released = collateral - penalty;
        } else if (bidder == winner) {
            // Any deposit stays in the winner's purchase escrow: only ether comes back here.
            released = collateral - _winnerEscrow(a, collateral, testId == 0 ? 0 : _depositOf(testId));
            testId = 0;
        }
        uint256 deposit = testId == 0 ? 0 : _returnDeposit(testId);
        emit BidReclaimed(auctionId, bidder, released - deposit, deposit, penalty, PENALTY_SINK);
        _releasePair(bidder, released - deposit, PENALTY_SINK, penalty);
    }

    /// @inheritdoc ISealedBidAuctions
    function bidCommitment(uint96 amount, bytes32 salt, address bidder, uint256 auctionId)
        public
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(amount, salt, bidder, auctionId));
    }

    /// @inheritdoc ISealedBidAuctions
    function getAuction(uint256 auctionId) external view returns (Auction memory) {
        return _existingAuction(auctionId);
    }

    /// @inheritdoc ISealedBidAuctions
    function getBid(uint256 auctionId, address bidder) external view returns (Bid memory) {
        return _bids[auctionId][bidder];
    }

    /// @inheritdoc ISealedBidAuctions
    function auctionStatus(uint256 auctionId) external view returns (AuctionStatus) {
        Auction storage a = _auctions[auctionId];
        return a.seller == address(0) ? AuctionStatus.None : _status(a);
    }

    /// @inheritdoc ISealedBidAuctions
    function clearingPrice(uint256 auctionId) external view returns (uint256) {
        Auction storage a = _existingAuction(auctionId);
        return _status(a) < AuctionStatus.Settleable ? 0 : _clearingPrice(a);
    }

    /// @dev What the winner's purchase holds: the price, and at least any test-drive deposit in
    /// its collateral plus, in ether, the penalty it pays the seller should it reject the delivery.
    function _winnerEscrow(Auction storage a, uint256 collateral, uint256 deposit) private view returns (uint256 escrow) {
        escrow = _clearingPrice(a);
        uint256 floor = deposit + _penalty(a, collateral);
        if (floor > escrow) escrow = floor;
    }

    /// @dev The non-reveal (and rejection) penalty on `collateral`.
    function _penalty(Auction storage a, uint256 collateral) private view returns (uint256) {
        return (collateral * a.nonRevealPenaltyBps) / 10_000;
    }

    /// @inheritdoc FairExchange
    function _rejectionPenalty(uint256 auctionId, address buyer) internal view override returns (uint256) {
        return _penalty(_auctions[auctionId], _bids[auctionId][buyer].collateral);
    }

    /// @dev The highest valid bidder if its bid reaches the reserve, else nobody.
    function _winner(Auction storage a) private view returns (address) {
        return a.highestAmount > 0 && a.highestAmount >= a.reservePrice ? a.highestBidder : address(0);
    }

    function _clearingPrice(Auction storage a) private view returns (uint256) {
        if (_winner(a) == address(0)) return 0;
        if (a.kind == AuctionKind.FirstPrice) return a.highestAmount;
        return a.secondAmount > a.reservePrice ? a.secondAmount : a.reservePrice;
    }

    function _status(Auction storage a) private view returns (AuctionStatus) {
        if (a.settled) return AuctionStatus.Settled;
        if (block.timestamp < a.commitEnd) return AuctionStatus.Committing;
        if (block.timestamp < a.revealEnd) return AuctionStatus.Revealing;
        return AuctionStatus.Settleable;
    }

    function _requireStatus(uint256 auctionId, Auction storage a, AuctionStatus expected) private view {
        AuctionStatus current = _status(a);
        if (current != expected) revert AuctionsInvalidStatus(auctionId, current);
    }

    function _existingAuction(uint256 auctionId) private view returns (Auction storage a) {
        a = _auctions[auctionId];
        if (a.seller == address(0)) revert AuctionsUnknownAuction(auctionId);
    }
}
