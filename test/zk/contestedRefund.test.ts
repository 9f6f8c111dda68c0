/**
 * The v2 refund end to end with real Groth16 proofs (docs/DISPUTES.md §4, §7; build-plan steps 11
 * and 16): the shipped iris-logreg quantized plan committed in a listing, a buyer's Iris test set
 * committed with the SDK's v2 commitments, the real Refund(256), Open(256, 16) and
 * ContestLinear(4, 3) verifiers behind `RefundDisputes`, and the SDK's buyer and seller actions
 * (proveGradedRefund, proveSampleOpening, proveContest) playing both parties.
 *
 * - An honest buyer of a model that falls short of its claim is refunded the graded share and
 *   its bond without revealing a sample when the seller does not contest, and keeps them (plus
 *   the seller's bond) when the seller contests and the opened samples show nothing.
 * - A buyer that lies about its predictions to fake a shortfall on a model that meets its claim
 *   is caught on an opened lie by the seller's contest proof and loses its bond: less than
 *   walking away would have left it. Whether a lie is opened is decided by the two secrets, and
 *   the test asserts the outcome from the SDK's draw, not from luck.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { getAddress, parseEther, toHex, type Hex } from "viem";
import { compileOnnx } from "../../offchain-worker/src/he/compiler/index.ts";
import { loadIris } from "../../scripts/lib/datasets/iris.ts";
import { ROOT } from "../../scripts/zk/compile.ts";
import { proveContest } from "../../sdk/src/actions/proveContest.ts";
import { proveGradedRefund } from "../../sdk/src/actions/proveGradedRefund.ts";
import { NoRefundProofError, type KeptTestSet } from "../../sdk/src/actions/proveRefund.ts";
import { proveSampleOpening } from "../../sdk/src/actions/proveSampleOpening.ts";
import { contestableDisputePolicy } from "../../sdk/src/disputes/contestablePolicy.ts";
import { PlanFamily } from "../../sdk/src/disputes/planCommitment.ts";
import { argmaxScore, quantizePlan, quantizedScores, type QuantizedLinearPlan } from "../../sdk/src/he/quantizedPlan.ts";
import { terminateSnarkjsWorkers } from "../../sdk/src/prover/disputeProof.ts";
import {
  challengeSecret,
  contestIndices,
  dataCommitmentV2,
  featuresRoot,
  gradedRefund,
  quantizeFeatures,
  sampleDigests,
  type DisputePolicy,
} from "../../sdk/src/index.ts";
import { POLICY, TEST_PHASE, connectMarket } from "../helpers/market.ts";
import { deployShippedMarket } from "../helpers/shippedMarket.ts";

const N = 64;
const TASK = { featureCount: 4, classCount: 3, scaleBits: 8, featureBits: 12 } as const;
const PLAN_SALT = 0x0badc0ffee0ddf00d5eed5a1700000000000000000000000000000000000001n;
const SELLER_SECRET: Hex = `0x${"5e".repeat(32)}`;
const ARTIFACTS = (name: string) => join(ROOT, "circuits", "artifacts", name, name);
const TEST_POLICY = { ...POLICY, minSamples: 32, maxSamples: 256 };
const BUYER_BOND = parseEther("0.5");
const SELLER_BOND = parseEther("0.02");
const FREE_FEE = BigInt(Math.min(N, TEST_POLICY.freeSamples)) * TEST_POLICY.feePerExtraSample;

describe("v2 refund disputes with real proofs (iris-logreg)", () => {
  let m: Awaited<ReturnType<typeof connectMarket>>;
  let plan: QuantizedLinearPlan;
  let policy: DisputePolicy;
  let quantized: number[][];
  let labels: number[];
  let honest: number[];

  before(async () => {
    m = await connectMarket();
    const { plan: floatPlan } = await compileOnnx(readFileSync(join(ROOT, "models", "iris-logreg.onnx")));
    plan = quantizePlan(floatPlan, { scaleBits: TASK.scaleBits }) as QuantizedLinearPlan;
    policy = contestableDisputePolicy({ plan, planSalt: PLAN_SALT, deposit: TEST_POLICY.deposit });
    assert.equal(policy.planFamily, PlanFamily.Linear);
    assert.deepEqual([policy.buyerBond, policy.sellerBond], [BUYER_BOND, SELLER_BOND], "the default bonds are D/2 and D/50");
    const { train } = loadIris();
    const rows = Array.from({ length: N }, (_, s) => Array.from(train.features.subarray(s * 4, s * 4 + 4)));
    quantized = quantizeFeatures(rows, TASK);
    labels = Array.from(train.labels.subarray(0, N));
    // What a worker that evaluates the committed plan returns (docs/DISPUTES.md §6).
    honest = quantized.map((row) => argmaxScore(quantizedScores(plan, row, TASK.featureBits)));
  });

  after(terminateSnarkjsWorkers);

  const correct = (predictions: readonly number[]) => predictions.filter((p, i) => p === labels[i]).length;

  /** The shipped market, a listing of the committed plan claiming `claimBps`, and an evaluated test-drive of the Iris set. */
  async function evaluatedTest(claimBps: number, salt: bigint) {
    const { deployer, seller, buyer, worker } = m.accounts;
    const c = await deployShippedMarket(m.viem, deployer!.account.address);
    const terms = { ...m.terms(), task: TASK, claimedAccuracyBps: claimBps, testPolicy: TEST_POLICY, disputePolicy: policy };
    await c.registry.write.list([terms, m.offer()], { account: seller!.account });
    const root = featuresRoot(sampleDigests({ features: quantized, shape: TASK, salt }));
    const commitment = dataCommitmentV2({ featuresRoot: root, labels, salt });
    const fee = BigInt(N - Math.min(N, TEST_POLICY.freeSamples)) * TEST_POLICY.feePerExtraSample;
    await c.market.write.openTest([1n, toHex(commitment, { size: 32 }), N], { account: buyer!.account, value: TEST_POLICY.deposit + fee });
    await c.market.write.recordReceipt([1n, `0x${"ab".repeat(32)}`], { account: worker!.account });
    const disputes = await m.viem.getContractAt("RefundDisputes", await c.market.read.refundDisputes());
    return { c, disputes, testId: 1n };
  }
  type Session = Awaited<ReturnType<typeof evaluatedTest>>;

  const kept = (predictions: readonly number[], salt: bigint): KeptTestSet => ({ quantized, labels, salt, predictions });
  const owed = (s: Session, who: Hex) => s.c.market.read.owed([who]);
  const buyerAddress = () => getAddress(m.accounts.buyer!.account.address);
  const sellerAddress = () => getAddress(m.accounts.seller!.account.address);

  async function claim(s: Session, predictions: readonly number[], salt: bigint) {
    const claimed = await proveGradedRefund(m.publicClient, { market: s.c.market.address, testId: s.testId, kept: kept(predictions, salt), artifacts: ARTIFACTS });
    assert.equal(claimed.value, BUYER_BOND + FREE_FEE, "the claim stakes B_b + F");
    const hash = await s.disputes.write.claimRefund(
      [s.testId, claimed.shortfallBps, claimed.predictionCommitment, claimed.buyerSecretHash, claimed.proof.calldata],
      { account: m.accounts.buyer!.account, value: claimed.value },
    );
    const receipt = await m.publicClient.waitForTransactionReceipt({ hash });
    console.log(`      claimRefund (Refund(256), s = ${claimed.shortfallBps} bps): ${receipt.gasUsed} gas`);
    return claimed;
  }

  async function contestAndOpen(s: Session, predictions: readonly number[], salt: bigint) {
    await s.disputes.write.contest([s.testId, SELLER_SECRET], { account: m.accounts.seller!.account, value: SELLER_BOND });
    const opened = await proveSampleOpening(m.publicClient, { market: s.c.market.address, testId: s.testId, kept: kept(predictions, salt), artifacts: ARTIFACTS });
    const hash = await s.disputes.write.openSamples([s.testId, opened.opening, opened.proof.calldata], { account: m.accounts.buyer!.account });
    const receipt = await m.publicClient.waitForTransactionReceipt({ hash });
    console.log(`      openSamples (Open(256, 16), 16 Iris samples): ${receipt.gasUsed} gas`);
    return opened;
  }

  it("the shipped plan meets a 90% claim and falls short of 99% on this Iris set, by the worker's own (quantized) predictions", () => {
    const accuracy = correct(honest) / N;
    assert.ok(accuracy >= 0.9 && accuracy < 0.99, `accuracy ${accuracy}`);
  });

  it("an honest buyer of a model below its claim is refunded the graded share and its bond when the seller does not contest, revealing no sample", async () => {
    const salt = 0x1111n;
    const s = await evaluatedTest(9_900, salt);
    const sellerBefore = await owed(s, sellerAddress());
    const claimed = await claim(s, honest, salt);
    await m.networkHelpers.time.increase(Number(await s.disputes.read.contestWindow()));
    await s.disputes.write.closeDispute([s.testId]);
    const refund = gradedRefund(TEST_POLICY.deposit, claimed.shortfallBps, policy.refundSlopeBps);
    assert.equal(await owed(s, buyerAddress()), refund + BUYER_BOND);
    assert.equal((await owed(s, sellerAddress())) - sellerBefore, TEST_POLICY.deposit - refund + FREE_FEE);
    assert.equal((await s.disputes.getEvents.SamplesOpened({}, { fromBlock: 0n })).length, 0, "nothing was opened");
    assert.equal((await s.c.market.read.getTest([s.testId])).phase, TEST_PHASE.Refunded);
  });

  it("an honest buyer keeps the refund and wins the seller's bond when the contest finds nothing to prove", async () => {
    const salt = 0x2222n;
    const s = await evaluatedTest(9_900, salt);
    const claimed = await claim(s, honest, salt);
    await contestAndOpen(s, honest, salt);
    const contest = await proveContest(m.publicClient, { disputes: s.disputes.address, testId: s.testId, plan, planSalt: PLAN_SALT, artifacts: ARTIFACTS });
    assert.equal(contest, undefined, "no opened prediction of a worker that evaluated the committed plan can be contested");
    await m.networkHelpers.time.increase(Number(await s.disputes.read.proveWindow()));
    await s.disputes.write.closeDispute([s.testId]);
    const refund = gradedRefund(TEST_POLICY.deposit, claimed.shortfallBps, policy.refundSlopeBps);
    assert.equal(await owed(s, buyerAddress()), refund + BUYER_BOND + SELLER_BOND);
  });

  it("a buyer that lies about predictions on a model meeting its claim is caught on an opened lie and loses its bond", async () => {
    const salt = 0x3333n;
    const s = await evaluatedTest(9_000, salt);
    await assert.rejects(
      proveGradedRefund(m.publicClient, { market: s.c.market.address, testId: s.testId, kept: kept(honest, salt), artifacts: ARTIFACTS }),
      NoRefundProofError,
      "the honest predictions prove no shortfall",
    );
    // Lie on 20 of 64 samples: the worst-scoring class instead of the plan's.
    const lied = new Set(Array.from({ length: 20 }, (_, k) => (k * 7) % N));
    const lies = honest.map((p, j) => {
      if (!lied.has(j)) return p;
      const scores = quantizedScores(plan, quantized[j]!, TASK.featureBits);
      return scores.reduce((worst, v, k) => (v < scores[worst]! ? k : worst), 0);
    });
    await claim(s, lies, salt);
    const sellerBefore = await owed(s, sellerAddress());
    const opened = await contestAndOpen(s, lies, salt);
    const drawn = contestIndices({ secretB: challengeSecret(salt, s.testId), secretS: SELLER_SECRET, chainId: await m.publicClient.getChainId(), market: s.c.market.address, testId: s.testId }, N);
    assert.deepEqual(opened.indices, drawn);
    assert.ok(drawn.some((j) => lied.has(j)), "with 20 lies among 64, these secrets open at least one (P = 0.997)");

    const contest = await proveContest(m.publicClient, { disputes: s.disputes.address, testId: s.testId, plan, planSalt: PLAN_SALT, artifacts: ARTIFACTS });
    assert.ok(contest !== undefined, "the seller finds a provable lie");
    assert.ok(lied.has(contest.sample.index), "on a lied sample");
    const hash = await s.disputes.write.proveMismatch([s.testId, contest.sample, contest.slotHashes, contest.cls, contest.kind, contest.proof.calldata], {
      account: m.accounts.seller!.account,
    });
    const receipt = await m.publicClient.waitForTransactionReceipt({ hash });
    console.log(`      proveMismatch (ContestLinear(4, 3)): ${receipt.gasUsed} gas`);
    assert.equal((await s.c.market.read.getTest([s.testId])).phase, TEST_PHASE.RefundRejected);
    assert.equal(await owed(s, buyerAddress()), FREE_FEE, "the buyer gets only the free samples' fee it staked back");
    assert.equal((await owed(s, sellerAddress())) - sellerBefore, TEST_POLICY.deposit + SELLER_BOND, "the seller gets what a walk-away pays, and its bond");
    assert.equal(await owed(s, await s.c.market.read.PENALTY_SINK()), BUYER_BOND, "the buyer's bond is burned");
  });
});
