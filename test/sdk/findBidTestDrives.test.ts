/**
 * The SDK's findBidTestDrives (what `bazaar bid --test` and the dApp's bid form offer): on a real
 * Hardhat EVM, of a bidder's test-drives it finds exactly those of the auction's listing that are
 * evaluated now (receipt recorded, dispute window open), whether found from the chain's events or
 * kept by the client; not another bidder's, another listing's, one awaiting its receipt, an id the
 * market never opened, one whose deposit already joined a bid, or one whose dispute window closed.
 * A bid committed with the found test-drive carries its deposit in the collateral.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keccak256, parseEther, parseEventLogs, toHex } from "viem";
import { findBidTestDrives } from "@modelbazaar/sdk/actions";
import { bidCommitment } from "@modelbazaar/sdk/auctions";
import { AUCTION_KIND, POLICY, SALE_MODE, connectMarket } from "../helpers/market.ts";

describe("findBidTestDrives", async () => {
  const m = await connectMarket();
  const { seller, worker, alice, bob } = m.accounts;
  const { publicClient } = m;

  it("offers only the bidder's evaluated test-drives of the listing, and none once applied or past the dispute window", async () => {
    const c = await m.load();
    const listingId = await m.list(c, { saleMode: SALE_MODE.Auction, price: 0n });
    const otherListing = await m.list(c, { saleMode: SALE_MODE.Auction, price: 0n });
    const evaluated = async (listing: bigint, account: typeof bob) => {
      const { testId } = await m.openTest(c, listing, account);
      await c.market.write.recordReceipt([testId, keccak256(toHex(`result ${testId}`))], { account: worker.account });
      return testId;
    };
    const first = await evaluated(listingId, bob);
    const second = await evaluated(listingId, bob);
    await m.openTest(c, listingId, bob); // awaiting its receipt
    await evaluated(otherListing, bob);
    await evaluated(listingId, alice);
    const addresses = { market: c.market.address, registry: c.registry.address, startBlock: 0n };
    const found = (kept: bigint[] = []) => findBidTestDrives(publicClient, addresses, listingId, bob.account.address, kept);

    const both = await found([999n, first]);
    assert.deepEqual(both.map(({ testId, deposit }) => [testId, deposit]), [[second, POLICY.deposit], [first, POLICY.deposit]]);
    assert.ok(both.every(({ deadline }) => deadline !== undefined));

    await c.market.write.createAuction(
      [listingId, { reservePrice: parseEther("1"), commitDuration: 3_600, revealDuration: 3_600, kind: AUCTION_KIND.SecondPrice, onlyTestDrivers: true, nonRevealPenaltyBps: 1_000 }],
      { account: seller.account },
    );
    const auctionId = 1n;
    const salt = keccak256(toHex("salt"));
    const hash = await c.market.write.commitBid([auctionId, bidCommitment(parseEther("1"), salt, bob.account.address, auctionId), first], { account: bob.account, value: parseEther("1") });
    const [committed] = parseEventLogs({ abi: c.market.abi, logs: (await publicClient.waitForTransactionReceipt({ hash })).logs, eventName: "BidCommitted" });
    assert.equal(committed?.args.collateral, parseEther("1") + POLICY.deposit);
    assert.deepEqual((await found([first])).map(({ testId }) => testId), [second]);

    await m.networkHelpers.time.increase(POLICY.disputeWindow + 1);
    assert.deepEqual(await found([first, second]), []);
  });
});
