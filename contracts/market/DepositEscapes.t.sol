// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IFairExchange} from "../interfaces/IFairExchange.sol";
import {ISealedBidAuctions} from "../interfaces/ISealedBidAuctions.sol";
import {ITestDrives} from "../interfaces/ITestDrives.sol";
import {MarketTestBase} from "../test-utils/MarketTestBase.sol";
import {vm} from "../test-utils/Vm.sol";

/// @notice Issue 9 §1 and §3, fuzzed: a test-drive deposit put into a bid never reaches the
/// bidder without a proof, whatever the bidder reveals (a withheld or invalid bid's penalty is
/// burned, and the deposit keeps the dispute deadline it had before the bid); a winner that voids its won auction
/// pays exactly the non-reveal penalty on its collateral; a seller that never delivers refunds
/// the winner in full. (The purchase routes are in FairExchange.t.sol.)
contract DepositEscapesTest is MarketTestBase {
    address private constant ESCAPER = address(0xE5CA9E);
    address private constant RIVAL = address(0x21BA1);
    bytes32 private constant SALT = bytes32("escape");

    function _auction(uint16 bps) private returns (uint256 listingId, uint256 auctionId) {
        listingId = _listAuction();
        vm.prank(SELLER);
        auctionId = market.createAuction(
            listingId, ISealedBidAuctions.AuctionParams(0, 600, 600, ISealedBidAuctions.AuctionKind.SecondPrice, false, bps)
        );
    }

    function _bid(uint256 auctionId, address who, uint96 amount, uint256 value, uint256 testId) private {
        bytes32 commitment = market.bidCommitment(amount, SALT, who, auctionId);
        vm.deal(who, who.balance + value);
        vm.prank(who);
        market.commitBid{value: value}(auctionId, commitment, testId);
    }

    function _reveal(uint256 auctionId, address who, uint96 amount) private {
        vm.prank(who);
        market.revealBid(auctionId, amount, SALT);
    }

    /// The "deposit escaper" bids with its test-drive's deposit as collateral and reveals 0, an
    /// amount above its collateral, or nothing; a rival may or may not win. Whatever happens it
    /// gets back at most its own ether, and the deposit is forfeitable to the seller afterwards.
    function testFuzz_bidDepositNeverReachesTheBidder(uint8 how, uint16 bps, uint96 extra, bool rival) public {
        how = uint8(how % 3);
        bps = uint16(_bound(bps, 0, 9_000));
        (uint256 listingId, uint256 auctionId) = _auction(bps);
        uint256 testId = _openTest(ESCAPER, listingId, 50);
        _receipt(testId);
        uint256 deadline = block.timestamp + 86_400; // receipt + dispute window: the bid never moves it
        // the least ether covering the penalty on (value + 1 ether), plus a fuzzed top-up
        uint256 value = (1 ether * uint256(bps) + (10_000 - bps) - 1) / (10_000 - bps) + _bound(extra, 0, 5 ether);
        uint256 collateral = value + 1 ether;
        uint96 amount = how == 0 ? 0 : uint96(collateral + 1); // 0, or invalid; how == 2 never reveals
        _bid(auctionId, ESCAPER, amount, value, testId);
        if (rival) _bid(auctionId, RIVAL, 1 ether, 1 ether, 0);
        vm.warp(block.timestamp + 600);
        if (how != 2) _reveal(auctionId, ESCAPER, amount);
        if (rival) _reveal(auctionId, RIVAL, 1 ether);
        vm.warp(block.timestamp + 600);
        market.reclaimBid(auctionId, ESCAPER);
        uint256 penalty = how == 0 ? 0 : collateral * bps / 10_000;
        _eq(market.owed(ESCAPER), value - penalty, "only its own ether, less any penalty");
        _eq(market.owed(market.PENALTY_SINK()), penalty, "the penalty is burned");
        _eq(market.owed(RIVAL), 0, "nothing to the winner");
        _eq(market.owed(SELLER), 0, "nothing to the seller");
        _eq(uint256(market.testStatus(testId)), uint256(ITestDrives.TestStatus.Evaluated), "the deposit is the test-drive's again");
        vm.warp(deadline - 1);
        _eq(uint256(market.testStatus(testId)), uint256(ITestDrives.TestStatus.Evaluated), "under the deadline it had before the bid");
        vm.warp(deadline);
        market.forfeitDeposit(testId);
        _eq(market.owed(ESCAPER), value - penalty, "and nothing more for the escaper");
        _eq(market.owed(SELLER), 1 ether, "the seller forfeits the deposit");
    }

    /// A winner (with or without a deposit) that rejects the delivery pays the seller exactly
    /// the penalty on its collateral; if the seller never delivers, it gets all its ether back.
    function testFuzz_voidingAWonAuction(uint96 topUp, uint16 bps, bool withTest, bool sellerDelivers) public {
        bps = uint16(_bound(bps, 0, 9_000));
        (uint256 listingId, uint256 auctionId) = _auction(bps);
        uint256 testId = withTest ? _openTest(ESCAPER, listingId, 50) : 0;
        if (withTest) _receipt(testId);
        uint256 deposit = withTest ? 1 ether : 0;
        uint256 value = (deposit * bps + (10_000 - bps) - 1) / (10_000 - bps) + _bound(topUp, 2 ether, 20 ether);
        uint256 collateral = value + deposit;
        _bid(auctionId, ESCAPER, uint96(collateral), value, testId);
        _bid(auctionId, RIVAL, 1.5 ether, 1.5 ether, 0);
        vm.warp(block.timestamp + 600);
        _reveal(auctionId, ESCAPER, uint96(collateral));
        _reveal(auctionId, RIVAL, 1.5 ether);
        vm.warp(block.timestamp + 600);
        uint256 purchaseId = market.settleAuction(auctionId);
        market.reclaimBid(auctionId, ESCAPER);
        market.reclaimBid(auctionId, RIVAL);
        uint256 penalty = collateral * bps / 10_000;
        IFairExchange.Purchase memory p = market.getPurchase(purchaseId);
        _eq(p.price, 1.5 ether, "second price");
        uint256 floor = deposit + penalty;
        _eq(uint256(p.price) + p.extra, floor > 1.5 ether ? floor : 1.5 ether, "escrow = max(price, deposit + penalty)");
        if (sellerDelivers) {
            vm.prank(SELLER);
            market.commitDelivery(purchaseId, bytes32("root"), bytes32("keyHash"));
            vm.prank(ESCAPER);
            market.rejectDelivery(purchaseId);
            _eq(ESCAPER.balance + market.owed(ESCAPER), value - penalty, "the griefer loses exactly its penalty");
            _eq(market.owed(SELLER), penalty, "paid to the seller");
        } else {
            vm.warp(block.timestamp + DELIVERY_WINDOW);
            market.refundPurchase(purchaseId);
            _eq(market.owed(ESCAPER), value, "all its ether back");
            _eq(market.owed(SELLER), 0, "nothing for a seller that never delivered");
        }
        if (withTest) _eq(uint256(market.testStatus(testId)), uint256(ITestDrives.TestStatus.Evaluated), "deposit back to its test-drive");
        _eq(market.owed(RIVAL), 1.5 ether, "the runner-up released in full");
        _eq(address(market).balance, market.owed(ESCAPER) + market.owed(SELLER) + market.owed(RIVAL) + deposit, "books balance: the credits and the deposit back in its test-drive");
    }
}
