/**
 * Adversarial tests of the market's money paths, with attacker contracts from
 * contracts/mocks/attackers/:
 * - reentrancy on every payout (the attacker's receive() re-enters the same and every other
 *   payout function, including the receipt calls that now pay the test fee; the guard stops
 *   each attempt, nobody is paid twice);
 * - receivers that revert on payment cannot block payouts to anyone else;
 * - copied (front-run) and replayed proofs and receipt signatures;
 * - griefing by silent bidders, sellers and workers;
 * - issue 9: the deposit escape routes, price front-running, voided auctions, shill bids and
 *   forced ether, with named actors (a "deposit escaper" buyer, a "griefing winner", a seller's
 *   "shill", a {ForcedEtherSender}).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bytesToHex, encodeFunctionData, getAddress, keccak256, parseEther, parseEventLogs, toFunctionSelector, toHex, type Address, type Hex } from "viem";
import { ChunkTree, keyHash, toChunks, xorChunks } from "@modelbazaar/sdk/delivery";
import { AUCTION_KIND, connectMarket, POLICY, PRICE, REFUND_REASON, refundSharesFor, SALE_MODE, TEST_PHASE, TEST_STATUS, WINDOWS } from "../helpers/market.ts";

const REENTRANT_CALL = toFunctionSelector("ReentrancyGuardReentrantCall()");
/** Where withheld and invalid bids' penalties are burned (SealedBidAuctions.PENALTY_SINK). */
const SINK = getAddress("0x000000000000000000000000000000000000dEaD");
const RESULT_HASH = keccak256(toHex("evaluation result"));

describe("attacks", async () => {
  const m = await connectMarket();
  const { seller, buyer, worker, alice, bob, carol, mallory } = m.accounts;
  const { time } = m.networkHelpers;
  const { assertions } = m.viem;
  type Market = Awaited<ReturnType<typeof m.load>>;

  const balanceOf = (address: Address) => m.publicClient.getBalance({ address });

  async function deployAttacker() {
    return m.viem.deployContract("ReentrantAttacker");
  }
  type Attacker = Awaited<ReturnType<typeof deployAttacker>>;

  /** `attacker` (or a rejecting receiver) calls `to` with `data`, forwarding `value`. */
  async function exec(actor: { address: Address; write: { execute: (...args: any[]) => Promise<Hex> } }, to: Address, data: Hex, value = 0n) {
    return actor.write.execute([to, data, value], { account: mallory.account, value });
  }

  const mk = (c: Market, functionName: string, args: readonly unknown[] = []) =>
    encodeFunctionData({ abi: c.market.abi, functionName, args } as never) as Hex;

  const emptyComplaint = {
    ciphertextRoot: m.zeroHash,
    key: m.zeroHash,
    index: 0n,
    ciphertextChunk: m.zeroHash,
    ciphertextProof: [] as Hex[],
    plaintextLeaf: m.zeroHash,
    plaintextProof: [] as Hex[],
  };

  /** Every payout of the market, aimed at ids 1 and at the attacker itself. */
  function allPayouts(c: Market, attacker: Address, ids: { testId?: bigint; purchaseId?: bigint; auctionId?: bigint } = {}): Hex[] {
    const testId = ids.testId ?? 1n;
    const purchaseId = ids.purchaseId ?? 1n;
    const auctionId = ids.auctionId ?? 1n;
    return [
      mk(c, "withdraw"),
      mk(c, "recordReceipt", [testId, RESULT_HASH]),
      mk(c, "recordSignedReceipt", [testId, RESULT_HASH, "0x"]),
      mk(c, "refundUnserved", [testId]),
      mk(c, "forfeitDeposit", [testId]),
      mk(c, "completePurchase", [purchaseId]),
      mk(c, "refundPurchase", [purchaseId]),
      mk(c, "rejectDelivery", [purchaseId]),
      mk(c, "complain", [purchaseId, emptyComplaint]),
      mk(c, "reclaimBid", [auctionId, attacker]),
      mk(c, "buy", [1n, testId, PRICE]),
      mk(c, "commitBid", [auctionId, keccak256("0x01"), testId]),
    ];
  }

  async function arm(attacker: Attacker, target: Address, calls: Hex[], bubble = false) {
    await attacker.write.arm([target, calls, 0n, bubble]);
  }

  /** Every reentry attempt failed on the guard, and the attacker was paid exactly once. */
  async function assertReentryBlocked(attacker: Attacker, expectedCalls: number, amount: bigint) {
    assert.equal(await attacker.read.attempts(), BigInt(expectedCalls), "every reentry was attempted");
    assert.equal(await attacker.read.successes(), 0n, "no reentry succeeded");
    const selectors = await attacker.read.failureSelectors();
    assert.equal(selectors.length, expectedCalls);
    for (const s of selectors) assert.equal(s, REENTRANT_CALL, "reentry stopped by ReentrancyGuardReentrantCall");
    assert.equal(await attacker.read.receiveCount(), 1n, "paid once");
    assert.equal(await attacker.read.receivedTotal(), amount, "paid exactly the amount due");
    assert.equal(await balanceOf(attacker.address), amount);
  }

  /** Lists the default model as a contract account and returns the listing id. */
  async function listAs(c: Market, actor: Attacker | { address: Address; write: any }, saleMode: number = SALE_MODE.FixedPrice) {
    const data = encodeFunctionData({
      abi: c.registry.abi,
      functionName: "list",
      args: [m.terms(), m.offer({ saleMode, price: saleMode === SALE_MODE.Auction ? 0n : PRICE })],
    });
    await exec(actor, c.registry.address, data);
    return c.registry.read.listingCount();
  }

  async function openTestAs(c: Market, actor: { address: Address; write: any }, listingId: bigint, samples = 50) {
    const fee = samples > POLICY.freeSamples ? BigInt(samples - POLICY.freeSamples) * POLICY.feePerExtraSample : 0n;
    const commitment = toHex(BigInt(keccak256(actor.address)) >> 8n, { size: 32 });
    await exec(actor, c.market.address, mk(c, "openTest", [listingId, commitment, samples]), POLICY.deposit + fee);
    const logs = await c.market.getEvents.TestOpened({}, { fromBlock: 0n });
    return { testId: logs.at(-1)!.args.testId!, fee, commitment };
  }

  /** The worker (not the seller) records the receipt: the fee is credited to the seller. */
  async function receipt(c: Market, testId: bigint) {
    await c.market.write.recordReceipt([testId, RESULT_HASH], { account: worker.account });
  }

  /** The worker's EIP-712 signature of `testId`'s receipt. */
  async function signReceipt(c: Market, testId: bigint) {
    const chainId = await m.publicClient.getChainId();
    return worker.signTypedData({
      domain: { name: "ModelBazaar", version: "1", chainId, verifyingContract: c.market.address },
      types: { EvaluationReceipt: [{ name: "testId", type: "uint256" }, { name: "resultHash", type: "bytes32" }] },
      primaryType: "EvaluationReceipt",
      message: { testId, resultHash: RESULT_HASH },
    });
  }

  /** The names of the market's ledger events (PaymentCredited / PaymentWithdrawn) emitted by transaction `hash`. */
  async function ledgerEvents(c: Market, hash: Hex) {
    const r = await m.publicClient.waitForTransactionReceipt({ hash });
    return parseEventLogs({ abi: c.market.abi, logs: r.logs.filter((l) => getAddress(l.address) === getAddress(c.market.address)) })
      .map((e) => e.eventName)
      .filter((n) => n === "PaymentCredited" || n === "PaymentWithdrawn");
  }

  async function lastPurchaseId(c: Market): Promise<bigint> {
    const logs = await c.market.getEvents.PurchaseOpened({}, { fromBlock: 0n });
    return logs.at(-1)!.args.purchaseId!;
  }

  /** The seller's encrypted delivery; `corruptIndex` flips a bit of one ciphertext chunk. */
  function delivery(corruptIndex?: number) {
    const key = keccak256(toHex("attack key"));
    const keyBytes = Uint8Array.from(Buffer.from(key.slice(2), "hex"));
    const ciphertext = xorChunks(toChunks(m.model), keyBytes);
    if (corruptIndex !== undefined) ciphertext[corruptIndex]![0]! ^= 1;
    const tree = ChunkTree.fromChunks(ciphertext);
    const complaint = (index: number) => ({
      ciphertextRoot: tree.root,
      key,
      index: BigInt(index),
      ciphertextChunk: bytesToHex(ciphertext[index]!),
      ciphertextProof: tree.proof(index),
      plaintextLeaf: m.modelTree.leaf(index),
      plaintextProof: m.modelTree.proof(index),
    });
    return { key, keyHash: keyHash(keyBytes), root: tree.root, complaint };
  }

  // ====================================================================== reentrancy

  describe("reentrancy on every payout", () => {
    it("withdraw: re-entering withdraw and every other payout fails; paid once", async () => {
      const c = await m.load();
      const attacker = await deployAttacker();
      const listingId = await m.list(c);
      const { testId, fee } = await openTestAs(c, attacker, listingId);
      const credit = POLICY.deposit + fee;
      // A third party refunds the attacker's unserved test: deposit and fee are credited, not pushed.
      await time.increase(POLICY.serviceWindow);
      await c.market.write.refundUnserved([testId], { account: carol.account });
      assert.equal(await c.market.read.owed([attacker.address]), credit);

      // Bubbling mode: the guard's revert unwinds the whole withdrawal.
      const calls = allPayouts(c, attacker.address, { testId });
      await arm(attacker, c.market.address, calls, true);
      await assertions.revertWithCustomError(exec(attacker, c.market.address, mk(c, "withdraw")), c.market, "ReentrancyGuardReentrantCall");
      assert.equal(await c.market.read.owed([attacker.address]), credit, "credit intact after the reverted attempt");

      // Recording mode: the withdrawal goes through once, every reentry fails.
      await arm(attacker, c.market.address, calls, false);
      const before = await balanceOf(c.market.address);
      const hash = await exec(attacker, c.market.address, mk(c, "withdraw"));
      await assertReentryBlocked(attacker, calls.length, credit);
      assert.deepEqual(await ledgerEvents(c, hash), ["PaymentWithdrawn"], "withdraw() alone emits PaymentWithdrawn");
      assert.equal(await balanceOf(c.market.address), before - credit);
      assert.equal(await c.market.read.owed([attacker.address]), 0n);
      await assertions.revertWithCustomError(exec(attacker, c.market.address, mk(c, "withdraw")), c.market, "MarketLedgerNothingOwed");
    });

    it("refundUnserved", async () => {
      const c = await m.load();
      const attacker = await deployAttacker();
      const listingId = await m.list(c);
      const { testId, fee } = await openTestAs(c, attacker, listingId, 150);
      await time.increase(POLICY.serviceWindow);
      const calls = allPayouts(c, attacker.address, { testId });
      await arm(attacker, c.market.address, calls);
      await exec(attacker, c.market.address, mk(c, "refundUnserved", [testId]));
      await assertReentryBlocked(attacker, calls.length, POLICY.deposit + fee);
      await assertions.revertWithCustomError(exec(attacker, c.market.address, mk(c, "refundUnserved", [testId])), c.market, "TestDrivesInvalidStatus");
    });

    it("forfeitDeposit (attacker is the seller): only the deposit, the fee was credited at receipt", async () => {
      const c = await m.load();
      const attacker = await deployAttacker();
      const listingId = await listAs(c, attacker);
      const { testId, fee } = await m.openTest(c, listingId, buyer, 150);
      await receipt(c, testId);
      assert.equal(await c.market.read.owed([attacker.address]), fee, "fee credited to the seller when the worker recorded the receipt");
      await time.increase(POLICY.disputeWindow);
      const calls = allPayouts(c, attacker.address, { testId });
      await arm(attacker, c.market.address, calls);
      const hash = await exec(attacker, c.market.address, mk(c, "forfeitDeposit", [testId]));
      await assertReentryBlocked(attacker, calls.length, POLICY.deposit);
      assert.deepEqual(await ledgerEvents(c, hash), [], "a direct payment emits no ledger event");
      assert.equal(await c.market.read.owed([attacker.address]), fee, "the fee credit is untouched");
      assert.equal(await balanceOf(c.market.address), fee, "only the seller's fee credit is left, nothing paid twice");
    });

    it("recordReceipt (attacker is the seller recording its own receipt: the fee is sent directly)", async () => {
      const c = await m.load();
      const attacker = await deployAttacker();
      const listingId = await listAs(c, attacker);
      const { testId, fee } = await m.openTest(c, listingId, buyer, 150);
      const other = await m.openTest(c, listingId, alice, 150); // another receipt to aim at
      const calls = [mk(c, "recordReceipt", [other.testId, RESULT_HASH]), ...allPayouts(c, attacker.address, { testId })];

      // Bubbling mode: the guard's revert unwinds the whole receipt.
      await arm(attacker, c.market.address, calls, true);
      await assertions.revertWithCustomError(
        exec(attacker, c.market.address, mk(c, "recordReceipt", [testId, RESULT_HASH])),
        c.market,
        "ReentrancyGuardReentrantCall",
      );
      assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.AwaitingReceipt, "no receipt recorded");

      // Recording mode: the receipt goes through once, the fee is paid once, every reentry fails.
      await arm(attacker, c.market.address, calls, false);
      const hash = await exec(attacker, c.market.address, mk(c, "recordReceipt", [testId, RESULT_HASH]));
      await assertReentryBlocked(attacker, calls.length, fee);
      assert.deepEqual(await ledgerEvents(c, hash), [], "a direct payment emits no ledger event");
      assert.equal(await c.market.read.owed([attacker.address]), 0n);
      assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.Evaluated);
      assert.equal(await c.market.read.testStatus([other.testId]), TEST_STATUS.AwaitingReceipt, "the other test was not touched");
      assert.equal(await balanceOf(c.market.address), 2n * POLICY.deposit + other.fee, "the deposits and the other fee stay");
      await assertions.revertWithCustomError(
        exec(attacker, c.market.address, mk(c, "recordReceipt", [testId, RESULT_HASH])),
        c.market,
        "TestDrivesInvalidStatus",
      );
    });

    it("recordSignedReceipt (attacker is the seller relaying its worker's signature: the fee is sent directly)", async () => {
      const c = await m.load();
      const attacker = await deployAttacker();
      const listingId = await listAs(c, attacker);
      const { testId, fee } = await m.openTest(c, listingId, buyer, 150);
      const signature = await signReceipt(c, testId);
      const calls = [mk(c, "recordSignedReceipt", [testId, RESULT_HASH, signature]), ...allPayouts(c, attacker.address, { testId })];
      await arm(attacker, c.market.address, calls);
      await exec(attacker, c.market.address, mk(c, "recordSignedReceipt", [testId, RESULT_HASH, signature]));
      await assertReentryBlocked(attacker, calls.length, fee);
      assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.Evaluated);
      assert.equal(await balanceOf(c.market.address), POLICY.deposit, "only the deposit stays");
    });

    it("completePurchase (attacker is the seller)", async () => {
      const c = await m.load();
      const attacker = await deployAttacker();
      const listingId = await listAs(c, attacker);
      await c.market.write.buy([listingId, 0n, PRICE], { account: buyer.account, value: PRICE });
      const purchaseId = await lastPurchaseId(c);
      const d = delivery();
      await exec(attacker, c.market.address, mk(c, "commitDelivery", [purchaseId, d.root, d.keyHash]));
      await c.market.write.acceptDelivery([purchaseId], { account: buyer.account });
      await exec(attacker, c.market.address, mk(c, "revealKey", [purchaseId, d.root, d.key]));
      await time.increase(WINDOWS.complaint);
      const calls = allPayouts(c, attacker.address, { purchaseId });
      await arm(attacker, c.market.address, calls);
      await exec(attacker, c.market.address, mk(c, "completePurchase", [purchaseId]));
      await assertReentryBlocked(attacker, calls.length, PRICE);
      assert.equal(await balanceOf(c.market.address), 0n);
    });

    it("refundPurchase (attacker is the buyer, seller missed the delivery)", async () => {
      const c = await m.load();
      const attacker = await deployAttacker();
      const listingId = await m.list(c);
      await exec(attacker, c.market.address, mk(c, "buy", [listingId, 0n, PRICE]), PRICE);
      const purchaseId = await lastPurchaseId(c);
      await time.increase(WINDOWS.delivery);
      const calls = allPayouts(c, attacker.address, { purchaseId });
      await arm(attacker, c.market.address, calls);
      await exec(attacker, c.market.address, mk(c, "refundPurchase", [purchaseId]));
      await assertReentryBlocked(attacker, calls.length, PRICE);
    });

    it("rejectDelivery (attacker is the buyer)", async () => {
      const c = await m.load();
      const attacker = await deployAttacker();
      const listingId = await m.list(c);
      await exec(attacker, c.market.address, mk(c, "buy", [listingId, 0n, PRICE]), PRICE);
      const purchaseId = await lastPurchaseId(c);
      const d = delivery();
      await c.market.write.commitDelivery([purchaseId, d.root, d.keyHash], { account: seller.account });
      const calls = allPayouts(c, attacker.address, { purchaseId });
      await arm(attacker, c.market.address, calls);
      await exec(attacker, c.market.address, mk(c, "rejectDelivery", [purchaseId]));
      await assertReentryBlocked(attacker, calls.length, PRICE);
    });

    it("complain (attacker is the buyer of a corrupted delivery)", async () => {
      const c = await m.load();
      const attacker = await deployAttacker();
      const listingId = await m.list(c);
      await exec(attacker, c.market.address, mk(c, "buy", [listingId, 0n, PRICE]), PRICE);
      const purchaseId = await lastPurchaseId(c);
      const d = delivery(5);
      await c.market.write.commitDelivery([purchaseId, d.root, d.keyHash], { account: seller.account });
      await exec(attacker, c.market.address, mk(c, "acceptDelivery", [purchaseId]));
      await c.market.write.revealKey([purchaseId, d.root, d.key], { account: seller.account });
      const calls = [mk(c, "complain", [purchaseId, d.complaint(5)]), ...allPayouts(c, attacker.address, { purchaseId })];
      await arm(attacker, c.market.address, calls);
      await exec(attacker, c.market.address, mk(c, "complain", [purchaseId, d.complaint(5)]));
      await assertReentryBlocked(attacker, calls.length, PRICE);
      await assertions.revertWithCustomError(c.market.write.complain([purchaseId, d.complaint(5)], { account: buyer.account }), c.market, "FairExchangeInvalidStatus");
    });

    it("reclaimBid (attacker is a losing bidder)", async () => {
      const c = await m.load();
      const attacker = await deployAttacker();
      const listingId = await m.list(c, { saleMode: SALE_MODE.Auction, price: 0n });
      await c.market.write.createAuction(
        [listingId, { reservePrice: 0n, commitDuration: 600, revealDuration: 600, kind: AUCTION_KIND.FirstPrice, onlyTestDrivers: false, nonRevealPenaltyBps: 1_000 }],
        { account: seller.account },
      );
      const auctionId = 1n;
      const salt = keccak256(toHex("salt"));
      const mine = await c.market.read.bidCommitment([parseEther("1"), salt, attacker.address, auctionId]);
      await exec(attacker, c.market.address, mk(c, "commitBid", [auctionId, mine, 0n]), parseEther("2"));
      const hers = await c.market.read.bidCommitment([parseEther("3"), salt, alice.account.address, auctionId]);
      await c.market.write.commitBid([auctionId, hers, 0n], { account: alice.account, value: parseEther("3") });
      await time.increase(600);
      await exec(attacker, c.market.address, mk(c, "revealBid", [auctionId, parseEther("1"), salt]));
      await c.market.write.revealBid([auctionId, parseEther("3"), salt], { account: alice.account });
      await time.increase(600);
      const calls = [mk(c, "reclaimBid", [auctionId, attacker.address]), mk(c, "reclaimBid", [auctionId, alice.account.address]), ...allPayouts(c, attacker.address, { auctionId })];
      await arm(attacker, c.market.address, calls);
      await exec(attacker, c.market.address, mk(c, "reclaimBid", [auctionId, attacker.address]));
      await assertReentryBlocked(attacker, calls.length, parseEther("2"));
      assert.equal((await c.market.read.getBid([auctionId, alice.account.address])).reclaimed, false, "the winner's bid was not touched");
      await assertions.revertWithCustomError(exec(attacker, c.market.address, mk(c, "reclaimBid", [auctionId, attacker.address])), c.market, "AuctionsBidClosed");
    });

    it("ModelRegistry.withdrawPromotionFees (attacker owns the registry)", async () => {
      const attacker = await deployAttacker();
      const registry = await m.viem.deployContract("ModelRegistry", [attacker.address]);
      await registry.write.list([m.terms(), m.offer()], { account: seller.account });
      await registry.write.promote([1n], { account: bob.account, value: parseEther("0.7") });
      await registry.write.promote([1n], { account: carol.account, value: parseEther("0.3") });
      const withdrawFees = encodeFunctionData({ abi: registry.abi, functionName: "withdrawPromotionFees", args: [attacker.address] });
      const promote = encodeFunctionData({ abi: registry.abi, functionName: "promote", args: [1n] });
      await arm(attacker, registry.address, [withdrawFees, withdrawFees]);
      await exec(attacker, registry.address, withdrawFees);
      await assertReentryBlocked(attacker, 2, parseEther("1"));
      assert.equal(await registry.read.promotionFees(), 0n);
      assert.equal(await balanceOf(registry.address), 0n);
      // Bubbling mode, after new fees: the whole withdrawal reverts with the guard's error.
      await registry.write.promote([1n], { account: bob.account, value: parseEther("0.5") });
      await arm(attacker, registry.address, [withdrawFees, promote], true);
      await assertions.revertWithCustomError(exec(attacker, registry.address, withdrawFees), registry, "ReentrancyGuardReentrantCall");
      assert.equal(await registry.read.promotionFees(), parseEther("0.5"), "fees intact");
    });
  });

  // ====================================================================== reverting receivers

  describe("a receiver that reverts cannot block anyone else", () => {
    async function deployRejecter() {
      return m.viem.deployContract("RejectingReceiver");
    }

    it("rejecting seller: buyers still get refunds and the seller's share is credited", async () => {
      const c = await m.load();
      const rejecter = await deployRejecter();
      const listingId = await listAs(c, rejecter);
      const a = await m.openTest(c, listingId, buyer, 150);
      const b = await m.openTest(c, listingId, alice, 150);
      // A rejecting seller cannot record a receipt itself (its fee would be sent to it), but its worker can.
      await assert.rejects(exec(rejecter, c.market.address, mk(c, "recordReceipt", [a.testId, RESULT_HASH])));
      assert.equal(await c.market.read.testStatus([a.testId]), TEST_STATUS.AwaitingReceipt);
      await receipt(c, a.testId);
      await receipt(c, b.testId);
      assert.equal(await c.market.read.owed([rejecter.address]), a.fee + b.fee, "fees credited at receipt time, not pushed");
      const freeFee = refundSharesFor(150);
      const hash = await m.refund(c, a.testId);
      assert.deepEqual(await ledgerEvents(c, hash), ["PaymentCredited", "PaymentCredited"], "a refund credits the buyer and the seller, pushing to neither");
      assert.equal(await c.market.read.owed([buyer.account.address]), POLICY.deposit, "the buyer's refund is credited");
      assert.equal(await c.market.read.owed([rejecter.address]), a.fee + b.fee + freeFee.toSeller, "the refund leaves the paid fee with the seller and credits it the free samples' fee");
      await time.increase(POLICY.disputeWindow);
      await c.market.write.forfeitDeposit([b.testId], { account: mallory.account });
      assert.equal(await c.market.read.owed([rejecter.address]), a.fee + freeFee.toSeller + POLICY.deposit + b.fee, "forfeit credits only the deposit");
      // Only the rejecter itself is stuck, and its credit stays intact.
      await assert.rejects(exec(rejecter, c.market.address, mk(c, "withdraw")));
      assert.equal(await c.market.read.owed([rejecter.address]), a.fee + freeFee.toSeller + POLICY.deposit + b.fee);
      // A purchase from the rejecting seller still completes (credited) and refunds work.
      await c.market.write.buy([listingId, 0n, PRICE], { account: carol.account, value: PRICE });
      const purchaseId = await lastPurchaseId(c);
      const d = delivery();
      await exec(rejecter, c.market.address, mk(c, "commitDelivery", [purchaseId, d.root, d.keyHash]));
      await c.market.write.acceptDelivery([purchaseId], { account: carol.account });
      await exec(rejecter, c.market.address, mk(c, "revealKey", [purchaseId, d.root, d.key]));
      await time.increase(WINDOWS.complaint);
      await c.market.write.completePurchase([purchaseId], { account: mallory.account });
      assert.equal(await c.market.read.owed([rejecter.address]), a.fee + freeFee.toSeller + POLICY.deposit + b.fee + PRICE);
    });

    it("rejecting bidder and buyer: auctions settle and other bids are released", async () => {
      const c = await m.load();
      const rejecter = await deployRejecter();
      const listingId = await m.list(c, { saleMode: SALE_MODE.Auction, price: 0n });
      await c.market.write.createAuction(
        [listingId, { reservePrice: 0n, commitDuration: 600, revealDuration: 600, kind: AUCTION_KIND.SecondPrice, onlyTestDrivers: false, nonRevealPenaltyBps: 0 }],
        { account: seller.account },
      );
      const salt = keccak256(toHex("s"));
      const rejecterBid = await c.market.read.bidCommitment([parseEther("4"), salt, rejecter.address, 1n]);
      await exec(rejecter, c.market.address, mk(c, "commitBid", [1n, rejecterBid, 0n]), parseEther("5"));
      const aliceBid = await c.market.read.bidCommitment([parseEther("2"), salt, alice.account.address, 1n]);
      await c.market.write.commitBid([1n, aliceBid, 0n], { account: alice.account, value: parseEther("2") });
      await time.increase(600);
      await exec(rejecter, c.market.address, mk(c, "revealBid", [1n, parseEther("4"), salt]));
      await c.market.write.revealBid([1n, parseEther("2"), salt], { account: alice.account });
      await time.increase(600);
      await c.market.write.settleAuction([1n], { account: mallory.account });
      const purchaseId = await lastPurchaseId(c);
      const purchase = await c.market.read.getPurchase([purchaseId]);
      assert.equal(getAddress(purchase.buyer), getAddress(rejecter.address));
      assert.equal(purchase.price, parseEther("2"), "Vickrey price");
      await c.market.write.reclaimBid([1n, alice.account.address], { account: alice.account });
      await c.market.write.reclaimBid([1n, rejecter.address], { account: mallory.account });
      assert.equal(await c.market.read.owed([rejecter.address]), parseEther("3"), "winner's change credited");
      // The rejecting winner's purchase is refunded by anyone after a missed delivery: credited.
      await time.increase(WINDOWS.delivery);
      await c.market.write.refundPurchase([purchaseId], { account: mallory.account });
      assert.equal(await c.market.read.owed([rejecter.address]), parseEther("5"));
      assert.equal(await balanceOf(c.market.address), parseEther("5"), "exactly the rejecter's credit remains");
    });
  });

  // ====================================================================== front-running and replays

  describe("copied and replayed proofs", () => {
    it("a refund claim copied from the mempool cannot be sent by anyone but the buyer, nor used on another test-drive; replays fail", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      const { testId, commitment } = await m.openTest(c, listingId, buyer, 150);
      await receipt(c, testId);
      const claim = await m.refundClaim(c, testId);

      // Mallory copies the buyer's data commitment into her own test-drive and tries the proof there.
      await c.market.write.openTest([listingId, commitment, 150], { account: mallory.account, value: POLICY.deposit + 50n * POLICY.feePerExtraSample });
      const malloryTest = testId + 1n;
      await receipt(c, malloryTest);
      const [, ...rest] = claim.args;
      await assertions.revertWithCustomErrorWithArgs(
        c.disputes.write.claimRefund([malloryTest, ...rest], { account: mallory.account, value: claim.value }),
        c.disputes,
        "RefundDisputesInvalidProof",
        [malloryTest],
      );

      // Mallory front-runs the buyer's own claim with the copied transaction.
      await assertions.revertWithCustomErrorWithArgs(
        c.disputes.write.claimRefund(claim.args, { account: mallory.account, value: claim.value }),
        c.disputes,
        "RefundDisputesNotBuyer",
        [testId, getAddress(mallory.account.address)],
      );

      // The buyer's claim goes through once; a replay fails.
      await c.disputes.write.claimRefund(claim.args, { account: buyer.account, value: claim.value });
      await assertions.revertWithCustomError(c.disputes.write.claimRefund(claim.args, { account: buyer.account, value: claim.value }), c.disputes, "RefundDisputesInvalidPhase");
      assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.Disputed);
      assert.equal(await c.market.read.testStatus([malloryTest]), TEST_STATUS.Evaluated, "mallory's test-drive was not touched");
    });

    it("a worker's signed receipt cannot be replayed on another test-drive", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      const a = await m.openTest(c, listingId, buyer);
      const b = await m.openTest(c, listingId, alice);
      const signature = await signReceipt(c, a.testId);
      const hash = await c.market.write.recordSignedReceipt([a.testId, RESULT_HASH, signature], { account: mallory.account });
      assert.equal(await c.market.read.testStatus([a.testId]), TEST_STATUS.Evaluated);
      // The relayer gets nothing; the fee (none under the free allowance here) would be credited to the seller.
      assert.equal(await c.market.read.owed([mallory.account.address]), 0n);
      assert.equal(await c.market.read.owed([seller.account.address]), a.fee);
      assert.deepEqual(await ledgerEvents(c, hash), a.fee > 0n ? ["PaymentCredited"] : []);
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.recordSignedReceipt([a.testId, RESULT_HASH, signature], { account: mallory.account }),
        c.market,
        "TestDrivesInvalidStatus",
        [a.testId, TEST_STATUS.Evaluated],
      );
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.recordSignedReceipt([b.testId, RESULT_HASH, signature], { account: mallory.account }),
        c.market,
        "TestDrivesUnauthorizedWorker",
        [b.testId, "0x0000000000000000000000000000000000000000"],
      );
      assert.equal(await c.market.read.testStatus([b.testId]), TEST_STATUS.AwaitingReceipt);
    });
  });

  // ====================================================================== griefing

  describe("griefing", () => {
    it("a bidder who never reveals pays the penalty (burned) and the auction still settles", async () => {
      const c = await m.load();
      const listingId = await m.list(c, { saleMode: SALE_MODE.Auction, price: 0n });
      await c.market.write.createAuction(
        [listingId, { reservePrice: parseEther("1"), commitDuration: 600, revealDuration: 600, kind: AUCTION_KIND.SecondPrice, onlyTestDrivers: false, nonRevealPenaltyBps: 2_500 }],
        { account: seller.account },
      );
      const salt = keccak256(toHex("salt"));
      const bids = [
        { who: alice, amount: parseEther("3"), collateral: parseEther("3") },
        { who: bob, amount: parseEther("2"), collateral: parseEther("2.5") },
        { who: mallory, amount: parseEther("9"), collateral: parseEther("10") }, // never reveals
      ];
      for (const b of bids) {
        const commitment = await c.market.read.bidCommitment([b.amount, salt, b.who.account.address, 1n]);
        await c.market.write.commitBid([1n, commitment, 0n], { account: b.who.account, value: b.collateral });
      }
      await time.increase(600);
      for (const b of bids.slice(0, 2)) await c.market.write.revealBid([1n, b.amount, salt], { account: b.who.account });
      await time.increase(600);
      await c.market.write.settleAuction([1n], { account: carol.account });
      const purchase = await c.market.read.getPurchase([await lastPurchaseId(c)]);
      assert.equal(getAddress(purchase.buyer), getAddress(alice.account.address));
      assert.equal(purchase.price, parseEther("2"));
      await c.market.write.reclaimBid([1n, mallory.account.address], { account: carol.account });
      assert.equal(await c.market.read.owed([mallory.account.address]), parseEther("7.5"));
      // The penalty is burned, so a withheld bid costs its bidder whoever runs it: the seller
      // (a shill) or the winner (a sybil) gets none of it back.
      assert.equal(await c.market.read.PENALTY_SINK(), SINK);
      assert.equal(await c.market.read.owed([SINK]), parseEther("2.5"), "penalty burned");
      assert.equal(await c.market.read.owed([alice.account.address]), 0n, "nothing to the winner");
      assert.equal(await c.market.read.owed([seller.account.address]), 0n, "nothing to the seller");
    });

    it("a seller (contract account) cannot shill-bid in its own auction", async () => {
      const c = await m.load();
      const attacker = await deployAttacker();
      const listingId = await listAs(c, attacker, SALE_MODE.Auction);
      const params = { reservePrice: 0n, commitDuration: 600, revealDuration: 600, kind: AUCTION_KIND.SecondPrice, onlyTestDrivers: false, nonRevealPenaltyBps: 0 };
      await exec(attacker, c.market.address, mk(c, "createAuction", [listingId, params]));
      const salt = keccak256(toHex("shill"));
      const shill = await c.market.read.bidCommitment([parseEther("9"), salt, attacker.address, 1n]);
      await assertions.revertWithCustomErrorWithArgs(
        exec(attacker, c.market.address, mk(c, "commitBid", [1n, shill, 0n]), parseEther("10")),
        c.market,
        "AuctionsSellerCannotBid",
        [1n],
      );
      assert.equal((await c.market.read.getBid([1n, attacker.address])).commitment, m.zeroHash);
      // An honest bidder pays the reserve (0) in a second-price auction with no rival.
      const aliceBid = await c.market.read.bidCommitment([parseEther("2"), salt, alice.account.address, 1n]);
      await c.market.write.commitBid([1n, aliceBid, 0n], { account: alice.account, value: parseEther("2") });
      await time.increase(600);
      await c.market.write.revealBid([1n, parseEther("2"), salt], { account: alice.account });
      await time.increase(600);
      await c.market.write.settleAuction([1n], { account: carol.account });
      assert.equal((await c.market.read.getPurchase([await lastPurchaseId(c)])).price, 0n, "no shill raised the price");
    });

    it("a seller who never delivers: the buyer is refunded after the deadline (not before)", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      await c.market.write.buy([listingId, 0n, PRICE], { account: buyer.account, value: PRICE });
      const purchaseId = await lastPurchaseId(c);
      await assertions.revertWithCustomError(c.market.write.refundPurchase([purchaseId], { account: carol.account }), c.market, "FairExchangeInvalidStatus");
      await time.increase(WINDOWS.delivery);
      await c.market.write.refundPurchase([purchaseId], { account: carol.account });
      assert.equal(await c.market.read.owed([buyer.account.address]), PRICE);
      await assertions.revertWithCustomError(c.market.write.refundPurchase([purchaseId], { account: carol.account }), c.market, "FairExchangeInvalidStatus");
    });

    it("a seller who never reveals the key: refund after the key deadline", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      await c.market.write.buy([listingId, 0n, PRICE], { account: buyer.account, value: PRICE });
      const purchaseId = await lastPurchaseId(c);
      const d = delivery();
      await c.market.write.commitDelivery([purchaseId, d.root, d.keyHash], { account: seller.account });
      await c.market.write.acceptDelivery([purchaseId], { account: buyer.account });
      await time.increase(WINDOWS.accept + WINDOWS.reveal - 5);
      await assertions.revertWithCustomError(c.market.write.refundPurchase([purchaseId], { account: carol.account }), c.market, "FairExchangeInvalidStatus");
      await time.increase(5);
      await c.market.write.refundPurchase([purchaseId], { account: carol.account });
      assert.equal(await c.market.read.owed([buyer.account.address]), PRICE);
      await assertions.revertWithCustomError(c.market.write.revealKey([purchaseId, d.root, d.key], { account: seller.account }), c.market, "FairExchangeInvalidStatus");
    });

    it("a worker that never serves: deposit and fee back after the service window", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      const { testId, fee } = await m.openTest(c, listingId, buyer, 300);
      await assertions.revertWithCustomError(c.market.write.refundUnserved([testId], { account: carol.account }), c.market, "TestDrivesInvalidStatus");
      await time.increase(POLICY.serviceWindow);
      await assertions.revertWithCustomError(c.market.write.recordReceipt([testId, RESULT_HASH], { account: worker.account }), c.market, "TestDrivesInvalidStatus");
      await c.market.write.refundUnserved([testId], { account: carol.account });
      assert.equal(await c.market.read.owed([buyer.account.address]), POLICY.deposit + fee);
      assert.equal(await c.market.read.owed([seller.account.address]), 0n);
    });
  });

  // ====================================================================== issue 9

  describe("issue 9", () => {
    const ETH = parseEther;
    type Wallet = typeof alice;
    type Actor = Wallet | Attacker;
    const SALT = keccak256(toHex("issue 9 salt"));
    const addressOf = (who: Actor): Address => getAddress("account" in who ? who.account.address : who.address);

    /** What an actor contract has and is owed: an exact measure (its gas is paid by mallory). */
    const holdings = async (c: Market, who: Address) => (await balanceOf(who)) + (await c.market.read.owed([who]));

    /**
     * The "deposit escaper": a buyer (a contract account, so its ether is measured exactly) with
     * an evaluated test-drive of `listingId` `left` seconds before the end of its dispute window
     * (by default 100 s: the forfeit is near, escaping would pay), that tries to get the deposit
     * back without a dispute proof. `deadline` is receipt + dispute window.
     */
    async function depositEscaper(c: Market, listingId: bigint, left = 100) {
      const actor = await deployAttacker();
      const { testId } = await openTestAs(c, actor, listingId, 50);
      await receipt(c, testId);
      const receivedAt = await time.latest();
      const deadline = receivedAt + POLICY.disputeWindow;
      await advanceTo(deadline - left);
      return { actor, testId, address: getAddress(actor.address), receivedAt, deadline };
    }

    async function auction(
      c: Market,
      listingId: bigint,
      p: Partial<{ reservePrice: bigint; kind: number; onlyTestDrivers: boolean; nonRevealPenaltyBps: number }> = {},
    ) {
      const params = { reservePrice: 0n, commitDuration: 600, revealDuration: 600, kind: AUCTION_KIND.SecondPrice, onlyTestDrivers: false, nonRevealPenaltyBps: 1_000, ...p };
      await c.market.write.createAuction([listingId, params], { account: seller.account });
      const logs = await c.market.getEvents.AuctionCreated({}, { fromBlock: 0n });
      return logs.at(-1)!.args.auctionId!;
    }

    async function act(c: Market, who: Actor, functionName: string, args: readonly unknown[], value = 0n): Promise<Hex> {
      if ("account" in who) return (c.market.write as any)[functionName](args, { account: who.account, value });
      return exec(who, c.market.address, mk(c, functionName, args), value);
    }

    /** `who`, the buyer of `testId`, claims its refund ({m.refundClaim}); a contract buyer's stake is sent along by its caller. */
    async function claimAs(c: Market, who: Actor, testId: bigint): Promise<Hex> {
      const { args, value } = await m.refundClaim(c, testId);
      if ("account" in who) return c.disputes.write.claimRefund(args, { account: who.account, value });
      return exec(who, c.disputes.address, encodeFunctionData({ abi: c.disputes.abi, functionName: "claimRefund", args }), value);
    }

    async function bid(c: Market, auctionId: bigint, who: Actor, amount: bigint, value: bigint, testId = 0n) {
      const commitment = await c.market.read.bidCommitment([amount, SALT, addressOf(who), auctionId]);
      return act(c, who, "commitBid", [auctionId, commitment, testId], value);
    }

    const revealAs = (c: Market, auctionId: bigint, who: Actor, amount: bigint) => act(c, who, "revealBid", [auctionId, amount, SALT]);

    async function advanceTo(t: number) {
      if ((await time.latest()) < t) await time.increaseTo(t);
    }
    const toReveal = async (c: Market, auctionId: bigint) => advanceTo((await c.market.read.getAuction([auctionId])).commitEnd);
    const toSettle = async (c: Market, auctionId: bigint) => advanceTo((await c.market.read.getAuction([auctionId])).revealEnd);

    /**
     * A deposit back from a sale is the test-drive's again under the dispute deadline it had
     * before the sale (`clock` + dispute window; the clock never restarts). Before it, the
     * deposit is refundable by proof only and nobody can forfeit it; from it (at once, if it
     * passed during the sale) anyone forfeits it to the seller, not a second earlier.
     */
    async function forfeitsToSellerAtTheOldDeadline(c: Market, testId: bigint, clock: number) {
      const deadline = clock + POLICY.disputeWindow;
      const t = await c.market.read.getTest([testId]);
      assert.equal(t.phase, TEST_PHASE.Evaluated, "the deposit is the test-drive's again");
      assert.equal(t.phaseStartedAt, clock, "its dispute clock did not restart");
      if ((await time.latest()) < deadline - 1) {
        assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.Evaluated, "refundable by proof until the old deadline");
        await time.setNextBlockTimestamp(deadline - 1);
        await assertions.revertWithCustomErrorWithArgs(c.market.write.forfeitDeposit([testId], { account: carol.account }), c.market, "TestDrivesInvalidStatus", [
          testId,
          TEST_STATUS.Evaluated,
        ]);
        await time.setNextBlockTimestamp(deadline);
      } else if ((await time.latest()) >= deadline) {
        // the deadline passed during the sale
        assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.Forfeitable, "forfeitable at once");
      }
      const before = await c.market.read.owed([seller.account.address]);
      await c.market.write.forfeitDeposit([testId], { account: carol.account });
      assert.equal(await c.market.read.owed([seller.account.address]), before + POLICY.deposit, "the deposit, forfeited to the seller");
    }

    // ------------------------------------------------------------------ §1

    describe("§1 every deposit escape route now leaves the deposit with its test-drive", () => {
      type Route = { name: string; sale: "buy" | "bid"; how: "reject" | "deadline" | "complain" | "reveal0" | "withhold" };
      const ROUTES: Route[] = [
        { name: "buy, then reject the committed delivery", sale: "buy", how: "reject" },
        { name: "buy, then let the delivery deadline pass and refundPurchase", sale: "buy", how: "deadline" },
        { name: "buy, then complain about a corrupted chunk", sale: "buy", how: "complain" },
        { name: "commitBid with the deposit, reveal 0, reclaimBid", sale: "bid", how: "reveal0" },
        { name: "commitBid with the deposit, never reveal, reclaimBid", sale: "bid", how: "withhold" },
      ];

      for (const route of ROUTES) {
        it(`${route.name}: the escaper gets only its own ether (less any penalty), the seller the deposit at its old deadline`, async () => {
          const c = await m.load();
          const listingId = route.sale === "buy" ? await m.list(c) : await m.list(c, { saleMode: SALE_MODE.Auction, price: 0n });
          const escaper = await depositEscaper(c, listingId);
          let ownEther: bigint;
          let back: bigint;
          if (route.sale === "buy") {
            ownEther = PRICE - POLICY.deposit;
            await act(c, escaper.actor, "buy", [listingId, escaper.testId, PRICE], ownEther);
            const purchaseId = await lastPurchaseId(c);
            let hash: Hex;
            let reason: number;
            if (route.how === "reject") {
              const d = delivery();
              await c.market.write.commitDelivery([purchaseId, d.root, d.keyHash], { account: seller.account });
              hash = await act(c, escaper.actor, "rejectDelivery", [purchaseId]);
              reason = REFUND_REASON.DeliveryRejected;
            } else if (route.how === "deadline") {
              await time.increase(WINDOWS.delivery);
              hash = await act(c, escaper.actor, "refundPurchase", [purchaseId]);
              reason = REFUND_REASON.DeliveryMissed;
            } else {
              const d = delivery(2);
              await c.market.write.commitDelivery([purchaseId, d.root, d.keyHash], { account: seller.account });
              await act(c, escaper.actor, "acceptDelivery", [purchaseId]);
              await c.market.write.revealKey([purchaseId, d.root, d.key], { account: seller.account });
              hash = await act(c, escaper.actor, "complain", [purchaseId, d.complaint(2)]);
              reason = REFUND_REASON.ComplaintUpheld;
            }
            await assertions.emitWithArgs(hash, c.market, "PurchaseRefunded", [purchaseId, escaper.address, ownEther, POLICY.deposit, 0n, reason]);
            await assertions.emitWithArgs(hash, c.market, "DepositReturned", [escaper.testId, POLICY.deposit]);
            back = ownEther; // before issue 9: ownEther + the deposit
          } else {
            const auctionId = await auction(c, listingId, { nonRevealPenaltyBps: 1_000 });
            await bid(c, auctionId, alice, ETH("2"), ETH("2")); // an honest bidder, who wins
            ownEther = ETH("0.2"); // the least round value covering 10% of 1.2 (see §1 of the brief)
            await assertions.revertWithCustomErrorWithArgs(bid(c, auctionId, escaper.actor, 0n, 0n, escaper.testId), c.market, "AuctionsPenaltyNotCovered", [
              auctionId,
              ETH("0.1"),
              0n,
            ]);
            await bid(c, auctionId, escaper.actor, 0n, ownEther, escaper.testId);
            assert.equal((await c.market.read.getTest([escaper.testId])).phase, TEST_PHASE.AppliedToBid);
            await toReveal(c, auctionId);
            await revealAs(c, auctionId, alice, ETH("2"));
            if (route.how === "reveal0") await revealAs(c, auctionId, escaper.actor, 0n);
            await toSettle(c, auctionId);
            const penalty = route.how === "withhold" ? ETH("0.12") : 0n;
            const hash = await act(c, escaper.actor, "reclaimBid", [auctionId, escaper.address]);
            await assertions.emitWithArgs(hash, c.market, "BidReclaimed", [auctionId, escaper.address, ownEther - penalty, POLICY.deposit, penalty, SINK]);
            await assertions.emitWithArgs(hash, c.market, "DepositReturned", [escaper.testId, POLICY.deposit]);
            assert.equal(await c.market.read.owed([SINK]), penalty, "a withheld bid's penalty is burned");
            assert.equal(await c.market.read.owed([alice.account.address]), 0n, "none of it to the winner");
            back = ownEther - penalty; // before issue 9: the whole collateral, deposit included
          }
          assert.equal(await holdings(c, escaper.address), back, "only the escaper's own ether came back");
          // Rejecting or complaining returns it within the 100 s left (Evaluated until the old
          // deadline); a missed delivery or an auction takes longer, so it comes back forfeitable.
          await forfeitsToSellerAtTheOldDeadline(c, escaper.testId, escaper.receivedAt);
          assert.equal(await holdings(c, escaper.address), back, "and nothing more ever reaches the escaper");
          assert.equal(await c.market.read.testStatus([escaper.testId]), TEST_STATUS.Closed);
        });
      }

      it("with a price at or below the deposit the escaper sends no ether and gets none back", async () => {
        const c = await m.load();
        for (const price of [ETH("0.4"), POLICY.deposit]) {
          const listingId = await m.list(c, { price });
          const escaper = await depositEscaper(c, listingId);
          await act(c, escaper.actor, "buy", [listingId, escaper.testId, price], 0n);
          const purchaseId = await lastPurchaseId(c);
          assert.equal((await c.market.read.getPurchase([purchaseId])).extra, POLICY.deposit - price);
          await time.increase(WINDOWS.delivery);
          await assertions.emitWithArgs(c.market.write.refundPurchase([purchaseId], { account: carol.account }), c.market, "PurchaseRefunded", [
            purchaseId,
            escaper.address,
            0n,
            POLICY.deposit,
            0n,
            REFUND_REASON.DeliveryMissed,
          ]);
          assert.equal(await holdings(c, escaper.address), 0n);
          await forfeitsToSellerAtTheOldDeadline(c, escaper.testId, escaper.receivedAt);
        }
      });

      it("a deposit back before its old deadline can still be claimed back (the honest buyer loses only the free samples' fee its claim stakes, as any refund does)", async () => {
        const c = await m.load();
        const listingId = await m.list(c);
        const honest = await depositEscaper(c, listingId, POLICY.disputeWindow - 100); // buys 100 s after its receipt
        await act(c, honest.actor, "buy", [listingId, honest.testId, PRICE], PRICE - POLICY.deposit);
        await time.increase(WINDOWS.delivery);
        await c.market.write.refundPurchase([await lastPurchaseId(c)], { account: carol.account });
        assert.equal((await c.market.read.getTest([honest.testId])).phaseStartedAt, honest.receivedAt, "the receipt's clock");
        assert.equal(await c.market.read.testStatus([honest.testId]), TEST_STATUS.Evaluated);
        const sellerBefore = await c.market.read.owed([seller.account.address]);
        await claimAs(c, honest.actor, honest.testId);
        await time.increase(Number(await c.disputes.read.contestWindow()));
        await c.disputes.write.closeDispute([honest.testId], { account: carol.account });
        assert.equal(await holdings(c, honest.address), PRICE, "its ether and its deposit (the free samples' fee was staked by its caller)");
        assert.equal(await c.market.read.owed([seller.account.address]) - sellerBefore, refundSharesFor(50).toSeller, "the seller is paid the free samples' fee");
        assert.equal((await c.market.read.getTest([honest.testId])).phase, TEST_PHASE.Refunded);
      });

      it("a deposit back after its old deadline is forfeitable at once: no proof, and the seller takes it in the same block", async () => {
        const c = await m.load();
        const listingId = await m.list(c);
        const escaper = await depositEscaper(c, listingId, 60);
        await act(c, escaper.actor, "buy", [listingId, escaper.testId, PRICE], PRICE - POLICY.deposit);
        await time.increase(WINDOWS.delivery); // the deadline passes while the deposit is in the sale
        const refund = await c.market.write.refundPurchase([await lastPurchaseId(c)], { account: carol.account });
        await assertions.emitWithArgs(refund, c.market, "DepositReturned", [escaper.testId, POLICY.deposit]);
        assert.ok((await time.latest()) > escaper.deadline);
        assert.equal(await c.market.read.testStatus([escaper.testId]), TEST_STATUS.Forfeitable, "forfeitable at once");
        assert.equal((await c.market.read.getTest([escaper.testId])).phaseStartedAt, escaper.receivedAt, "the clock it left with");
        await assertions.revertWithCustomErrorWithArgs(claimAs(c, escaper.actor, escaper.testId), c.market, "TestDrivesInvalidStatus", [escaper.testId, TEST_STATUS.Forfeitable]);
        // nor can it go back into a sale to stall: the deposit no longer qualifies
        await assertions.revertWithCustomErrorWithArgs(
          act(c, escaper.actor, "buy", [listingId, escaper.testId, PRICE], PRICE - POLICY.deposit),
          c.market,
          "TestDrivesInvalidStatus",
          [escaper.testId, TEST_STATUS.Forfeitable],
        );
        // the seller forfeits it at once
        await assertions.emitWithArgs(c.market.write.forfeitDeposit([escaper.testId], { account: seller.account }), c.market, "TestClosed", [
          escaper.testId,
          TEST_PHASE.Forfeited,
          0n,
          POLICY.deposit,
        ]);
        assert.equal(await holdings(c, escaper.address), PRICE - POLICY.deposit, "only its own ether came back");
      });

      it("a deposit applied before any receipt comes back with the opening time as its clock", async () => {
        const c = await m.load();
        const listingId = await m.list(c);
        const buyerActor = await deployAttacker();
        const { testId, fee } = await openTestAs(c, buyerActor, listingId, 150);
        const openedAt = await time.latest();
        await time.increase(600); // still awaiting its receipt
        assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.AwaitingReceipt);
        const buy = await act(c, buyerActor, "buy", [listingId, testId, PRICE], PRICE - POLICY.deposit);
        await assertions.emitWithArgs(buy, c.market, "TestClosed", [testId, TEST_PHASE.AppliedToPurchase, POLICY.deposit, fee]);
        assert.equal((await c.market.read.getTest([testId])).phaseStartedAt, openedAt, "applied: the opening time is kept");
        await time.increase(WINDOWS.delivery);
        await c.market.write.refundPurchase([await lastPurchaseId(c)], { account: carol.account });
        // Evaluated (no receipt was ever recorded) until opening + dispute window, then forfeitable
        await forfeitsToSellerAtTheOldDeadline(c, testId, openedAt);
        assert.equal(await c.market.read.owed([seller.account.address]), fee + POLICY.deposit, "the fee (at the purchase) and the deposit");
        assert.equal(await holdings(c, buyerActor.address), PRICE - POLICY.deposit, "only its own ether came back");
      });
    });

    // ------------------------------------------------------------------ §2

    describe("§2 a seller front-running a buy with a price change makes the buy revert", () => {
      it("a raised (or lowered) price reverts FairExchangePriceChanged and takes nothing", async () => {
        const c = await m.load();
        const listingId = await m.list(c);
        for (const listed of [PRICE + 1n, 2n * PRICE, PRICE - 1n]) {
          // the seller's transaction lands first
          await c.registry.write.updateOffer([listingId, m.offer({ price: listed })], { account: seller.account });
          await assertions.revertWithCustomErrorWithArgs(
            c.market.write.buy([listingId, 0n, PRICE], { account: buyer.account, value: PRICE }),
            c.market,
            "FairExchangePriceChanged",
            [listingId, listed, PRICE],
          );
        }
        // switching the listing to an auction is no way around it either
        await c.registry.write.updateOffer([listingId, m.offer({ saleMode: SALE_MODE.Auction, price: 0n })], { account: seller.account });
        await assertions.revertWithCustomErrorWithArgs(
          c.market.write.buy([listingId, 0n, PRICE], { account: buyer.account, value: PRICE }),
          c.market,
          "FairExchangeNotForSale",
          [listingId],
        );
        assert.equal(await balanceOf(c.market.address), 0n);
      });

      it("also when the deposit covers the price, so the buyer sends no ether", async () => {
        const c = await m.load();
        const shown = ETH("0.5");
        const listingId = await m.list(c, { price: shown });
        const victim = await deployAttacker();
        const { testId } = await openTestAs(c, victim, listingId, 50);
        await receipt(c, testId);
        // before issue 9 buy(listingId, testId) with no value paid whatever the listing asked, up to the deposit
        for (const raised of [ETH("0.9"), POLICY.deposit]) {
          await c.registry.write.updateOffer([listingId, m.offer({ price: raised })], { account: seller.account });
          await assertions.revertWithCustomErrorWithArgs(act(c, victim, "buy", [listingId, testId, shown], 0n), c.market, "FairExchangePriceChanged", [
            listingId,
            raised,
            shown,
          ]);
          assert.equal(await c.market.read.testStatus([testId]), TEST_STATUS.Evaluated, "the deposit was not applied");
        }
        // at the price it agreed to, the purchase goes through and the excess stays the buyer's
        await c.registry.write.updateOffer([listingId, m.offer({ price: shown })], { account: seller.account });
        await act(c, victim, "buy", [listingId, testId, shown], 0n);
        const p = await c.market.read.getPurchase([await lastPurchaseId(c)]);
        assert.equal(p.price, shown);
        assert.equal(p.extra, POLICY.deposit - shown);
      });
    });

    // ------------------------------------------------------------------ §3

    describe("§3 voiding a won auction", () => {
      /** A second-price auction that the "griefing winner" (a contract) wins over alice's 3 ether bid. */
      async function wonBy(c: Market, collateral: bigint, bps: number) {
        const listingId = await m.list(c, { saleMode: SALE_MODE.Auction, price: 0n });
        const auctionId = await auction(c, listingId, { nonRevealPenaltyBps: bps });
        const griefer = await deployAttacker();
        await bid(c, auctionId, griefer, collateral, collateral);
        await bid(c, auctionId, alice, ETH("3"), ETH("3"));
        await toReveal(c, auctionId);
        await revealAs(c, auctionId, griefer, collateral);
        await revealAs(c, auctionId, alice, ETH("3"));
        await toSettle(c, auctionId);
        await c.market.write.settleAuction([auctionId], { account: carol.account });
        const purchaseId = await lastPurchaseId(c);
        await c.market.write.reclaimBid([auctionId, griefer.address], { account: carol.account });
        await c.market.write.reclaimBid([auctionId, alice.account.address], { account: carol.account });
        return { listingId, auctionId, griefer, purchaseId };
      }

      const CASES = [
        { collateral: ETH("10"), bps: 1_000, penalty: ETH("1") }, // penalty below the price: escrow = price
        { collateral: ETH("50"), bps: 1_000, penalty: ETH("5") }, // penalty above the price: escrow = penalty
        { collateral: ETH("10"), bps: 0, penalty: 0n },
        { collateral: ETH("4"), bps: 10_000, penalty: ETH("4") },
      ];
      for (const k of CASES) {
        it(`a griefing winner (collateral ${Number(k.collateral) / 1e18} ether, ${k.bps} bps) that rejects pays the seller exactly the non-reveal penalty`, async () => {
          const c = await m.load();
          const { griefer, purchaseId, auctionId, listingId } = await wonBy(c, k.collateral, k.bps);
          const price = ETH("3");
          const escrow = price > k.penalty ? price : k.penalty;
          const opened = await c.market.getEvents.PurchaseOpened({ purchaseId }, { fromBlock: 0n });
          assert.deepEqual(opened[0]!.args, {
            purchaseId,
            listingId,
            buyer: getAddress(griefer.address),
            seller: getAddress(seller.account.address),
            price,
            escrow,
            depositApplied: 0n,
            testId: 0n,
            auctionId,
          });
          assert.equal(await holdings(c, griefer.address), k.collateral - escrow, "the reclaim kept the escrow");
          const d = delivery();
          await c.market.write.commitDelivery([purchaseId, d.root, d.keyHash], { account: seller.account });
          const hash = await act(c, griefer, "rejectDelivery", [purchaseId]);
          await assertions.emitWithArgs(hash, c.market, "PurchaseRefunded", [purchaseId, getAddress(griefer.address), escrow - k.penalty, 0n, k.penalty, REFUND_REASON.DeliveryRejected]);
          assert.equal(await holdings(c, griefer.address), k.collateral - k.penalty, "the griefer lost exactly its penalty");
          assert.equal(await c.market.read.owed([seller.account.address]), k.penalty, "which the seller got");
          assert.equal(await c.market.read.owed([alice.account.address]), ETH("3"), "the runner-up was released in full");
          let owedTotal = 0n;
          for (const a of [seller.account.address, alice.account.address, griefer.address]) owedTotal += await c.market.read.owed([a]);
          assert.equal(await balanceOf(c.market.address), owedTotal, "nothing else held");
        });
      }

      it("a winner that rejects a per-buyer copy (which it may never have tested) pays no penalty: a seller cannot force an unchecked copy on a winner", async () => {
        const c = await m.load();
        const { griefer, purchaseId } = await wonBy(c, ETH("10"), 1_000);
        const d = delivery();
        await c.market.write.commitCopyDelivery([purchaseId, d.root, d.keyHash, keccak256(toHex("a copy")), 4_096n], { account: seller.account });
        const escrow = ETH("3");
        const hash = await act(c, griefer, "rejectDelivery", [purchaseId]);
        await assertions.emitWithArgs(hash, c.market, "PurchaseRefunded", [purchaseId, getAddress(griefer.address), escrow, 0n, 0n, REFUND_REASON.DeliveryRejected]);
        assert.equal(await holdings(c, griefer.address), ETH("10"), "the winner got its whole collateral back");
        assert.equal(await c.market.read.owed([seller.account.address]), 0n, "the seller got no penalty");
      });

      it("a seller who never delivers refunds the winner in full: its ether, and its deposit back to its test-drive", async () => {
        const c = await m.load();
        const listingId = await m.list(c, { saleMode: SALE_MODE.Auction, price: 0n });
        const winner = await depositEscaper(c, listingId);
        const auctionId = await auction(c, listingId, { nonRevealPenaltyBps: 1_000 });
        await bid(c, auctionId, winner.actor, ETH("3"), ETH("2.5"), winner.testId); // collateral 3.5, penalty 0.35
        await bid(c, auctionId, alice, ETH("2"), ETH("2"));
        await toReveal(c, auctionId);
        await revealAs(c, auctionId, winner.actor, ETH("3"));
        await revealAs(c, auctionId, alice, ETH("2"));
        await toSettle(c, auctionId);
        await c.market.write.settleAuction([auctionId], { account: carol.account });
        const purchaseId = await lastPurchaseId(c);
        const p = await c.market.read.getPurchase([purchaseId]);
        assert.equal(p.price, ETH("2"));
        assert.equal(p.extra, 0n, "escrow = max(price 2, deposit 1 + penalty 0.35)");
        assert.equal(p.testId, Number(winner.testId));
        await c.market.write.reclaimBid([auctionId, winner.address], { account: carol.account });
        await time.increase(WINDOWS.delivery);
        await assertions.emitWithArgs(c.market.write.refundPurchase([purchaseId], { account: carol.account }), c.market, "PurchaseRefunded", [
          purchaseId,
          winner.address,
          ETH("1"),
          POLICY.deposit,
          0n,
          REFUND_REASON.DeliveryMissed,
        ]);
        assert.equal(await holdings(c, winner.address), ETH("2.5"), "all the ether it bid");
        assert.equal(await c.market.read.owed([seller.account.address]), 0n, "the seller gets nothing for not delivering");
        // the deposit is the test-drive's again, under its old deadline (which passed during the sale)
        await forfeitsToSellerAtTheOldDeadline(c, winner.testId, winner.receivedAt);
      });
    });

    // ------------------------------------------------------------------ §5

    describe("§5 shill bids and zero prices", () => {
      /**
       * A second-price auction: alice (who values the model at 5) bids 5, carol bids 2. The
       * seller's "shill" (a contract, so its ether is exact) bids `shillBid` with that much
       * collateral, waits for the others' reveals, and reveals only if it is below the top bid
       * (raising the price without winning); above it, it would buy from its own seller, so it withholds.
       */
      async function shillBranch(shillBid: bigint | undefined) {
        const c = await m.load();
        const listingId = await m.list(c, { saleMode: SALE_MODE.Auction, price: 0n });
        const auctionId = await auction(c, listingId, { nonRevealPenaltyBps: 1_000 });
        const shill = await deployAttacker();
        await bid(c, auctionId, alice, ETH("5"), ETH("5"));
        await bid(c, auctionId, carol, ETH("2"), ETH("2"));
        if (shillBid !== undefined) await bid(c, auctionId, shill, shillBid, shillBid);
        await toReveal(c, auctionId);
        await revealAs(c, auctionId, alice, ETH("5"));
        await revealAs(c, auctionId, carol, ETH("2"));
        const top = (await c.market.read.getAuction([auctionId])).highestAmount;
        const withholds = shillBid !== undefined && shillBid >= top;
        if (shillBid !== undefined && !withholds) await revealAs(c, auctionId, shill, shillBid);
        await toSettle(c, auctionId);
        await c.market.write.settleAuction([auctionId], { account: bob.account });
        const price = (await c.market.read.getPurchase([await lastPurchaseId(c)])).price;
        if (shillBid !== undefined) await c.market.write.reclaimBid([auctionId, shill.address], { account: bob.account });
        const shillNet = shillBid === undefined ? 0n : (await holdings(c, shill.address)) - shillBid;
        return {
          branch: shillBid === undefined ? "no shill" : `shill bids ${Number(shillBid) / 1e18}, ${withholds ? "withholds" : "reveals"}`,
          price,
          sellerGets: price,
          shillNet,
          pairNet: price + shillNet,
          winnerGetsFromShill: await c.market.read.owed([alice.account.address]),
          burned: await c.market.read.owed([SINK]),
        };
      }

      it("withholding costs the shill its penalty, burned: the pair ends poorer than without shilling and the winner gains nothing", async () => {
        const rows = [await shillBranch(undefined), await shillBranch(ETH("6")), await shillBranch(ETH("4.9"))];
        console.table(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) / 1e18 : v]))));
        assert.deepEqual(rows, [
          { branch: "no shill", price: ETH("2"), sellerGets: ETH("2"), shillNet: 0n, pairNet: ETH("2"), winnerGetsFromShill: 0n, burned: 0n },
          // withheld: the price stays at carol's 2 and the shill's 10% of 6 is burned (before
          // issue 9 it went to the seller, i.e. free; then to the winner alice, 0.6 out of the pair
          // but a sybil's own winning address would have got it back; now nobody gets it)
          { branch: "shill bids 6, withholds", price: ETH("2"), sellerGets: ETH("2"), shillNet: -ETH("0.6"), pairNet: ETH("1.4"), winnerGetsFromShill: 0n, burned: ETH("0.6") },
          // revealed below the top: the shill still lifts the price for free (the residual risk of
          // a sybil who guesses right; documented in THREAT-MODEL.md)
          { branch: "shill bids 4.9, reveals", price: ETH("4.9"), sellerGets: ETH("4.9"), shillNet: 0n, pairNet: ETH("4.9"), winnerGetsFromShill: 0n, burned: 0n },
        ]);
        assert.ok(rows[1]!.pairNet < rows[0]!.pairNet, "withholding no longer pays");
        assert.equal(rows[0]!.pairNet - rows[1]!.pairNet, rows[1]!.burned, "the pair loses exactly the burned penalty");
      });

      it("one valid bid and reserve 0: the auction clears at 0 (the reserve is the floor)", async () => {
        const c = await m.load();
        const listingId = await m.list(c, { saleMode: SALE_MODE.Auction, price: 0n });
        const auctionId = await auction(c, listingId, { reservePrice: 0n, nonRevealPenaltyBps: 1_000 });
        const winner = await deployAttacker();
        await bid(c, auctionId, winner, ETH("2"), ETH("2"));
        await bid(c, auctionId, carol, ETH("9"), ETH("1")); // invalid: above its collateral
        await toReveal(c, auctionId);
        await revealAs(c, auctionId, winner, ETH("2"));
        await revealAs(c, auctionId, carol, ETH("9"));
        await toSettle(c, auctionId);
        assert.equal(await c.market.read.clearingPrice([auctionId]), 0n);
        await assertions.emitWithArgs(c.market.write.settleAuction([auctionId], { account: bob.account }), c.market, "AuctionSettled", [
          auctionId,
          getAddress(winner.address),
          0n,
          1n,
        ]);
        const p = await c.market.read.getPurchase([1n]);
        assert.equal(p.price, 0n);
        assert.equal(p.extra, ETH("0.2"), "the escrow holds only the rejection penalty");
        await c.market.write.reclaimBid([auctionId, winner.address], { account: bob.account });
        await c.market.write.reclaimBid([auctionId, carol.account.address], { account: bob.account });
        const d = delivery();
        await c.market.write.commitDelivery([1n, d.root, d.keyHash], { account: seller.account });
        await act(c, winner, "acceptDelivery", [1n]);
        await c.market.write.revealKey([1n, d.root, d.key], { account: seller.account });
        await time.increase(WINDOWS.complaint);
        await assertions.emitWithArgs(c.market.write.completePurchase([1n], { account: bob.account }), c.market, "PurchaseCompleted", [
          1n,
          getAddress(seller.account.address),
          0n,
          ETH("0.2"),
        ]);
        assert.equal(await holdings(c, winner.address), ETH("2"), "its whole bid back (carol's penalty is burned, not the winner's)");
        assert.equal(await c.market.read.owed([SINK]), ETH("0.1"), "carol's penalty, burned");
        assert.equal(await c.market.read.owed([seller.account.address]), 0n);
      });
    });

    // ------------------------------------------------------------------ §4

    describe("§4 forced ether changes no behaviour", () => {
      async function force(target: Address, value: bigint) {
        const before = await balanceOf(target);
        await m.viem.deployContract("ForcedEtherSender", [target], { value });
        assert.equal(await balanceOf(target), before + value, "forced in, no function called");
      }

      for (const forced of [1n, ETH("1.5")]) {
        it(`${forced === 1n ? "1 wei" : `${Number(forced) / 1e18} ether`} forced into the market and the registry: every flow pays exact amounts and the excess just stays`, async () => {
          const c = await m.load();
          const { deployer } = m.accounts;
          await force(c.market.address, forced);
          await force(c.registry.address, forced);
          assert.equal(await balanceOf(c.market.address), forced);
          assert.equal(await balanceOf(c.registry.address), forced);

          // test-drives: refunded, forfeit, unserved
          const listingId = await m.list(c);
          const refunded = await m.openTest(c, listingId, buyer, 50);
          await receipt(c, refunded.testId);
          await m.refund(c, refunded.testId);
          const forfeited = await m.openTest(c, listingId, alice, 150);
          await receipt(c, forfeited.testId);
          const unserved = await m.openTest(c, listingId, bob, 120);
          await time.increase(POLICY.disputeWindow > POLICY.serviceWindow ? POLICY.disputeWindow : POLICY.serviceWindow);
          await c.market.write.forfeitDeposit([forfeited.testId], { account: carol.account });
          await c.market.write.refundUnserved([unserved.testId], { account: carol.account });

          // purchases: one completed, one refunded after a missed delivery
          await c.market.write.buy([listingId, 0n, PRICE], { account: buyer.account, value: PRICE });
          const done = await lastPurchaseId(c);
          await c.market.write.buy([listingId, 0n, PRICE], { account: alice.account, value: PRICE });
          const missed = await lastPurchaseId(c);
          const d = delivery();
          await c.market.write.commitDelivery([done, d.root, d.keyHash], { account: seller.account });
          await c.market.write.acceptDelivery([done], { account: buyer.account });
          await c.market.write.revealKey([done, d.root, d.key], { account: seller.account });
          await time.increase(WINDOWS.complaint > WINDOWS.delivery ? WINDOWS.complaint : WINDOWS.delivery);
          await c.market.write.completePurchase([done], { account: carol.account });
          await c.market.write.refundPurchase([missed], { account: carol.account });

          // an auction: winner, loser, silent bidder
          const auctionListing = await m.list(c, { saleMode: SALE_MODE.Auction, price: 0n });
          const auctionId = await auction(c, auctionListing, { nonRevealPenaltyBps: 1_000 });
          await bid(c, auctionId, bob, ETH("3"), ETH("3"));
          await bid(c, auctionId, carol, ETH("2"), ETH("2.5"));
          await bid(c, auctionId, mallory, ETH("1"), ETH("1"));
          await toReveal(c, auctionId);
          await revealAs(c, auctionId, bob, ETH("3"));
          await revealAs(c, auctionId, carol, ETH("2"));
          await toSettle(c, auctionId);
          await c.market.write.settleAuction([auctionId], { account: worker.account });
          for (const w of [bob, carol, mallory]) await c.market.write.reclaimBid([auctionId, w.account.address], { account: worker.account });
          const auctionPurchase = await lastPurchaseId(c);
          await time.increase(WINDOWS.delivery);
          await c.market.write.refundPurchase([auctionPurchase], { account: worker.account });

          const fee = (samples: number) => BigInt(samples - POLICY.freeSamples) * POLICY.feePerExtraSample;
          const expected: Array<[Wallet, bigint]> = [
            // the refunded test (50 samples): the deposit (its claim staked the free samples' fee)
            [buyer, POLICY.deposit],
            [alice, PRICE],
            // bob, the winner: its collateral beyond the price (1) and the refunded price (2);
            // mallory's 0.1 penalty is burned, not bob's
            [bob, POLICY.deposit + fee(120) + ETH("1") + ETH("2")],
            [carol, ETH("2.5")],
            [mallory, ETH("0.9")],
            [seller, refundSharesFor(50).toSeller + fee(150) + POLICY.deposit + PRICE],
          ];
          for (const [w, amount] of expected) assert.equal(await c.market.read.owed([w.account.address]), amount, `owed to ${w.account.address}`);
          const burned = ETH("0.1");
          assert.equal(await c.market.read.owed([SINK]), burned);
          assert.equal(await balanceOf(c.market.address), expected.reduce((s, [, a]) => s + a, 0n) + burned + forced);
          for (const [w, amount] of expected) {
            await assertions.balancesHaveChanged(c.market.write.withdraw({ account: w.account }), [{ address: w.account.address, amount }]);
          }
          assert.equal(await balanceOf(c.market.address), burned + forced, "only the burned penalty (owed to the keyless sink) and the forced ether (owed to no one) are left");

          // the registry: promotion fees in and out, exactly
          await c.registry.write.promote([listingId], { account: carol.account, value: ETH("0.7") });
          assert.equal(await c.registry.read.promotionFees(), ETH("0.7"));
          await assertions.balancesHaveChanged(c.registry.write.withdrawPromotionFees([alice.account.address], { account: deployer.account }), [
            { address: alice.account.address, amount: ETH("0.7") },
            { address: c.registry.address, amount: -ETH("0.7") },
          ]);
          assert.equal(await balanceOf(c.registry.address), forced);
          await assertions.revertWithCustomError(
            c.registry.write.withdrawPromotionFees([alice.account.address], { account: deployer.account }),
            c.registry,
            "ModelRegistryNothingToWithdraw",
          );
        });
      }
    });

    // ------------------------------------------------------------------ findings after issue 9

    // Findings #1 and #2 reproduced weaknesses left after the first round of issue 9; they are
    // fixed, and their tests now show the attack failing. Finding #3 is still open: its test
    // passes while the weakness exists (a node:test `todo` would fail the hardhat runner); once
    // it is fixed, the test fails: invert its last assertion (noted beside it).
    describe("findings after issue 9", () => {
      // Was: every refund restarted the dispute window, so buy -> wait -> refundPurchase -> buy ...
      // kept the deposit out of the seller's reach for as long as the buyer liked. Now the
      // deposit keeps its clock (the receipt's) through every sale.
      it("FIXED #1: cycling buy and refund cannot push the forfeit past the original deadline", async () => {
        const c = await m.load();
        const listingId = await m.list(c);
        const escaper = await depositEscaper(c, listingId, POLICY.disputeWindow - 10); // starts right after its receipt
        let cycles = 0;
        while (true) {
          if ((await c.market.read.testStatus([escaper.testId])) !== TEST_STATUS.Evaluated) break;
          await act(c, escaper.actor, "buy", [listingId, escaper.testId, PRICE], PRICE - POLICY.deposit);
          await time.increase(WINDOWS.delivery);
          await c.market.write.refundPurchase([await lastPurchaseId(c)], { account: carol.account });
          assert.equal((await c.market.read.getTest([escaper.testId])).phaseStartedAt, escaper.receivedAt, "no cycle restarts the clock");
          cycles++;
        }
        assert.equal(cycles, Math.ceil((POLICY.disputeWindow - 10) / (WINDOWS.delivery + 2)), "as many cycles as fit in the original window, no more");
        const now = await time.latest();
        assert.ok(now >= escaper.deadline && now < escaper.deadline + WINDOWS.delivery + 2, "at most one sale past the original deadline");
        assert.equal(await c.market.read.testStatus([escaper.testId]), TEST_STATUS.Forfeitable, "forfeitable now");
        // one more cycle is refused: a forfeitable deposit cannot go back into a sale
        await assertions.revertWithCustomErrorWithArgs(
          act(c, escaper.actor, "buy", [listingId, escaper.testId, PRICE], PRICE - POLICY.deposit),
          c.market,
          "TestDrivesInvalidStatus",
          [escaper.testId, TEST_STATUS.Forfeitable],
        );
        const before = await c.market.read.owed([seller.account.address]);
        await c.market.write.forfeitDeposit([escaper.testId], { account: carol.account });
        assert.equal(await c.market.read.owed([seller.account.address]), before + POLICY.deposit, "the seller gets the deposit");
        assert.equal(await holdings(c, escaper.address), BigInt(cycles) * (PRICE - POLICY.deposit), "the escaper only its own ether");
      });

      // Was: penalties went to the winner, so a bidder that committed several amounts from
      // several addresses and revealed only the lowest winning one (after seeing the others'
      // reveals) paid its own penalties to itself: a first-price auction became a free
      // second-price one for it. Now the penalties are burned.
      it("FIXED #2: a first-price bidder's withheld sybil bids cost it their penalties, burned, even when one of its own addresses wins", async () => {
        const c = await m.load();
        const listingId = await m.list(c, { saleMode: SALE_MODE.Auction, price: 0n });
        const auctionId = await auction(c, listingId, { kind: AUCTION_KIND.FirstPrice, nonRevealPenaltyBps: 1_000 });
        const sybils = [await deployAttacker(), await deployAttacker(), await deployAttacker()];
        const amounts = [ETH("2.5"), ETH("4"), ETH("6")];
        for (const [i, s] of sybils.entries()) await bid(c, auctionId, s, amounts[i]!, ETH("6"));
        await bid(c, auctionId, carol, ETH("2.2"), ETH("2.2"));
        await toReveal(c, auctionId);
        await revealAs(c, auctionId, carol, ETH("2.2"));
        await revealAs(c, auctionId, sybils[0]!, amounts[0]!); // the lowest that beats carol; 4 and 6 withheld
        await toSettle(c, auctionId);
        await c.market.write.settleAuction([auctionId], { account: bob.account });
        for (const s of sybils) await c.market.write.reclaimBid([auctionId, s.address], { account: bob.account });
        let total = 0n;
        for (const s of sybils) total += await holdings(c, s.address);
        const price = ETH("2.5");
        const penalties = 2n * ETH("0.6"); // 10% of the 6 ether collateral of each withheld bid
        assert.equal(total, 3n * ETH("6") - price - penalties, "the price and both penalties left the sybils");
        assert.equal(await c.market.read.owed([SINK]), penalties, "burned, not paid to the winning sybil");
        assert.equal(await c.market.read.owed([seller.account.address]), 0n, "nor to the seller");
      });

      // With nonRevealPenaltyBps = 10000 a deposit-backed bid needs msg.value >= msg.value + deposit,
      // which no value meets, and the deposit moves whenever the test is Evaluated: test drivers
      // still in their window cannot bid at all (with 9000 bps they need 9x the deposit in ether).
      it("OPEN #3: a test driver still in its dispute window cannot bid in an onlyTestDrivers auction with a 100% penalty", async () => {
        const c = await m.load();
        const listingId = await m.list(c, { saleMode: SALE_MODE.Auction, price: 0n });
        const auctionId = await auction(c, listingId, { onlyTestDrivers: true, nonRevealPenaltyBps: 10_000 });
        const { testId } = await m.openTest(c, listingId, alice, 50);
        await receipt(c, testId);
        // FINDING #3 (open): should be: the bid is accepted
        await assertions.revertWithCustomErrorWithArgs(bid(c, auctionId, alice, ETH("1"), ETH("100"), testId), c.market, "AuctionsPenaltyNotCovered", [
          auctionId,
          ETH("101"),
          ETH("100"),
        ]);
      });
    });
  });
});
