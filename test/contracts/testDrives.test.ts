/**
 * TestDrives (inside ModelMarket): opening a test-drive, evaluation receipts (sent or
 * EIP-712-signed), refunds through RefundDisputes, unserved refunds, forfeits, the computed status at
 * every stage and boundary, the packed dispute context, `testPrice`, and the pull-payment ledger.
 * The fee is paid to the seller when the receipt is recorded; the deposit is paid when the
 * test-drive ends (refund, forfeit). Direct payments (payee = caller) emit no ledger events.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, hashTypedData, keccak256, parseEventLogs, toHex, zeroAddress, zeroHash, type Address, type Hash, type Hex } from "viem";
import { bindingTag, packDisputeContext, unpackDisputeContext } from "@modelbazaar/sdk/testDrives";
import {
  CLAIMED_ACCURACY_BPS,
  POLICY,
  PRICE,
  TASK,
  TEST_PHASE,
  TEST_STATUS,
  connectMarket,
  refundSharesFor,
} from "../helpers/market.ts";

/** `ModelRegistry.MAX_SAMPLES` = type(uint16).max. */
const MAX_SAMPLES = 65_535;

const SNARK_SCALAR_FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const RESULT = keccak256(toHex("encrypted results"));
const OTHER_RESULT = keccak256(toHex("other encrypted results"));
/** Samples used by default: 50 above the free allowance, so every test-drive carries a fee. */
const SAMPLES = 150;

function feeFor(sampleCount: number): bigint {
  return sampleCount > POLICY.freeSamples ? BigInt(sampleCount - POLICY.freeSamples) * POLICY.feePerExtraSample : 0n;
}

function commitment(n: bigint): Hex {
  return toHex(n, { size: 32 });
}

describe("TestDrives", async () => {
  const m = await connectMarket();
  const { viem, publicClient, networkHelpers } = m;
  const { time } = networkHelpers;
  const { seller, buyer, worker, alice, mallory } = m.accounts;
  const SELLER = getAddress(seller.account.address);
  const BUYER = getAddress(buyer.account.address);
  const WORKER = getAddress(worker.account.address);
  const ALICE = getAddress(alice.account.address);
  const MALLORY = getAddress(mallory.account.address);
  const chainId = BigInt(await publicClient.getChainId());
  const FEE = feeFor(SAMPLES);
  const STAKE = POLICY.deposit + FEE;
  /** What a refund of SAMPLES samples nets: F, the free samples' fee the claim stakes, to the seller, the rest of the deposit to the buyer. */
  const REFUND = refundSharesFor(SAMPLES);
  const UNKNOWN = 999n;

  type Contracts = Awaited<ReturnType<typeof m.load>>;
  type Wallet = typeof buyer;
  type PolicyOverrides = Partial<{
    deposit: bigint;
    feePerExtraSample: bigint;
    freeSamples: number;
    minSamples: number;
    maxSamples: number;
    serviceWindow: number;
    disputeWindow: number;
  }>;

  /** Deploys, lists the default model and opens one test-drive of SAMPLES samples by the buyer. */
  async function opened() {
    const c = await m.load();
    const listingId = await m.list(c);
    const { testId, commitment: dataCommitment } = await m.openTest(c, listingId, buyer, SAMPLES);
    const { phaseStartedAt: openedAt } = await c.market.read.getTest([testId]);
    return { c, listingId, testId, dataCommitment, openedAt, serviceDeadline: openedAt + POLICY.serviceWindow };
  }

  /** As {opened}, with the worker's receipt recorded (the fee is now credited to the seller). */
  async function evaluated() {
    const o = await opened();
    await o.c.market.write.recordReceipt([o.testId, RESULT], { account: worker.account });
    const { phaseStartedAt: receiptAt } = await o.c.market.read.getTest([o.testId]);
    return { ...o, receiptAt, disputeDeadline: receiptAt + POLICY.disputeWindow };
  }

  /** The timestamp of the block that mined `hash`. */
  async function blockTime(hash: Hash | Promise<Hash>): Promise<number> {
    const { blockNumber } = await publicClient.getTransactionReceipt({ hash: await hash });
    return Number((await publicClient.getBlock({ blockNumber })).timestamp);
  }

  /** The ledger events (PaymentCredited, PaymentWithdrawn) a transaction emitted, in order. */
  async function ledgerEvents(c: Contracts, hash: Hash | Promise<Hash>) {
    const { logs } = await publicClient.waitForTransactionReceipt({ hash: await hash });
    return parseEventLogs({ abi: c.market.abi, logs, eventName: ["PaymentCredited", "PaymentWithdrawn"] }).map((log) => [
      log.eventName,
      log.args.payee,
      log.args.amount,
    ]);
  }

  /** Lists the default model with `policy` merged into the default test policy, as the seller. */
  async function listWithPolicy(c: Contracts, policy: PolicyOverrides) {
    const terms = m.terms();
    await c.registry.write.list([{ ...terms, testPolicy: { ...POLICY, ...policy } }, m.offer()], { account: seller.account });
    return c.registry.read.listingCount();
  }

  type Domain = { name: string; version: string; chainId: bigint; verifyingContract: Address };

  function domain(c: Contracts): Domain {
    return { name: "ModelBazaar", version: "1", chainId, verifyingContract: c.market.address };
  }

  const receiptTypes = {
    EvaluationReceipt: [
      { name: "testId", type: "uint256" },
      { name: "resultHash", type: "bytes32" },
    ],
  } as const;

  /** `signer`'s EIP-712 signature of the receipt for (`testId`, `resultHash`) on market `c`. */
  function signReceipt(c: Contracts, signer: Wallet, testId: bigint, resultHash: Hex, domainOverride: Partial<Domain> = {}) {
    return signer.signTypedData({
      account: signer.account,
      domain: { ...domain(c), ...domainOverride },
      types: receiptTypes,
      primaryType: "EvaluationReceipt",
      message: { testId, resultHash },
    });
  }

  async function status(c: Contracts, testId: bigint) {
    return c.market.read.testStatus([testId]);
  }

  describe("openTest", () => {
    it("stores the test-drive's facts and emits TestOpened with all its args", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      const dataCommitment = commitment(12_345n);
      const hash = await c.market.write.openTest([listingId, dataCommitment, SAMPLES], { account: buyer.account, value: STAKE });
      await viem.assertions.emitWithArgs(Promise.resolve(hash), c.market, "TestOpened", [
        1n,
        listingId,
        BUYER,
        dataCommitment,
        SAMPLES,
        POLICY.deposit,
        FEE,
      ]);
      // deposit and fee are not stored: they follow from the listing's policy (testPrice)
      assert.deepEqual(await c.market.read.getTest([1n]), {
        buyer: BUYER,
        listingId: Number(listingId),
        sampleCount: SAMPLES,
        phase: TEST_PHASE.Open,
        phaseStartedAt: await blockTime(hash),
        dataCommitment,
      });
      assert.deepEqual(await c.market.read.testPrice([listingId, SAMPLES]), [POLICY.deposit, FEE]);
      assert.equal(await status(c, 1n), TEST_STATUS.AwaitingReceipt);
      assert.deepEqual(await ledgerEvents(c, hash), []);
    });

    it("moves deposit + fee from the buyer into the market", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      await viem.assertions.balancesHaveChanged(
        c.market.write.openTest([listingId, commitment(1n), SAMPLES], { account: buyer.account, value: STAKE }),
        [
          { address: BUYER, amount: -STAKE },
          { address: c.market.address, amount: STAKE },
          { address: SELLER, amount: 0n },
        ],
      );
    });

    it("numbers test-drives 1, 2, ... across buyers (simulated return value)", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      const first = await c.market.simulate.openTest([listingId, commitment(1n), SAMPLES], { account: BUYER, value: STAKE });
      assert.equal(first.result, 1n);
      await c.market.write.openTest([listingId, commitment(1n), SAMPLES], { account: buyer.account, value: STAKE });
      const second = await c.market.simulate.openTest([listingId, commitment(2n), SAMPLES], { account: ALICE, value: STAKE });
      assert.equal(second.result, 2n);
      await c.market.write.openTest([listingId, commitment(2n), SAMPLES], { account: alice.account, value: STAKE });
      assert.equal((await c.market.read.getTest([2n])).buyer, ALICE);
    });

    const feeCases: Array<[string, number, bigint]> = [
      ["minSamples (below the free allowance): no fee", POLICY.minSamples, 0n],
      ["exactly freeSamples: no fee", POLICY.freeSamples, 0n],
      ["freeSamples + 1: one sample's fee", POLICY.freeSamples + 1, POLICY.feePerExtraSample],
      ["maxSamples: fee on the samples above freeSamples", POLICY.maxSamples, BigInt(POLICY.maxSamples - POLICY.freeSamples) * POLICY.feePerExtraSample],
    ];
    for (const [name, sampleCount, fee] of feeCases) {
      it(`charges deposit + fee only above freeSamples — ${name}`, async () => {
        const c = await m.load();
        const listingId = await m.list(c);
        await viem.assertions.emitWithArgs(
          c.market.write.openTest([listingId, commitment(7n), sampleCount], { account: buyer.account, value: POLICY.deposit + fee }),
          c.market,
          "TestOpened",
          [1n, listingId, BUYER, commitment(7n), sampleCount, POLICY.deposit, fee],
        );
        assert.equal((await c.market.read.getTest([1n])).sampleCount, sampleCount);
        assert.deepEqual(await c.market.read.testPrice([listingId, sampleCount]), [POLICY.deposit, fee]);
        assert.equal(await publicClient.getBalance({ address: c.market.address }), POLICY.deposit + fee);
      });
    }

    it("reverts TestDrivesIncorrectPayment(sent, required) on one wei too little or too much", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      for (const sent of [STAKE - 1n, STAKE + 1n, POLICY.deposit, 0n]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          c.market.write.openTest([listingId, commitment(1n), SAMPLES], { account: buyer.account, value: sent }),
          c.market,
          "TestDrivesIncorrectPayment",
          [sent, STAKE],
        );
      }
    });

    it("reverts TestDrivesSampleCountOutOfRange below minSamples and above maxSamples", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      for (const sampleCount of [0, POLICY.minSamples - 1, POLICY.maxSamples + 1]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          c.market.write.openTest([listingId, commitment(1n), sampleCount], {
            account: buyer.account,
            value: POLICY.deposit + feeFor(sampleCount),
          }),
          c.market,
          "TestDrivesSampleCountOutOfRange",
          [sampleCount, POLICY.minSamples, POLICY.maxSamples],
        );
      }
    });

    it("reverts TestDrivesInvalidDataCommitment on zero, on the field modulus and above it", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      for (const bad of [zeroHash, commitment(SNARK_SCALAR_FIELD), commitment(SNARK_SCALAR_FIELD + 1n), commitment((1n << 256n) - 1n)]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          c.market.write.openTest([listingId, bad, SAMPLES], { account: buyer.account, value: STAKE }),
          c.market,
          "TestDrivesInvalidDataCommitment",
          [bad],
        );
      }
    });

    it("accepts the largest field element as commitment", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      await c.market.write.openTest([listingId, commitment(SNARK_SCALAR_FIELD - 1n), SAMPLES], { account: buyer.account, value: STAKE });
      assert.equal((await c.market.read.getTest([1n])).dataCommitment, commitment(SNARK_SCALAR_FIELD - 1n));
    });

    it("reverts TestDrivesListingNotActive on a paused listing, and works again once unpaused", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      await c.registry.write.pause([listingId], { account: seller.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.openTest([listingId, commitment(1n), SAMPLES], { account: buyer.account, value: STAKE }),
        c.market,
        "TestDrivesListingNotActive",
        [listingId],
      );
      await c.registry.write.unpause([listingId], { account: seller.account });
      await c.market.write.openTest([listingId, commitment(1n), SAMPLES], { account: buyer.account, value: STAKE });
      assert.equal(await status(c, 1n), TEST_STATUS.AwaitingReceipt);
    });

    it("reverts TestDrivesListingNotActive on a delisted listing", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      await c.registry.write.delist([listingId], { account: seller.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.openTest([listingId, commitment(1n), SAMPLES], { account: buyer.account, value: STAKE }),
        c.market,
        "TestDrivesListingNotActive",
        [listingId],
      );
    });

    it("reverts TestDrivesListingNotActive on an unknown listing (even with zero payment and samples)", async () => {
      const c = await m.load();
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.openTest([UNKNOWN, commitment(1n), 0], { account: buyer.account, value: 0n }),
        c.market,
        "TestDrivesListingNotActive",
        [UNKNOWN],
      );
    });

    it("accepts MAX_SAMPLES = 65535 samples and stores the count without truncation (uint16 sampleCount)", async () => {
      const c = await m.load();
      const listingId = await listWithPolicy(c, { maxSamples: MAX_SAMPLES });
      const fee = BigInt(MAX_SAMPLES - POLICY.freeSamples) * POLICY.feePerExtraSample;
      await viem.assertions.emitWithArgs(
        c.market.write.openTest([listingId, commitment(3n), MAX_SAMPLES], { account: buyer.account, value: POLICY.deposit + fee }),
        c.market,
        "TestOpened",
        [1n, listingId, BUYER, commitment(3n), MAX_SAMPLES, POLICY.deposit, fee],
      );
      assert.equal((await c.market.read.getTest([1n])).sampleCount, MAX_SAMPLES);
      assert.equal(unpackDisputeContext(await c.market.read.disputeContext([1n])).sampleCount, MAX_SAMPLES);
      // and the unserved refund returns exactly what was paid
      await time.increase(POLICY.serviceWindow);
      await viem.assertions.balancesHaveChanged(c.market.write.refundUnserved([1n], { account: buyer.account }), [
        { address: BUYER, amount: POLICY.deposit + fee },
      ]);
    });

    it("carries the largest fee the registry allows (2**96 - 1 wei) through open, receipt and refund (the free samples' fee, above the deposit, takes all of it)", async () => {
      const c = await m.load();
      const maxFee = (1n << 96n) - 1n;
      const listingId = await listWithPolicy(c, { freeSamples: 99, minSamples: 1, maxSamples: 100, feePerExtraSample: maxFee });
      await networkHelpers.setBalance(BUYER, 2n * maxFee);
      await c.market.write.openTest([listingId, commitment(5n), 100], { account: buyer.account, value: POLICY.deposit + maxFee });
      assert.deepEqual(await c.market.read.testPrice([listingId, 100]), [POLICY.deposit, maxFee]);
      await viem.assertions.emitWithArgs(
        c.market.write.recordReceipt([1n, RESULT], { account: worker.account }),
        c.market,
        "ReceiptRecorded",
        [1n, RESULT, WORKER, maxFee],
      );
      assert.equal(await c.market.read.owed([SELLER]), maxFee);
      // F_free = 99 * (2**96 - 1) wei exceeds the 1 ether deposit: the claim stakes the deposit, which the seller gets; the buyer nets nothing.
      await viem.assertions.emitWithArgs(m.refund(c, 1n), c.market, "TestClosed", [1n, TEST_PHASE.Refunded, POLICY.deposit, POLICY.deposit]);
      assert.equal(await c.market.read.owed([SELLER]), maxFee + POLICY.deposit);
      assert.equal(await c.market.read.owed([BUYER]), POLICY.deposit);
      assert.equal(await publicClient.getBalance({ address: c.market.address }), maxFee + 2n * POLICY.deposit);
    });
  });

  describe("testPrice", () => {
    it("returns [deposit, fee] of the listing's policy: no fee up to freeSamples, feePerExtraSample per sample above", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      for (const [sampleCount, fee] of [
        [POLICY.minSamples, 0n],
        [POLICY.freeSamples - 1, 0n],
        [POLICY.freeSamples, 0n],
        [POLICY.freeSamples + 1, POLICY.feePerExtraSample],
        [SAMPLES, FEE],
        [POLICY.maxSamples, BigInt(POLICY.maxSamples - POLICY.freeSamples) * POLICY.feePerExtraSample],
      ] as const) {
        assert.deepEqual(await c.market.read.testPrice([listingId, sampleCount]), [POLICY.deposit, fee], `sampleCount ${sampleCount}`);
      }
    });

    it("is exactly what openTest requires and what TestOpened reports", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      const [deposit, fee] = await c.market.read.testPrice([listingId, SAMPLES]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.openTest([listingId, commitment(1n), SAMPLES], { account: buyer.account, value: 0n }),
        c.market,
        "TestDrivesIncorrectPayment",
        [0n, deposit + fee],
      );
      await viem.assertions.emitWithArgs(
        c.market.write.openTest([listingId, commitment(1n), SAMPLES], { account: buyer.account, value: deposit + fee }),
        c.market,
        "TestOpened",
        [1n, listingId, BUYER, commitment(1n), SAMPLES, deposit, fee],
      );
    });

    it("follows each listing's own policy", async () => {
      const c = await m.load();
      const first = await m.list(c);
      const second = await listWithPolicy(c, { deposit: 2n * 10n ** 18n, feePerExtraSample: 3n, freeSamples: 0, minSamples: 1 });
      assert.deepEqual(await c.market.read.testPrice([second, 10]), [2n * 10n ** 18n, 30n]);
      assert.deepEqual(await c.market.read.testPrice([first, 10]), [POLICY.deposit, 0n]);
      await c.market.write.openTest([second, commitment(1n), 10], { account: alice.account, value: 2n * 10n ** 18n + 30n });
      await viem.assertions.emitWithArgs(
        c.market.write.recordReceipt([1n, RESULT], { account: worker.account }),
        c.market,
        "ReceiptRecorded",
        [1n, RESULT, WORKER, 30n],
      );
    });

    it("does not change with the listing's status, its offer or the clock (the test policy is immutable)", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      const price = [POLICY.deposit, FEE] as const;
      await c.registry.write.updateOffer([listingId, m.offer({ workerSigner: ALICE, price: 1n })], { account: seller.account });
      assert.deepEqual(await c.market.read.testPrice([listingId, SAMPLES]), price);
      await c.registry.write.pause([listingId], { account: seller.account });
      assert.deepEqual(await c.market.read.testPrice([listingId, SAMPLES]), price);
      await c.registry.write.delist([listingId], { account: seller.account });
      await time.increase(365 * 24 * 3_600);
      assert.deepEqual(await c.market.read.testPrice([listingId, SAMPLES]), price);
    });

    it("refuses sample counts outside the policy's bounds, as openTest does (TestDrivesSampleCountOutOfRange)", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      for (const n of [0, POLICY.minSamples - 1, POLICY.maxSamples + 1, 2 ** 32 - 1]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          c.market.read.testPrice([listingId, n]),
          c.market,
          "TestDrivesSampleCountOutOfRange",
          [n, POLICY.minSamples, POLICY.maxSamples],
        );
      }
      assert.deepEqual(await c.market.read.testPrice([listingId, POLICY.minSamples]), [POLICY.deposit, 0n]);
    });

    it("refuses an unknown listing (TestDrivesListingNotActive)", async () => {
      const c = await m.load();
      for (const id of [0n, UNKNOWN]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          c.market.read.testPrice([id, SAMPLES]),
          c.market,
          "TestDrivesListingNotActive",
          [id],
        );
      }
    });
  });

  describe("recordReceipt", () => {
    it("by the worker signer: emits ReceiptRecorded(testId, resultHash, worker, fee), phase Evaluated since the block, status Evaluated", async () => {
      const { c, testId, dataCommitment } = await opened();
      const hash = await c.market.write.recordReceipt([testId, RESULT], { account: worker.account });
      await viem.assertions.emitWithArgs(Promise.resolve(hash), c.market, "ReceiptRecorded", [testId, RESULT, WORKER, FEE]);
      assert.deepEqual(await c.market.read.getTest([testId]), {
        buyer: BUYER,
        listingId: 1,
        sampleCount: SAMPLES,
        phase: TEST_PHASE.Evaluated,
        phaseStartedAt: await blockTime(hash),
        dataCommitment,
      });
      assert.equal(await status(c, testId), TEST_STATUS.Evaluated);
    });

    it("by the worker signer: credits the fee to the seller (PaymentCredited), nothing leaves the market", async () => {
      const { c, testId } = await opened();
      const hash = await c.market.write.recordReceipt([testId, RESULT], { account: worker.account });
      await viem.assertions.balancesHaveChanged(hash, [
        { address: SELLER, amount: 0n },
        { address: WORKER, amount: 0n },
        { address: BUYER, amount: 0n },
        { address: c.market.address, amount: 0n },
      ]);
      assert.deepEqual(await ledgerEvents(c, hash), [["PaymentCredited", SELLER, FEE]]);
      assert.equal(await c.market.read.owed([SELLER]), FEE);
      assert.equal(await c.market.read.owed([WORKER]), 0n);
      assert.equal(await c.market.read.owed([BUYER]), 0n);
    });

    it("by the seller: accepted, the event names the seller, the fee is sent to the seller at once (no ledger events)", async () => {
      const { c, testId } = await opened();
      const hash = await c.market.write.recordReceipt([testId, RESULT], { account: seller.account });
      await viem.assertions.emitWithArgs(hash, c.market, "ReceiptRecorded", [testId, RESULT, SELLER, FEE]);
      await viem.assertions.balancesHaveChanged(hash, [
        { address: SELLER, amount: FEE },
        { address: BUYER, amount: 0n },
        { address: c.market.address, amount: -FEE },
      ]);
      assert.deepEqual(await ledgerEvents(c, hash), []);
      assert.equal(await c.market.read.owed([SELLER]), 0n);
      assert.equal(await publicClient.getBalance({ address: c.market.address }), POLICY.deposit);
      assert.equal(await status(c, testId), TEST_STATUS.Evaluated);
    });

    it("with no fee (freeSamples or fewer): ReceiptRecorded(..., 0), no credit, no ledger event", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      const { testId, fee } = await m.openTest(c, listingId, buyer, POLICY.freeSamples);
      assert.equal(fee, 0n);
      const hash = await c.market.write.recordReceipt([testId, RESULT], { account: worker.account });
      await viem.assertions.emitWithArgs(hash, c.market, "ReceiptRecorded", [testId, RESULT, WORKER, 0n]);
      assert.deepEqual(await ledgerEvents(c, hash), []);
      assert.equal(await c.market.read.owed([SELLER]), 0n);
      assert.equal(await publicClient.getBalance({ address: c.market.address }), POLICY.deposit);
    });

    it("reverts TestDrivesUnauthorizedWorker for the buyer and for a stranger", async () => {
      const { c, testId, openedAt } = await opened();
      for (const [account, address] of [
        [buyer, BUYER],
        [mallory, MALLORY],
      ] as const) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          c.market.write.recordReceipt([testId, RESULT], { account: account.account }),
          c.market,
          "TestDrivesUnauthorizedWorker",
          [testId, address],
        );
      }
      const t = await c.market.read.getTest([testId]);
      assert.equal(t.phase, TEST_PHASE.Open);
      assert.equal(t.phaseStartedAt, openedAt);
      assert.equal(await c.market.read.owed([SELLER]), 0n);
    });

    it("follows the current worker signer: after updateOffer the old worker is rejected, the new one accepted", async () => {
      const { c, listingId, testId } = await opened();
      await c.registry.write.updateOffer([listingId, m.offer({ workerSigner: ALICE })], { account: seller.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.recordReceipt([testId, RESULT], { account: worker.account }),
        c.market,
        "TestDrivesUnauthorizedWorker",
        [testId, WORKER],
      );
      await viem.assertions.emitWithArgs(
        c.market.write.recordReceipt([testId, RESULT], { account: alice.account }),
        c.market,
        "ReceiptRecorded",
        [testId, RESULT, ALICE, FEE],
      );
      // the fee is the seller's, not the worker's
      assert.equal(await c.market.read.owed([SELLER]), FEE);
      assert.equal(await c.market.read.owed([ALICE]), 0n);
    });

    it("still works after the listing is delisted (open test-drives resolve), and still pays the fee", async () => {
      const { c, listingId, testId } = await opened();
      await c.registry.write.delist([listingId], { account: seller.account });
      await c.market.write.recordReceipt([testId, RESULT], { account: worker.account });
      assert.equal(await status(c, testId), TEST_STATUS.Evaluated);
      assert.equal(await c.market.read.owed([SELLER]), FEE);
    });

    it("reverts TestDrivesEmptyReceipt on a zero result hash", async () => {
      const { c, testId } = await opened();
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.recordReceipt([testId, zeroHash], { account: worker.account }),
        c.market,
        "TestDrivesEmptyReceipt",
        [testId],
      );
      assert.equal(await c.market.read.owed([SELLER]), 0n);
      assert.equal(await status(c, testId), TEST_STATUS.AwaitingReceipt);
    });

    it("succeeds one second before the service deadline", async () => {
      const { c, testId, serviceDeadline } = await opened();
      await time.setNextBlockTimestamp(serviceDeadline - 1);
      await c.market.write.recordReceipt([testId, RESULT], { account: worker.account });
      assert.equal((await c.market.read.getTest([testId])).phaseStartedAt, serviceDeadline - 1);
      assert.equal(await status(c, testId), TEST_STATUS.Evaluated);
      assert.equal(await c.market.read.owed([SELLER]), FEE);
    });

    it("reverts TestDrivesInvalidStatus(Unserved) exactly at the service deadline", async () => {
      const { c, testId, serviceDeadline } = await opened();
      await time.increaseTo(serviceDeadline - 1);
      await time.setNextBlockTimestamp(serviceDeadline);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.recordReceipt([testId, RESULT], { account: worker.account }),
        c.market,
        "TestDrivesInvalidStatus",
        [testId, TEST_STATUS.Unserved],
      );
      assert.equal(await c.market.read.owed([SELLER]), 0n);
    });

    it("reverts TestDrivesInvalidStatus(Evaluated) on a second receipt, keeping the first and paying the fee once", async () => {
      const { c, testId, receiptAt } = await evaluated();
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.recordReceipt([testId, OTHER_RESULT], { account: seller.account }),
        c.market,
        "TestDrivesInvalidStatus",
        [testId, TEST_STATUS.Evaluated],
      );
      assert.equal((await c.market.read.getTest([testId])).phaseStartedAt, receiptAt);
      assert.equal(await c.market.read.owed([SELLER]), FEE);
      assert.equal(await publicClient.getBalance({ address: c.market.address }), STAKE);
      // nor once the dispute window is over (Forfeitable)
      await time.increaseTo(receiptAt + POLICY.disputeWindow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.recordReceipt([testId, OTHER_RESULT], { account: worker.account }),
        c.market,
        "TestDrivesInvalidStatus",
        [testId, TEST_STATUS.Forfeitable],
      );
      assert.equal(await c.market.read.owed([SELLER]), FEE);
    });

    it("reverts TestDrivesInvalidStatus(Closed) on a closed test-drive", async () => {
      const { c, testId } = await evaluated();
      await m.refund(c, testId);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.recordReceipt([testId, RESULT], { account: worker.account }),
        c.market,
        "TestDrivesInvalidStatus",
        [testId, TEST_STATUS.Closed],
      );
    });

    it("reverts TestDrivesUnknownTest on an unknown id", async () => {
      const c = await m.load();
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.recordReceipt([UNKNOWN, RESULT], { account: worker.account }),
        c.market,
        "TestDrivesUnknownTest",
        [UNKNOWN],
      );
    });
  });

  describe("receiptDigest", () => {
    it("is the EIP-712 hash of EvaluationReceipt(testId, resultHash) under domain ModelBazaar/1/chainId/market", async () => {
      const { c, testId } = await opened();
      const expected = hashTypedData({ domain: domain(c), types: receiptTypes, primaryType: "EvaluationReceipt", message: { testId, resultHash: RESULT } });
      assert.equal(await c.market.read.receiptDigest([testId, RESULT]), expected);
      assert.notEqual(await c.market.read.receiptDigest([testId + 1n, RESULT]), expected);
      assert.notEqual(await c.market.read.receiptDigest([testId, OTHER_RESULT]), expected);
    });

    it("matches the market's advertised eip712Domain", async () => {
      const c = await m.load();
      const [, name, version, domainChainId, verifyingContract] = await c.market.read.eip712Domain();
      assert.deepEqual([name, version, domainChainId, verifyingContract], ["ModelBazaar", "1", chainId, getAddress(c.market.address)]);
    });
  });

  describe("recordSignedReceipt", () => {
    it("accepts the worker signer's signature submitted by the buyer; the event names the worker; the fee is credited to the seller", async () => {
      const { c, testId } = await opened();
      const signature = await signReceipt(c, worker, testId, RESULT);
      const hash = await c.market.write.recordSignedReceipt([testId, RESULT, signature], { account: buyer.account });
      await viem.assertions.emitWithArgs(hash, c.market, "ReceiptRecorded", [testId, RESULT, WORKER, FEE]);
      await viem.assertions.balancesHaveChanged(hash, [
        { address: BUYER, amount: 0n },
        { address: SELLER, amount: 0n },
        { address: c.market.address, amount: 0n },
      ]);
      assert.deepEqual(await ledgerEvents(c, hash), [["PaymentCredited", SELLER, FEE]]);
      assert.equal(await c.market.read.owed([SELLER]), FEE);
      assert.equal(await c.market.read.owed([BUYER]), 0n);
      assert.equal(await status(c, testId), TEST_STATUS.Evaluated);
      assert.equal((await c.market.read.getTest([testId])).phaseStartedAt, await blockTime(hash));
    });

    it("accepts the seller's signature submitted by a stranger; the event names the seller; the fee is credited to the seller", async () => {
      const { c, testId } = await opened();
      const signature = await signReceipt(c, seller, testId, RESULT);
      const hash = await c.market.write.recordSignedReceipt([testId, RESULT, signature], { account: mallory.account });
      await viem.assertions.emitWithArgs(hash, c.market, "ReceiptRecorded", [testId, RESULT, SELLER, FEE]);
      await viem.assertions.balancesHaveChanged(hash, [{ address: MALLORY, amount: 0n }]);
      assert.equal(await c.market.read.owed([SELLER]), FEE);
      assert.equal(await c.market.read.owed([MALLORY]), 0n);
    });

    it("submitted by the seller (the worker's signature): the fee is sent to the seller at once, no ledger events", async () => {
      const { c, testId } = await opened();
      const signature = await signReceipt(c, worker, testId, RESULT);
      const hash = await c.market.write.recordSignedReceipt([testId, RESULT, signature], { account: seller.account });
      await viem.assertions.emitWithArgs(hash, c.market, "ReceiptRecorded", [testId, RESULT, WORKER, FEE]);
      await viem.assertions.balancesHaveChanged(hash, [
        { address: SELLER, amount: FEE },
        { address: c.market.address, amount: -FEE },
      ]);
      assert.deepEqual(await ledgerEvents(c, hash), []);
      assert.equal(await c.market.read.owed([SELLER]), 0n);
    });

    it("rejects a stranger's signature with TestDrivesUnauthorizedWorker(testId, 0x0)", async () => {
      const { c, testId } = await opened();
      const signature = await signReceipt(c, mallory, testId, RESULT);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.recordSignedReceipt([testId, RESULT, signature], { account: mallory.account }),
        c.market,
        "TestDrivesUnauthorizedWorker",
        [testId, zeroAddress],
      );
      assert.equal(await status(c, testId), TEST_STATUS.AwaitingReceipt);
    });

    it("rejects the worker's signature for another test id", async () => {
      const { c, listingId, testId } = await opened();
      const { testId: otherTestId } = await m.openTest(c, listingId, alice, SAMPLES);
      const signatureForOther = await signReceipt(c, worker, otherTestId, RESULT);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.recordSignedReceipt([testId, RESULT, signatureForOther], { account: buyer.account }),
        c.market,
        "TestDrivesUnauthorizedWorker",
        [testId, zeroAddress],
      );
      // it still works for the test it names
      await c.market.write.recordSignedReceipt([otherTestId, RESULT, signatureForOther], { account: alice.account });
      assert.equal(await status(c, otherTestId), TEST_STATUS.Evaluated);
      assert.equal(await status(c, testId), TEST_STATUS.AwaitingReceipt);
    });

    it("rejects the worker's signature over another result hash", async () => {
      const { c, testId } = await opened();
      const signature = await signReceipt(c, worker, testId, OTHER_RESULT);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.recordSignedReceipt([testId, RESULT, signature], { account: buyer.account }),
        c.market,
        "TestDrivesUnauthorizedWorker",
        [testId, zeroAddress],
      );
    });

    it("rejects signatures made for another chain id or another verifying contract", async () => {
      const { c, testId } = await opened();
      for (const override of [{ chainId: chainId + 1n }, { verifyingContract: c.registry.address }, { name: "OtherMarket" }]) {
        const signature = await signReceipt(c, worker, testId, RESULT, override);
        await viem.assertions.revertWithCustomErrorWithArgs(
          c.market.write.recordSignedReceipt([testId, RESULT, signature], { account: buyer.account }),
          c.market,
          "TestDrivesUnauthorizedWorker",
          [testId, zeroAddress],
        );
      }
    });

    it("rejects a malformed signature", async () => {
      const { c, testId } = await opened();
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.recordSignedReceipt([testId, RESULT, "0x1234"], { account: buyer.account }),
        c.market,
        "TestDrivesUnauthorizedWorker",
        [testId, zeroAddress],
      );
    });

    it("cannot be replayed: the same signature again reverts TestDrivesInvalidStatus(Evaluated)", async () => {
      const { c, testId } = await opened();
      const signature = await signReceipt(c, worker, testId, RESULT);
      await c.market.write.recordSignedReceipt([testId, RESULT, signature], { account: buyer.account });
      const { phaseStartedAt: receiptAt } = await c.market.read.getTest([testId]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.recordSignedReceipt([testId, RESULT, signature], { account: buyer.account }),
        c.market,
        "TestDrivesInvalidStatus",
        [testId, TEST_STATUS.Evaluated],
      );
      assert.equal((await c.market.read.getTest([testId])).phaseStartedAt, receiptAt);
      assert.equal(await c.market.read.owed([SELLER]), FEE);
    });

    it("reverts TestDrivesEmptyReceipt on a zero result hash, even when signed", async () => {
      const { c, testId } = await opened();
      const signature = await signReceipt(c, worker, testId, zeroHash);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.recordSignedReceipt([testId, zeroHash, signature], { account: buyer.account }),
        c.market,
        "TestDrivesEmptyReceipt",
        [testId],
      );
    });

    it("reverts TestDrivesInvalidStatus(Unserved) after the service window, even with a valid signature", async () => {
      const { c, testId, serviceDeadline } = await opened();
      const signature = await signReceipt(c, worker, testId, RESULT);
      await time.increaseTo(serviceDeadline);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.recordSignedReceipt([testId, RESULT, signature], { account: buyer.account }),
        c.market,
        "TestDrivesInvalidStatus",
        [testId, TEST_STATUS.Unserved],
      );
    });

    it("reverts TestDrivesUnknownTest on an unknown id", async () => {
      const c = await m.load();
      const signature = await signReceipt(c, worker, UNKNOWN, RESULT);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.recordSignedReceipt([UNKNOWN, RESULT, signature], { account: buyer.account }),
        c.market,
        "TestDrivesUnknownTest",
        [UNKNOWN],
      );
    });
  });

  describe("refunds (RefundDisputes, listing without a plan)", () => {
    it("the claim stakes F and holds the deposit; closed uncontested it credits the deposit to the buyer and F to the seller, who keeps the fee paid at receipt", async () => {
      const { c, testId } = await evaluated();
      assert.equal(await c.market.read.owed([SELLER]), FEE);
      assert.equal(REFUND.toSeller, BigInt(POLICY.freeSamples) * POLICY.feePerExtraSample);
      await viem.assertions.balancesHaveChanged(m.claimRefund(c, testId), [
        { address: c.disputes.address, amount: REFUND.toSeller },
        { address: c.market.address, amount: 0n },
      ]);
      assert.equal(await status(c, testId), TEST_STATUS.Disputed);
      await assert.rejects(m.claimRefund(c, testId), /RefundDisputesInvalidPhase/);
      await time.increase(Number(await c.disputes.read.contestWindow()));
      const close = await c.disputes.write.closeDispute([testId], { account: seller.account });
      await viem.assertions.emitWithArgs(Promise.resolve(close), c.market, "TestClosed", [testId, TEST_PHASE.Refunded, POLICY.deposit, REFUND.toSeller]);
      assert.deepEqual(await ledgerEvents(c, close), [
        ["PaymentCredited", BUYER, POLICY.deposit],
        ["PaymentCredited", SELLER, REFUND.toSeller],
      ]);
      assert.equal(await c.market.read.owed([BUYER]), POLICY.deposit);
      assert.equal(await c.market.read.owed([SELLER]), FEE + REFUND.toSeller);
      const t = await c.market.read.getTest([testId]);
      assert.equal(t.phase, TEST_PHASE.Refunded);
      assert.equal(t.phaseStartedAt, await blockTime(close));
      assert.equal(await status(c, testId), TEST_STATUS.Closed);
      // the buyer nets the deposit less F: the seller is paid for every sample
      assert.equal(FEE + REFUND.toSeller, BigInt(SAMPLES) * POLICY.feePerExtraSample);
      assert.equal(await publicClient.getBalance({ address: c.market.address }), POLICY.deposit + FEE + REFUND.toSeller);
    });

    it("pays the seller the fee of every sample when the test-drive carried no fee (a refund is never free)", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      for (const n of [POLICY.minSamples, POLICY.freeSamples]) {
        const { testId, fee } = await m.openTest(c, listingId, buyer, n);
        assert.equal(fee, 0n);
        await c.market.write.recordReceipt([testId, RESULT], { account: worker.account });
        assert.equal(await c.market.read.owed([SELLER]), 0n, "nothing paid at the receipt");
        const shares = refundSharesFor(n);
        assert.equal(shares.toSeller, BigInt(n) * POLICY.feePerExtraSample);
        await viem.assertions.emitWithArgs(m.refund(c, testId), c.market, "TestClosed", [testId, TEST_PHASE.Refunded, POLICY.deposit, shares.toSeller]);
        assert.equal(await c.market.read.owed([SELLER]), shares.toSeller);
        await c.market.write.withdraw({ account: seller.account });
        await c.market.write.withdraw({ account: buyer.account });
      }
    });

    it("is claimed one second before the dispute deadline", async () => {
      const { c, testId, disputeDeadline } = await evaluated();
      await time.setNextBlockTimestamp(disputeDeadline - 1);
      await m.claimRefund(c, testId);
      assert.equal(await status(c, testId), TEST_STATUS.Disputed);
    });

    it("reverts TestDrivesInvalidStatus(Forfeitable) exactly at the dispute deadline", async () => {
      const { c, testId, disputeDeadline } = await evaluated();
      await time.setNextBlockTimestamp(disputeDeadline);
      await viem.assertions.revertWithCustomErrorWithArgs(m.claimRefund(c, testId), c.market, "TestDrivesInvalidStatus", [testId, TEST_STATUS.Forfeitable]);
    });

    it("reverts TestDrivesInvalidStatus before the receipt and when the worker never served", async () => {
      const { c, testId, serviceDeadline } = await opened();
      await viem.assertions.revertWithCustomErrorWithArgs(m.claimRefund(c, testId), c.market, "TestDrivesInvalidStatus", [testId, TEST_STATUS.AwaitingReceipt]);
      await time.increaseTo(serviceDeadline);
      await viem.assertions.revertWithCustomErrorWithArgs(m.claimRefund(c, testId), c.market, "TestDrivesInvalidStatus", [testId, TEST_STATUS.Unserved]);
    });
  });

  describe("refundUnserved", () => {
    it("exactly at the service deadline, by the buyer: deposit + fee back at once, TestClosed(Unserved, deposit+fee, 0)", async () => {
      const { c, testId, serviceDeadline } = await opened();
      await time.increaseTo(serviceDeadline - 1);
      await time.setNextBlockTimestamp(serviceDeadline);
      const hash = await c.market.write.refundUnserved([testId], { account: buyer.account });
      await viem.assertions.balancesHaveChanged(hash, [
        { address: BUYER, amount: STAKE },
        { address: SELLER, amount: 0n },
        { address: c.market.address, amount: -STAKE },
      ]);
      await viem.assertions.emitWithArgs(hash, c.market, "TestClosed", [testId, TEST_PHASE.Unserved, STAKE, 0n]);
      assert.deepEqual(await ledgerEvents(c, hash), []);
      const t = await c.market.read.getTest([testId]);
      assert.equal(t.phase, TEST_PHASE.Unserved);
      assert.equal(t.phaseStartedAt, serviceDeadline);
      assert.equal(await status(c, testId), TEST_STATUS.Closed);
      assert.equal(await c.market.read.owed([SELLER]), 0n);
      assert.equal(await publicClient.getBalance({ address: c.market.address }), 0n);
    });

    it("by anyone else: deposit + fee are credited to the buyer (PaymentCredited)", async () => {
      const { c, testId, serviceDeadline } = await opened();
      await time.increaseTo(serviceDeadline + 10_000);
      const hash = await c.market.write.refundUnserved([testId], { account: seller.account });
      await viem.assertions.balancesHaveChanged(hash, [
        { address: SELLER, amount: 0n },
        { address: BUYER, amount: 0n },
        { address: c.market.address, amount: 0n },
      ]);
      await viem.assertions.emitWithArgs(hash, c.market, "TestClosed", [testId, TEST_PHASE.Unserved, STAKE, 0n]);
      assert.deepEqual(await ledgerEvents(c, hash), [["PaymentCredited", BUYER, STAKE]]);
      assert.equal(await c.market.read.owed([BUYER]), STAKE);
      assert.equal(await c.market.read.owed([SELLER]), 0n);
    });

    it("reverts TestDrivesInvalidStatus(AwaitingReceipt) one second before the service deadline", async () => {
      const { c, testId, serviceDeadline } = await opened();
      await time.increaseTo(serviceDeadline - 2);
      await time.setNextBlockTimestamp(serviceDeadline - 1);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.refundUnserved([testId], { account: buyer.account }),
        c.market,
        "TestDrivesInvalidStatus",
        [testId, TEST_STATUS.AwaitingReceipt],
      );
    });

    it("reverts once a receipt was recorded (Evaluated, then Forfeitable), even after the service window", async () => {
      const { c, testId, serviceDeadline, disputeDeadline } = await evaluated();
      await time.increaseTo(serviceDeadline);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.refundUnserved([testId], { account: buyer.account }),
        c.market,
        "TestDrivesInvalidStatus",
        [testId, TEST_STATUS.Evaluated],
      );
      await time.increaseTo(disputeDeadline);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.refundUnserved([testId], { account: buyer.account }),
        c.market,
        "TestDrivesInvalidStatus",
        [testId, TEST_STATUS.Forfeitable],
      );
    });

    it("reverts TestDrivesInvalidStatus(Closed) the second time", async () => {
      const { c, testId, serviceDeadline } = await opened();
      await time.increaseTo(serviceDeadline);
      await c.market.write.refundUnserved([testId], { account: buyer.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.refundUnserved([testId], { account: buyer.account }),
        c.market,
        "TestDrivesInvalidStatus",
        [testId, TEST_STATUS.Closed],
      );
    });

    it("reverts TestDrivesUnknownTest on an unknown id", async () => {
      const c = await m.load();
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.refundUnserved([UNKNOWN], { account: buyer.account }),
        c.market,
        "TestDrivesUnknownTest",
        [UNKNOWN],
      );
    });
  });

  describe("forfeitDeposit", () => {
    it("exactly at the dispute deadline, by the seller: only the deposit to the seller at once, TestClosed(Forfeited, 0, deposit), no ledger events", async () => {
      const { c, testId, disputeDeadline } = await evaluated();
      await time.increaseTo(disputeDeadline - 1);
      await time.setNextBlockTimestamp(disputeDeadline);
      const hash = await c.market.write.forfeitDeposit([testId], { account: seller.account });
      await viem.assertions.balancesHaveChanged(hash, [
        { address: SELLER, amount: POLICY.deposit },
        { address: BUYER, amount: 0n },
        { address: c.market.address, amount: -POLICY.deposit },
      ]);
      await viem.assertions.emitWithArgs(hash, c.market, "TestClosed", [testId, TEST_PHASE.Forfeited, 0n, POLICY.deposit]);
      assert.deepEqual(await ledgerEvents(c, hash), []);
      const t = await c.market.read.getTest([testId]);
      assert.equal(t.phase, TEST_PHASE.Forfeited);
      assert.equal(t.phaseStartedAt, disputeDeadline);
      assert.equal(await status(c, testId), TEST_STATUS.Closed);
      assert.equal(await c.market.read.owed([BUYER]), 0n);
      // the fee was credited at receipt and is still there to withdraw: deposit + fee in all
      assert.equal(await c.market.read.owed([SELLER]), FEE);
      assert.equal(await publicClient.getBalance({ address: c.market.address }), FEE);
    });

    it("by anyone else (here the buyer): the deposit is credited to the seller (PaymentCredited), nothing to the buyer", async () => {
      const { c, testId, disputeDeadline } = await evaluated();
      await time.increaseTo(disputeDeadline);
      const hash = await c.market.write.forfeitDeposit([testId], { account: buyer.account });
      await viem.assertions.balancesHaveChanged(hash, [
        { address: BUYER, amount: 0n },
        { address: SELLER, amount: 0n },
        { address: c.market.address, amount: 0n },
      ]);
      await viem.assertions.emitWithArgs(hash, c.market, "TestClosed", [testId, TEST_PHASE.Forfeited, 0n, POLICY.deposit]);
      assert.deepEqual(await ledgerEvents(c, hash), [["PaymentCredited", SELLER, POLICY.deposit]]);
      assert.equal(await c.market.read.owed([SELLER]), FEE + POLICY.deposit);
      assert.equal(await c.market.read.owed([BUYER]), 0n);
    });

    it("reverts TestDrivesInvalidStatus(Evaluated) one second before the dispute deadline", async () => {
      const { c, testId, disputeDeadline } = await evaluated();
      await time.increaseTo(disputeDeadline - 2);
      await time.setNextBlockTimestamp(disputeDeadline - 1);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.forfeitDeposit([testId], { account: seller.account }),
        c.market,
        "TestDrivesInvalidStatus",
        [testId, TEST_STATUS.Evaluated],
      );
    });

    it("reverts before any receipt (AwaitingReceipt) and when the worker never served (Unserved)", async () => {
      const { c, testId, serviceDeadline } = await opened();
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.forfeitDeposit([testId], { account: seller.account }),
        c.market,
        "TestDrivesInvalidStatus",
        [testId, TEST_STATUS.AwaitingReceipt],
      );
      // a seller cannot wait out both windows without serving and take the deposit
      await time.increaseTo(serviceDeadline + POLICY.disputeWindow);
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.forfeitDeposit([testId], { account: seller.account }),
        c.market,
        "TestDrivesInvalidStatus",
        [testId, TEST_STATUS.Unserved],
      );
    });

    it("reverts TestDrivesInvalidStatus(Closed) after a refund", async () => {
      const { c, testId, disputeDeadline } = await evaluated();
      await m.refund(c, testId); // past the dispute deadline: the contest window is as long
      await time.increaseTo(Math.max(disputeDeadline, await time.latest() + 1));
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.forfeitDeposit([testId], { account: seller.account }),
        c.market,
        "TestDrivesInvalidStatus",
        [testId, TEST_STATUS.Closed],
      );
    });

    it("reverts TestDrivesUnknownTest on an unknown id", async () => {
      const c = await m.load();
      await viem.assertions.revertWithCustomErrorWithArgs(
        c.market.write.forfeitDeposit([UNKNOWN], { account: seller.account }),
        c.market,
        "TestDrivesUnknownTest",
        [UNKNOWN],
      );
    });
  });

  describe("testStatus", () => {
    it("is None for id 0 and for an unknown id (no revert)", async () => {
      const { c } = await opened();
      assert.equal(await status(c, 0n), TEST_STATUS.None);
      assert.equal(await status(c, UNKNOWN), TEST_STATUS.None);
    });

    it("AwaitingReceipt until one second before the service deadline, Unserved from exactly the deadline on", async () => {
      const { c, testId, serviceDeadline } = await opened();
      assert.equal(await status(c, testId), TEST_STATUS.AwaitingReceipt);
      await time.increaseTo(serviceDeadline - 1);
      assert.equal(await status(c, testId), TEST_STATUS.AwaitingReceipt);
      await time.increaseTo(serviceDeadline);
      assert.equal(await status(c, testId), TEST_STATUS.Unserved);
      await time.increase(30 * 24 * 3_600);
      assert.equal(await status(c, testId), TEST_STATUS.Unserved);
    });

    it("Evaluated until one second before the dispute deadline, Forfeitable from exactly the deadline on", async () => {
      const { c, testId, disputeDeadline } = await evaluated();
      assert.equal(await status(c, testId), TEST_STATUS.Evaluated);
      await time.increaseTo(disputeDeadline - 1);
      assert.equal(await status(c, testId), TEST_STATUS.Evaluated);
      await time.increaseTo(disputeDeadline);
      assert.equal(await status(c, testId), TEST_STATUS.Forfeitable);
      await time.increase(30 * 24 * 3_600);
      assert.equal(await status(c, testId), TEST_STATUS.Forfeitable);
    });

    it("the dispute window runs from the receipt, not from the opening", async () => {
      const { c, testId, serviceDeadline } = await opened();
      await time.setNextBlockTimestamp(serviceDeadline - 1);
      await c.market.write.recordReceipt([testId, RESULT], { account: worker.account });
      await time.increaseTo(serviceDeadline - 1 + POLICY.disputeWindow - 1);
      assert.equal(await status(c, testId), TEST_STATUS.Evaluated);
      await time.increaseTo(serviceDeadline - 1 + POLICY.disputeWindow);
      assert.equal(await status(c, testId), TEST_STATUS.Forfeitable);
    });

    it("Closed after each outcome, whatever the clock says", async () => {
      const { c, listingId, testId: refunded } = await evaluated();
      const { testId: unserved } = await m.openTest(c, listingId, alice, SAMPLES);
      const { testId: forfeited } = await m.openTest(c, listingId, mallory, SAMPLES);
      await c.market.write.recordReceipt([forfeited, RESULT], { account: worker.account });
      await m.refund(c, refunded);
      await time.increase(POLICY.disputeWindow);
      await c.market.write.refundUnserved([unserved], { account: alice.account });
      await c.market.write.forfeitDeposit([forfeited], { account: seller.account });
      const phases = await Promise.all([refunded, unserved, forfeited].map(async (id) => (await c.market.read.getTest([id])).phase));
      assert.deepEqual(phases, [TEST_PHASE.Refunded, TEST_PHASE.Unserved, TEST_PHASE.Forfeited]);
      for (const id of [refunded, unserved, forfeited]) assert.equal(await status(c, id), TEST_STATUS.Closed);
      await time.increase(365 * 24 * 3_600);
      for (const id of [refunded, unserved, forfeited]) assert.equal(await status(c, id), TEST_STATUS.Closed);
      // every wei staked went somewhere: the market holds exactly what is still owed (two fees,
      // credited at the receipts, and the refunded test's free samples' fee; the rest of the
      // deposits and alice's stake were paid to their callers)
      const owed = (await c.market.read.owed([SELLER])) + (await c.market.read.owed([BUYER])) + (await c.market.read.owed([ALICE]));
      assert.equal(await c.market.read.owed([SELLER]), 2n * FEE + REFUND.toSeller);
      assert.equal(await publicClient.getBalance({ address: c.market.address }), owed);
    });

    it("does not depend on the listing's status (a test-drive of a paused or delisted listing still resolves)", async () => {
      const { c, listingId, testId, serviceDeadline } = await opened();
      await c.registry.write.pause([listingId], { account: seller.account });
      assert.equal(await status(c, testId), TEST_STATUS.AwaitingReceipt);
      await c.registry.write.delist([listingId], { account: seller.account });
      await time.increaseTo(serviceDeadline);
      assert.equal(await status(c, testId), TEST_STATUS.Unserved);
      await c.market.write.refundUnserved([testId], { account: buyer.account });
      assert.equal(await status(c, testId), TEST_STATUS.Closed);
    });
  });

  describe("getTest", () => {
    it("phaseStartedAt is the time of the last phase change: opening, receipt, end; nothing else changes", async () => {
      // (a deposit moving into a purchase or a bid and back keeps it: see fairExchange and attacks)
      const c = await m.load();
      const listingId = await m.list(c);
      const open = await c.market.write.openTest([listingId, commitment(9n), SAMPLES], { account: buyer.account, value: STAKE });
      const facts = { buyer: BUYER, listingId: Number(listingId), sampleCount: SAMPLES, dataCommitment: commitment(9n) };
      assert.deepEqual(await c.market.read.getTest([1n]), { ...facts, phase: TEST_PHASE.Open, phaseStartedAt: await blockTime(open) });
      await time.increase(600);
      const receipt = await c.market.write.recordReceipt([1n, RESULT], { account: worker.account });
      assert.deepEqual(await c.market.read.getTest([1n]), { ...facts, phase: TEST_PHASE.Evaluated, phaseStartedAt: await blockTime(receipt) });
      await time.increase(POLICY.disputeWindow + 5);
      // the clock alone changes the status, not the stored phase
      assert.equal(await status(c, 1n), TEST_STATUS.Forfeitable);
      assert.equal((await c.market.read.getTest([1n])).phase, TEST_PHASE.Evaluated);
      const end = await c.market.write.forfeitDeposit([1n], { account: seller.account });
      assert.deepEqual(await c.market.read.getTest([1n]), { ...facts, phase: TEST_PHASE.Forfeited, phaseStartedAt: await blockTime(end) });
    });

    it("reverts TestDrivesUnknownTest for id 0 and for an id past the last test", async () => {
      const { c } = await opened();
      for (const id of [0n, 2n]) {
        await viem.assertions.revertWithCustomErrorWithArgs(c.market.read.getTest([id]), c.market, "TestDrivesUnknownTest", [id]);
      }
    });
  });

  describe("disputeContext", () => {
    it("equals the SDK's packDisputeContext(fields, bindingTag(chainId, market, testId, buyer)) and unpacks back", async () => {
      const { c, testId } = await opened();
      const context = await c.market.read.disputeContext([testId]);
      const tag = bindingTag(chainId, c.market.address, testId, BUYER);
      const fields = {
        claimedAccuracyBps: CLAIMED_ACCURACY_BPS,
        sampleCount: SAMPLES,
        classCount: TASK.classCount,
        featureBits: TASK.featureBits,
        featureCount: TASK.featureCount,
      };
      assert.equal(context, packDisputeContext(fields, tag));
      assert.deepEqual(unpackDisputeContext(context), { ...fields, tag });
      assert.ok(context < SNARK_SCALAR_FIELD, "the context must be a BN254 field element");
      assert.ok(context < 1n << 232n, "the context uses 232 bits");
    });

    it("binds the buyer, the test id and the sample count", async () => {
      const { c, listingId, testId } = await opened();
      const { testId: aliceTest } = await m.openTest(c, listingId, alice, POLICY.maxSamples);
      const mine = unpackDisputeContext(await c.market.read.disputeContext([testId]));
      const hers = unpackDisputeContext(await c.market.read.disputeContext([aliceTest]));
      assert.equal(hers.sampleCount, POLICY.maxSamples);
      assert.equal(hers.tag, bindingTag(chainId, c.market.address, aliceTest, ALICE));
      assert.notEqual(hers.tag, mine.tag);
      assert.notEqual(bindingTag(chainId, c.market.address, testId, ALICE), mine.tag);
      assert.notEqual(bindingTag(chainId + 1n, c.market.address, testId, BUYER), mine.tag);
    });

    it("does not change with the receipt, the clock or the listing's offer", async () => {
      const { c, listingId, testId } = await opened();
      const before = await c.market.read.disputeContext([testId]);
      await c.market.write.recordReceipt([testId, RESULT], { account: worker.account });
      await c.registry.write.updateOffer([listingId, m.offer({ workerSigner: ALICE, price: 1n })], { account: seller.account });
      await time.increase(1_000);
      assert.equal(await c.market.read.disputeContext([testId]), before);
    });

    it("reverts TestDrivesUnknownTest on an unknown id", async () => {
      const c = await m.load();
      await viem.assertions.revertWithCustomErrorWithArgs(c.market.read.disputeContext([UNKNOWN]), c.market, "TestDrivesUnknownTest", [UNKNOWN]);
    });
  });

  describe("withdraw (ledger)", () => {
    it("reverts MarketLedgerNothingOwed(account) when nothing is owed", async () => {
      const c = await m.load();
      await viem.assertions.revertWithCustomErrorWithArgs(c.market.write.withdraw({ account: seller.account }), c.market, "MarketLedgerNothingOwed", [
        SELLER,
      ]);
    });

    it("pays out what was credited, emits only PaymentWithdrawn, zeroes the balance, then reverts MarketLedgerNothingOwed", async () => {
      const { c } = await evaluated();
      assert.equal(await c.market.read.owed([SELLER]), FEE);
      const hash = await c.market.write.withdraw({ account: seller.account });
      await viem.assertions.balancesHaveChanged(hash, [
        { address: SELLER, amount: FEE },
        { address: c.market.address, amount: -FEE },
      ]);
      await viem.assertions.emitWithArgs(hash, c.market, "PaymentWithdrawn", [SELLER, FEE]);
      assert.deepEqual(await ledgerEvents(c, hash), [["PaymentWithdrawn", SELLER, FEE]]);
      assert.equal(await c.market.read.owed([SELLER]), 0n);
      await viem.assertions.revertWithCustomErrorWithArgs(c.market.write.withdraw({ account: seller.account }), c.market, "MarketLedgerNothingOwed", [
        SELLER,
      ]);
    });

    it("accumulates credits across receipts and test-drives and emits PaymentCredited for each", async () => {
      const { c, listingId, testId } = await evaluated();
      const { testId: second } = await m.openTest(c, listingId, alice, SAMPLES);
      await viem.assertions.emitWithArgs(c.market.write.recordReceipt([second, RESULT], { account: worker.account }), c.market, "PaymentCredited", [
        SELLER,
        FEE,
      ]);
      assert.equal(await c.market.read.owed([SELLER]), 2n * FEE);
      await time.increase(POLICY.disputeWindow);
      for (const id of [testId, second]) {
        await viem.assertions.emitWithArgs(c.market.write.forfeitDeposit([id], { account: mallory.account }), c.market, "PaymentCredited", [
          SELLER,
          POLICY.deposit,
        ]);
      }
      assert.equal(await c.market.read.owed([SELLER]), 2n * STAKE);
      await viem.assertions.balancesHaveChanged(c.market.write.withdraw({ account: seller.account }), [{ address: SELLER, amount: 2n * STAKE }]);
      assert.equal(await publicClient.getBalance({ address: c.market.address }), 0n);
    });
  });

  describe("timestamps past 2^32 (year 2106)", () => {
    // phaseStartedAt is a uint40 (formerly uint32 openedAt/receiptAt, which wrapped in 2106:
    // a fresh test-drive was at once Unserved, a fresh receipt at once Forfeitable).
    const T = 2 ** 32 + 100;

    it("a test opened after 2^32 awaits its receipt for the full service window and stores the full timestamp", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      await time.increaseTo(T - 1);
      await time.setNextBlockTimestamp(T);
      const { testId } = await m.openTest(c, listingId, buyer, SAMPLES);
      assert.equal((await c.market.read.getTest([testId])).phaseStartedAt, T);
      assert.equal(await status(c, testId), TEST_STATUS.AwaitingReceipt);
      await time.increaseTo(T + POLICY.serviceWindow - 1);
      assert.equal(await status(c, testId), TEST_STATUS.AwaitingReceipt);
      await time.increaseTo(T + POLICY.serviceWindow);
      assert.equal(await status(c, testId), TEST_STATUS.Unserved);
      await viem.assertions.emitWithArgs(
        c.market.write.refundUnserved([testId], { account: buyer.account }),
        c.market,
        "TestClosed",
        [testId, TEST_PHASE.Unserved, STAKE, 0n],
      );
      assert.ok((await c.market.read.getTest([testId])).phaseStartedAt > 2 ** 32);
    });

    it("a receipt after 2^32 opens a full dispute window; the deposit is forfeitable only at its end", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      await time.increaseTo(T);
      const { testId } = await m.openTest(c, listingId, buyer, SAMPLES);
      await c.market.write.recordReceipt([testId, RESULT], { account: worker.account });
      const { phaseStartedAt: receiptAt } = await c.market.read.getTest([testId]);
      assert.ok(receiptAt > 2 ** 32);
      assert.equal(await status(c, testId), TEST_STATUS.Evaluated);
      await time.increaseTo(receiptAt + POLICY.disputeWindow - 1);
      assert.equal(await status(c, testId), TEST_STATUS.Evaluated);
      await time.increaseTo(receiptAt + POLICY.disputeWindow);
      assert.equal(await status(c, testId), TEST_STATUS.Forfeitable);
      await viem.assertions.emitWithArgs(
        c.market.write.forfeitDeposit([testId], { account: seller.account }),
        c.market,
        "TestClosed",
        [testId, TEST_PHASE.Forfeited, 0n, POLICY.deposit],
      );
    });

    it("a receipt at exactly 2^32 is stored as 2^32 (not 0) and the buyer can still claim a refund", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      await time.increaseTo(2 ** 32 - 100);
      const { testId } = await m.openTest(c, listingId, buyer, SAMPLES);
      await time.setNextBlockTimestamp(2 ** 32);
      await c.market.write.recordReceipt([testId, RESULT], { account: worker.account });
      assert.equal((await c.market.read.getTest([testId])).phaseStartedAt, 2 ** 32);
      assert.equal(await status(c, testId), TEST_STATUS.Evaluated);
      await viem.assertions.emitWithArgs(m.refund(c, testId), c.market, "TestClosed", [testId, TEST_PHASE.Refunded, POLICY.deposit, REFUND.toSeller]);
    });

    it("a test-drive's deposit pays part of a purchase after 2^32; the purchase stores the full timestamp", async () => {
      const c = await m.load();
      const listingId = await m.list(c);
      await time.increaseTo(T);
      const { testId } = await m.openTest(c, listingId, buyer, SAMPLES);
      const receipt = await c.market.write.recordReceipt([testId, RESULT], { account: worker.account });
      const hash = await c.market.write.buy([listingId, testId, PRICE], { account: buyer.account, value: PRICE - POLICY.deposit });
      await viem.assertions.emitWithArgs(hash, c.market, "TestClosed", [testId, TEST_PHASE.AppliedToPurchase, POLICY.deposit, 0n]);
      const boughtAt = await blockTime(hash);
      assert.ok(boughtAt > 2 ** 32);
      // the deposit keeps its dispute clock (the receipt's, past 2^32) while it pays into the sale
      assert.equal((await c.market.read.getTest([testId])).phaseStartedAt, await blockTime(receipt));
      const purchase = await c.market.read.getPurchase([1n]);
      assert.equal(purchase.createdAt, boughtAt);
      assert.equal(purchase.price, PRICE);
    });
  });
});
