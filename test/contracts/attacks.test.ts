/**
 * Adversarial tests of the market's money paths, with attacker contracts from
 * contracts/mocks/attackers/:
 * - reentrancy on every payout (the attacker's receive() re-enters the same and every other
 *   payout function, including the receipt calls that now pay the test fee; the guard stops
 *   each attempt, nobody is paid twice);
 * - receivers that revert on payment cannot block payouts to anyone else;
 * - copied (front-run) and replayed proofs and receipt signatures;
 * - griefing by silent bidders, sellers and workers.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bytesToHex, encodeFunctionData, getAddress, keccak256, parseEther, parseEventLogs, toFunctionSelector, toHex, type Address, type Hex } from "viem";
import { ChunkTree, keyHash, toChunks, xorChunks } from "../../sdk/src/index.ts";
import { AUCTION_KIND, connectMarket, POLICY, PRICE, SALE_MODE, TEST_STATUS, WINDOWS } from "../helpers/market.ts";

const REENTRANT_CALL = toFunctionSelector("ReentrancyGuardReentrantCall()");
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
      mk(c, "claimRefund", [testId, m.proofWith(0n)]),
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
    await attacker.write.arm([target, calls, bubble]);
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
      const { testId } = await openTestAs(c, attacker, listingId);
      await receipt(c, testId);
      // A third party refunds the attacker's test: the deposit is credited, not pushed.
      await c.market.write.claimRefund([testId, await m.proofFor(c, testId)], { account: carol.account });
      assert.equal(await c.market.read.owed([attacker.address]), POLICY.deposit);

      // Bubbling mode: the guard's revert unwinds the whole withdrawal.
      const calls = allPayouts(c, attacker.address, { testId });
      await arm(attacker, c.market.address, calls, true);
      await assertions.revertWithCustomError(exec(attacker, c.market.address, mk(c, "withdraw")), c.market, "ReentrancyGuardReentrantCall");
      assert.equal(await c.market.read.owed([attacker.address]), POLICY.deposit, "credit intact after the reverted attempt");

      // Recording mode: the withdrawal goes through once, every reentry fails.
      await arm(attacker, c.market.address, calls, false);
      const before = await balanceOf(c.market.address);
      const hash = await exec(attacker, c.market.address, mk(c, "withdraw"));
      await assertReentryBlocked(attacker, calls.length, POLICY.deposit);
      assert.deepEqual(await ledgerEvents(c, hash), ["PaymentWithdrawn"], "withdraw() alone emits PaymentWithdrawn");
      assert.equal(await balanceOf(c.market.address), before - POLICY.deposit);
      assert.equal(await c.market.read.owed([attacker.address]), 0n);
      await assertions.revertWithCustomError(exec(attacker, c.market.address, mk(c, "withdraw")), c.market, "MarketLedgerNothingOwed");
    });

    it("claimRefund (direct payment to the claiming buyer)", async () => {
      const c = await m.load();
      const attacker = await deployAttacker();
      const listingId = await m.list(c);
      const { testId } = await openTestAs(c, attacker, listingId);
      const other = await m.openTest(c, listingId, alice); // a second refundable test to aim at
      await receipt(c, testId);
      await receipt(c, other.testId);
      const calls = [mk(c, "claimRefund", [testId, await m.proofFor(c, testId)]), mk(c, "claimRefund", [other.testId, await m.proofFor(c, other.testId)]), ...allPayouts(c, attacker.address, { testId })];
      await arm(attacker, c.market.address, calls);
      const proof = await m.proofFor(c, testId);
      await exec(attacker, c.market.address, mk(c, "claimRefund", [testId, proof]));
      await assertReentryBlocked(attacker, calls.length, POLICY.deposit);
      assert.equal(await c.market.read.testStatus([other.testId]), TEST_STATUS.Evaluated, "the other test was not touched");
      await assertions.revertWithCustomError(exec(attacker, c.market.address, mk(c, "claimRefund", [testId, proof])), c.market, "TestDrivesInvalidStatus");
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
      const before = await balanceOf(buyer.account.address);
      const proof = await m.proofFor(c, a.testId);
      const hash = await c.market.write.claimRefund([a.testId, proof], { account: buyer.account });
      const r = await m.publicClient.waitForTransactionReceipt({ hash });
      assert.equal(await balanceOf(buyer.account.address), before + POLICY.deposit - r.gasUsed * r.effectiveGasPrice, "buyer paid directly");
      assert.deepEqual(await ledgerEvents(c, hash), [], "a direct payment emits no ledger event");
      assert.equal(await c.market.read.owed([rejecter.address]), a.fee + b.fee, "the refund leaves the paid fee with the seller");
      await time.increase(POLICY.disputeWindow);
      await c.market.write.forfeitDeposit([b.testId], { account: mallory.account });
      assert.equal(await c.market.read.owed([rejecter.address]), a.fee + POLICY.deposit + b.fee, "forfeit credits only the deposit");
      // Only the rejecter itself is stuck, and its credit stays intact.
      await assert.rejects(exec(rejecter, c.market.address, mk(c, "withdraw")));
      assert.equal(await c.market.read.owed([rejecter.address]), a.fee + POLICY.deposit + b.fee);
      // A purchase from the rejecting seller still completes (credited) and refunds work.
      await c.market.write.buy([listingId, 0n, PRICE], { account: carol.account, value: PRICE });
      const purchaseId = await lastPurchaseId(c);
      const d = delivery();
      await exec(rejecter, c.market.address, mk(c, "commitDelivery", [purchaseId, d.root, d.keyHash]));
      await c.market.write.acceptDelivery([purchaseId], { account: carol.account });
      await exec(rejecter, c.market.address, mk(c, "revealKey", [purchaseId, d.root, d.key]));
      await time.increase(WINDOWS.complaint);
      await c.market.write.completePurchase([purchaseId], { account: mallory.account });
      assert.equal(await c.market.read.owed([rejecter.address]), a.fee + POLICY.deposit + b.fee + PRICE);
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
    it("a proof copied from the mempool refunds the buyer, not the copier; replays fail", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      const { testId, commitment } = await m.openTest(c, listingId, buyer, 150);
      await receipt(c, testId);
      const proof = await m.proofFor(c, testId);

      // Mallory copies the buyer's data commitment into her own test-drive and tries the proof there.
      await c.market.write.openTest([listingId, commitment, 150], { account: mallory.account, value: POLICY.deposit + 50n * POLICY.feePerExtraSample });
      const malloryTest = testId + 1n;
      await receipt(c, malloryTest);
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.claimRefund([malloryTest, proof], { account: mallory.account }),
        c.market,
        "TestDrivesInvalidProof",
        [malloryTest],
      );

      // Mallory front-runs the buyer's own claim with the copied proof.
      const malloryBefore = await balanceOf(mallory.account.address);
      const hash = await c.market.write.claimRefund([testId, proof], { account: mallory.account });
      const r = await m.publicClient.waitForTransactionReceipt({ hash });
      assert.equal(await balanceOf(mallory.account.address), malloryBefore - r.gasUsed * r.effectiveGasPrice, "mallory only paid gas");
      assert.equal(await c.market.read.owed([mallory.account.address]), 0n);
      assert.equal(await c.market.read.owed([buyer.account.address]), POLICY.deposit, "the buyer is refunded");
      assert.equal(await c.market.read.owed([seller.account.address]), 2n * 50n * POLICY.feePerExtraSample, "the seller keeps both fees paid at receipt");

      // The buyer's own (now late) transaction and any later replay fail.
      await assertions.revertWithCustomErrorWithArgs(
        c.market.write.claimRefund([testId, proof], { account: buyer.account }),
        c.market,
        "TestDrivesInvalidStatus",
        [testId, TEST_STATUS.Closed],
      );
      await c.market.write.withdraw({ account: buyer.account });
      await assertions.revertWithCustomError(c.market.write.withdraw({ account: buyer.account }), c.market, "MarketLedgerNothingOwed");
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
    it("a bidder who never reveals pays the penalty (to the winner) and the auction still settles", async () => {
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
      // The penalty goes to the winner, so a withheld bid costs its bidder even when the seller runs it.
      assert.equal(await c.market.read.owed([alice.account.address]), parseEther("2.5"), "penalty to the winner");
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
});
