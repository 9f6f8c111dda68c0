/**
 * The v2 refund dispute (contracts/market/RefundDisputes.sol) driven with the SDK's commitments
 * and encodings, over the stand-in verifier (contracts/mocks/AnySignalsVerifier.sol), whose
 * proofs are bound to the exact public signals: every proof the contract accepts here was made
 * for the signals the SDK computes (the v2 context, C_D v2, C_P, the Open words, the contest
 * meta and feature words), so any disagreement in packing between the SDK, which the provers
 * use, and the contract fails. The Solidity tests (RefundDisputes.t.sol) cover each check and
 * window; this file covers the agreement and the money in wei.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { getAddress, type Hex } from "viem";
import { ContestKind, contestPublicSignals, packContestMeta, PlanFamily } from "@modelbazaar/sdk/disputes";
import {
  bindingTag,
  challengeCommitment,
  challengeSecret,
  contestIndices,
  dataCommitmentV2,
  featuresRoot,
  gradedRefund,
  openCircuitInput,
  openPublicSignals,
  openedSampleCalldata,
  openedSampleHash,
  packDisputeContextV2,
  packLanes,
  predictionCommitment,
  sampleDigests,
  sampleOpening,
  type OpenableTestSet,
} from "@modelbazaar/sdk/testDrives";
import type { DisputePolicy } from "@modelbazaar/sdk/listings";
import { CLAIMED_ACCURACY_BPS, POLICY, TASK, TEST_PHASE, connectMarket } from "../helpers/market.ts";

const N = 64;
const SHORTFALL = 700;
const SELLER_SECRET: Hex = "0x5e11e45e11e45e11e45e11e45e11e45e11e45e11e45e11e45e11e45e11e45e11";
const POLICY_V2: DisputePolicy = {
  planCommitment: "0x00000000000000000000000000000000000000000000000000000000000009a7",
  planFamily: PlanFamily.Linear,
  contestToleranceQ: 1234n,
  refundSlopeBps: 1_000,
  buyerBond: 500_000_000_000_000_000n,
  sellerBond: 20_000_000_000_000_000n,
};
const FREE_FEE = BigInt(Math.min(N, POLICY.freeSamples)) * POLICY.feePerExtraSample;

describe("RefundDisputes with the SDK's commitments", () => {
  let m: Awaited<ReturnType<typeof connectMarket>>;
  before(async () => {
    m = await connectMarket();
  });

  /** A contestable listing, a test set committed with the SDK's v2 commitments, and its receipt. */
  async function evaluatedV2Test() {
    const c = await m.load();
    const { seller, buyer, worker } = m.accounts;
    const terms = { ...m.terms(), testPolicy: { ...POLICY, minSamples: 32 }, disputePolicy: POLICY_V2 };
    await c.registry.write.list([terms, m.offer()], { account: seller!.account });
    const listingId = await c.registry.read.listingCount();
    const set: OpenableTestSet = {
      features: Array.from({ length: N }, (_, i) => Array.from({ length: TASK.featureCount }, (_, f) => (i * 37 + f * 101) % 2 ** TASK.featureBits)),
      shape: { featureCount: TASK.featureCount, featureBits: TASK.featureBits },
      salt: 0x5a17n,
    };
    const labels = Array.from({ length: N }, (_, i) => i % TASK.classCount);
    const predictions = labels.map((l, i) => (i % 4 === 0 ? (l + 1) % TASK.classCount : l));
    const digests = sampleDigests(set);
    const root = featuresRoot(digests);
    const dataCommitment = dataCommitmentV2({ featuresRoot: root, labels, salt: set.salt });
    const fee = BigInt(N - Math.min(N, POLICY.freeSamples)) * POLICY.feePerExtraSample;
    await c.market.write.openTest([listingId, `0x${dataCommitment.toString(16).padStart(64, "0")}`, N], {
      account: buyer!.account,
      value: POLICY.deposit + fee,
    });
    const testId = 1n;
    await c.market.write.recordReceipt([testId, `0x${"ab".repeat(32)}`], { account: worker!.account });
    const disputes = await m.viem.getContractAt("RefundDisputes", await c.market.read.refundDisputes());
    const chainId = BigInt(await m.publicClient.getChainId());
    const fields = {
      claimedAccuracyBps: CLAIMED_ACCURACY_BPS,
      sampleCount: N,
      classCount: TASK.classCount,
      featureBits: TASK.featureBits,
      featureCount: TASK.featureCount,
      shortfallBps: SHORTFALL,
    };
    const tag = bindingTag(chainId, c.market.address, testId, getAddress(buyer!.account.address));
    const cp = predictionCommitment({ dataCommitment, predictions, salt: set.salt });
    return { c, disputes, set, labels, predictions, digests, root, dataCommitment, testId, chainId, fields, tag, cp };
  }

  type V2 = Awaited<ReturnType<typeof evaluatedV2Test>>;

  const asBytes32 = (x: bigint): Hex => `0x${x.toString(16).padStart(64, "0")}`;

  async function standIn(v: V2, signals: readonly bigint[]) {
    return m.proofWith(await v.c.anyVerifier.read.proofFor([[...signals]]));
  }

  async function claim(v: V2) {
    const context = packDisputeContextV2(v.fields, v.tag);
    const proof = await standIn(v, [context, v.dataCommitment, v.cp]);
    const secret = challengeSecret(v.set.salt, v.testId);
    await v.disputes.write.claimRefund([v.testId, SHORTFALL, asBytes32(v.cp), challengeCommitment(secret), proof], {
      account: m.accounts.buyer!.account,
      value: POLICY_V2.buyerBond + FREE_FEE,
    });
    return secret;
  }

  it("accepts a claim proven for the SDK's v2 context, C_D and C_P, and refunds the graded share when nobody contests", async () => {
    const v = await evaluatedV2Test();
    await claim(v);
    assert.equal((await v.c.market.read.getTest([v.testId])).phase, TEST_PHASE.Disputed);
    const refund = gradedRefund(POLICY.deposit, SHORTFALL, POLICY_V2.refundSlopeBps);
    assert.equal(await v.disputes.read.refundFor([1n, SHORTFALL]), refund, "the contract's R is the SDK's");
    const sellerBefore = await v.c.market.read.owed([m.accounts.seller!.account.address]);
    await m.networkHelpers.time.increase(Number(await v.disputes.read.contestWindow()));
    await v.disputes.write.closeDispute([v.testId]);
    assert.equal(await v.c.market.read.owed([m.accounts.buyer!.account.address]), refund + POLICY_V2.buyerBond);
    assert.equal(await v.c.market.read.owed([m.accounts.seller!.account.address]) - sellerBefore, POLICY.deposit - refund + FREE_FEE);
  });

  it("draws the SDK's indices, accepts the SDK's Open signals and opening calldata, and a contest proof over the SDK's contest signals", async () => {
    const v = await evaluatedV2Test();
    const secretB = await claim(v);
    await v.disputes.write.contest([v.testId, SELLER_SECRET], { account: m.accounts.seller!.account, value: POLICY_V2.sellerBond });
    const indices = contestIndices({ secretB, secretS: SELLER_SECRET, chainId: v.chainId, market: v.c.market.address, testId: v.testId }, N);
    assert.deepEqual([...(await v.disputes.read.challengeIndices([v.testId, secretB, SELLER_SECRET]))], indices);

    const input = openCircuitInput(
      { featuresRoot: v.root, labels: v.labels, predictions: v.predictions, salt: v.set.salt, fields: v.fields, tag: v.tag, indices },
      256,
    );
    const openings = indices.map((j) => sampleOpening(v.set, v.digests, j, v.predictions[j]!));
    const opening = {
      buyerSecret: secretB,
      featuresRoot: v.root,
      labels: indices.map((j) => v.labels[j]!),
      predictions: indices.map((j) => v.predictions[j]!),
      samples: openings.map(openedSampleCalldata),
    };
    await assert.rejects(
      v.disputes.write.openSamples([v.testId, opening, await standIn(v, openPublicSignals(input))], { account: m.accounts.mallory!.account }),
      /RefundDisputesNotBuyer/,
      "only the buyer may open",
    );
    await v.disputes.write.openSamples([v.testId, opening, await standIn(v, openPublicSignals(input))], { account: m.accounts.buyer!.account });
    assert.equal((await v.disputes.read.getDispute([v.testId])).phase, 3, "Opened");

    // The seller's contest on slot 5, with signals built from the SDK's meta and feature words.
    const sample = openings[5]!;
    const cls = (sample.prediction + 1) % TASK.classCount;
    const meta = packContestMeta({
      index: sample.index,
      prediction: sample.prediction,
      cls,
      kind: ContestKind.Mismatch,
      featureCount: TASK.featureCount,
      featureBits: TASK.featureBits,
      classCount: TASK.classCount,
      toleranceQ: POLICY_V2.contestToleranceQ,
    });
    const signals = contestPublicSignals({
      planCommitment: BigInt(POLICY_V2.planCommitment).toString(),
      featuresRoot: v.root.toString(),
      meta: meta.toString(),
      sigma: sample.sigma.toString(),
      siblings: sample.siblings.map(String),
      featureWords: packLanes(sample.features, 16, 15).map(String),
      rowBias: [],
      rowSiblings: [],
      planSalt: "0",
    });
    const posted = (await v.disputes.getEvents.SamplesOpened({ testId: v.testId }, { fromBlock: 0n }))[0]!.args.samples!;
    assert.deepEqual(posted, opening.samples, "the event carries the whole opening");
    const slotHashes = posted.map(openedSampleHash);
    const sellerBefore = await v.c.market.read.owed([m.accounts.seller!.account.address]);
    await v.disputes.write.proveMismatch([v.testId, openedSampleCalldata(sample), slotHashes, cls, 2, await standIn(v, signals)]);
    assert.equal((await v.c.market.read.getTest([v.testId])).phase, TEST_PHASE.RefundRejected);
    assert.equal(await v.c.market.read.owed([m.accounts.buyer!.account.address]), FREE_FEE, "the buyer gets F back");
    assert.equal(await v.c.market.read.owed([m.accounts.seller!.account.address]) - sellerBefore, POLICY.deposit + POLICY_V2.sellerBond);
    assert.equal(await v.c.market.read.owed([await v.c.market.read.PENALTY_SINK()]), POLICY_V2.buyerBond, "the buyer's bond is burned");
  });
});
