/**
 * FairExchange: the purchase escrow with fair delivery. Every path of the purchase state
 * machine, every revert, the deadline boundaries, test-drive deposits applied to purchases,
 * and complaints built with the SDK against cheating and honest sellers.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bytesToHex, encodeAbiParameters, getAddress, hexToBytes, keccak256, parseEther, parseEventLogs, toHex, type Hex } from "viem";
import {
  ChunkTree,
  checkCiphertext,
  checkDelivery,
  chunkLeaf,
  DeliveryCheckError,
  prepareDelivery,
  toChunks,
  xorChunks,
  type Complaint,
} from "@modelbazaar/sdk/delivery";
import {
  POLICY,
  PRICE,
  PURCHASE_STATUS,
  REFUND_REASON,
  SALE_MODE,
  TEST_PHASE,
  TEST_STATUS,
  WINDOWS,
  connectMarket,
  modelFile,
} from "../helpers/market.ts";


describe("FairExchange", async () => {
  const m = await connectMarket();
  const { seller, buyer, worker, alice, mallory } = m.accounts;
  const { time } = m.networkHelpers;
  const { assertions } = m.viem;
  type Market = Awaited<ReturnType<typeof m.load>>;
  type Delivery = ReturnType<typeof m.delivery>;

  /** The leaves of the default model, which the seller hands over with the ciphertext. */
  const modelLeaves = toChunks(m.model).map(chunkLeaf);
  const RESULT_HASH = keccak256(toHex("evaluation result"));

  async function timestampOf(hash: Hex): Promise<number> {
    const receipt = await m.publicClient.waitForTransactionReceipt({ hash });
    const block = await m.publicClient.getBlock({ blockNumber: receipt.blockNumber });
    return Number(block.timestamp);
  }

  async function balance(address: Hex): Promise<bigint> {
    return m.publicClient.getBalance({ address });
  }

  /** `buyer` buys `listingId` (a new default listing if omitted) at the default price. */
  async function purchase(c: Market, listingId?: bigint) {
    const id = listingId ?? (await m.list(c));
    const hash = await c.market.write.buy([id, 0n, PRICE], { account: buyer.account, value: PRICE });
    const receipt = await m.publicClient.waitForTransactionReceipt({ hash });
    const [opened] = parseEventLogs({ abi: c.market.abi, logs: receipt.logs, eventName: "PurchaseOpened" });
    if (opened === undefined) throw new Error("no PurchaseOpened");
    return { listingId: id, purchaseId: opened.args.purchaseId, createdAt: await timestampOf(hash) };
  }

  async function commit(c: Market, purchaseId: bigint, d: Delivery): Promise<number> {
    return timestampOf(await c.market.write.commitDelivery([purchaseId, d.ciphertextRoot, d.keyHash], { account: seller.account }));
  }

  async function reveal(c: Market, purchaseId: bigint, d: Delivery): Promise<number> {
    return timestampOf(await c.market.write.revealKey([purchaseId, d.ciphertextRoot, d.key], { account: seller.account }));
  }

  /** A purchase whose delivery `d` was committed. */
  async function committed(c: Market, d: Delivery = m.delivery(), listingId?: bigint) {
    const p = await purchase(c, listingId);
    return { ...p, d, committedAt: await commit(c, p.purchaseId, d) };
  }

  /** A purchase whose delivery `d` was committed and accepted. */
  async function accepted(c: Market, d: Delivery = m.delivery(), listingId?: bigint) {
    const p = await committed(c, d, listingId);
    await c.market.write.acceptDelivery([p.purchaseId], { account: buyer.account });
    return p;
  }

  /** A purchase whose delivery `d` was committed, accepted and whose key was revealed. */
  async function revealed(c: Market, d: Delivery = m.delivery(), listingId?: bigint) {
    const p = await accepted(c, d, listingId);
    return { ...p, revealedAt: await reveal(c, p.purchaseId, d) };
  }

  /** One purchase in each status before the key's complaint window ends, with that status. */
  async function purchasesInEveryOpenStatus(c: Market): Promise<Array<[bigint, number]>> {
    const listingId = await m.list(c);
    const d = m.delivery();
    return [
      [(await purchase(c, listingId)).purchaseId, PURCHASE_STATUS.AwaitingDelivery],
      [(await committed(c, d, listingId)).purchaseId, PURCHASE_STATUS.AwaitingAcceptance],
      [(await accepted(c, d, listingId)).purchaseId, PURCHASE_STATUS.AwaitingKey],
      [(await revealed(c, d, listingId)).purchaseId, PURCHASE_STATUS.ComplaintWindow],
    ];
  }

  /** The key as the buyer learns it: from the KeyRevealed event. */
  async function revealedKey(c: Market, purchaseId: bigint): Promise<Hex> {
    const logs = await c.market.getEvents.KeyRevealed({ purchaseId }, { fromBlock: 0n });
    const key = logs.at(-1)?.args.key;
    if (key === undefined) throw new Error("no key revealed");
    return key;
  }

  /** The committed ciphertext root as the buyer learns it: from the DeliveryCommitted event. */
  async function committedRoot(c: Market, purchaseId: bigint): Promise<Hex> {
    const logs = await c.market.getEvents.DeliveryCommitted({ purchaseId }, { fromBlock: 0n });
    const root = logs.at(-1)?.args.ciphertextRoot;
    if (root === undefined) throw new Error("no delivery committed");
    return root;
  }

  /** What the buyer checks a delivery against: the committed ciphertext root and the listing's model. */
  async function chainFacts(c: Market, purchaseId: bigint) {
    const { listingId } = await c.market.read.getPurchase([purchaseId]);
    const [modelRoot, modelSize] = await c.registry.read.deliveryTerms([BigInt(listingId)]);
    return { ciphertextRoot: await committedRoot(c, purchaseId), modelRoot, modelSize: Number(modelSize) };
  }

  /** The buyer's check of a revealed delivery, with the SDK, from what it received and what the chain says. */
  async function buyersCheck(c: Market, purchaseId: bigint, d: Delivery, leaves = modelLeaves) {
    const facts = await chainFacts(c, purchaseId);
    assert.deepEqual(checkCiphertext({ ciphertext: d.ciphertext, modelLeaves: leaves, ...facts }), { ok: true }, "the pre-accept check passed");
    return checkDelivery({ ciphertext: d.ciphertext, key: await revealedKey(c, purchaseId), modelLeaves: leaves, ...facts });
  }

  /** The buyer's complaint, built with the SDK from what it received. */
  async function buyersComplaint(c: Market, purchaseId: bigint, d: Delivery, leaves = modelLeaves) {
    const result = await buyersCheck(c, purchaseId, d, leaves);
    if (result.ok) throw new Error("the delivery is correct");
    return result;
  }

  /** The ledger events (PaymentCredited, PaymentWithdrawn) a transaction emitted. */
  async function ledgerEvents(c: Market, hash: Hex) {
    const { logs } = await m.publicClient.waitForTransactionReceipt({ hash });
    return [
      ...parseEventLogs({ abi: c.market.abi, logs, eventName: "PaymentCredited" }),
      ...parseEventLogs({ abi: c.market.abi, logs, eventName: "PaymentWithdrawn" }),
    ];
  }

  /** A seller's delivery of the model with chunk `index` of the ciphertext corrupted. */
  function corrupted(index: number, file: Uint8Array = m.model): Delivery {
    const honest = m.delivery(file);
    const ciphertext = honest.ciphertext.map((chunk) => Uint8Array.from(chunk));
    ciphertext[index]![0]! ^= 0xff;
    const cipherTree = ChunkTree.fromChunks(ciphertext);
    return { ...honest, ciphertext, cipherTree, ciphertextRoot: cipherTree.root };
  }

  /** A complaint about chunk `index` of `d` against the default model, whatever its merit. */
  function complaintAt(d: Delivery, index: number): Complaint {
    return {
      ciphertextRoot: d.ciphertextRoot,
      key: d.key,
      index: BigInt(index),
      ciphertextChunk: bytesToHex(d.ciphertext[index]!),
      ciphertextProof: d.cipherTree.proof(index),
      plaintextLeaf: m.modelTree.leaf(index),
      plaintextProof: m.modelTree.proof(index),
    };
  }

  const status = (c: Market, purchaseId: bigint) => c.market.read.purchaseStatus([purchaseId]);
  const owed = (c: Market, account: Hex) => c.market.read.owed([account]);
  const flip = (word: Hex): Hex => toHex(BigInt(word) ^ 1n, { size: 32 });

  describe("buy", () => {
    it("opens a purchase holding the price in escrow", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      const tx = c.market.write.buy([listingId, 0n, PRICE], { account: buyer.account, value: PRICE });
      await assertions.balancesHaveChanged(tx, [
        { address: buyer.account.address, amount: -PRICE },
        { address: c.market.address, amount: PRICE },
        { address: seller.account.address, amount: 0n },
      ]);
      // price, escrow, depositApplied, testId, auctionId
      await assertions.emitWithArgs(tx, c.market, "PurchaseOpened", [1n, listingId, buyer.account.address, seller.account.address, PRICE, PRICE, 0n, 0n, 0n]);
      const createdAt = await timestampOf(await tx);
      const p = await c.market.read.getPurchase([1n]);
      assert.equal(p.buyer, getAddress(buyer.account.address));
      assert.equal(p.seller, getAddress(seller.account.address));
      assert.equal(p.listingId, Number(listingId));
      assert.equal(p.price, PRICE);
      assert.equal(p.createdAt, createdAt);
      assert.equal(p.settlement, 0);
      assert.equal(p.accepted, false);
      assert.equal(p.deliveryCommitment, m.zeroHash);
      assert.equal(p.committedAt, 0);
      assert.equal(p.revealedAt, 0);
      assert.equal(p.testId, 0);
      assert.equal(p.extra, 0n);
      assert.equal(p.auctionId, 0);
      assert.equal(await status(c, 1n), PURCHASE_STATUS.AwaitingDelivery);
      assert.equal(await owed(c, seller.account.address), 0n);
    });

    it("reverts when the agreed price is not the listing's, and buys at the listing's price", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      for (const agreed of [0n, PRICE - 1n, PRICE + 1n, 2n * PRICE]) {
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.buy([listingId, 0n, agreed], { account: buyer.account, value: PRICE }),
          c.market,
          "FairExchangePriceChanged",
          [listingId, PRICE, agreed],
        );
      }
      // The seller changes the price: the price the buyer was shown no longer buys.
      await c.registry.write.updateOffer([listingId, m.offer({ price: PRICE + 1n })], { account: seller.account });
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.buy([listingId, 0n, PRICE], { account: buyer.account, value: PRICE }),
        c.market,
        "FairExchangePriceChanged",
        [listingId, PRICE + 1n, PRICE],
      );
      assert.equal(await balance(c.market.address), 0n);
      await assertions.emit(
        c.market.write.buy([listingId, 0n, PRICE + 1n], { account: buyer.account, value: PRICE + 1n }),
        c.market,
        "PurchaseOpened",
      );
    });

    it("numbers purchases from 1", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      assert.equal((await purchase(c, listingId)).purchaseId, 1n);
      assert.equal((await purchase(c, listingId)).purchaseId, 2n);
      assert.equal(await c.market.read.purchaseStatus([3n]), PURCHASE_STATUS.None);
    });

    it("reverts for an auction listing", async () => {
      const c = await m.load();
      const listingId = await m.list(c, { saleMode: SALE_MODE.Auction });
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.buy([listingId, 0n, PRICE], { account: buyer.account, value: PRICE }),
        c.market,
        "FairExchangeNotForSale",
        [listingId],
      );
    });

    it("reverts for a paused listing, and works again once unpaused", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      await c.registry.write.pause([listingId], { account: seller.account });
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.buy([listingId, 0n, PRICE], { account: buyer.account, value: PRICE }),
        c.market,
        "FairExchangeNotForSale",
        [listingId],
      );
      await c.registry.write.unpause([listingId], { account: seller.account });
      await assertions.emit(c.market.write.buy([listingId, 0n, PRICE], { account: buyer.account, value: PRICE }), c.market, "PurchaseOpened");
    });

    it("reverts for a delisted listing", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      await c.registry.write.delist([listingId], { account: seller.account });
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.buy([listingId, 0n, PRICE], { account: buyer.account, value: PRICE }),
        c.market,
        "FairExchangeNotForSale",
        [listingId],
      );
    });

    it("reverts for an unknown listing", async () => {
      const c = await m.load();
      await m.list(c);
      for (const listingId of [0n, 2n, 99n]) {
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.buy([listingId, 0n, PRICE], { account: buyer.account, value: PRICE }),
          c.market,
          "FairExchangeNotForSale",
          [listingId],
        );
      }
    });

    it("reverts on a wrong payment", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      for (const sent of [0n, PRICE - 1n, PRICE + 1n]) {
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.buy([listingId, 0n, PRICE], { account: buyer.account, value: sent }),
          c.market,
          "FairExchangeIncorrectPayment",
          [sent, PRICE],
        );
      }
      assert.equal(await balance(c.market.address), 0n);
    });

    describe("with a test-drive deposit", () => {
      it("charges the price minus the deposit, closes a test awaiting its receipt and credits its unpaid fee to the seller", async () => {
        const c = await m.load();
        const listingId = await m.list(c);
        const { testId, fee } = await m.openTest(c, listingId, buyer, 150);
        assert.equal(fee, parseEther("0.05"));
        assert.deepEqual(await c.market.read.testPrice([listingId, 150]), [POLICY.deposit, fee]);
        assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.AwaitingReceipt);
        const { phaseStartedAt: openedAt } = await c.market.read.getTest([testId]);
        const due = PRICE - POLICY.deposit;
        const tx = c.market.write.buy([listingId, testId, PRICE], { account: buyer.account, value: due });
        await assertions.balancesHaveChanged(tx, [
          { address: buyer.account.address, amount: -due },
          { address: c.market.address, amount: due },
          { address: seller.account.address, amount: 0n },
        ]);
        // no receipt was recorded, so the fee was never paid: buying pays it now (credited)
        await assertions.emitWithArgs(tx, c.market, "TestClosed", [testId, TEST_PHASE.AppliedToPurchase, POLICY.deposit, fee]);
        await assertions.emitWithArgs(tx, c.market, "PurchaseOpened", [
          1n,
          listingId,
          buyer.account.address,
          seller.account.address,
          PRICE,
          PRICE,
          POLICY.deposit,
          testId,
          0n,
        ]);
        await assertions.emitWithArgs(tx, c.market, "PaymentCredited", [seller.account.address, fee]);
        assert.equal(await owed(c, seller.account.address), fee);
        assert.equal(await owed(c, buyer.account.address), 0n);
        assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.Closed);
        const test = await c.market.read.getTest([testId]);
        assert.equal(test.phase, TEST_PHASE.AppliedToPurchase);
        // the dispute clock stays the opening's (no receipt yet), should the deposit come back
        assert.equal(test.phaseStartedAt, openedAt);
        assert.ok(openedAt < (await timestampOf(await tx)));
        assert.equal(test.sampleCount, 150);
        assert.equal((await c.market.read.getPurchase([1n])).price, PRICE);
        // the escrow holds the whole price plus the seller's fee
        assert.equal(await balance(c.market.address), PRICE + fee);
      });

      it("applies the deposit of an evaluated test, whose fee was paid at the receipt: buying credits no fee", async () => {
        const c = await m.load();
        const listingId = await m.list(c);
        const { testId, fee } = await m.openTest(c, listingId, buyer, 150);
        assert.equal(fee, parseEther("0.05"));
        const receipt = c.market.write.recordReceipt([testId, RESULT_HASH], { account: worker.account });
        await assertions.emitWithArgs(receipt, c.market, "ReceiptRecorded", [testId, RESULT_HASH, worker.account.address, fee]);
        await assertions.emitWithArgs(receipt, c.market, "PaymentCredited", [seller.account.address, fee]);
        assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.Evaluated);
        assert.equal((await c.market.read.getTest([testId])).phase, TEST_PHASE.Evaluated);
        assert.equal(await owed(c, seller.account.address), fee, "the fee is the seller's from the receipt on");
        const due = PRICE - POLICY.deposit;
        const tx = c.market.write.buy([listingId, testId, PRICE], { account: buyer.account, value: due });
        await assertions.balancesHaveChanged(tx, [
          { address: buyer.account.address, amount: -due },
          { address: c.market.address, amount: due },
          { address: seller.account.address, amount: 0n },
        ]);
        await assertions.emitWithArgs(tx, c.market, "TestClosed", [testId, TEST_PHASE.AppliedToPurchase, POLICY.deposit, 0n]);
        assert.deepEqual(await ledgerEvents(c, await tx), [], "no fee credited a second time");
        assert.equal(await owed(c, seller.account.address), fee);
        assert.equal(await owed(c, buyer.account.address), 0n);
        assert.equal((await c.market.read.getTest([testId])).phase, TEST_PHASE.AppliedToPurchase);
        assert.equal(await status(c, 1n), PURCHASE_STATUS.AwaitingDelivery);
        assert.equal(await balance(c.market.address), PRICE + fee);
      });

      it("applies the deposit of an evaluated test whose receipt the seller recorded (fee sent directly)", async () => {
        const c = await m.load();
        const listingId = await m.list(c);
        const { testId, fee } = await m.openTest(c, listingId, buyer, 200);
        assert.equal(fee, parseEther("0.1"));
        const receipt = c.market.write.recordReceipt([testId, RESULT_HASH], { account: seller.account });
        await assertions.balancesHaveChanged(receipt, [
          { address: seller.account.address, amount: fee },
          { address: c.market.address, amount: -fee },
        ]);
        await assertions.emitWithArgs(receipt, c.market, "ReceiptRecorded", [testId, RESULT_HASH, seller.account.address, fee]);
        assert.deepEqual(await ledgerEvents(c, await receipt), [], "a direct payment emits no ledger event");
        assert.equal(await owed(c, seller.account.address), 0n);
        const tx = c.market.write.buy([listingId, testId, PRICE], { account: buyer.account, value: PRICE - POLICY.deposit });
        await assertions.emitWithArgs(tx, c.market, "TestClosed", [testId, TEST_PHASE.AppliedToPurchase, POLICY.deposit, 0n]);
        assert.deepEqual(await ledgerEvents(c, await tx), []);
        assert.equal(await owed(c, seller.account.address), 0n);
        assert.equal(await balance(c.market.address), PRICE);
      });

      it("a test within the free samples has no fee, evaluated or not", async () => {
        const c = await m.load();
        const listingId = await m.list(c);
        const evaluated = (await m.openTest(c, listingId, buyer, 50)).testId;
        const open = (await m.openTest(c, listingId, alice, 100)).testId;
        assert.deepEqual(await c.market.read.testPrice([listingId, 100]), [POLICY.deposit, 0n]);
        await assertions.emitWithArgs(
          c.market.write.recordReceipt([evaluated, RESULT_HASH], { account: worker.account }),
          c.market,
          "ReceiptRecorded",
          [evaluated, RESULT_HASH, worker.account.address, 0n],
        );
        const value = PRICE - POLICY.deposit;
        const first = c.market.write.buy([listingId, evaluated, PRICE], { account: buyer.account, value });
        await assertions.emitWithArgs(first, c.market, "TestClosed", [evaluated, TEST_PHASE.AppliedToPurchase, POLICY.deposit, 0n]);
        const second = c.market.write.buy([listingId, open, PRICE], { account: alice.account, value });
        await assertions.emitWithArgs(second, c.market, "TestClosed", [open, TEST_PHASE.AppliedToPurchase, POLICY.deposit, 0n]);
        assert.deepEqual(await ledgerEvents(c, await first), []);
        assert.deepEqual(await ledgerEvents(c, await second), []);
        assert.equal(await owed(c, seller.account.address), 0n);
        assert.equal(await balance(c.market.address), 2n * PRICE);
      });

      it("requires the price minus the deposit, not the full price", async () => {
        const c = await m.load();
        const listingId = await m.list(c);
        const { testId } = await m.openTest(c, listingId);
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.buy([listingId, testId, PRICE], { account: buyer.account, value: PRICE }),
          c.market,
          "FairExchangeIncorrectPayment",
          [PRICE, PRICE - POLICY.deposit],
        );
        assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.AwaitingReceipt);
      });

      it("reverts with another buyer's test", async () => {
        const c = await m.load();
        const listingId = await m.list(c);
        const { testId } = await m.openTest(c, listingId, alice);
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.buy([listingId, testId, PRICE], { account: buyer.account, value: PRICE - POLICY.deposit }),
          c.market,
          "TestDrivesNotBuyer",
          [testId, buyer.account.address],
        );
      });

      it("reverts with a test of another listing", async () => {
        const c = await m.load();
        const listingId = await m.list(c);
        const otherListing = await m.list(c);
        const { testId } = await m.openTest(c, otherListing);
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.buy([listingId, testId, PRICE], { account: buyer.account, value: PRICE - POLICY.deposit }),
          c.market,
          "TestDrivesWrongListing",
          [testId, listingId],
        );
      });

      it("reverts with a closed test (refunded)", async () => {
        const c = await m.load();
        const listingId = await m.list(c);
        const { testId } = await m.openTest(c, listingId);
        await c.market.write.recordReceipt([testId, RESULT_HASH], { account: worker.account });
        await m.refund(c, testId);
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.buy([listingId, testId, PRICE], { account: buyer.account, value: PRICE - POLICY.deposit }),
          c.market,
          "TestDrivesInvalidStatus",
          [testId, TEST_STATUS.Closed],
        );
      });

      it("reverts when the deposit was already applied to a purchase", async () => {
        const c = await m.load();
        const listingId = await m.list(c);
        const { testId } = await m.openTest(c, listingId);
        await c.market.write.buy([listingId, testId, PRICE], { account: buyer.account, value: PRICE - POLICY.deposit });
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.buy([listingId, testId, PRICE], { account: buyer.account, value: PRICE - POLICY.deposit }),
          c.market,
          "TestDrivesInvalidStatus",
          [testId, TEST_STATUS.Closed],
        );
      });

      it("reverts with an unserved or forfeitable test, and with an unknown test", async () => {
        const c = await m.load();
        const listingId = await m.list(c);
        const unserved = (await m.openTest(c, listingId)).testId;
        const forfeitable = (await m.openTest(c, listingId)).testId;
        await c.market.write.recordReceipt([forfeitable, RESULT_HASH], { account: worker.account });
        await time.increase(POLICY.disputeWindow);
        assert.equal(await c.market.read.testStatus([unserved]), TEST_STATUS.Unserved);
        assert.equal(await c.market.read.testStatus([forfeitable]), TEST_STATUS.Forfeitable);
        const value = PRICE - POLICY.deposit;
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.buy([listingId, unserved, PRICE], { account: buyer.account, value }),
          c.market,
          "TestDrivesInvalidStatus",
          [unserved, TEST_STATUS.Unserved],
        );
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.buy([listingId, forfeitable, PRICE], { account: buyer.account, value }),
          c.market,
          "TestDrivesInvalidStatus",
          [forfeitable, TEST_STATUS.Forfeitable],
        );
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.buy([listingId, 99n, PRICE], { account: buyer.account, value }),
          c.market,
          "TestDrivesUnknownTest",
          [99n],
        );
      });

      it("takes no ether when the deposit exceeds the price and holds the excess in escrow, back to the buyer on completion", async () => {
        const c = await m.load();
        const price = parseEther("0.4");
        const listingId = await m.list(c, { price });
        const { testId } = await m.openTest(c, listingId, buyer, 150);
        const fee = parseEther("0.05");
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.buy([listingId, testId, price], { account: buyer.account, value: 1n }),
          c.market,
          "FairExchangeIncorrectPayment",
          [1n, 0n],
        );
        const tx = c.market.write.buy([listingId, testId, price], { account: buyer.account, value: 0n });
        await assertions.balancesHaveChanged(tx, [
          { address: buyer.account.address, amount: 0n },
          { address: c.market.address, amount: 0n },
        ]);
        const excess = POLICY.deposit - price;
        await assertions.emitWithArgs(tx, c.market, "PurchaseOpened", [
          1n,
          listingId,
          buyer.account.address,
          seller.account.address,
          price,
          POLICY.deposit,
          POLICY.deposit,
          testId,
          0n,
        ]);
        await assertions.emitWithArgs(tx, c.market, "TestClosed", [testId, TEST_PHASE.AppliedToPurchase, POLICY.deposit, fee]);
        await assertions.emitWithArgs(tx, c.market, "PaymentCredited", [seller.account.address, fee]);
        // The excess is not credited at purchase: were the purchase refunded, the whole deposit
        // would go back to the test-drive, never to the buyer.
        assert.equal(await owed(c, buyer.account.address), 0n);
        assert.equal(await owed(c, seller.account.address), fee);
        const p = await c.market.read.getPurchase([1n]);
        assert.equal(p.price, price);
        assert.equal(p.extra, excess);
        assert.equal(p.testId, Number(testId));

        // the books balance: once the purchase completes and both withdraw, the market is empty
        const d = m.delivery();
        await commit(c, 1n, d);
        await c.market.write.acceptDelivery([1n], { account: buyer.account });
        await reveal(c, 1n, d);
        await time.increase(WINDOWS.complaint);
        await assertions.emitWithArgs(
          c.market.write.completePurchase([1n], { account: alice.account }),
          c.market,
          "PurchaseCompleted",
          [1n, seller.account.address, price, excess],
        );
        assert.equal(await owed(c, seller.account.address), fee + price);
        assert.equal(await owed(c, buyer.account.address), excess);
        await assertions.balancesHaveChanged(c.market.write.withdraw({ account: buyer.account }), [
          { address: buyer.account.address, amount: excess },
        ]);
        await assertions.balancesHaveChanged(c.market.write.withdraw({ account: seller.account }), [
          { address: seller.account.address, amount: fee + price },
        ]);
        assert.equal(await balance(c.market.address), 0n);
      });

      it("takes no ether and credits nothing when the deposit equals the price", async () => {
        const c = await m.load();
        const listingId = await m.list(c, { price: POLICY.deposit });
        const { testId } = await m.openTest(c, listingId);
        const tx = c.market.write.buy([listingId, testId, POLICY.deposit], { account: buyer.account, value: 0n });
        await assertions.emitWithArgs(tx, c.market, "PurchaseOpened", [
          1n,
          listingId,
          buyer.account.address,
          seller.account.address,
          POLICY.deposit,
          POLICY.deposit,
          POLICY.deposit,
          testId,
          0n,
        ]);
        assert.equal(await owed(c, buyer.account.address), 0n);
        assert.equal((await c.market.read.getPurchase([1n])).extra, 0n);
        assert.equal(await balance(c.market.address), POLICY.deposit);
      });
    });
  });

  describe("commitDelivery", () => {
    it("records the commitment and moves to AwaitingAcceptance", async () => {
      const c = await m.load();
      const { purchaseId } = await purchase(c);
      const d = m.delivery();
      const tx = c.market.write.commitDelivery([purchaseId, d.ciphertextRoot, d.keyHash], { account: seller.account });
      await assertions.emitWithArgs(tx, c.market, "DeliveryCommitted", [purchaseId, d.ciphertextRoot, d.keyHash]);
      const p = await c.market.read.getPurchase([purchaseId]);
      assert.equal(p.deliveryCommitment, keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "bytes32" }], [d.ciphertextRoot, d.keyHash])));
      assert.equal(p.committedAt, await timestampOf(await tx));
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.AwaitingAcceptance);
    });

    it("only the seller may commit", async () => {
      const c = await m.load();
      const { purchaseId } = await purchase(c);
      const d = m.delivery();
      for (const account of [buyer, mallory]) {
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.commitDelivery([purchaseId, d.ciphertextRoot, d.keyHash], { account: account.account }),
          c.market,
          "FairExchangeNotSeller",
          [purchaseId, account.account.address],
        );
      }
    });

    it("rejects a zero root or key hash", async () => {
      const c = await m.load();
      const { purchaseId } = await purchase(c);
      const d = m.delivery();
      for (const [root, hash] of [
        [m.zeroHash, d.keyHash],
        [d.ciphertextRoot, m.zeroHash],
      ] as const) {
        await assertions.revertWithCustomError(
          c.market.write.commitDelivery([purchaseId, root, hash], { account: seller.account }),
          c.market,
          "FairExchangeEmptyCommitment",
        );
      }
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.AwaitingDelivery);
    });

    it("cannot commit twice", async () => {
      const c = await m.load();
      const { purchaseId } = await committed(c);
      const other = m.delivery(m.model, keccak256(toHex("second key")));
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.commitDelivery([purchaseId, other.ciphertextRoot, other.keyHash], { account: seller.account }),
        c.market,
        "FairExchangeInvalidStatus",
        [purchaseId, PURCHASE_STATUS.AwaitingAcceptance],
      );
    });

    it("works one second before the delivery deadline", async () => {
      const c = await m.load();
      const { purchaseId, createdAt } = await purchase(c);
      await time.setNextBlockTimestamp(createdAt + WINDOWS.delivery - 1);
      await commit(c, purchaseId, m.delivery());
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.AwaitingAcceptance);
    });

    it("reverts DeliveryOverdue at the delivery deadline", async () => {
      const c = await m.load();
      const { purchaseId, createdAt } = await purchase(c);
      const d = m.delivery();
      await time.setNextBlockTimestamp(createdAt + WINDOWS.delivery);
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.commitDelivery([purchaseId, d.ciphertextRoot, d.keyHash], { account: seller.account }),
        c.market,
        "FairExchangeInvalidStatus",
        [purchaseId, PURCHASE_STATUS.DeliveryOverdue],
      );
    });

    it("reverts for an unknown purchase", async () => {
      const c = await m.load();
      const d = m.delivery();
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.commitDelivery([1n, d.ciphertextRoot, d.keyHash], { account: seller.account }),
        c.market,
        "FairExchangeUnknownPurchase",
        [1n],
      );
    });
  });

  describe("acceptDelivery and rejectDelivery", () => {
    it("the buyer accepts: AwaitingKey at once", async () => {
      const c = await m.load();
      const { purchaseId } = await committed(c);
      await assertions.emitWithArgs(
        c.market.write.acceptDelivery([purchaseId], { account: buyer.account }),
        c.market,
        "DeliveryAccepted",
        [purchaseId],
      );
      assert.equal((await c.market.read.getPurchase([purchaseId])).accepted, true);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.AwaitingKey);
    });

    it("only the buyer may accept or reject", async () => {
      const c = await m.load();
      const { purchaseId } = await committed(c);
      for (const account of [seller, mallory]) {
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.acceptDelivery([purchaseId], { account: account.account }),
          c.market,
          "FairExchangeNotBuyer",
          [purchaseId, account.account.address],
        );
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.rejectDelivery([purchaseId], { account: account.account }),
          c.market,
          "FairExchangeNotBuyer",
          [purchaseId, account.account.address],
        );
      }
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.AwaitingAcceptance);
    });

    it("neither before the delivery is committed", async () => {
      const c = await m.load();
      const { purchaseId } = await purchase(c);
      for (const fn of ["acceptDelivery", "rejectDelivery"] as const) {
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write[fn]([purchaseId], { account: buyer.account }),
          c.market,
          "FairExchangeInvalidStatus",
          [purchaseId, PURCHASE_STATUS.AwaitingDelivery],
        );
      }
    });

    it("the buyer rejects: refunded directly with reason DeliveryRejected", async () => {
      const c = await m.load();
      const { purchaseId } = await committed(c);
      const tx = c.market.write.rejectDelivery([purchaseId], { account: buyer.account });
      await assertions.balancesHaveChanged(tx, [
        { address: buyer.account.address, amount: PRICE },
        { address: c.market.address, amount: -PRICE },
        { address: seller.account.address, amount: 0n },
      ]);
      await assertions.emitWithArgs(tx, c.market, "PurchaseRefunded", [purchaseId, buyer.account.address, PRICE, 0n, 0n, REFUND_REASON.DeliveryRejected]);
      assert.deepEqual(await ledgerEvents(c, await tx), [], "a direct payment emits no ledger event");
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.Refunded);
      assert.equal((await c.market.read.getPurchase([purchaseId])).settlement, 2);
      assert.equal(await owed(c, buyer.account.address), 0n);
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.rejectDelivery([purchaseId], { account: buyer.account }),
        c.market,
        "FairExchangeInvalidStatus",
        [purchaseId, PURCHASE_STATUS.Refunded],
      );
    });

    it("the buyer's pre-accept check (SDK) refuses a ciphertext that is not the committed one, and the buyer rejects", async () => {
      const c = await m.load();
      const d = m.delivery();
      const { purchaseId } = await committed(c, d);
      const facts = await chainFacts(c, purchaseId);
      assert.deepEqual(facts, { ciphertextRoot: d.ciphertextRoot, modelRoot: m.modelTree.root, modelSize: m.model.length });
      assert.deepEqual(checkCiphertext({ ciphertext: d.ciphertext, modelLeaves: d.modelLeaves, ...facts }), { ok: true });
      // the seller sends something other than what it committed to
      const sent = corrupted(4).ciphertext;
      const check = checkCiphertext({ ciphertext: sent, modelLeaves: d.modelLeaves, ...facts });
      assert.deepEqual(check, { ok: false, reason: "the ciphertext does not hash to the committed ciphertext root" });
      assert.throws(() => checkDelivery({ ciphertext: sent, key: d.key, modelLeaves: d.modelLeaves, ...facts }), DeliveryCheckError);
      const tx = c.market.write.rejectDelivery([purchaseId], { account: buyer.account });
      await assertions.balancesHaveChanged(tx, [
        { address: buyer.account.address, amount: PRICE },
        { address: c.market.address, amount: -PRICE },
      ]);
      await assertions.emitWithArgs(tx, c.market, "PurchaseRefunded", [purchaseId, buyer.account.address, PRICE, 0n, 0n, REFUND_REASON.DeliveryRejected]);
    });

    it("the buyer's pre-accept check (SDK) refuses model leaves that are not the listing's, and the buyer rejects", async () => {
      const c = await m.load();
      // the seller encrypts another file and hands over that file's leaves, consistent with the ciphertext
      const other = modelFile(m.model.length, 42);
      const d = m.delivery(other);
      const { purchaseId } = await committed(c, d);
      const facts = await chainFacts(c, purchaseId);
      const forged = toChunks(other).map(chunkLeaf);
      assert.deepEqual(d.modelLeaves, forged);
      assert.deepEqual(checkCiphertext({ ciphertext: d.ciphertext, modelLeaves: forged, ...facts }), {
        ok: false,
        reason: "the model leaves do not hash to the listing's model root",
      });
      assert.throws(() => checkDelivery({ ciphertext: d.ciphertext, key: d.key, modelLeaves: forged, ...facts }), DeliveryCheckError);
      // against the listing's real leaves the ciphertext passes, and decrypting would flag chunk 0
      assert.deepEqual(checkCiphertext({ ciphertext: d.ciphertext, modelLeaves, ...facts }), { ok: true });
      await assertions.emitWithArgs(
        c.market.write.rejectDelivery([purchaseId], { account: buyer.account }),
        c.market,
        "PurchaseRefunded",
        [purchaseId, buyer.account.address, PRICE, 0n, 0n, REFUND_REASON.DeliveryRejected],
      );
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.Refunded);
    });

    it("cannot reject after accepting, nor accept twice", async () => {
      const c = await m.load();
      const { purchaseId } = await accepted(c);
      for (const fn of ["acceptDelivery", "rejectDelivery"] as const) {
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write[fn]([purchaseId], { account: buyer.account }),
          c.market,
          "FairExchangeInvalidStatus",
          [purchaseId, PURCHASE_STATUS.AwaitingKey],
        );
      }
    });

    it("silence accepts: at the end of the acceptance window both revert AwaitingKey", async () => {
      const c = await m.load();
      const { purchaseId, committedAt } = await committed(c);
      await time.setNextBlockTimestamp(committedAt + WINDOWS.accept);
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.rejectDelivery([purchaseId], { account: buyer.account }),
        c.market,
        "FairExchangeInvalidStatus",
        [purchaseId, PURCHASE_STATUS.AwaitingKey],
      );
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.acceptDelivery([purchaseId], { account: buyer.account }),
        c.market,
        "FairExchangeInvalidStatus",
        [purchaseId, PURCHASE_STATUS.AwaitingKey],
      );
    });

    it("the buyer may still reject one second before the acceptance window ends", async () => {
      const c = await m.load();
      const { purchaseId, committedAt } = await committed(c);
      await time.setNextBlockTimestamp(committedAt + WINDOWS.accept - 1);
      await assertions.emitWithArgs(
        c.market.write.rejectDelivery([purchaseId], { account: buyer.account }),
        c.market,
        "PurchaseRefunded",
        [purchaseId, buyer.account.address, PRICE, 0n, 0n, REFUND_REASON.DeliveryRejected],
      );
    });
  });

  describe("revealKey", () => {
    it("reveals after acceptance and opens the complaint window", async () => {
      const c = await m.load();
      const d = m.delivery();
      const { purchaseId } = await accepted(c, d);
      const tx = c.market.write.revealKey([purchaseId, d.ciphertextRoot, d.key], { account: seller.account });
      await assertions.emitWithArgs(tx, c.market, "KeyRevealed", [purchaseId, d.key]);
      assert.equal((await c.market.read.getPurchase([purchaseId])).revealedAt, await timestampOf(await tx));
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.ComplaintWindow);
    });

    it("not while the buyer may still reject", async () => {
      const c = await m.load();
      const d = m.delivery();
      const { purchaseId, committedAt } = await committed(c, d);
      await time.setNextBlockTimestamp(committedAt + WINDOWS.accept - 1);
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.revealKey([purchaseId, d.ciphertextRoot, d.key], { account: seller.account }),
        c.market,
        "FairExchangeInvalidStatus",
        [purchaseId, PURCHASE_STATUS.AwaitingAcceptance],
      );
    });

    it("without acceptance, exactly when the acceptance window ends", async () => {
      const c = await m.load();
      const d = m.delivery();
      const { purchaseId, committedAt } = await committed(c, d);
      await time.setNextBlockTimestamp(committedAt + WINDOWS.accept);
      await assertions.emitWithArgs(
        c.market.write.revealKey([purchaseId, d.ciphertextRoot, d.key], { account: seller.account }),
        c.market,
        "KeyRevealed",
        [purchaseId, d.key],
      );
      assert.equal((await c.market.read.getPurchase([purchaseId])).accepted, false);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.ComplaintWindow);
    });

    it("not before a delivery is committed", async () => {
      const c = await m.load();
      const d = m.delivery();
      const { purchaseId } = await purchase(c);
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.revealKey([purchaseId, d.ciphertextRoot, d.key], { account: seller.account }),
        c.market,
        "FairExchangeInvalidStatus",
        [purchaseId, PURCHASE_STATUS.AwaitingDelivery],
      );
    });

    it("by whoever holds the key: the seller's worker reveals it for the seller", async () => {
      const c = await m.load();
      const d = m.delivery();
      const { purchaseId } = await accepted(c, d);
      await assertions.emitWithArgs(c.market.write.revealKey([purchaseId, d.ciphertextRoot, d.key], { account: worker.account }), c.market, "KeyRevealed", [purchaseId, d.key]);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.ComplaintWindow);
    });

    it("a wrong key or a wrong root does not open the commitment", async () => {
      const c = await m.load();
      const d = m.delivery();
      const { purchaseId } = await accepted(c, d);
      const other = m.delivery(modelFile(1_000, 42));
      for (const [root, key] of [
        [d.ciphertextRoot, flip(d.key)],
        [other.ciphertextRoot, d.key],
        [d.ciphertextRoot, d.keyHash],
      ] as const) {
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.revealKey([purchaseId, root, key], { account: seller.account }),
          c.market,
          "FairExchangeCommitmentMismatch",
          [purchaseId],
        );
      }
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.AwaitingKey);
    });

    it("one second before the key deadline, even after an early acceptance", async () => {
      const c = await m.load();
      const d = m.delivery();
      const { purchaseId, committedAt } = await accepted(c, d);
      // accepting early does not move the key deadline: it stays committedAt + accept + reveal
      await time.setNextBlockTimestamp(committedAt + WINDOWS.accept + WINDOWS.reveal - 1);
      await assertions.emit(
        c.market.write.revealKey([purchaseId, d.ciphertextRoot, d.key], { account: seller.account }),
        c.market,
        "KeyRevealed",
      );
    });

    it("reverts KeyOverdue at the key deadline", async () => {
      const c = await m.load();
      const d = m.delivery();
      const { purchaseId, committedAt } = await accepted(c, d);
      await time.setNextBlockTimestamp(committedAt + WINDOWS.accept + WINDOWS.reveal);
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.revealKey([purchaseId, d.ciphertextRoot, d.key], { account: seller.account }),
        c.market,
        "FairExchangeInvalidStatus",
        [purchaseId, PURCHASE_STATUS.KeyOverdue],
      );
    });

    it("cannot reveal twice", async () => {
      const c = await m.load();
      const d = m.delivery();
      const { purchaseId } = await revealed(c, d);
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.revealKey([purchaseId, d.ciphertextRoot, d.key], { account: seller.account }),
        c.market,
        "FairExchangeInvalidStatus",
        [purchaseId, PURCHASE_STATUS.ComplaintWindow],
      );
    });
  });

  describe("complain", () => {
    it("refunds the buyer when the seller encrypted a different file under the committed key", async () => {
      const c = await m.load();
      const d = m.delivery(modelFile(m.model.length, 42));
      const { purchaseId } = await revealed(c, d);
      const { badChunk, complaint } = await buyersComplaint(c, purchaseId, d);
      assert.equal(badChunk, 0);
      const tx = c.market.write.complain([purchaseId, complaint], { account: buyer.account });
      await assertions.balancesHaveChanged(tx, [
        { address: buyer.account.address, amount: PRICE },
        { address: c.market.address, amount: -PRICE },
        { address: seller.account.address, amount: 0n },
      ]);
      await assertions.emitWithArgs(tx, c.market, "ComplaintUpheld", [purchaseId, 0n]);
      await assertions.emitWithArgs(tx, c.market, "PurchaseRefunded", [purchaseId, buyer.account.address, PRICE, 0n, 0n, REFUND_REASON.ComplaintUpheld]);
      assert.deepEqual(await ledgerEvents(c, await tx), [], "a direct payment emits no ledger event");
      assert.equal(REFUND_REASON.ComplaintUpheld, 3);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.Refunded);
      assert.equal(await owed(c, buyer.account.address), 0n);
      assert.equal(await owed(c, seller.account.address), 0n);
    });

    it("refunds the buyer when the seller corrupted one chunk", async () => {
      const c = await m.load();
      const d = corrupted(13);
      const { purchaseId } = await revealed(c, d);
      const { badChunk, complaint } = await buyersComplaint(c, purchaseId, d);
      assert.equal(badChunk, 13);
      const tx = c.market.write.complain([purchaseId, complaint], { account: buyer.account });
      await assertions.balancesHaveChanged(tx, [{ address: buyer.account.address, amount: PRICE }]);
      await assertions.emitWithArgs(tx, c.market, "ComplaintUpheld", [purchaseId, 13n]);
      await assertions.emitWithArgs(tx, c.market, "PurchaseRefunded", [purchaseId, buyer.account.address, PRICE, 0n, 0n, REFUND_REASON.ComplaintUpheld]);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.Refunded);
      // a settled purchase takes no second complaint and cannot be completed
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.complain([purchaseId, complaint], { account: buyer.account }),
        c.market,
        "FairExchangeInvalidStatus",
        [purchaseId, PURCHASE_STATUS.Refunded],
      );
      await time.increase(WINDOWS.complaint);
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.completePurchase([purchaseId], { account: seller.account }),
        c.market,
        "FairExchangeInvalidStatus",
        [purchaseId, PURCHASE_STATUS.Refunded],
      );
    });

    it("refunds the buyer when the last chunk is corrupted", async () => {
      const c = await m.load();
      const last = modelLeaves.length - 1;
      const d = corrupted(last);
      const { purchaseId } = await revealed(c, d);
      const { badChunk, complaint } = await buyersComplaint(c, purchaseId, d);
      assert.equal(badChunk, last);
      await assertions.emitWithArgs(
        c.market.write.complain([purchaseId, complaint], { account: buyer.account }),
        c.market,
        "ComplaintUpheld",
        [purchaseId, BigInt(last)],
      );
    });

    it("a third party may submit the complaint; the refund is credited to the buyer", async () => {
      const c = await m.load();
      const d = corrupted(5);
      const { purchaseId } = await revealed(c, d);
      const { complaint } = await buyersComplaint(c, purchaseId, d);
      const tx = c.market.write.complain([purchaseId, complaint], { account: mallory.account });
      await assertions.balancesHaveChanged(tx, [
        { address: mallory.account.address, amount: 0n },
        { address: buyer.account.address, amount: 0n },
        { address: c.market.address, amount: 0n },
      ]);
      await assertions.emitWithArgs(tx, c.market, "PurchaseRefunded", [purchaseId, buyer.account.address, PRICE, 0n, 0n, REFUND_REASON.ComplaintUpheld]);
      await assertions.emitWithArgs(tx, c.market, "PaymentCredited", [buyer.account.address, PRICE]);
      assert.equal(await owed(c, buyer.account.address), PRICE);
      assert.equal(await owed(c, mallory.account.address), 0n);
      await assertions.balancesHaveChanged(c.market.write.withdraw({ account: buyer.account }), [
        { address: buyer.account.address, amount: PRICE },
        { address: c.market.address, amount: -PRICE },
      ]);
    });

    it("the complaint is still upheld after the seller delists the listing", async () => {
      const c = await m.load();
      const d = corrupted(2);
      const { purchaseId, listingId } = await revealed(c, d);
      await c.registry.write.delist([listingId], { account: seller.account });
      const { complaint } = await buyersComplaint(c, purchaseId, d);
      await assertions.emitWithArgs(c.market.write.complain([purchaseId, complaint], { account: buyer.account }), c.market, "ComplaintUpheld", [
        purchaseId,
        2n,
      ]);
    });

    it("an honest delivery's complaint on a correct chunk reverts ChunkIsCorrect", async () => {
      const c = await m.load();
      const d = m.delivery();
      const { purchaseId } = await revealed(c, d);
      const check = await buyersCheck(c, purchaseId, d);
      assert.ok(check.ok);
      assert.deepEqual(check.file, m.model);
      for (const index of [0, 7, modelLeaves.length - 1]) {
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.complain([purchaseId, complaintAt(d, index)], { account: buyer.account }),
          c.market,
          "FairExchangeChunkIsCorrect",
          [purchaseId, BigInt(index)],
        );
      }
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.ComplaintWindow);
    });

    it("a correct chunk of a partly corrupted delivery is not a complaint", async () => {
      const c = await m.load();
      const d = corrupted(13);
      const { purchaseId } = await revealed(c, d);
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.complain([purchaseId, complaintAt(d, 12)], { account: buyer.account }),
        c.market,
        "FairExchangeChunkIsCorrect",
        [purchaseId, 12n],
      );
    });

    it("wrong-length or tampered Merkle paths revert InvalidMerkleProof", async () => {
      const c = await m.load();
      const d = corrupted(13);
      const { purchaseId } = await revealed(c, d);
      const { complaint } = await buyersComplaint(c, purchaseId, d);
      const tamper = (path: readonly Hex[], level: number) => path.map((s, l) => (l === level ? flip(s) : s));
      const bad: Array<[string, Complaint]> = [
        ["ciphertext path too short", { ...complaint, ciphertextProof: complaint.ciphertextProof.slice(0, -1) }],
        ["ciphertext path too long", { ...complaint, ciphertextProof: [...complaint.ciphertextProof, m.zeroHash] }],
        ["plaintext path too short", { ...complaint, plaintextProof: complaint.plaintextProof.slice(1) }],
        ["plaintext path too long", { ...complaint, plaintextProof: [...complaint.plaintextProof, m.zeroHash] }],
        ["ciphertext sibling tampered", { ...complaint, ciphertextProof: tamper(complaint.ciphertextProof, 2) }],
        ["plaintext sibling tampered", { ...complaint, plaintextProof: tamper(complaint.plaintextProof, 4) }],
        ["ciphertext chunk tampered", { ...complaint, ciphertextChunk: flip(complaint.ciphertextChunk) }],
        ["plaintext leaf forged", { ...complaint, plaintextLeaf: flip(complaint.plaintextLeaf) }],
        ["wrong index", { ...complaint, index: complaint.index + 1n }],
        ["index beyond the tree", { ...complaint, index: complaint.index + 2n ** BigInt(complaint.plaintextProof.length) }],
        ["empty paths", { ...complaint, ciphertextProof: [], plaintextProof: [] }],
      ];
      for (const [what, c2] of bad) {
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.complain([purchaseId, c2], { account: buyer.account }),
          c.market,
          "FairExchangeInvalidMerkleProof",
          [purchaseId],
        ).catch((error: unknown) => {
          throw new Error(`${what}: ${String(error)}`);
        });
      }
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.ComplaintWindow);
      // the genuine complaint still goes through
      await assertions.emit(c.market.write.complain([purchaseId, complaint], { account: buyer.account }), c.market, "ComplaintUpheld");
    });

    it("a wrong key or root reverts CommitmentMismatch", async () => {
      const c = await m.load();
      const d = m.delivery();
      const { purchaseId } = await revealed(c, d);
      // under another key every honest chunk "decrypts wrong": the commitment protects the seller
      const wrongKey = { ...complaintAt(d, 3), key: flip(d.key) };
      const other = m.delivery(modelFile(m.model.length, 42));
      const wrongRoot = { ...complaintAt(other, 3) };
      for (const complaint of [wrongKey, wrongRoot]) {
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.complain([purchaseId, complaint], { account: buyer.account }),
          c.market,
          "FairExchangeCommitmentMismatch",
          [purchaseId],
        );
      }
    });

    it("not before the key is revealed", async () => {
      const c = await m.load();
      const d = corrupted(13);
      const { purchaseId } = await accepted(c, d);
      const complaint = complaintAt(d, 13);
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.complain([purchaseId, complaint], { account: buyer.account }),
        c.market,
        "FairExchangeInvalidStatus",
        [purchaseId, PURCHASE_STATUS.AwaitingKey],
      );
    });

    it("one second before the complaint window closes, but not at its end (Completable)", async () => {
      const c = await m.load();
      const d = corrupted(13);
      const early = await revealed(c, d);
      const late = await revealed(c, d);
      const { complaint } = await buyersComplaint(c, early.purchaseId, d);
      await time.setNextBlockTimestamp(early.revealedAt + WINDOWS.complaint - 1);
      await assertions.emit(c.market.write.complain([early.purchaseId, complaint], { account: buyer.account }), c.market, "ComplaintUpheld");
      await time.setNextBlockTimestamp(late.revealedAt + WINDOWS.complaint);
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.complain([late.purchaseId, complaint], { account: buyer.account }),
        c.market,
        "FairExchangeInvalidStatus",
        [late.purchaseId, PURCHASE_STATUS.Completable],
      );
    });

    it("reverts for an unknown purchase", async () => {
      const c = await m.load();
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.complain([7n, complaintAt(m.delivery(), 0)], { account: buyer.account }),
        c.market,
        "FairExchangeUnknownPurchase",
        [7n],
      );
    });

    for (const [size, index, depth] of [
      [20, 0, 0],
      [150, 4, 3],
    ] as const) {
      it(`upholds a complaint on a ${size}-byte model (depth ${depth}${depth === 0 ? ", empty paths" : ", padded tree"})`, async () => {
        const c = await m.load();
        const file = modelFile(size, size);
        const leaves = toChunks(file).map(chunkLeaf);
        const tree = ChunkTree.fromLeaves(leaves);
        assert.equal(tree.depth, depth);
        await c.registry.write.list([m.terms({ modelRoot: tree.root, modelSize: BigInt(size) }), m.offer()], { account: seller.account });
        const listingId = await c.registry.read.listingCount();
        const d = corrupted(index, file);
        const { purchaseId } = await revealed(c, d, listingId);
        const { badChunk, complaint } = await buyersComplaint(c, purchaseId, d, leaves);
        assert.equal(badChunk, index);
        assert.equal(complaint.plaintextProof.length, depth);
        // the default model's paths (depth 5) do not fit this listing
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.complain([purchaseId, { ...complaint, plaintextProof: m.modelTree.proof(0) }], { account: buyer.account }),
          c.market,
          "FairExchangeInvalidMerkleProof",
          [purchaseId],
        );
        const tx = c.market.write.complain([purchaseId, complaint], { account: buyer.account });
        await assertions.balancesHaveChanged(tx, [{ address: buyer.account.address, amount: PRICE }]);
        await assertions.emitWithArgs(tx, c.market, "ComplaintUpheld", [purchaseId, BigInt(index)]);
      });
    }

    // Formerly a suspected bug (a reused "one-time" key let a later buyer decrypt before accepting, then
    // reject). Key reuse is the seller's own loss; the SDK prevents it by drawing a fresh key per delivery.
    it("prepareDelivery draws a fresh key per purchase: a key revealed for one purchase does not open another", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      const first = prepareDelivery(m.model);
      const second = prepareDelivery(m.model);
      assert.notEqual(first.key, second.key);
      assert.notEqual(first.keyHash, second.keyHash);
      assert.notEqual(first.ciphertextRoot, second.ciphertextRoot);
      assert.deepEqual(first.modelLeaves, second.modelLeaves);
      const d1 = { ...first, cipherTree: ChunkTree.fromChunks(first.ciphertext) };
      const p1 = await revealed(c, d1, listingId); // the key of purchase 1 is now public (KeyRevealed)
      const hash = await c.market.write.buy([listingId, 0n, PRICE], { account: alice.account, value: PRICE });
      const receipt = await m.publicClient.waitForTransactionReceipt({ hash });
      const [opened] = parseEventLogs({ abi: c.market.abi, logs: receipt.logs, eventName: "PurchaseOpened" });
      const p2 = opened!.args.purchaseId;
      await c.market.write.commitDelivery([p2, second.ciphertextRoot, second.keyHash], { account: seller.account });
      // alice's ciphertext passes her pre-accept check...
      const facts = await chainFacts(c, p2);
      assert.equal(facts.ciphertextRoot, second.ciphertextRoot);
      assert.deepEqual(checkCiphertext({ ciphertext: second.ciphertext, modelLeaves: second.modelLeaves, ...facts }), { ok: true });
      // ...but the key revealed for purchase 1 does not decrypt it: every chunk comes out wrong
      const publicKey = await revealedKey(c, p1.purchaseId);
      assert.equal(publicKey, first.key);
      const stolen = checkDelivery({ ciphertext: second.ciphertext, key: publicKey, modelLeaves: second.modelLeaves, ...facts });
      assert.ok(!stolen.ok);
      assert.equal(stolen.badChunk, 0);
      assert.notDeepEqual(xorChunks(second.ciphertext, hexToBytes(publicKey)), toChunks(m.model));
      // and the key does not open purchase 2's commitment either
      await c.market.write.acceptDelivery([p2], { account: alice.account });
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.revealKey([p2, second.ciphertextRoot, first.key], { account: seller.account }),
        c.market,
        "FairExchangeCommitmentMismatch",
        [p2],
      );
      await reveal(c, p2, { ...second, cipherTree: ChunkTree.fromChunks(second.ciphertext) });
      const opened2 = checkDelivery({ ciphertext: second.ciphertext, key: await revealedKey(c, p2), modelLeaves: second.modelLeaves, ...facts });
      assert.ok(opened2.ok);
      assert.deepEqual(opened2.file, m.model);
    });

    it("upholds a complaint on a corrupted chunk of a 1 MiB model within 120k gas", async () => {
      const c = await m.load();
      const size = 1 << 20;
      const file = modelFile(size, 2024);
      const chunks = toChunks(file);
      assert.equal(chunks.length, 32_768);
      const leaves = chunks.map(chunkLeaf);
      const tree = ChunkTree.fromLeaves(leaves);
      assert.equal(tree.depth, 15);
      await c.registry.write.list([m.terms({ modelRoot: tree.root, modelSize: BigInt(size) }), m.offer()], { account: seller.account });
      const listingId = await c.registry.read.listingCount();
      const d = corrupted(20_000, file);
      const { purchaseId } = await revealed(c, d, listingId);
      const { badChunk, complaint } = await buyersComplaint(c, purchaseId, d, leaves);
      assert.equal(badChunk, 20_000);
      assert.equal(complaint.ciphertextProof.length, 15);
      const tx = c.market.write.complain([purchaseId, complaint], { account: buyer.account });
      await assertions.balancesHaveChanged(tx, [{ address: buyer.account.address, amount: PRICE }]);
      await assertions.emitWithArgs(tx, c.market, "ComplaintUpheld", [purchaseId, 20_000n]);
      const { gasUsed } = await m.publicClient.waitForTransactionReceipt({ hash: await tx });
      console.log(`      complain() on a 1 MiB model (32768 chunks, depth 15): gasUsed = ${gasUsed}`);
      assert.ok(gasUsed <= 120_000n, `complain used ${gasUsed} gas, above the 120k target`);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.Refunded);
    });
  });

  describe("completePurchase", () => {
    it("pays the seller directly when the seller calls after the complaint window", async () => {
      const c = await m.load();
      const { purchaseId, revealedAt } = await revealed(c);
      await time.setNextBlockTimestamp(revealedAt + WINDOWS.complaint);
      const tx = c.market.write.completePurchase([purchaseId], { account: seller.account });
      await assertions.balancesHaveChanged(tx, [
        { address: seller.account.address, amount: PRICE },
        { address: c.market.address, amount: -PRICE },
        { address: buyer.account.address, amount: 0n },
      ]);
      await assertions.emitWithArgs(tx, c.market, "PurchaseCompleted", [purchaseId, seller.account.address, PRICE, 0n]);
      assert.deepEqual(await ledgerEvents(c, await tx), [], "a direct payment emits no ledger event");
      assert.equal(await owed(c, seller.account.address), 0n);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.Completed);
      assert.equal((await c.market.read.getPurchase([purchaseId])).settlement, 1);
    });

    it("credits the seller when someone else calls", async () => {
      const c = await m.load();
      const { purchaseId } = await revealed(c);
      await time.increase(WINDOWS.complaint);
      const tx = c.market.write.completePurchase([purchaseId], { account: alice.account });
      await assertions.balancesHaveChanged(tx, [
        { address: seller.account.address, amount: 0n },
        { address: alice.account.address, amount: 0n },
        { address: c.market.address, amount: 0n },
      ]);
      await assertions.emitWithArgs(tx, c.market, "PaymentCredited", [seller.account.address, PRICE]);
      assert.equal(await owed(c, seller.account.address), PRICE);
      assert.equal(await owed(c, alice.account.address), 0n);
      const withdrawal = c.market.write.withdraw({ account: seller.account });
      await assertions.balancesHaveChanged(withdrawal, [
        { address: seller.account.address, amount: PRICE },
        { address: c.market.address, amount: -PRICE },
      ]);
      await assertions.emitWithArgs(withdrawal, c.market, "PaymentWithdrawn", [seller.account.address, PRICE]);
      assert.equal(await owed(c, seller.account.address), 0n);
    });

    it("by the buyer at once during its complaint window (it verified the model), by nobody else before the window ends", async () => {
      const c = await m.load();
      const { purchaseId } = await revealed(c);
      for (const account of [seller, mallory]) {
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.completePurchase([purchaseId], { account: account.account }),
          c.market,
          "FairExchangeInvalidStatus",
          [purchaseId, PURCHASE_STATUS.ComplaintWindow],
        );
      }
      await assertions.emitWithArgs(c.market.write.completePurchase([purchaseId], { account: buyer.account }), c.market, "PurchaseCompleted", [purchaseId, getAddress(seller.account.address), PRICE, 0n]);
      assert.equal(await owed(c, seller.account.address), PRICE);
    });

    it("only when Completable", async () => {
      const c = await m.load();
      const cases = await purchasesInEveryOpenStatus(c);
      for (const [purchaseId, current] of cases) {
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.completePurchase([purchaseId], { account: seller.account }),
          c.market,
          "FairExchangeInvalidStatus",
          [purchaseId, current],
        );
      }
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.completePurchase([99n], { account: seller.account }),
        c.market,
        "FairExchangeUnknownPurchase",
        [99n],
      );
    });

    it("not one second before the complaint window ends, nor twice", async () => {
      const c = await m.load();
      const { purchaseId, revealedAt } = await revealed(c);
      await time.setNextBlockTimestamp(revealedAt + WINDOWS.complaint - 1);
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.completePurchase([purchaseId], { account: seller.account }),
        c.market,
        "FairExchangeInvalidStatus",
        [purchaseId, PURCHASE_STATUS.ComplaintWindow],
      );
      // a reverted transaction is not mined, so the clock has not moved yet
      await time.increaseTo(revealedAt + WINDOWS.complaint);
      await c.market.write.completePurchase([purchaseId], { account: seller.account });
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.Completed);
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.completePurchase([purchaseId], { account: seller.account }),
        c.market,
        "FairExchangeInvalidStatus",
        [purchaseId, PURCHASE_STATUS.Completed],
      );
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.refundPurchase([purchaseId], { account: buyer.account }),
        c.market,
        "FairExchangeInvalidStatus",
        [purchaseId, PURCHASE_STATUS.Completed],
      );
    });
  });

  describe("refundPurchase", () => {
    it("refunds DeliveryMissed at the delivery deadline (credited when a third party calls)", async () => {
      const c = await m.load();
      const { purchaseId, createdAt } = await purchase(c);
      await time.setNextBlockTimestamp(createdAt + WINDOWS.delivery);
      const tx = c.market.write.refundPurchase([purchaseId], { account: alice.account });
      await assertions.balancesHaveChanged(tx, [
        { address: buyer.account.address, amount: 0n },
        { address: c.market.address, amount: 0n },
      ]);
      await assertions.emitWithArgs(tx, c.market, "PurchaseRefunded", [purchaseId, buyer.account.address, PRICE, 0n, 0n, REFUND_REASON.DeliveryMissed]);
      assert.equal(await owed(c, buyer.account.address), PRICE);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.Refunded);
    });

    it("refunds DeliveryMissed directly when the buyer calls", async () => {
      const c = await m.load();
      const { purchaseId } = await purchase(c);
      await time.increase(WINDOWS.delivery);
      const tx = c.market.write.refundPurchase([purchaseId], { account: buyer.account });
      await assertions.balancesHaveChanged(tx, [
        { address: buyer.account.address, amount: PRICE },
        { address: c.market.address, amount: -PRICE },
      ]);
      await assertions.emitWithArgs(tx, c.market, "PurchaseRefunded", [purchaseId, buyer.account.address, PRICE, 0n, 0n, REFUND_REASON.DeliveryMissed]);
      assert.deepEqual(await ledgerEvents(c, await tx), [], "a direct payment emits no ledger event");
      assert.equal(await owed(c, buyer.account.address), 0n);
    });

    it("refunds KeyMissed at the key deadline", async () => {
      const c = await m.load();
      const { purchaseId, committedAt } = await committed(c);
      await time.setNextBlockTimestamp(committedAt + WINDOWS.accept + WINDOWS.reveal);
      const tx = c.market.write.refundPurchase([purchaseId], { account: buyer.account });
      await assertions.balancesHaveChanged(tx, [
        { address: buyer.account.address, amount: PRICE },
        { address: c.market.address, amount: -PRICE },
        { address: seller.account.address, amount: 0n },
      ]);
      await assertions.emitWithArgs(tx, c.market, "PurchaseRefunded", [purchaseId, buyer.account.address, PRICE, 0n, 0n, REFUND_REASON.KeyMissed]);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.Refunded);
      // the seller can no longer reveal
      const d = m.delivery();
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.revealKey([purchaseId, d.ciphertextRoot, d.key], { account: seller.account }),
        c.market,
        "FairExchangeInvalidStatus",
        [purchaseId, PURCHASE_STATUS.Refunded],
      );
    });

    it("refunds KeyMissed after an accepted delivery", async () => {
      const c = await m.load();
      const { purchaseId } = await accepted(c);
      await time.increase(WINDOWS.accept + WINDOWS.reveal);
      await assertions.emitWithArgs(
        c.market.write.refundPurchase([purchaseId], { account: mallory.account }),
        c.market,
        "PurchaseRefunded",
        [purchaseId, buyer.account.address, PRICE, 0n, 0n, REFUND_REASON.KeyMissed],
      );
      assert.equal(await owed(c, buyer.account.address), PRICE);
    });

    it("reverts in every other status", async () => {
      const c = await m.load();
      const cases = await purchasesInEveryOpenStatus(c);
      for (const [purchaseId, current] of cases) {
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.refundPurchase([purchaseId], { account: buyer.account }),
          c.market,
          "FairExchangeInvalidStatus",
          [purchaseId, current],
        );
      }
      // once the complaint window is over the escrow belongs to the seller
      const [revealedId] = cases.at(-1)!;
      const { revealedAt } = await c.market.read.getPurchase([revealedId]);
      await time.setNextBlockTimestamp(revealedAt + WINDOWS.complaint);
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.refundPurchase([revealedId], { account: buyer.account }),
        c.market,
        "FairExchangeInvalidStatus",
        [revealedId, PURCHASE_STATUS.Completable],
      );
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.refundPurchase([99n], { account: buyer.account }),
        c.market,
        "FairExchangeUnknownPurchase",
        [99n],
      );
    });

    it("cannot refund twice", async () => {
      const c = await m.load();
      const { purchaseId } = await purchase(c);
      await time.increase(WINDOWS.delivery);
      await c.market.write.refundPurchase([purchaseId], { account: buyer.account });
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.refundPurchase([purchaseId], { account: buyer.account }),
        c.market,
        "FairExchangeInvalidStatus",
        [purchaseId, PURCHASE_STATUS.Refunded],
      );
      assert.equal(await balance(c.market.address), 0n);
    });
  });

  describe("purchaseStatus and getPurchase", () => {
    it("None for unknown ids; getPurchase reverts", async () => {
      const c = await m.load();
      assert.equal(await status(c, 0n), PURCHASE_STATUS.None);
      assert.equal(await status(c, 1n), PURCHASE_STATUS.None);
      await assertions.revertWithCustomErrorWithArgs(c.market.read.getPurchase([1n]), c.market, "FairExchangeUnknownPurchase", [1n]);
      await purchase(c);
      assert.equal(await status(c, 2n), PURCHASE_STATUS.None);
      await assertions.revertWithCustomErrorWithArgs(c.market.read.getPurchase([2n]), c.market, "FairExchangeUnknownPurchase", [2n]);
      await assertions.revertWithCustomErrorWithArgs(c.market.read.getPurchase([0n]), c.market, "FairExchangeUnknownPurchase", [0n]);
    });

    it("AwaitingDelivery until the delivery deadline, then DeliveryOverdue", async () => {
      const c = await m.load();
      const { purchaseId, createdAt } = await purchase(c);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.AwaitingDelivery);
      await time.increaseTo(createdAt + WINDOWS.delivery - 1);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.AwaitingDelivery);
      await time.increaseTo(createdAt + WINDOWS.delivery);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.DeliveryOverdue);
    });

    it("AwaitingAcceptance, then AwaitingKey, then KeyOverdue, at the exact boundaries", async () => {
      const c = await m.load();
      const { purchaseId, committedAt } = await committed(c);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.AwaitingAcceptance);
      await time.increaseTo(committedAt + WINDOWS.accept - 1);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.AwaitingAcceptance);
      await time.increaseTo(committedAt + WINDOWS.accept);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.AwaitingKey);
      await time.increaseTo(committedAt + WINDOWS.accept + WINDOWS.reveal - 1);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.AwaitingKey);
      await time.increaseTo(committedAt + WINDOWS.accept + WINDOWS.reveal);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.KeyOverdue);
    });

    it("an accepted delivery is AwaitingKey at once and KeyOverdue at the same deadline", async () => {
      const c = await m.load();
      const { purchaseId, committedAt } = await accepted(c);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.AwaitingKey);
      await time.increaseTo(committedAt + WINDOWS.accept + WINDOWS.reveal - 1);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.AwaitingKey);
      await time.increaseTo(committedAt + WINDOWS.accept + WINDOWS.reveal);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.KeyOverdue);
    });

    it("ComplaintWindow until the complaint deadline, then Completable, then Completed", async () => {
      const c = await m.load();
      const { purchaseId, revealedAt } = await revealed(c);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.ComplaintWindow);
      await time.increaseTo(revealedAt + WINDOWS.complaint - 1);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.ComplaintWindow);
      await time.increaseTo(revealedAt + WINDOWS.complaint);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.Completable);
      await c.market.write.completePurchase([purchaseId], { account: seller.account });
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.Completed);
      await time.increase(30 * 86_400);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.Completed, "settled statuses do not change with time");
    });

    it("Refunded stays Refunded", async () => {
      const c = await m.load();
      const { purchaseId } = await committed(c);
      await c.market.write.rejectDelivery([purchaseId], { account: buyer.account });
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.Refunded);
      await time.increase(30 * 86_400);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.Refunded);
    });
  });

  describe("after 2**32 seconds (year 2106)", () => {
    it("timestamps are 40-bit: the whole escrow, deadlines included, works past 2106", async () => {
      const c = await m.load();
      const T = 2 ** 32 + 1_000; // 2106-02-07, past the uint32 range
      await time.increaseTo(T);
      const listingId = await m.list(c);
      const d = m.delivery();
      // a purchase, with its deadlines
      const { purchaseId, createdAt } = await purchase(c, listingId);
      assert.ok(createdAt > 2 ** 32);
      assert.equal((await c.market.read.getPurchase([purchaseId])).createdAt, createdAt);
      await time.increaseTo(createdAt + WINDOWS.delivery - 2);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.AwaitingDelivery, "a 32-bit createdAt would have wrapped to 1970");
      const committedAt = await commit(c, purchaseId, d);
      assert.equal(committedAt, createdAt + WINDOWS.delivery - 1);
      await c.market.write.acceptDelivery([purchaseId], { account: buyer.account });
      const revealedAt = await reveal(c, purchaseId, d);
      const p = await c.market.read.getPurchase([purchaseId]);
      assert.deepEqual([p.createdAt, p.committedAt, p.revealedAt], [createdAt, committedAt, revealedAt]);
      assert.ok(p.revealedAt > 2 ** 32);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.ComplaintWindow);
      await time.increaseTo(revealedAt + WINDOWS.complaint - 1);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.ComplaintWindow);
      await time.increaseTo(revealedAt + WINDOWS.complaint);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.Completable);
      const tx = c.market.write.completePurchase([purchaseId], { account: seller.account });
      await assertions.balancesHaveChanged(tx, [
        { address: seller.account.address, amount: PRICE },
        { address: c.market.address, amount: -PRICE },
      ]);
      await assertions.emitWithArgs(tx, c.market, "PurchaseCompleted", [purchaseId, seller.account.address, PRICE, 0n]);
      assert.equal(await status(c, purchaseId), PURCHASE_STATUS.Completed);

      // a missed delivery is still refunded at its deadline, and not a second before
      const late = await purchase(c, listingId);
      assert.ok(late.createdAt > 2 ** 32);
      await time.setNextBlockTimestamp(late.createdAt + WINDOWS.delivery - 1);
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.refundPurchase([late.purchaseId], { account: buyer.account }),
        c.market,
        "FairExchangeInvalidStatus",
        [late.purchaseId, PURCHASE_STATUS.AwaitingDelivery],
      );
      await time.increaseTo(late.createdAt + WINDOWS.delivery);
      await assertions.emitWithArgs(
        c.market.write.refundPurchase([late.purchaseId], { account: alice.account }),
        c.market,
        "PurchaseRefunded",
        [late.purchaseId, buyer.account.address, PRICE, 0n, 0n, REFUND_REASON.DeliveryMissed],
      );
      assert.equal(await owed(c, buyer.account.address), PRICE);
      assert.equal(await balance(c.market.address), PRICE);
    });
  });
});
