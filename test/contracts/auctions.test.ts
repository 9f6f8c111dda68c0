/**
 * Sealed-bid auctions (SealedBidAuctions): creation, commit/reveal, first-price and Vickrey
 * outcomes, settlement into the fair-exchange escrow, collateral release and conservation.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, keccak256, parseEther, parseEventLogs, toHex, zeroAddress, type Address, type Hash, type Hex } from "viem";
import { bidCommitment } from "@modelbazaar/sdk/auctions";
import {
  AUCTION_KIND,
  AUCTION_STATUS,
  POLICY,
  PURCHASE_STATUS,
  SALE_MODE,
  TEST_PHASE,
  TEST_STATUS,
  WINDOWS,
  connectMarket,
  refundSharesFor,
} from "../helpers/market.ts";


/** Where withheld and invalid bids' penalties are burned (SealedBidAuctions.PENALTY_SINK). */
const SINK = getAddress("0x000000000000000000000000000000000000dEaD");

type Market = Awaited<ReturnType<typeof connectMarket>>;
type Contracts = Awaited<ReturnType<Market["load"]>>;
type Wallet = Market["accounts"]["alice"];

interface AuctionParams {
  reservePrice: bigint;
  commitDuration: number;
  revealDuration: number;
  kind: number;
  onlyTestDrivers: boolean;
  nonRevealPenaltyBps: number;
}

/** A committed bid and what opens it. */
interface SealedBid {
  bidder: Wallet;
  amount: bigint;
  salt: Hex;
  commitment: Hex;
  collateral: bigint;
}

const ETH = (value: string) => parseEther(value);
const DAY = 86_400;
const MAX_PHASE = 30 * DAY;
const PARAMS: AuctionParams = {
  reservePrice: ETH("1"),
  commitDuration: 3_600,
  revealDuration: 3_600,
  kind: AUCTION_KIND.FirstPrice,
  onlyTestDrivers: false,
  nonRevealPenaltyBps: 1_000,
};
const RESULT_HASH = keccak256(toHex("evaluation result"));

function saltFor(label: string): Hex {
  return keccak256(toHex(`salt:${label}`));
}

describe("SealedBidAuctions", async () => {
  const m = await connectMarket();
  const { viem, networkHelpers, publicClient } = m;
  const { time } = networkHelpers;
  const { seller, alice, bob, carol, mallory, worker } = m.accounts;
  const addr = (w: Wallet): Address => getAddress(w.account.address);

  // ---------------------------------------------------------------- helpers

  async function auctionListing(c: Contracts): Promise<bigint> {
    return m.list(c, { saleMode: SALE_MODE.Auction, price: 0n });
  }

  async function createAuction(c: Contracts, overrides: Partial<AuctionParams> = {}, listing?: bigint) {
    const listingId = listing ?? (await auctionListing(c));
    const params: AuctionParams = { ...PARAMS, ...overrides };
    const hash = await c.market.write.createAuction([listingId, params], { account: seller.account });
    const logs = await c.market.getEvents.AuctionCreated({}, { fromBlock: 0n });
    const auctionId = logs.at(-1)?.args.auctionId;
    if (auctionId === undefined) throw new Error("no auction created");
    return { listingId, auctionId, params, hash };
  }

  async function commit(
    c: Contracts,
    auctionId: bigint,
    bidder: Wallet,
    amount: bigint,
    collateral: bigint,
    testId = 0n,
  ): Promise<SealedBid & { hash: Hash }> {
    const salt = saltFor(`${bidder.account.address}:${auctionId}:${amount}`);
    const commitment = bidCommitment(amount, salt, bidder.account.address, auctionId);
    const hash = await c.market.write.commitBid([auctionId, commitment, testId], { account: bidder.account, value: collateral });
    return { bidder, amount, salt, commitment, collateral, hash };
  }

  async function reveal(c: Contracts, auctionId: bigint, bid: SealedBid): Promise<Hash> {
    return c.market.write.revealBid([auctionId, bid.amount, bid.salt], { account: bid.bidder.account });
  }

  async function advanceTo(timestamp: number) {
    if ((await time.latest()) < timestamp) await time.increaseTo(timestamp);
  }

  async function toRevealPhase(c: Contracts, auctionId: bigint) {
    await advanceTo((await c.market.read.getAuction([auctionId])).commitEnd);
  }

  async function toSettleable(c: Contracts, auctionId: bigint) {
    await advanceTo((await c.market.read.getAuction([auctionId])).revealEnd);
  }

  async function receipt(hash: Hash) {
    return publicClient.waitForTransactionReceipt({ hash });
  }

  async function purchaseOpenedIn(c: Contracts, hash: Hash) {
    const r = await receipt(hash);
    return parseEventLogs({ abi: c.market.abi, logs: r.logs, eventName: "PurchaseOpened" });
  }

  async function marketBalance(c: Contracts) {
    return publicClient.getBalance({ address: c.market.address });
  }

  /** The ledger events (PaymentCredited, PaymentWithdrawn) a transaction emitted. */
  async function ledgerEvents(c: Contracts, hash: Hash) {
    const { logs } = await receipt(hash);
    return [
      ...parseEventLogs({ abi: c.market.abi, logs, eventName: "PaymentCredited" }),
      ...parseEventLogs({ abi: c.market.abi, logs, eventName: "PaymentWithdrawn" }),
    ];
  }

  /**
   * A test-drive of `listingId` by `account` with a receipt recorded by the worker (status
   * Evaluated): the fee is credited to the seller at the receipt.
   */
  async function evaluatedTest(c: Contracts, listingId: bigint, account: Wallet, sampleCount = 150) {
    const opened = await m.openTest(c, listingId, account, sampleCount);
    const owedBefore = await c.market.read.owed([addr(seller)]);
    const hash = await c.market.write.recordReceipt([opened.testId, RESULT_HASH], { account: worker.account });
    await viem.assertions.emitWithArgs(hash, c.market, "ReceiptRecorded", [opened.testId, RESULT_HASH, addr(worker), opened.fee]);
    assert.equal(await c.market.read.owed([addr(seller)]), owedBefore + opened.fee);
    assert.equal(await c.market.read.testStatus([opened.testId]), TEST_STATUS.Evaluated);
    assert.equal((await c.market.read.getTest([opened.testId])).phase, TEST_PHASE.Evaluated);
    const { blockNumber } = await receipt(hash);
    const receivedAt = Number((await publicClient.getBlock({ blockNumber })).timestamp);
    return { ...opened, receivedAt };
  }

  /**
   * Three bidders commit, reveal in the given order (those with `reveal: false` never reveal)
   * and the clock moves past the reveal phase.
   */
  async function runAuction(
    c: Contracts,
    overrides: Partial<AuctionParams>,
    bids: ReadonlyArray<{ bidder: Wallet; amount: bigint; collateral: bigint; reveal?: boolean }>,
  ) {
    const created = await createAuction(c, overrides);
    const sealed: SealedBid[] = [];
    for (const b of bids) sealed.push(await commit(c, created.auctionId, b.bidder, b.amount, b.collateral));
    await toRevealPhase(c, created.auctionId);
    for (const [i, b] of bids.entries()) {
      const s = sealed[i];
      if (s === undefined) throw new Error("missing bid");
      if (b.reveal !== false) await reveal(c, created.auctionId, s);
    }
    await toSettleable(c, created.auctionId);
    return { ...created, sealed };
  }

  // ---------------------------------------------------------------- createAuction

  describe("createAuction", () => {
    it("opens an auction: AuctionCreated args, getAuction facts, Committing, sequential ids", async () => {
      const c = await m.load();
      const listingId = await auctionListing(c);
      const params: AuctionParams = {
        reservePrice: ETH("2"),
        commitDuration: 1_000,
        revealDuration: 2_000,
        kind: AUCTION_KIND.SecondPrice,
        onlyTestDrivers: true,
        nonRevealPenaltyBps: 2_500,
      };
      assert.equal(await c.market.read.auctionStatus([1n]), AUCTION_STATUS.None);
      const hash = await c.market.write.createAuction([listingId, params], { account: seller.account });
      await viem.assertions.emitWithArgs(hash, c.market, "AuctionCreated", [1n, listingId, addr(seller), params]);
      const block = await publicClient.getBlock({ blockNumber: (await receipt(hash)).blockNumber });
      const start = Number(block.timestamp);
      const a = await c.market.read.getAuction([1n]);
      assert.deepEqual(a, {
        seller: addr(seller),
        listingId: Number(listingId),
        kind: AUCTION_KIND.SecondPrice,
        onlyTestDrivers: true,
        nonRevealPenaltyBps: 2_500,
        settled: false,
        reservePrice: ETH("2"),
        commitEnd: start + 1_000,
        revealEnd: start + 3_000,
        secondAmount: 0n,
        highestBidder: zeroAddress,
        highestAmount: 0n,
      });
      assert.equal(await c.market.read.auctionStatus([1n]), AUCTION_STATUS.Committing);
      assert.equal(await c.market.read.clearingPrice([1n]), 0n);
      const second = await createAuction(c, {}, listingId);
      assert.equal(second.auctionId, 2n);
      assert.equal((await c.market.read.getAuction([2n])).kind, AUCTION_KIND.FirstPrice);
    });

    it("rejects unknown auction ids everywhere", async () => {
      const c = await m.load();
      await createAuction(c);
      const unknown = 7n;
      assert.equal(await c.market.read.auctionStatus([unknown]), AUCTION_STATUS.None);
      const err = "AuctionsUnknownAuction" as const;
      await viem.assertions.revertWithCustomErrorWithArgs(c.market.read.getAuction([unknown]), c.market, err, [unknown]);
      await viem.assertions.revertWithCustomErrorWithArgs(c.market.read.clearingPrice([unknown]), c.market, err, [unknown]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.commitBid([unknown, saltFor("x"), 0n], { account: alice.account, value: 1n }),
        c.market,
        err,
        [unknown],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.revealBid([unknown, 1n, saltFor("x")], { account: alice.account }),
        c.market,
        err,
        [unknown],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(c.market.write.settleAuction([unknown]), c.market, err, [unknown]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.reclaimBid([unknown, addr(alice)], { account: alice.account }),
        c.market,
        err,
        [unknown],
      );
      const bid = await c.market.read.getBid([unknown, addr(alice)]);
      assert.equal(bid.commitment, m.zeroHash);
    });

    it("only the seller of an active auction-mode listing may open one (AuctionsNotAuctionable)", async () => {
      const c = await m.load();
      const fixed = await m.list(c);
      const auctionable = await auctionListing(c);
      const err = "AuctionsNotAuctionable" as const;
      // fixed-price listing
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.createAuction([fixed, PARAMS], { account: seller.account }),
        c.market,
        err,
        [fixed, addr(seller)],
      );
      // a stranger
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.createAuction([auctionable, PARAMS], { account: mallory.account }),
        c.market,
        err,
        [auctionable, addr(mallory)],
      );
      // an unknown listing
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.createAuction([99n, PARAMS], { account: seller.account }),
        c.market,
        err,
        [99n, addr(seller)],
      );
      // paused
      await c.registry.write.pause([auctionable], { account: seller.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.createAuction([auctionable, PARAMS], { account: seller.account }),
        c.market,
        err,
        [auctionable, addr(seller)],
      );
      // unpaused again: allowed
      await c.registry.write.unpause([auctionable], { account: seller.account });
      const created = await createAuction(c, {}, auctionable);
      assert.equal(created.auctionId, 1n);
      // delisted
      await c.registry.write.delist([auctionable], { account: seller.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.createAuction([auctionable, PARAMS], { account: seller.account }),
        c.market,
        err,
        [auctionable, addr(seller)],
      );
    });

    it("rejects zero or over-long phases and a penalty above 100% (AuctionsInvalidParams)", async () => {
      const c = await m.load();
      const listingId = await auctionListing(c);
      const bad: Array<Partial<AuctionParams>> = [
        { commitDuration: 0 },
        { commitDuration: MAX_PHASE + 1 },
        { revealDuration: 0 },
        { revealDuration: MAX_PHASE + 1 },
        { nonRevealPenaltyBps: 10_001 },
      ];
      for (const o of bad) {
        await viem.assertions.revertWithCustomError(
          c.market.write.createAuction([listingId, { ...PARAMS, ...o }], { account: seller.account }),
          c.market,
          "AuctionsInvalidParams",
        );
      }
      assert.equal(await c.market.read.MAX_PHASE(), MAX_PHASE);
      // the limits themselves are allowed
      const edge = await createAuction(c, { commitDuration: MAX_PHASE, revealDuration: MAX_PHASE, nonRevealPenaltyBps: 10_000 }, listingId);
      const tiny = await createAuction(c, { commitDuration: 1, revealDuration: 1, nonRevealPenaltyBps: 0 }, listingId);
      assert.equal(edge.auctionId, 1n);
      assert.equal(tiny.auctionId, 2n);
      const a = await c.market.read.getAuction([1n]);
      assert.equal(a.revealEnd - a.commitEnd, MAX_PHASE);
    });

    it("phase ends are 32-bit: creating an auction whose commit phase would end after 2**32 reverts instead of wrapping", async () => {
      const c = await m.load();
      const listingId = await auctionListing(c);
      // the last auction that fits: revealEnd = 2**32 - 1
      const start = 2 ** 32 - 1 - PARAMS.commitDuration - PARAMS.revealDuration;
      await time.setNextBlockTimestamp(start);
      const last = await createAuction(c, {}, listingId);
      const a = await c.market.read.getAuction([last.auctionId]);
      assert.deepEqual([a.commitEnd, a.revealEnd], [start + PARAMS.commitDuration, 2 ** 32 - 1]);
      // one second later the reveal phase would end at 2**32: SafeCast refuses it
      await time.setNextBlockTimestamp(start + 1);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.createAuction([listingId, PARAMS], { account: seller.account }),
        c.market,
        "SafeCastOverflowedUintDowncast",
        [32, BigInt(2 ** 32)],
      );
      // past 2**32 the commit end itself does not fit: SafeCast
      const after = 2 ** 32 + 10;
      await time.setNextBlockTimestamp(after);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.createAuction([listingId, PARAMS], { account: seller.account }),
        c.market,
        "SafeCastOverflowedUintDowncast",
        [32, BigInt(after + PARAMS.commitDuration)],
      );
      assert.equal(await c.market.read.auctionStatus([2n]), AUCTION_STATUS.None);
    });

    it("moves Committing -> Revealing -> Settleable -> Settled at the exact boundary timestamps", async () => {
      const c = await m.load();
      const { auctionId } = await createAuction(c);
      const a = await c.market.read.getAuction([auctionId]);
      const aliceBid = await commit(c, auctionId, alice, ETH("2"), ETH("2"));

      // last second of the commit phase: revealing fails, committing works
      await advanceTo(a.commitEnd - 2);
      assert.equal(await c.market.read.auctionStatus([auctionId]), AUCTION_STATUS.Committing);
      await time.setNextBlockTimestamp(a.commitEnd - 1);
      await viem.assertions.revertWithCustomErrorWithArgs(reveal(c, auctionId, aliceBid), c.market, "AuctionsInvalidStatus", [
        auctionId,
        AUCTION_STATUS.Committing,
      ]);
      const bobBid = await commit(c, auctionId, bob, ETH("3"), ETH("3"));
      assert.equal(await time.latest(), a.commitEnd - 1);
      assert.equal(await c.market.read.auctionStatus([auctionId]), AUCTION_STATUS.Committing);

      // commitEnd: committing fails, revealing works
      await time.setNextBlockTimestamp(a.commitEnd);
      await viem.assertions.revertWithCustomErrorWithArgs(
        commit(c, auctionId, carol, ETH("1"), ETH("1")),
        c.market,
        "AuctionsInvalidStatus",
        [auctionId, AUCTION_STATUS.Revealing],
      );
      await reveal(c, auctionId, aliceBid);
      assert.equal(await time.latest(), a.commitEnd);
      assert.equal(await c.market.read.auctionStatus([auctionId]), AUCTION_STATUS.Revealing);
      assert.equal(await c.market.read.clearingPrice([auctionId]), 0n);

      // last second of the reveal phase: settling and reclaiming fail, revealing works
      await time.setNextBlockTimestamp(a.revealEnd - 1);
      await viem.assertions.revertWithCustomErrorWithArgs(c.market.write.settleAuction([auctionId]), c.market, "AuctionsInvalidStatus", [
        auctionId,
        AUCTION_STATUS.Revealing,
      ]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.reclaimBid([auctionId, addr(alice)], { account: alice.account }),
        c.market,
        "AuctionsInvalidStatus",
        [auctionId, AUCTION_STATUS.Revealing],
      );
      await reveal(c, auctionId, bobBid);
      assert.equal(await time.latest(), a.revealEnd - 1);
      assert.equal(await c.market.read.auctionStatus([auctionId]), AUCTION_STATUS.Revealing);

      // revealEnd: Settleable
      await time.setNextBlockTimestamp(a.revealEnd);
      await networkHelpers.mine();
      assert.equal(await c.market.read.auctionStatus([auctionId]), AUCTION_STATUS.Settleable);
      assert.equal(await c.market.read.clearingPrice([auctionId]), ETH("3"));
      await viem.assertions.revertWithCustomErrorWithArgs(reveal(c, auctionId, aliceBid), c.market, "AuctionsInvalidStatus", [
        auctionId,
        AUCTION_STATUS.Settleable,
      ]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        commit(c, auctionId, carol, ETH("1"), ETH("1")),
        c.market,
        "AuctionsInvalidStatus",
        [auctionId, AUCTION_STATUS.Settleable],
      );
      await c.market.write.settleAuction([auctionId], { account: mallory.account });
      assert.equal(await c.market.read.auctionStatus([auctionId]), AUCTION_STATUS.Settled);
      assert.equal((await c.market.read.getAuction([auctionId])).settled, true);
      assert.equal(await c.market.read.clearingPrice([auctionId]), ETH("3"));
      await viem.assertions.revertWithCustomErrorWithArgs(
        commit(c, auctionId, carol, ETH("1"), ETH("1")),
        c.market,
        "AuctionsInvalidStatus",
        [auctionId, AUCTION_STATUS.Settled],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(reveal(c, auctionId, aliceBid), c.market, "AuctionsInvalidStatus", [
        auctionId,
        AUCTION_STATUS.Settled,
      ]);
    });
  });

  // ---------------------------------------------------------------- commitBid

  describe("commitBid", () => {
    it("the sdk's bidCommitment equals the contract's bidCommitment view", async () => {
      const c = await m.load();
      const cases: Array<[bigint, Hex, Address, bigint]> = [
        [0n, m.zeroHash, addr(alice), 0n],
        [ETH("1.5"), saltFor("a"), addr(alice), 1n],
        [2n ** 96n - 1n, saltFor("b"), addr(bob), 2n ** 256n - 1n],
        [12_345n, `0x${"ff".repeat(32)}`, addr(mallory), 42n],
      ];
      const seen = new Set<Hex>();
      for (const [amount, salt, bidder, auctionId] of cases) {
        const local = bidCommitment(amount, salt, bidder, auctionId);
        assert.equal(await c.market.read.bidCommitment([amount, salt, bidder, auctionId]), local);
        seen.add(local);
      }
      assert.equal(seen.size, cases.length);
      // the hash binds the bidder and the auction
      const base = bidCommitment(1n, saltFor("a"), addr(alice), 1n);
      assert.notEqual(bidCommitment(1n, saltFor("a"), addr(mallory), 1n), base);
      assert.notEqual(bidCommitment(1n, saltFor("a"), addr(alice), 2n), base);
    });

    it("records the bid, holds the collateral and emits BidCommitted", async () => {
      const c = await m.load();
      const { auctionId } = await createAuction(c);
      const salt = saltFor("alice");
      const commitment = bidCommitment(ETH("2"), salt, addr(alice), auctionId);
      const hash = await c.market.write.commitBid([auctionId, commitment, 0n], { account: alice.account, value: ETH("3") });
      await viem.assertions.emitWithArgs(hash, c.market, "BidCommitted", [auctionId, addr(alice), commitment, ETH("3")]);
      await viem.assertions.balancesHaveChanged(hash, [
        { address: addr(alice), amount: -ETH("3") },
        { address: c.market.address, amount: ETH("3") },
      ]);
      assert.deepEqual(await c.market.read.getBid([auctionId, addr(alice)]), {
        commitment,
        collateral: ETH("3"),
        amount: 0n,
        revealed: false,
        reclaimed: false,
        testId: 0,
      });
      assert.equal(await marketBalance(c), ETH("3"));
    });

    it("rejects a zero commitment or zero collateral (AuctionsEmptyBid)", async () => {
      const c = await m.load();
      const { auctionId } = await createAuction(c);
      await viem.assertions.revertWithCustomError(
        c.market.write.commitBid([auctionId, m.zeroHash, 0n], { account: alice.account, value: ETH("1") }),
        c.market,
        "AuctionsEmptyBid",
      );
      await viem.assertions.revertWithCustomError(
        c.market.write.commitBid([auctionId, saltFor("c"), 0n], { account: alice.account, value: 0n }),
        c.market,
        "AuctionsEmptyBid",
      );
      assert.equal((await c.market.read.getBid([auctionId, addr(alice)])).commitment, m.zeroHash);
      assert.equal(await marketBalance(c), 0n);
    });

    it("rejects a second bid by the same bidder (AuctionsAlreadyBid)", async () => {
      const c = await m.load();
      const { auctionId } = await createAuction(c);
      const first = await commit(c, auctionId, alice, ETH("1"), ETH("1"));
      await viem.assertions.revertWithCustomErrorWithArgs(
        commit(c, auctionId, alice, ETH("2"), ETH("2")),
        c.market,
        "AuctionsAlreadyBid",
        [auctionId, addr(alice)],
      );
      const bid = await c.market.read.getBid([auctionId, addr(alice)]);
      assert.equal(bid.commitment, first.commitment);
      assert.equal(bid.collateral, ETH("1"));
      // a bid in another auction is independent
      const other = await createAuction(c);
      await commit(c, other.auctionId, alice, ETH("2"), ETH("2"));
      assert.equal(await marketBalance(c), ETH("3"));
    });

    it("rejects bids after the commit phase (AuctionsInvalidStatus)", async () => {
      const c = await m.load();
      const { auctionId } = await createAuction(c);
      await toRevealPhase(c, auctionId);
      await viem.assertions.revertWithCustomErrorWithArgs(
        commit(c, auctionId, alice, ETH("1"), ETH("1")),
        c.market,
        "AuctionsInvalidStatus",
        [auctionId, AUCTION_STATUS.Revealing],
      );
      await toSettleable(c, auctionId);
      await viem.assertions.revertWithCustomErrorWithArgs(
        commit(c, auctionId, alice, ETH("1"), ETH("1")),
        c.market,
        "AuctionsInvalidStatus",
        [auctionId, AUCTION_STATUS.Settleable],
      );
    });

    describe("test-drivers only", () => {
      it("rejects a bid without a test-drive (AuctionsNotTestDriver)", async () => {
        const c = await m.load();
        const { auctionId } = await createAuction(c, { onlyTestDrivers: true });
        await viem.assertions.revertWithCustomErrorWithArgs(
          commit(c, auctionId, alice, ETH("1"), ETH("1")),
          c.market,
          "AuctionsNotTestDriver",
          [auctionId, addr(alice)],
        );
      });

      it("rejects an unknown test id (TestDrivesUnknownTest)", async () => {
        const c = await m.load();
        const { auctionId } = await createAuction(c, { onlyTestDrivers: true });
        await viem.assertions.revertWithCustomErrorWithArgs(
          commit(c, auctionId, alice, ETH("1"), ETH("1"), 5n),
          c.market,
          "TestDrivesUnknownTest",
          [5n],
        );
      });

      it("rejects a test-drive the worker never served (TestDrivesNotServed)", async () => {
        const c = await m.load();
        const { auctionId, listingId } = await createAuction(c, { onlyTestDrivers: true, commitDuration: 2 * DAY });
        const { testId } = await m.openTest(c, listingId, alice);
        await viem.assertions.revertWithCustomErrorWithArgs(
          commit(c, auctionId, alice, ETH("1"), ETH("1"), testId),
          c.market,
          "TestDrivesNotServed",
          [testId],
        );
        // still unserved after the service window: no receipt, no bid
        await time.increase(POLICY.serviceWindow);
        await viem.assertions.revertWithCustomErrorWithArgs(
          commit(c, auctionId, alice, ETH("1"), ETH("1"), testId),
          c.market,
          "TestDrivesNotServed",
          [testId],
        );
        assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.Unserved);
        // refunded as unserved (phase Unserved, status Closed): still no bid
        await c.market.write.refundUnserved([testId], { account: alice.account });
        assert.equal((await c.market.read.getTest([testId])).phase, TEST_PHASE.Unserved);
        await viem.assertions.revertWithCustomErrorWithArgs(
          commit(c, auctionId, alice, ETH("1"), ETH("1"), testId),
          c.market,
          "TestDrivesNotServed",
          [testId],
        );
        assert.equal((await c.market.read.getBid([auctionId, addr(alice)])).commitment, m.zeroHash);
      });

      it("rejects another buyer's test-drive (TestDrivesNotBuyer)", async () => {
        const c = await m.load();
        const { auctionId, listingId } = await createAuction(c, { onlyTestDrivers: true });
        const { testId } = await evaluatedTest(c, listingId, bob);
        await viem.assertions.revertWithCustomErrorWithArgs(
          commit(c, auctionId, alice, ETH("1"), ETH("1"), testId),
          c.market,
          "TestDrivesNotBuyer",
          [testId, addr(alice)],
        );
        assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.Evaluated);
      });

      it("rejects a test-drive of another listing (TestDrivesWrongListing)", async () => {
        const c = await m.load();
        const { auctionId, listingId } = await createAuction(c, { onlyTestDrivers: true });
        const otherListing = await auctionListing(c);
        const { testId } = await evaluatedTest(c, otherListing, alice);
        await viem.assertions.revertWithCustomErrorWithArgs(
          commit(c, auctionId, alice, ETH("1"), ETH("1"), testId),
          c.market,
          "TestDrivesWrongListing",
          [testId, listingId],
        );
      });

      it("adds an evaluated test's deposit to the collateral; the fee, paid at the receipt, is not credited again", async () => {
        const c = await m.load();
        const { auctionId, listingId } = await createAuction(c, { onlyTestDrivers: true });
        const { testId, fee, receivedAt } = await evaluatedTest(c, listingId, alice, 150);
        assert.equal(fee, ETH("0.05"));
        assert.equal(await c.market.read.owed([addr(seller)]), fee, "credited when the worker recorded the receipt");
        assert.equal(await marketBalance(c), POLICY.deposit + fee);
        const sealed = await commit(c, auctionId, alice, ETH("1.2"), ETH("0.5"), testId);
        const collateral = ETH("0.5") + POLICY.deposit;
        await viem.assertions.emitWithArgs(sealed.hash, c.market, "BidCommitted", [auctionId, addr(alice), sealed.commitment, collateral]);
        await viem.assertions.emitWithArgs(sealed.hash, c.market, "TestClosed", [testId, TEST_PHASE.AppliedToBid, POLICY.deposit, 0n]);
        assert.deepEqual(await ledgerEvents(c, sealed.hash), [], "no fee credited at the bid");
        await viem.assertions.balancesHaveChanged(sealed.hash, [
          { address: addr(alice), amount: -ETH("0.5") },
          { address: c.market.address, amount: ETH("0.5") },
          { address: addr(seller), amount: 0n },
        ]);
        assert.equal((await c.market.read.getBid([auctionId, addr(alice)])).collateral, collateral);
        assert.equal(await c.market.read.owed([addr(seller)]), fee);
        assert.equal(await marketBalance(c), collateral + fee);
        assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.Closed);
        const test = await c.market.read.getTest([testId]);
        assert.equal(test.phase, TEST_PHASE.AppliedToBid);
        // the dispute clock is kept (the receipt's), should the deposit come back: no fresh window
        assert.equal(test.phaseStartedAt, receivedAt);
        // the deposit now backs the bid: the test can no longer be refunded
        await viem.assertions.revertWithCustomErrorWithArgs(
          m.claimRefund(c, testId),
          c.market,
          "TestDrivesInvalidStatus",
          [testId, TEST_STATUS.Closed],
        );
        // the bid is valid (1.2 <= 1.5); should it lose, the deposit goes back to the test-drive, not to alice
        await toRevealPhase(c, auctionId);
        await viem.assertions.emitWithArgs(reveal(c, auctionId, sealed), c.market, "BidRevealed", [auctionId, addr(alice), ETH("1.2"), true]);
      });

      it("a deposit-backed bid must carry its possible penalty in ether (AuctionsPenaltyNotCovered)", async () => {
        const c = await m.load();
        const { auctionId, listingId } = await createAuction(c, { onlyTestDrivers: true, nonRevealPenaltyBps: 1_000 });
        const { testId } = await evaluatedTest(c, listingId, alice, 50);
        // collateral = value + deposit; the penalty is floor(collateral * 10%), which the value must cover
        for (const value of [0n, ETH("0.1"), ETH("0.111111111111111110")]) {
          const required = ((value + POLICY.deposit) * 1_000n) / 10_000n;
          assert.ok(value < required);
          await viem.assertions.revertWithCustomErrorWithArgs(commit(c, auctionId, alice, ETH("1"), value, testId), c.market, "AuctionsPenaltyNotCovered", [
            auctionId,
            required,
            value,
          ]);
        }
        assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.Evaluated, "a reverted bid leaves the test untouched");
        // the least value with v >= floor((v + 1 ether) / 10)
        const enough = ETH("0.111111111111111111");
        const sealed = await commit(c, auctionId, alice, ETH("1"), enough, testId);
        await viem.assertions.emitWithArgs(sealed.hash, c.market, "BidCommitted", [auctionId, addr(alice), sealed.commitment, POLICY.deposit + enough]);
        assert.equal(await marketBalance(c), POLICY.deposit + enough);
      });

      it("accepts the deposit alone as collateral when the auction has no penalty", async () => {
        const c = await m.load();
        const { auctionId, listingId } = await createAuction(c, { onlyTestDrivers: true, nonRevealPenaltyBps: 0 });
        const { testId } = await evaluatedTest(c, listingId, alice, 50);
        const sealed = await commit(c, auctionId, alice, ETH("1"), 0n, testId);
        await viem.assertions.emitWithArgs(sealed.hash, c.market, "BidCommitted", [auctionId, addr(alice), sealed.commitment, POLICY.deposit]);
        await viem.assertions.emitWithArgs(sealed.hash, c.market, "TestClosed", [testId, TEST_PHASE.AppliedToBid, POLICY.deposit, 0n]);
        assert.equal(await c.market.read.owed([addr(seller)]), 0n, "no fee within the free samples");
        assert.equal(await marketBalance(c), POLICY.deposit);
      });

      it("a test whose receipt the seller recorded: the fee was sent at the receipt, the bid moves only the deposit", async () => {
        const c = await m.load();
        const { auctionId, listingId } = await createAuction(c, { onlyTestDrivers: true });
        const { testId, fee } = await m.openTest(c, listingId, alice, 300);
        assert.equal(fee, ETH("0.2"));
        const r = await c.market.write.recordReceipt([testId, RESULT_HASH], { account: seller.account });
        await viem.assertions.emitWithArgs(r, c.market, "ReceiptRecorded", [testId, RESULT_HASH, addr(seller), fee]);
        await viem.assertions.balancesHaveChanged(r, [
          { address: addr(seller), amount: fee },
          { address: c.market.address, amount: -fee },
        ]);
        assert.deepEqual(await ledgerEvents(c, r), [], "a direct payment emits no ledger event");
        const sealed = await commit(c, auctionId, alice, ETH("1"), ETH("0.2"), testId);
        await viem.assertions.emitWithArgs(sealed.hash, c.market, "TestClosed", [testId, TEST_PHASE.AppliedToBid, POLICY.deposit, 0n]);
        assert.equal(await c.market.read.owed([addr(seller)]), 0n);
        assert.equal(await marketBalance(c), POLICY.deposit + ETH("0.2"));
      });

      it("an open auction also applies a test deposit when a testId is given", async () => {
        const c = await m.load();
        const { auctionId, listingId } = await createAuction(c, { onlyTestDrivers: false });
        const { testId, fee } = await evaluatedTest(c, listingId, bob, 200);
        const sealed = await commit(c, auctionId, bob, ETH("1"), ETH("0.25"), testId);
        await viem.assertions.emitWithArgs(sealed.hash, c.market, "BidCommitted", [
          auctionId,
          addr(bob),
          sealed.commitment,
          ETH("0.25") + POLICY.deposit,
        ]);
        await viem.assertions.emitWithArgs(sealed.hash, c.market, "TestClosed", [testId, TEST_PHASE.AppliedToBid, POLICY.deposit, 0n]);
        assert.equal(await c.market.read.owed([addr(seller)]), fee, "the fee credited at the receipt, once");
        assert.equal(fee, ETH("0.1"));
      });

      it("an already-forfeited test still qualifies but adds nothing", async () => {
        const c = await m.load();
        const listingId = await auctionListing(c);
        const { testId, fee } = await evaluatedTest(c, listingId, alice, 150);
        await time.increase(POLICY.disputeWindow);
        assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.Forfeitable);
        const forfeit = await c.market.write.forfeitDeposit([testId], { account: seller.account });
        await viem.assertions.emitWithArgs(forfeit, c.market, "TestClosed", [testId, TEST_PHASE.Forfeited, 0n, POLICY.deposit]);
        await viem.assertions.balancesHaveChanged(forfeit, [
          { address: addr(seller), amount: POLICY.deposit },
          { address: c.market.address, amount: -POLICY.deposit },
        ]);
        assert.deepEqual(await ledgerEvents(c, forfeit), [], "a direct payment emits no ledger event");
        assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.Closed);
        const { auctionId } = await createAuction(c, { onlyTestDrivers: true }, listingId);
        const sellerOwedBefore = await c.market.read.owed([addr(seller)]);
        // without value the bid would have no collateral
        await viem.assertions.revertWithCustomError(commit(c, auctionId, alice, ETH("0.3"), 0n, testId), c.market, "AuctionsEmptyBid");
        const sealed = await commit(c, auctionId, alice, ETH("0.3"), ETH("0.3"), testId);
        await viem.assertions.emitWithArgs(sealed.hash, c.market, "BidCommitted", [auctionId, addr(alice), sealed.commitment, ETH("0.3")]);
        const r = await receipt(sealed.hash);
        assert.equal(parseEventLogs({ abi: c.market.abi, logs: r.logs, eventName: "TestClosed" }).length, 0);
        assert.equal((await c.market.read.getBid([auctionId, addr(alice)])).collateral, ETH("0.3"));
        assert.equal(await c.market.read.owed([addr(seller)]), sellerOwedBefore);
        assert.equal((await c.market.read.getTest([testId])).phase, TEST_PHASE.Forfeited);
        // the fee was credited at the receipt; the seller forfeited the deposit itself: paid directly
        assert.equal(sellerOwedBefore, fee);
        assert.equal(fee, ETH("0.05"));
        // the market holds the bid and the seller's credited fee (the deposit was paid out)
        assert.equal(await marketBalance(c), ETH("0.3") + fee);
      });

      it("a refunded test qualifies (it was served) but adds nothing", async () => {
        const c = await m.load();
        const listingId = await auctionListing(c);
        const { testId, fee } = await evaluatedTest(c, listingId, alice, 150);
        const { toSeller } = refundSharesFor(150);
        await viem.assertions.emitWithArgs(m.refund(c, testId), c.market, "TestClosed", [testId, TEST_PHASE.Refunded, POLICY.deposit, toSeller]);
        const { auctionId } = await createAuction(c, { onlyTestDrivers: true }, listingId);
        const sealed = await commit(c, auctionId, alice, ETH("0.5"), ETH("0.6"), testId);
        await viem.assertions.emitWithArgs(sealed.hash, c.market, "BidCommitted", [auctionId, addr(alice), sealed.commitment, ETH("0.6")]);
        assert.equal(parseEventLogs({ abi: c.market.abi, logs: (await receipt(sealed.hash)).logs, eventName: "TestClosed" }).length, 0);
        assert.equal((await c.market.read.getTest([testId])).phase, TEST_PHASE.Refunded);
        assert.equal(await c.market.read.owed([addr(seller)]), fee + toSeller, "the fee stayed with the seller, which was paid the free samples' fee too");
        assert.equal(await marketBalance(c), ETH("0.6") + fee + toSeller + POLICY.deposit, "and the deposit credited back to the buyer");
      });

      it("a test already applied to a bid qualifies for another auction of the listing but adds nothing", async () => {
        const c = await m.load();
        const listingId = await auctionListing(c);
        const { testId } = await evaluatedTest(c, listingId, alice, 50);
        const first = await createAuction(c, { onlyTestDrivers: true }, listingId);
        const second = await createAuction(c, { onlyTestDrivers: true }, listingId);
        const a = await commit(c, first.auctionId, alice, ETH("1"), ETH("0.2"), testId);
        await viem.assertions.emitWithArgs(a.hash, c.market, "BidCommitted", [first.auctionId, addr(alice), a.commitment, POLICY.deposit + ETH("0.2")]);
        await viem.assertions.revertWithCustomError(commit(c, second.auctionId, alice, ETH("1"), 0n, testId), c.market, "AuctionsEmptyBid");
        const b = await commit(c, second.auctionId, alice, ETH("0.5"), ETH("0.5"), testId);
        await viem.assertions.emitWithArgs(b.hash, c.market, "BidCommitted", [second.auctionId, addr(alice), b.commitment, ETH("0.5")]);
        assert.equal((await c.market.read.getTest([testId])).phase, TEST_PHASE.AppliedToBid);
        assert.equal(await marketBalance(c), POLICY.deposit + ETH("0.2") + ETH("0.5"));
      });

      it("a still-forfeitable test qualifies but adds nothing and stays forfeitable", async () => {
        const c = await m.load();
        const listingId = await auctionListing(c);
        const { testId } = await evaluatedTest(c, listingId, alice, 50);
        await time.increase(POLICY.disputeWindow);
        const { auctionId } = await createAuction(c, { onlyTestDrivers: true }, listingId);
        const sealed = await commit(c, auctionId, alice, ETH("0.3"), ETH("0.4"), testId);
        await viem.assertions.emitWithArgs(sealed.hash, c.market, "BidCommitted", [auctionId, addr(alice), sealed.commitment, ETH("0.4")]);
        assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.Forfeitable);
      });
    });
  });

  // ---------------------------------------------------------------- revealBid

  describe("revealBid", () => {
    it("opens the commitment: wrong amount or salt -> AuctionsCommitmentMismatch; right -> BidRevealed", async () => {
      const c = await m.load();
      const { auctionId } = await createAuction(c);
      const sealed = await commit(c, auctionId, alice, ETH("2"), ETH("2.5"));
      await toRevealPhase(c, auctionId);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.revealBid([auctionId, ETH("2") + 1n, sealed.salt], { account: alice.account }),
        c.market,
        "AuctionsCommitmentMismatch",
        [auctionId, addr(alice)],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.revealBid([auctionId, ETH("2"), saltFor("wrong")], { account: alice.account }),
        c.market,
        "AuctionsCommitmentMismatch",
        [auctionId, addr(alice)],
      );
      const hash = await reveal(c, auctionId, sealed);
      await viem.assertions.emitWithArgs(hash, c.market, "BidRevealed", [auctionId, addr(alice), ETH("2"), true]);
      assert.deepEqual(await c.market.read.getBid([auctionId, addr(alice)]), {
        commitment: sealed.commitment,
        collateral: ETH("2.5"),
        amount: ETH("2"),
        revealed: true,
        reclaimed: false,
        testId: 0,
      });
      const a = await c.market.read.getAuction([auctionId]);
      assert.equal(a.highestBidder, addr(alice));
      assert.equal(a.highestAmount, ETH("2"));
      assert.equal(a.secondAmount, 0n);
    });

    it("rejects a reveal without a bid (AuctionsNoBid) and a double reveal (AuctionsBidClosed)", async () => {
      const c = await m.load();
      const { auctionId } = await createAuction(c);
      const sealed = await commit(c, auctionId, alice, ETH("2"), ETH("2"));
      await toRevealPhase(c, auctionId);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.revealBid([auctionId, ETH("2"), sealed.salt], { account: bob.account }),
        c.market,
        "AuctionsNoBid",
        [auctionId, addr(bob)],
      );
      await reveal(c, auctionId, sealed);
      await viem.assertions.revertWithCustomErrorWithArgs(reveal(c, auctionId, sealed), c.market, "AuctionsBidClosed", [
        auctionId,
        addr(alice),
      ]);
    });

    it("rejects reveals outside the reveal phase (AuctionsInvalidStatus)", async () => {
      const c = await m.load();
      const { auctionId } = await createAuction(c);
      const sealed = await commit(c, auctionId, alice, ETH("2"), ETH("2"));
      await viem.assertions.revertWithCustomErrorWithArgs(reveal(c, auctionId, sealed), c.market, "AuctionsInvalidStatus", [
        auctionId,
        AUCTION_STATUS.Committing,
      ]);
      await toSettleable(c, auctionId);
      await viem.assertions.revertWithCustomErrorWithArgs(reveal(c, auctionId, sealed), c.market, "AuctionsInvalidStatus", [
        auctionId,
        AUCTION_STATUS.Settleable,
      ]);
      assert.equal((await c.market.read.getBid([auctionId, addr(alice)])).revealed, false);
    });

    it("a bid above its collateral is revealed as invalid and does not compete", async () => {
      const c = await m.load();
      const { auctionId, listingId } = await createAuction(c, { reservePrice: ETH("1") });
      const over = await commit(c, auctionId, alice, ETH("5"), ETH("4"));
      const fair = await commit(c, auctionId, bob, ETH("1.5"), ETH("1.5"));
      await toRevealPhase(c, auctionId);
      await viem.assertions.emitWithArgs(reveal(c, auctionId, over), c.market, "BidRevealed", [auctionId, addr(alice), ETH("5"), false]);
      let a = await c.market.read.getAuction([auctionId]);
      assert.equal(a.highestBidder, zeroAddress);
      assert.equal(a.highestAmount, 0n);
      const bidA = await c.market.read.getBid([auctionId, addr(alice)]);
      assert.equal(bidA.revealed, true);
      assert.equal(bidA.amount, ETH("5"));
      await viem.assertions.emitWithArgs(reveal(c, auctionId, fair), c.market, "BidRevealed", [auctionId, addr(bob), ETH("1.5"), true]);
      a = await c.market.read.getAuction([auctionId]);
      assert.equal(a.highestBidder, addr(bob));
      assert.equal(a.highestAmount, ETH("1.5"));
      assert.equal(a.secondAmount, 0n);
      await toSettleable(c, auctionId);
      await viem.assertions.emitWithArgs(c.market.write.settleAuction([auctionId]), c.market, "PurchaseOpened", [
        1n,
        listingId,
        addr(bob),
        addr(seller),
        ETH("1.5"),
        ETH("1.5"), // escrow: the price (above the 10% rejection penalty on 1.5)
        0n,
        0n,
        auctionId,
      ]);
    });

    it("a copied commitment cannot be revealed by the copier, who pays the non-reveal penalty, burned", async () => {
      const c = await m.load();
      const { auctionId } = await createAuction(c, { nonRevealPenaltyBps: 1_000 });
      const original = await commit(c, auctionId, alice, ETH("2"), ETH("2"));
      // mallory copies alice's commitment hash with the same collateral
      await c.market.write.commitBid([auctionId, original.commitment, 0n], { account: mallory.account, value: ETH("2") });
      assert.equal((await c.market.read.getBid([auctionId, addr(mallory)])).commitment, original.commitment);
      await toRevealPhase(c, auctionId);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.revealBid([auctionId, original.amount, original.salt], { account: mallory.account }),
        c.market,
        "AuctionsCommitmentMismatch",
        [auctionId, addr(mallory)],
      );
      await reveal(c, auctionId, original);
      await toSettleable(c, auctionId);
      const hash = await c.market.write.reclaimBid([auctionId, addr(mallory)], { account: mallory.account });
      await viem.assertions.emitWithArgs(hash, c.market, "BidReclaimed", [auctionId, addr(mallory), ETH("1.8"), 0n, ETH("0.2"), SINK]);
      await viem.assertions.balancesHaveChanged(hash, [
        { address: addr(mallory), amount: ETH("1.8") },
        { address: c.market.address, amount: -ETH("1.8") },
      ]);
      assert.equal(await c.market.read.owed([SINK]), ETH("0.2"), "the penalty is burned");
      assert.equal(await c.market.read.owed([addr(alice)]), 0n, "not the winner's");
      assert.equal(await c.market.read.owed([addr(seller)]), 0n, "nor the seller's");
      const a = await c.market.read.getAuction([auctionId]);
      assert.equal(a.highestBidder, addr(alice));
    });
  });

  // ---------------------------------------------------------------- outcomes

  describe("outcomes", () => {
    const threeBids = () =>
      [
        { bidder: bob, amount: ETH("3"), collateral: ETH("3") },
        { bidder: alice, amount: ETH("2"), collateral: ETH("3") },
        { bidder: carol, amount: ETH("2.5"), collateral: ETH("4") },
      ] as const;

    it("first-price: the highest bidder wins and pays its own bid; a purchase is opened", async () => {
      const c = await m.load();
      const { auctionId, listingId } = await runAuction(c, { kind: AUCTION_KIND.FirstPrice, reservePrice: ETH("1") }, threeBids());
      const a = await c.market.read.getAuction([auctionId]);
      assert.equal(a.highestBidder, addr(bob));
      assert.equal(a.highestAmount, ETH("3"));
      assert.equal(a.secondAmount, ETH("2.5"));
      assert.equal(await c.market.read.clearingPrice([auctionId]), ETH("3"));
      const hash = await c.market.write.settleAuction([auctionId], { account: mallory.account });
      await viem.assertions.emitWithArgs(hash, c.market, "AuctionSettled", [auctionId, addr(bob), ETH("3"), 1n]);
      await viem.assertions.emitWithArgs(hash, c.market, "PurchaseOpened", [1n, listingId, addr(bob), addr(seller), ETH("3"), ETH("3"), 0n, 0n, auctionId]);
      await viem.assertions.balancesHaveChanged(hash, [{ address: c.market.address, amount: 0n }]);
      assert.equal(await c.market.read.purchaseStatus([1n]), PURCHASE_STATUS.AwaitingDelivery);
      const p = await c.market.read.getPurchase([1n]);
      assert.equal(p.buyer, addr(bob));
      assert.equal(p.seller, addr(seller));
      assert.equal(p.price, ETH("3"));
      assert.equal(p.extra, 0n);
      assert.equal(p.testId, 0);
      assert.equal(p.auctionId, Number(auctionId));
      assert.equal(p.listingId, Number(listingId));
    });

    it("second-price: the winner pays the second-highest valid bid", async () => {
      const c = await m.load();
      // bob reveals first, so carol's 2.5 must replace alice's 2 as the second amount
      const { auctionId } = await runAuction(c, { kind: AUCTION_KIND.SecondPrice, reservePrice: ETH("1") }, threeBids());
      const a = await c.market.read.getAuction([auctionId]);
      assert.equal(a.highestBidder, addr(bob));
      assert.equal(a.secondAmount, ETH("2.5"));
      assert.equal(await c.market.read.clearingPrice([auctionId]), ETH("2.5"));
      const hash = await c.market.write.settleAuction([auctionId]);
      await viem.assertions.emitWithArgs(hash, c.market, "AuctionSettled", [auctionId, addr(bob), ETH("2.5"), 1n]);
      assert.equal((await c.market.read.getPurchase([1n])).price, ETH("2.5"));
      // bob gets back collateral minus the second price
      await viem.assertions.emitWithArgs(
        c.market.write.reclaimBid([auctionId, addr(bob)], { account: bob.account }),
        c.market,
        "BidReclaimed",
        [auctionId, addr(bob), ETH("0.5"), 0n, 0n, SINK],
      );
    });

    it("second-price: a highest bid revealed last pushes the previous highest to second", async () => {
      const c = await m.load();
      const { auctionId } = await runAuction(c, { kind: AUCTION_KIND.SecondPrice, reservePrice: ETH("1") }, [
        { bidder: alice, amount: ETH("2"), collateral: ETH("3") },
        { bidder: carol, amount: ETH("1.5"), collateral: ETH("4") },
        { bidder: bob, amount: ETH("3"), collateral: ETH("3") },
      ]);
      const a = await c.market.read.getAuction([auctionId]);
      assert.equal(a.highestBidder, addr(bob));
      assert.equal(a.secondAmount, ETH("2"));
      assert.equal(await c.market.read.clearingPrice([auctionId]), ETH("2"));
    });

    it("second-price: the reserve when only one bid is valid", async () => {
      const c = await m.load();
      const { auctionId } = await runAuction(c, { kind: AUCTION_KIND.SecondPrice, reservePrice: ETH("1") }, [
        { bidder: alice, amount: ETH("2"), collateral: ETH("2") },
        { bidder: bob, amount: ETH("5"), collateral: ETH("1") }, // invalid: above collateral
        { bidder: carol, amount: ETH("4"), collateral: ETH("4"), reveal: false },
      ]);
      const a = await c.market.read.getAuction([auctionId]);
      assert.equal(a.highestBidder, addr(alice));
      assert.equal(a.secondAmount, 0n);
      assert.equal(await c.market.read.clearingPrice([auctionId]), ETH("1"));
      await viem.assertions.emitWithArgs(c.market.write.settleAuction([auctionId]), c.market, "AuctionSettled", [
        auctionId,
        addr(alice),
        ETH("1"),
        1n,
      ]);
      assert.equal((await c.market.read.getPurchase([1n])).price, ETH("1"));
    });

    it("second-price: the reserve when the second bid is below it", async () => {
      const c = await m.load();
      const { auctionId } = await runAuction(c, { kind: AUCTION_KIND.SecondPrice, reservePrice: ETH("2") }, [
        { bidder: alice, amount: ETH("3"), collateral: ETH("3") },
        { bidder: bob, amount: ETH("1.5"), collateral: ETH("2") },
        { bidder: carol, amount: ETH("1"), collateral: ETH("1") },
      ]);
      assert.equal((await c.market.read.getAuction([auctionId])).secondAmount, ETH("1.5"));
      assert.equal(await c.market.read.clearingPrice([auctionId]), ETH("2"));
      await viem.assertions.emitWithArgs(c.market.write.settleAuction([auctionId]), c.market, "AuctionSettled", [
        auctionId,
        addr(alice),
        ETH("2"),
        1n,
      ]);
    });

    it("a bid exactly at the reserve wins", async () => {
      const c = await m.load();
      const { auctionId } = await runAuction(c, { kind: AUCTION_KIND.FirstPrice, reservePrice: ETH("2") }, [
        { bidder: alice, amount: ETH("2"), collateral: ETH("2") },
        { bidder: bob, amount: ETH("2") - 1n, collateral: ETH("2") },
      ]);
      await viem.assertions.emitWithArgs(c.market.write.settleAuction([auctionId]), c.market, "AuctionSettled", [
        auctionId,
        addr(alice),
        ETH("2"),
        1n,
      ]);
    });

    it("reserve not met: no winner, AuctionSettled(0), no purchase, everyone refunded in full", async () => {
      const c = await m.load();
      const { auctionId } = await runAuction(c, { kind: AUCTION_KIND.SecondPrice, reservePrice: ETH("5") }, [
        { bidder: alice, amount: ETH("4"), collateral: ETH("4") },
        { bidder: bob, amount: ETH("4.99"), collateral: ETH("5") },
        { bidder: carol, amount: ETH("1"), collateral: ETH("2") },
      ]);
      assert.equal(await c.market.read.clearingPrice([auctionId]), 0n);
      const hash = await c.market.write.settleAuction([auctionId]);
      await viem.assertions.emitWithArgs(hash, c.market, "AuctionSettled", [auctionId, zeroAddress, 0n, 0n]);
      assert.equal((await purchaseOpenedIn(c, hash)).length, 0);
      assert.equal(await c.market.read.purchaseStatus([1n]), PURCHASE_STATUS.None);
      assert.equal(await c.market.read.auctionStatus([auctionId]), AUCTION_STATUS.Settled);
      for (const [w, collateral] of [
        [alice, ETH("4")],
        [bob, ETH("5")],
        [carol, ETH("2")],
      ] as const) {
        const r = await c.market.write.reclaimBid([auctionId, addr(w)], { account: w.account });
        await viem.assertions.emitWithArgs(r, c.market, "BidReclaimed", [auctionId, addr(w), collateral, 0n, 0n, SINK]);
        await viem.assertions.balancesHaveChanged(r, [{ address: addr(w), amount: collateral }]);
      }
      assert.equal(await marketBalance(c), 0n);
      assert.equal(await c.market.read.owed([addr(seller)]), 0n);
    });

    it("no bids at all: settles without a winner", async () => {
      const c = await m.load();
      const { auctionId } = await createAuction(c, { reservePrice: 0n });
      await toSettleable(c, auctionId);
      const hash = await c.market.write.settleAuction([auctionId]);
      await viem.assertions.emitWithArgs(hash, c.market, "AuctionSettled", [auctionId, zeroAddress, 0n, 0n]);
      assert.equal((await purchaseOpenedIn(c, hash)).length, 0);
    });

    it("first-price tie: the bid revealed first wins", async () => {
      const c = await m.load();
      const { auctionId } = await runAuction(c, { kind: AUCTION_KIND.FirstPrice }, [
        { bidder: bob, amount: ETH("1.5"), collateral: ETH("2") },
        { bidder: alice, amount: ETH("2"), collateral: ETH("2") },
        { bidder: carol, amount: ETH("2"), collateral: ETH("3") },
      ]);
      await viem.assertions.emitWithArgs(c.market.write.settleAuction([auctionId]), c.market, "AuctionSettled", [
        auctionId,
        addr(alice),
        ETH("2"),
        1n,
      ]);
      // reveal order, not commit order, decides
      const c2 = await m.load();
      const created = await createAuction(c2, { kind: AUCTION_KIND.FirstPrice });
      const first = await commit(c2, created.auctionId, alice, ETH("2"), ETH("2"));
      const second = await commit(c2, created.auctionId, carol, ETH("2"), ETH("2"));
      await toRevealPhase(c2, created.auctionId);
      await reveal(c2, created.auctionId, second);
      await reveal(c2, created.auctionId, first);
      await toSettleable(c2, created.auctionId);
      await viem.assertions.emitWithArgs(c2.market.write.settleAuction([created.auctionId]), c2.market, "AuctionSettled", [
        created.auctionId,
        addr(carol),
        ETH("2"),
        1n,
      ]);
    });

    it("second-price tie: the first to reveal wins and pays the equal amount", async () => {
      const c = await m.load();
      const { auctionId } = await runAuction(c, { kind: AUCTION_KIND.SecondPrice, reservePrice: ETH("1") }, [
        { bidder: carol, amount: ETH("1.2"), collateral: ETH("2") },
        { bidder: alice, amount: ETH("2"), collateral: ETH("2") },
        { bidder: bob, amount: ETH("2"), collateral: ETH("3") },
      ]);
      const a = await c.market.read.getAuction([auctionId]);
      assert.equal(a.highestBidder, addr(alice));
      assert.equal(a.secondAmount, ETH("2"));
      await viem.assertions.emitWithArgs(c.market.write.settleAuction([auctionId]), c.market, "AuctionSettled", [
        auctionId,
        addr(alice),
        ETH("2"),
        1n,
      ]);
      await viem.assertions.emitWithArgs(
        c.market.write.reclaimBid([auctionId, addr(alice)], { account: alice.account }),
        c.market,
        "BidReclaimed",
        [auctionId, addr(alice), 0n, 0n, 0n, SINK],
      );
      await viem.assertions.emitWithArgs(
        c.market.write.reclaimBid([auctionId, addr(bob)], { account: bob.account }),
        c.market,
        "BidReclaimed",
        [auctionId, addr(bob), ETH("3"), 0n, 0n, SINK],
      );
    });

    it("settling twice or before the reveal phase ends reverts (AuctionsInvalidStatus)", async () => {
      const c = await m.load();
      const { auctionId } = await createAuction(c);
      await commit(c, auctionId, alice, ETH("2"), ETH("2"));
      await viem.assertions.revertWithCustomErrorWithArgs(c.market.write.settleAuction([auctionId]), c.market, "AuctionsInvalidStatus", [
        auctionId,
        AUCTION_STATUS.Committing,
      ]);
      await toRevealPhase(c, auctionId);
      await viem.assertions.revertWithCustomErrorWithArgs(c.market.write.settleAuction([auctionId]), c.market, "AuctionsInvalidStatus", [
        auctionId,
        AUCTION_STATUS.Revealing,
      ]);
      await toSettleable(c, auctionId);
      await c.market.write.settleAuction([auctionId]);
      await viem.assertions.revertWithCustomErrorWithArgs(c.market.write.settleAuction([auctionId]), c.market, "AuctionsInvalidStatus", [
        auctionId,
        AUCTION_STATUS.Settled,
      ]);
    });

    it("the auction's purchase completes through the fair exchange, paying the seller exactly the clearing price", async () => {
      const c = await m.load();
      const { auctionId } = await runAuction(c, { kind: AUCTION_KIND.SecondPrice, reservePrice: ETH("1") }, threeBids());
      await c.market.write.settleAuction([auctionId]);
      const purchaseId = 1n;
      const d = m.delivery();
      await c.market.write.commitDelivery([purchaseId, d.ciphertextRoot, d.keyHash], { account: seller.account });
      assert.equal(await c.market.read.purchaseStatus([purchaseId]), PURCHASE_STATUS.AwaitingAcceptance);
      // only the auction's winner is the buyer
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.acceptDelivery([purchaseId], { account: alice.account }),
        c.market,
        "FairExchangeNotBuyer",
        [purchaseId, addr(alice)],
      );
      await c.market.write.acceptDelivery([purchaseId], { account: bob.account });
      await c.market.write.revealKey([purchaseId, d.ciphertextRoot, d.key], { account: seller.account });
      assert.equal(await c.market.read.purchaseStatus([purchaseId]), PURCHASE_STATUS.ComplaintWindow);
      await time.increase(WINDOWS.complaint);
      assert.equal(await c.market.read.purchaseStatus([purchaseId]), PURCHASE_STATUS.Completable);
      const hash = await c.market.write.completePurchase([purchaseId], { account: mallory.account });
      await viem.assertions.emitWithArgs(hash, c.market, "PurchaseCompleted", [purchaseId, addr(seller), ETH("2.5"), 0n]);
      await viem.assertions.balancesHaveChanged(hash, [
        { address: addr(mallory), amount: 0n },
        { address: c.market.address, amount: 0n },
      ]);
      assert.equal(await c.market.read.owed([addr(seller)]), ETH("2.5"));
      assert.equal(await c.market.read.purchaseStatus([purchaseId]), PURCHASE_STATUS.Completed);
      const w = await c.market.write.withdraw({ account: seller.account });
      await viem.assertions.balancesHaveChanged(w, [
        { address: addr(seller), amount: ETH("2.5") },
        { address: c.market.address, amount: -ETH("2.5") },
      ]);
      // what remains are the three collaterals minus the price: 3 + 3 + 4 - 2.5
      assert.equal(await marketBalance(c), ETH("7.5"));
    });

    it("a missed delivery refunds the clearing price to the winner", async () => {
      const c = await m.load();
      const { auctionId } = await runAuction(c, { kind: AUCTION_KIND.FirstPrice, reservePrice: ETH("1") }, threeBids());
      await c.market.write.settleAuction([auctionId]);
      await time.increase(WINDOWS.delivery);
      assert.equal(await c.market.read.purchaseStatus([1n]), PURCHASE_STATUS.DeliveryOverdue);
      const hash = await c.market.write.refundPurchase([1n], { account: bob.account });
      await viem.assertions.balancesHaveChanged(hash, [{ address: addr(bob), amount: ETH("3") }]);
      // and the winner's reclaim returns the rest (here nothing: bid 3 with collateral 3)
      await viem.assertions.emitWithArgs(
        c.market.write.reclaimBid([auctionId, addr(bob)], { account: bob.account }),
        c.market,
        "BidReclaimed",
        [auctionId, addr(bob), 0n, 0n, 0n, SINK],
      );
    });
  });

  // ---------------------------------------------------------------- reclaimBid

  describe("reclaimBid", () => {
    it("reverts before the reveal phase ends (AuctionsInvalidStatus)", async () => {
      const c = await m.load();
      const { auctionId } = await createAuction(c);
      const sealed = await commit(c, auctionId, alice, ETH("2"), ETH("2"));
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.reclaimBid([auctionId, addr(alice)], { account: alice.account }),
        c.market,
        "AuctionsInvalidStatus",
        [auctionId, AUCTION_STATUS.Committing],
      );
      await toRevealPhase(c, auctionId);
      await reveal(c, auctionId, sealed);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.reclaimBid([auctionId, addr(alice)], { account: alice.account }),
        c.market,
        "AuctionsInvalidStatus",
        [auctionId, AUCTION_STATUS.Revealing],
      );
      assert.equal(await marketBalance(c), ETH("2"));
    });

    it("losers get their full collateral; the winner its collateral minus the price (before settlement)", async () => {
      const c = await m.load();
      const { auctionId } = await runAuction(c, { kind: AUCTION_KIND.FirstPrice, reservePrice: ETH("1") }, [
        { bidder: alice, amount: ETH("2"), collateral: ETH("3") },
        { bidder: bob, amount: ETH("2.5"), collateral: ETH("4") },
        { bidder: carol, amount: ETH("1"), collateral: ETH("1.5") },
      ]);
      // winner first, before anyone settles
      const w = await c.market.write.reclaimBid([auctionId, addr(bob)], { account: bob.account });
      await viem.assertions.emitWithArgs(w, c.market, "BidReclaimed", [auctionId, addr(bob), ETH("1.5"), 0n, 0n, SINK]);
      await viem.assertions.balancesHaveChanged(w, [
        { address: addr(bob), amount: ETH("1.5") },
        { address: c.market.address, amount: -ETH("1.5") },
      ]);
      assert.equal((await c.market.read.getBid([auctionId, addr(bob)])).reclaimed, true);
      assert.deepEqual(await ledgerEvents(c, w), [], "a direct payment emits no ledger event");
      for (const [wallet, collateral] of [
        [alice, ETH("3")],
        [carol, ETH("1.5")],
      ] as const) {
        const h = await c.market.write.reclaimBid([auctionId, addr(wallet)], { account: wallet.account });
        await viem.assertions.emitWithArgs(h, c.market, "BidReclaimed", [auctionId, addr(wallet), collateral, 0n, 0n, SINK]);
        await viem.assertions.balancesHaveChanged(h, [{ address: addr(wallet), amount: collateral }]);
      }
      // exactly the price remains for the purchase, and settlement still opens it
      assert.equal(await marketBalance(c), ETH("2.5"));
      await viem.assertions.emitWithArgs(c.market.write.settleAuction([auctionId]), c.market, "AuctionSettled", [
        auctionId,
        addr(bob),
        ETH("2.5"),
        1n,
      ]);
      assert.equal((await c.market.read.getPurchase([1n])).price, ETH("2.5"));
      assert.equal(await c.market.read.owed([addr(alice)]), 0n);
      assert.equal(await c.market.read.owed([addr(bob)]), 0n);
    });

    it("the winner gets its collateral minus the price after settlement (Vickrey)", async () => {
      const c = await m.load();
      const { auctionId } = await runAuction(c, { kind: AUCTION_KIND.SecondPrice, reservePrice: ETH("1") }, [
        { bidder: alice, amount: ETH("2"), collateral: ETH("3") },
        { bidder: bob, amount: ETH("2.5"), collateral: ETH("4") },
      ]);
      await c.market.write.settleAuction([auctionId]);
      const w = await c.market.write.reclaimBid([auctionId, addr(bob)], { account: bob.account });
      await viem.assertions.emitWithArgs(w, c.market, "BidReclaimed", [auctionId, addr(bob), ETH("2"), 0n, 0n, SINK]);
      await viem.assertions.balancesHaveChanged(w, [{ address: addr(bob), amount: ETH("2") }]);
      await c.market.write.reclaimBid([auctionId, addr(alice)], { account: alice.account });
      assert.equal(await marketBalance(c), ETH("2"));
    });

    it("a non-revealer pays nonRevealPenaltyBps of its collateral, burned (credited to the sink), and gets the rest", async () => {
      const c = await m.load();
      const { auctionId } = await runAuction(c, { nonRevealPenaltyBps: 2_500 }, [
        { bidder: alice, amount: ETH("2"), collateral: ETH("2"), reveal: false },
        { bidder: bob, amount: ETH("1.5"), collateral: ETH("1.5") },
      ]);
      const h = await c.market.write.reclaimBid([auctionId, addr(alice)], { account: alice.account });
      await viem.assertions.emitWithArgs(h, c.market, "BidReclaimed", [auctionId, addr(alice), ETH("1.5"), 0n, ETH("0.5"), SINK]);
      await viem.assertions.emitWithArgs(h, c.market, "PaymentCredited", [SINK, ETH("0.5")]);
      await viem.assertions.balancesHaveChanged(h, [
        { address: addr(alice), amount: ETH("1.5") },
        { address: addr(seller), amount: 0n },
        { address: addr(bob), amount: 0n },
        { address: c.market.address, amount: -ETH("1.5") },
      ]);
      assert.equal(await c.market.read.owed([SINK]), ETH("0.5"), "burned");
      assert.equal(await c.market.read.owed([addr(bob)]), 0n, "nothing to the winner");
      assert.equal(await c.market.read.owed([addr(seller)]), 0n, "nothing to the seller");
      assert.equal(await c.market.read.owed([addr(alice)]), 0n);
      // the non-revealer is not the winner: bob is
      assert.equal((await c.market.read.getAuction([auctionId])).highestBidder, addr(bob));
    });

    it("an invalid reveal (amount above collateral) is penalised the same way; nobody won, and the seller still collects nothing", async () => {
      const c = await m.load();
      const { auctionId } = await runAuction(c, { nonRevealPenaltyBps: 1_000 }, [
        { bidder: alice, amount: ETH("3"), collateral: ETH("2") },
      ]);
      const h = await c.market.write.reclaimBid([auctionId, addr(alice)], { account: alice.account });
      await viem.assertions.emitWithArgs(h, c.market, "BidReclaimed", [auctionId, addr(alice), ETH("1.8"), 0n, ETH("0.2"), SINK]);
      await viem.assertions.balancesHaveChanged(h, [{ address: addr(alice), amount: ETH("1.8") }]);
      assert.equal(await c.market.read.owed([addr(seller)]), 0n);
      assert.equal(await c.market.read.owed([SINK]), ETH("0.2"), "burned");
      await viem.assertions.emitWithArgs(c.market.write.settleAuction([auctionId]), c.market, "AuctionSettled", [
        auctionId,
        zeroAddress,
        0n,
        0n,
      ]);
    });

    it("penalty extremes: 0 bps refunds all, 10000 bps forfeits all", async () => {
      const c = await m.load();
      const none = await runAuction(c, { nonRevealPenaltyBps: 0 }, [{ bidder: alice, amount: ETH("1"), collateral: ETH("1"), reveal: false }]);
      await viem.assertions.emitWithArgs(
        c.market.write.reclaimBid([none.auctionId, addr(alice)], { account: alice.account }),
        c.market,
        "BidReclaimed",
        [none.auctionId, addr(alice), ETH("1"), 0n, 0n, SINK],
      );
      const all = await runAuction(c, { nonRevealPenaltyBps: 10_000 }, [{ bidder: bob, amount: ETH("1"), collateral: ETH("1"), reveal: false }]);
      const h = await c.market.write.reclaimBid([all.auctionId, addr(bob)], { account: bob.account });
      await viem.assertions.emitWithArgs(h, c.market, "BidReclaimed", [all.auctionId, addr(bob), 0n, 0n, ETH("1"), SINK]);
      await viem.assertions.balancesHaveChanged(h, [{ address: addr(bob), amount: 0n }]);
      assert.equal(await c.market.read.owed([addr(seller)]), 0n);
      assert.equal(await c.market.read.owed([SINK]), ETH("1"), "the whole collateral burned");
      assert.equal(await c.market.read.owed([addr(bob)]), 0n);
    });

    it("anyone may reclaim for a bidder: the refund is credited to the bidder, not sent to the caller", async () => {
      const c = await m.load();
      const { auctionId } = await runAuction(c, { nonRevealPenaltyBps: 1_000 }, [
        { bidder: alice, amount: ETH("2"), collateral: ETH("2"), reveal: false },
        { bidder: bob, amount: ETH("1.5"), collateral: ETH("3") },
      ]);
      const h = await c.market.write.reclaimBid([auctionId, addr(alice)], { account: mallory.account });
      await viem.assertions.emitWithArgs(h, c.market, "BidReclaimed", [auctionId, addr(alice), ETH("1.8"), 0n, ETH("0.2"), SINK]);
      await viem.assertions.balancesHaveChanged(h, [
        { address: addr(mallory), amount: 0n },
        { address: addr(alice), amount: 0n },
        { address: c.market.address, amount: 0n },
      ]);
      assert.equal(await c.market.read.owed([addr(alice)]), ETH("1.8"));
      assert.equal(await c.market.read.owed([addr(bob)]), 0n, "no penalty to the winner");
      assert.equal(await c.market.read.owed([SINK]), ETH("0.2"), "the penalty, burned");
      assert.equal(await c.market.read.owed([addr(seller)]), 0n);
      assert.equal(await c.market.read.owed([addr(mallory)]), 0n);
      // the winner, reclaimed by a stranger: credited collateral minus price
      await c.market.write.reclaimBid([auctionId, addr(bob)], { account: carol.account });
      assert.equal(await c.market.read.owed([addr(bob)]), ETH("1.5"));
      assert.equal(await c.market.read.owed([addr(carol)]), 0n);
      const w = await c.market.write.withdraw({ account: alice.account });
      await viem.assertions.balancesHaveChanged(w, [{ address: addr(alice), amount: ETH("1.8") }]);
      await viem.assertions.emitWithArgs(w, c.market, "PaymentWithdrawn", [addr(alice), ETH("1.8")]);
      assert.equal(await c.market.read.owed([addr(alice)]), 0n);
    });

    it("the seller reclaiming a non-revealer's bid gets nothing: the penalty is burned, the refund credited", async () => {
      const c = await m.load();
      const { auctionId } = await runAuction(c, { nonRevealPenaltyBps: 1_000 }, [
        { bidder: alice, amount: ETH("2"), collateral: ETH("2"), reveal: false },
      ]);
      const h = await c.market.write.reclaimBid([auctionId, addr(alice)], { account: seller.account });
      await viem.assertions.balancesHaveChanged(h, [
        { address: addr(seller), amount: 0n },
        { address: c.market.address, amount: 0n },
      ]);
      await viem.assertions.emitWithArgs(h, c.market, "BidReclaimed", [auctionId, addr(alice), ETH("1.8"), 0n, ETH("0.2"), SINK]);
      // both are credits: the refund to the bidder, the penalty to the sink (never the caller)
      const ledger = await ledgerEvents(c, h);
      assert.deepEqual(
        ledger.map((e) => [e.eventName, e.args.payee, e.args.amount]),
        [
          ["PaymentCredited", addr(alice), ETH("1.8")],
          ["PaymentCredited", SINK, ETH("0.2")],
        ],
      );
      assert.equal(await c.market.read.owed([addr(alice)]), ETH("1.8"));
      assert.equal(await c.market.read.owed([addr(seller)]), 0n);
      assert.equal(await c.market.read.owed([SINK]), ETH("0.2"));
    });

    it("rejects a second reclaim (AuctionsBidClosed) and a bidder without a bid (AuctionsNoBid)", async () => {
      const c = await m.load();
      const { auctionId } = await runAuction(c, {}, [{ bidder: alice, amount: ETH("0.5"), collateral: ETH("1") }]);
      await c.market.write.reclaimBid([auctionId, addr(alice)], { account: alice.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.reclaimBid([auctionId, addr(alice)], { account: alice.account }),
        c.market,
        "AuctionsBidClosed",
        [auctionId, addr(alice)],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.reclaimBid([auctionId, addr(alice)], { account: mallory.account }),
        c.market,
        "AuctionsBidClosed",
        [auctionId, addr(alice)],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.reclaimBid([auctionId, addr(bob)], { account: bob.account }),
        c.market,
        "AuctionsNoBid",
        [auctionId, addr(bob)],
      );
      assert.equal(await marketBalance(c), 0n);
    });
  });

  // ---------------------------------------------------------------- the seller's own bids

  describe("the seller may not bid in its own auction", () => {
    // Formerly a suspected bug: the seller's shill bid, never revealed, paid its non-reveal
    // penalty to the seller itself. The seller's own address is now refused; a sybil address
    // bidding for the seller remains a documented risk (docs/THREAT-MODEL.md).
    it("commitBid by the seller reverts AuctionsSellerCannotBid, with or without collateral or a test", async () => {
      const c = await m.load();
      const { auctionId, listingId } = await createAuction(c, { kind: AUCTION_KIND.SecondPrice, reservePrice: ETH("1"), nonRevealPenaltyBps: 1_000 });
      const honestTop = await commit(c, auctionId, alice, ETH("5"), ETH("5"));
      const honestSecond = await commit(c, auctionId, bob, ETH("2"), ETH("2"));
      const sellersTest = (await m.openTest(c, listingId, seller, 50)).testId;
      for (const [collateral, testId] of [
        [ETH("3"), 0n],
        [0n, 0n],
        [ETH("1"), sellersTest],
      ] as const) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          commit(c, auctionId, seller, ETH("3"), collateral, testId),
          c.market,
          "AuctionsSellerCannotBid",
          [auctionId],
        );
      }
      assert.equal((await c.market.read.getBid([auctionId, addr(seller)])).commitment, m.zeroHash);
      assert.equal(await c.market.read.testStatus([sellersTest]), TEST_STATUS.AwaitingReceipt, "the seller's test was not touched");
      assert.equal(await marketBalance(c), ETH("7") + POLICY.deposit);
      // the honest auction runs on: alice wins at bob's second price
      await toRevealPhase(c, auctionId);
      await reveal(c, auctionId, honestTop);
      await reveal(c, auctionId, honestSecond);
      await toSettleable(c, auctionId);
      await viem.assertions.emitWithArgs(c.market.write.settleAuction([auctionId]), c.market, "AuctionSettled", [
        auctionId,
        addr(alice),
        ETH("2"),
        1n,
      ]);
      assert.equal((await c.market.read.getPurchase([1n])).price, ETH("2"));
      assert.equal(await c.market.read.owed([addr(seller)]), 0n);
    });

    it("the check names the auction: the seller may bid in another seller's auction", async () => {
      const c = await m.load();
      const own = await createAuction(c);
      // alice lists a model of her own and auctions it; the first seller may bid there
      await c.registry.write.list([m.terms(), m.offer({ saleMode: SALE_MODE.Auction, price: 0n })], { account: alice.account });
      const alicesListing = await c.registry.read.listingCount();
      await c.market.write.createAuction([alicesListing, PARAMS], { account: alice.account });
      const alicesAuction = 2n;
      assert.equal((await c.market.read.getAuction([alicesAuction])).seller, addr(alice));
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.commitBid([alicesAuction, saltFor("alice's own"), 0n], { account: alice.account, value: ETH("1") }),
        c.market,
        "AuctionsSellerCannotBid",
        [alicesAuction],
      );
      const sealed = await commit(c, alicesAuction, seller, ETH("1.5"), ETH("2"));
      await viem.assertions.emitWithArgs(sealed.hash, c.market, "BidCommitted", [alicesAuction, addr(seller), sealed.commitment, ETH("2")]);
      await viem.assertions.revertWithCustomErrorWithArgs(commit(c, own.auctionId, seller, ETH("1"), ETH("1")), c.market, "AuctionsSellerCannotBid", [
        own.auctionId,
      ]);
    });

    it("after the commit phase the status error comes first", async () => {
      const c = await m.load();
      const { auctionId } = await createAuction(c);
      await toRevealPhase(c, auctionId);
      await viem.assertions.revertWithCustomErrorWithArgs(commit(c, auctionId, seller, ETH("1"), ETH("1")), c.market, "AuctionsInvalidStatus", [
        auctionId,
        AUCTION_STATUS.Revealing,
      ]);
    });
  });

  // ---------------------------------------------------------------- conservation

  describe("conservation", () => {
    it("after the auction, the purchase, every reclaim and every withdrawal, the market holds only the burned penalties", async () => {
      const c = await m.load();
      const { auctionId, listingId } = await createAuction(c, {
        kind: AUCTION_KIND.SecondPrice,
        reservePrice: ETH("1"),
        onlyTestDrivers: true,
        nonRevealPenaltyBps: 1_500,
      });
      const tests = new Map<Wallet, bigint>();
      for (const w of [alice, bob, carol, mallory]) tests.set(w, (await evaluatedTest(c, listingId, w, 120)).testId);
      const testOf = (w: Wallet) => tests.get(w) ?? 0n;
      const aliceBid = await commit(c, auctionId, alice, ETH("3.3"), ETH("3"), testOf(alice)); // collateral 4
      const bobBid = await commit(c, auctionId, bob, ETH("2.7"), ETH("2.5"), testOf(bob)); // collateral 3.5
      const carolBid = await commit(c, auctionId, carol, ETH("9"), ETH("0.7"), testOf(carol)); // invalid: 9 > 1.7
      await commit(c, auctionId, mallory, ETH("1.1"), ETH("0.9"), testOf(mallory)); // never revealed
      await toRevealPhase(c, auctionId);
      await reveal(c, auctionId, bobBid);
      await reveal(c, auctionId, carolBid);
      await reveal(c, auctionId, aliceBid);
      await toSettleable(c, auctionId);
      const settle = await c.market.write.settleAuction([auctionId], { account: carol.account });
      await viem.assertions.emitWithArgs(settle, c.market, "AuctionSettled", [auctionId, addr(alice), ETH("2.7"), 1n]);

      const d = m.delivery();
      await c.market.write.commitDelivery([1n, d.ciphertextRoot, d.keyHash], { account: seller.account });
      await c.market.write.acceptDelivery([1n], { account: alice.account });
      await c.market.write.revealKey([1n, d.ciphertextRoot, d.key], { account: seller.account });
      await time.increase(WINDOWS.complaint);
      await c.market.write.completePurchase([1n], { account: bob.account });

      for (const w of [alice, bob, carol, mallory]) {
        await c.market.write.reclaimBid([auctionId, addr(w)], { account: bob.account });
      }
      const fee = 20n * POLICY.feePerExtraSample;
      const penalty = (b: bigint) => (b * 1_500n) / 10_000n;
      // The losers' deposits went back to their test-drives (Evaluated again, under the dispute
      // deadline of their receipts: no fresh window); alice's paid towards her price. Nobody
      // proves anything, so the seller forfeits them.
      for (const w of [bob, carol, mallory]) {
        assert.equal(await c.market.read.testStatus([testOf(w)]), TEST_STATUS.Evaluated);
      }
      assert.equal((await c.market.read.getTest([testOf(alice)])).phase, TEST_PHASE.AppliedToBid);
      await time.increase(POLICY.disputeWindow);
      for (const w of [bob, carol, mallory]) await c.market.write.forfeitDeposit([testOf(w)], { account: alice.account });
      const expectedOwed: Array<[Wallet, bigint]> = [
        // alice's collateral beyond the price (the withheld and invalid bids' penalties are burned)
        [alice, ETH("4") - ETH("2.7")],
        [bob, 0n], // bob reclaimed his own bid: paid directly (his ether only)
        [carol, ETH("0.7") - penalty(ETH("1.7"))],
        [mallory, ETH("0.9") - penalty(ETH("1.9"))],
        [seller, 4n * fee + ETH("2.7") + 3n * POLICY.deposit],
      ];
      for (const [w, amount] of expectedOwed) assert.equal(await c.market.read.owed([addr(w)]), amount, `owed to ${w.account.address}`);
      const burned = penalty(ETH("1.7")) + penalty(ETH("1.9"));
      assert.equal(await c.market.read.owed([SINK]), burned, "carol's and mallory's penalties, burned");
      const sum = expectedOwed.reduce((s, [, a]) => s + a, 0n);
      assert.equal(await marketBalance(c), sum + burned);
      for (const [w, amount] of expectedOwed) {
        if (amount === 0n) {
          await viem.assertions.revertWithCustomErrorWithArgs(
            c.market.write.withdraw({ account: w.account }),
            c.market,
            "MarketLedgerNothingOwed",
            [addr(w)],
          );
          continue;
        }
        const h = await c.market.write.withdraw({ account: w.account });
        await viem.assertions.balancesHaveChanged(h, [{ address: addr(w), amount }]);
      }
      assert.equal(await c.market.read.PENALTY_SINK(), SINK);
      assert.equal(await marketBalance(c), burned, "only the burned penalties stay, owed to a keyless address");
    });
  });
});
