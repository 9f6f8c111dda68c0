/**
 * The events are the audit trail: after every step of a marketplace session touching every
 * money path, the books rebuilt from the logs alone (sdk marketBookFromLogs) must equal what
 * the contract says — each account's credit, what each test-drive, bid and purchase still
 * holds — and the market's balance must be exactly held + owed.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, keccak256, parseEther, toHex, type Address } from "viem";
import { PENALTY_SINK } from "@modelbazaar/sdk/internal/audit/auctionChecks.ts";
import { bidCommitment } from "@modelbazaar/sdk/auctions";
import { bidKey, marketBookFromLogs, totalHeld, totalOwed, type MarketBook } from "@modelbazaar/sdk/audit";
import { AUCTION_KIND, connectMarket, POLICY, SALE_MODE, TEST_PHASE, WINDOWS } from "../helpers/market.ts";

describe("marketBookFromLogs", async () => {
  const m = await connectMarket();
  const { seller, buyer, worker, alice, bob, carol, mallory } = m.accounts;
  const everyone = [seller, buyer, worker, alice, bob, carol, mallory];
  const RESULT = keccak256(toHex("encrypted results"));

  it("rebuilds every balance the market holds or owes, after every step of a full session", async () => {
    const c = await m.load();
    const tests: bigint[] = [];
    const purchases: bigint[] = [];
    const bids: { auctionId: bigint; bidder: Address }[] = [];

    async function book(): Promise<MarketBook> {
      const logs = await m.publicClient.getLogs({ address: c.market.address, fromBlock: 0n });
      return marketBookFromLogs(logs);
    }

    async function expectBooksMatchChain(step: string) {
      const b = await book();
      const balance = await m.publicClient.getBalance({ address: c.market.address });
      assert.equal(balance, totalHeld(b) + totalOwed(b), `${step}: balance = held + owed`);
      for (const account of everyone) {
        const address = account.account.address;
        const fromEvents = [...b.owed].find(([a]) => a.toLowerCase() === address.toLowerCase())?.[1] ?? 0n;
        assert.equal(fromEvents, await c.market.read.owed([address]), `${step}: owed(${address})`);
      }
      for (const testId of tests) {
        const t = await c.market.read.getTest([testId]);
        const [deposit, fee] = await c.market.read.testPrice([BigInt(t.listingId), t.sampleCount]);
        const held = t.phase === TEST_PHASE.Open ? deposit + fee : t.phase === TEST_PHASE.Evaluated || t.phase === TEST_PHASE.Disputed ? deposit : 0n;
        assert.equal(b.tests.get(testId) ?? 0n, held, `${step}: test ${testId}`);
      }
      for (const purchaseId of purchases) {
        const p = await c.market.read.getPurchase([purchaseId]);
        assert.equal(b.purchases.get(purchaseId) ?? 0n, p.settlement === 0 ? p.price : 0n, `${step}: purchase ${purchaseId}`);
      }
      for (const { auctionId, bidder } of bids) {
        const bid = await c.market.read.getBid([auctionId, bidder]);
        const a = await c.market.read.getAuction([auctionId]);
        const price = await c.market.read.clearingPrice([auctionId]);
        const isWinner = price > 0n && a.highestBidder.toLowerCase() === bidder.toLowerCase();
        const priceStillInBid = isWinner && !a.settled ? price : 0n;
        const held = bid.reclaimed ? priceStillInBid : bid.collateral - (isWinner && a.settled ? price : 0n);
        assert.equal(b.bids.get(bidKey(auctionId, bidder)) ?? 0n, held, `${step}: bid of ${bidder} in auction ${auctionId}`);
      }
    }

    const fixedListing = await m.list(c);
    await c.registry.write.list([m.terms(), m.offer({ saleMode: SALE_MODE.Auction, price: 0n })], { account: seller.account });
    const auctionListing = await c.registry.read.listingCount();

    // Test-drives: one of each ending, fees inside and beyond the free samples.
    const refunded = await m.openTest(c, fixedListing, buyer, 150);
    const unserved = await m.openTest(c, fixedListing, alice, 20);
    const forfeited = await m.openTest(c, fixedListing, bob, 300);
    const bought = await m.openTest(c, fixedListing, carol, 120);
    const bidWith = await m.openTest(c, auctionListing, alice, 200);
    tests.push(refunded.testId, unserved.testId, forfeited.testId, bought.testId, bidWith.testId);
    await expectBooksMatchChain("tests opened");

    await c.market.write.recordReceipt([refunded.testId, RESULT], { account: worker.account });
    await c.market.write.recordReceipt([forfeited.testId, RESULT], { account: seller.account }); // fee sent directly
    await c.market.write.recordReceipt([bidWith.testId, RESULT], { account: worker.account });
    await expectBooksMatchChain("receipts");

    await m.claimRefund(c, refunded.testId); // closed, uncontested, once its contest window has passed (below)
    await c.market.write.buy([fixedListing, bought.testId, m.offer().price], { account: carol.account, value: m.offer().price - POLICY.deposit });
    purchases.push(1n);
    await expectBooksMatchChain("refund claimed, purchase with a deposit");

    // An auction: alice converts her test deposit, carol never reveals.
    await c.market.write.createAuction(
      [auctionListing, { reservePrice: parseEther("1"), commitDuration: 600, revealDuration: 600, kind: AUCTION_KIND.SecondPrice, onlyTestDrivers: false, nonRevealPenaltyBps: 1_000 }],
      { account: seller.account },
    );
    const auctionId = 1n;
    const salt = keccak256(toHex("salt"));
    const amounts = new Map<Address, bigint>([
      [alice.account.address, parseEther("3")],
      [bob.account.address, parseEther("2")],
      [carol.account.address, parseEther("4")],
    ]);
    for (const [who, testId] of [[alice, bidWith.testId], [bob, 0n], [carol, 0n]] as const) {
      const amount = amounts.get(who.account.address)!;
      await c.market.write.commitBid([auctionId, bidCommitment(amount, salt, who.account.address, auctionId), testId], {
        account: who.account,
        value: parseEther("4"),
      });
      bids.push({ auctionId, bidder: who.account.address });
    }
    await expectBooksMatchChain("bids committed");
    await m.networkHelpers.time.increase(600);
    for (const who of [alice, bob]) {
      await c.market.write.revealBid([auctionId, amounts.get(who.account.address)!, salt], { account: who.account });
    }
    await m.networkHelpers.time.increase(600);
    await c.market.write.reclaimBid([auctionId, alice.account.address], { account: alice.account }); // winner, before settling
    await expectBooksMatchChain("winner reclaimed before settlement");
    await c.market.write.settleAuction([auctionId], { account: mallory.account });
    purchases.push(2n);
    await c.market.write.reclaimBid([auctionId, bob.account.address], { account: mallory.account });
    await c.market.write.reclaimBid([auctionId, carol.account.address], { account: carol.account });
    await expectBooksMatchChain("auction settled and reclaimed");

    // Purchases: one completes, one is rejected, one misses its delivery deadline.
    const d = m.delivery();
    await c.market.write.commitDelivery([1n, d.ciphertextRoot, d.keyHash], { account: seller.account });
    await c.market.write.acceptDelivery([1n], { account: carol.account });
    await c.market.write.revealKey([1n, d.ciphertextRoot, d.key], { account: seller.account });
    await c.market.write.commitDelivery([2n, d.ciphertextRoot, d.keyHash], { account: seller.account });
    await c.market.write.rejectDelivery([2n], { account: alice.account });
    await c.market.write.buy([fixedListing, 0n, m.offer().price], { account: bob.account, value: m.offer().price });
    purchases.push(3n);
    await expectBooksMatchChain("deliveries under way");

    await m.networkHelpers.time.increase(Math.max(WINDOWS.complaint, WINDOWS.delivery, POLICY.serviceWindow));
    await c.market.write.completePurchase([1n], { account: mallory.account });
    await c.market.write.refundPurchase([3n], { account: bob.account });
    await c.market.write.refundUnserved([unserved.testId], { account: mallory.account });
    await m.networkHelpers.time.increase(POLICY.disputeWindow);
    await c.disputes.write.closeDispute([refunded.testId], { account: mallory.account });
    await expectBooksMatchChain("a refund closed uncontested");
    await c.market.write.forfeitDeposit([forfeited.testId], { account: mallory.account });
    await expectBooksMatchChain("a deposit forfeited");
    // The deposit behind a losing bid came back to its test-drive (DepositReturned) with a fresh
    // dispute window; with no proof it too ends forfeited to the seller.
    for (let testId = 1n; (await c.market.read.testStatus([testId])) !== 0; testId++) {
      if ((await c.market.read.testStatus([testId])) === 4) await c.market.write.forfeitDeposit([testId], { account: mallory.account });
    }
    await expectBooksMatchChain("everything settled");

    for (const account of everyone) {
      if ((await c.market.read.owed([account.account.address])) > 0n) await c.market.write.withdraw({ account: account.account });
    }
    await expectBooksMatchChain("everyone withdrew");
    // What is left is the burned penalty of the withheld bid: owed to the sink, whose key nobody has.
    const final = await book();
    const burned = await c.market.read.owed([PENALTY_SINK]);
    assert.ok(burned > 0n, "the withheld bid's penalty was burned");
    assert.equal(totalHeld(final), 0n);
    assert.deepEqual([...final.owed].filter(([, amount]) => amount > 0n), [[getAddress(PENALTY_SINK), burned]]);
    assert.equal(await m.publicClient.getBalance({ address: c.market.address }), burned);
  });

  it("refuses logs that pay out more than an entity held (incomplete or forged logs)", async () => {
    const c = await m.load();
    const listingId = await m.list(c);
    const { testId } = await m.openTest(c, listingId, buyer, 20);
    await m.networkHelpers.time.increase(POLICY.serviceWindow);
    await c.market.write.refundUnserved([testId], { account: buyer.account });
    const logs = await m.publicClient.getLogs({ address: c.market.address, fromBlock: 0n });
    const withoutOpening = logs.filter((log) => log.topics[0] !== logs[0]!.topics[0]);
    assert.throws(() => marketBookFromLogs(withoutOpening), /pay \d+ wei out of test 1, which held 0/);
    assert.equal(marketBookFromLogs(logs).tests.get(testId), 0n);
  });
});
