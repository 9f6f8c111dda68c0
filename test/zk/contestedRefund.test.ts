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
 * test/zk/dishonestBuyerPayoff.test.ts prices the smallest lie, caught and not.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseEther, type Hex } from "viem";
import { prepareSampleOpening, proveContest, proveGradedRefund, NoRefundProofError } from "@modelbazaar/sdk/actions";
import { PlanFamily } from "@modelbazaar/sdk/disputes";
import { terminateSnarkjsWorkers } from "@modelbazaar/sdk/prover";
import { challengeSecret, contestIndices, gradedRefund } from "@modelbazaar/sdk/testDrives";
import type { DisputePolicy } from "@modelbazaar/sdk/listings";
import { TEST_PHASE, connectMarket } from "../helpers/market.ts";
import {
  ARTIFACTS,
  FREE_FEE,
  N,
  PLAN_SALT,
  TEST_POLICY,
  buyerAddress,
  claimIrisRefund,
  contestAndOpenIris,
  evaluatedIrisTest,
  irisDisputeData,
  irisDisputePolicy,
  keptTestSet,
  owed,
  sellerAddress,
  type IrisDisputeData,
  type IrisTest,
  type Market,
} from "../helpers/irisDispute.ts";

const SELLER_SECRET: Hex = `0x${"5e".repeat(32)}`;
const BUYER_BOND = parseEther("0.5");
const SELLER_BOND = parseEther("0.02");

describe("v2 refund disputes with real proofs (iris-logreg)", () => {
  let m: Market;
  let data: IrisDisputeData;
  let policy: DisputePolicy;

  before(async () => {
    m = await connectMarket();
    data = await irisDisputeData();
    policy = irisDisputePolicy(data);
    assert.equal(policy.planFamily, PlanFamily.Linear);
    assert.deepEqual([policy.buyerBond, policy.sellerBond], [BUYER_BOND, SELLER_BOND], "the default bonds are D/2 and D/50");
  });

  after(terminateSnarkjsWorkers);

  const evaluatedTest = (claimBps: number, salt: bigint) => evaluatedIrisTest(m, data, policy, claimBps, salt);

  async function claim(s: IrisTest, predictions: readonly number[]) {
    const claimed = await claimIrisRefund(m, data, s, predictions);
    assert.equal(claimed.value, BUYER_BOND + FREE_FEE, "the claim stakes B_b + F");
    console.log(`      claimRefund (Refund(256), s = ${claimed.shortfallBps} bps): ${claimed.gasUsed} gas`);
    return claimed;
  }

  async function contestAndOpen(s: IrisTest, predictions: readonly number[]) {
    const opened = await contestAndOpenIris(m, data, s, predictions, SELLER_SECRET);
    console.log(`      openSamples (Open(256, 16), 16 Iris samples): ${opened.gasUsed} gas`);
    return opened;
  }

  it("the shipped plan meets a 90% claim and falls short of 99% on this Iris set, by the worker's own (quantized) predictions", () => {
    const accuracy = data.correct(data.honest) / N;
    assert.ok(accuracy >= 0.9 && accuracy < 0.99, `accuracy ${accuracy}`);
  });

  it("an honest buyer of a model below its claim is refunded the graded share and its bond when the seller does not contest, revealing no sample", async () => {
    const s = await evaluatedTest(9_900, 0x1111n);
    const sellerBefore = await owed(s, sellerAddress(m));
    const claimed = await claim(s, data.honest);
    await assert.rejects(
      prepareSampleOpening(m.publicClient, { market: s.c.market.address, testId: s.testId, kept: keptTestSet(data, data.honest, s.salt) }),
      (error: unknown) => error instanceof NoRefundProofError && /is Claimed, not contested: there is nothing to open/.test(error.message),
      "no opening is built before the seller contests",
    );
    await m.networkHelpers.time.increase(Number(await s.disputes.read.contestWindow()));
    await s.disputes.write.closeDispute([s.testId]);
    const refund = gradedRefund(TEST_POLICY.deposit, claimed.shortfallBps, policy.refundSlopeBps);
    assert.equal(await owed(s, buyerAddress(m)), refund + BUYER_BOND);
    assert.equal((await owed(s, sellerAddress(m))) - sellerBefore, TEST_POLICY.deposit - refund + FREE_FEE);
    assert.equal((await s.disputes.getEvents.SamplesOpened({}, { fromBlock: 0n })).length, 0, "nothing was opened");
    assert.equal((await s.c.market.read.getTest([s.testId])).phase, TEST_PHASE.Refunded);
  });

  it("an honest buyer keeps the refund and wins the seller's bond when the contest finds nothing to prove", async () => {
    const s = await evaluatedTest(9_900, 0x2222n);
    const claimed = await claim(s, data.honest);
    await contestAndOpen(s, data.honest);
    const contest = await proveContest(m.publicClient, { disputes: s.disputes.address, testId: s.testId, plan: data.plan, planSalt: PLAN_SALT, artifacts: ARTIFACTS });
    assert.equal(contest, undefined, "no opened prediction of a worker that evaluated the committed plan can be contested");
    await m.networkHelpers.time.increase(Number(await s.disputes.read.proveWindow()));
    await s.disputes.write.closeDispute([s.testId]);
    const refund = gradedRefund(TEST_POLICY.deposit, claimed.shortfallBps, policy.refundSlopeBps);
    assert.equal(await owed(s, buyerAddress(m)), refund + BUYER_BOND + SELLER_BOND);
  });

  it("a buyer that lies about predictions on a model meeting its claim is caught on an opened lie and loses its bond", async () => {
    const salt = 0x3333n;
    const s = await evaluatedTest(9_000, salt);
    await assert.rejects(
      proveGradedRefund(m.publicClient, { market: s.c.market.address, testId: s.testId, kept: keptTestSet(data, data.honest, salt), artifacts: ARTIFACTS }),
      NoRefundProofError,
      "the honest predictions prove no shortfall",
    );
    // Lie on 20 of 64 samples: the worst-scoring class instead of the plan's.
    const lied = new Set(Array.from({ length: 20 }, (_, k) => (k * 7) % N));
    const lies = data.honest.map((p, j) => (lied.has(j) ? data.worstClass(j) : p));
    await claim(s, lies);
    const sellerBefore = await owed(s, sellerAddress(m));
    const opened = await contestAndOpen(s, lies);
    const drawn = contestIndices({ secretB: challengeSecret(salt, s.testId), secretS: SELLER_SECRET, chainId: await m.publicClient.getChainId(), market: s.c.market.address, testId: s.testId }, N);
    assert.deepEqual(opened.indices, drawn);
    assert.ok(drawn.some((j) => lied.has(j)), "with 20 lies among 64, these secrets open at least one (P = 0.997)");

    const contest = await proveContest(m.publicClient, { disputes: s.disputes.address, testId: s.testId, plan: data.plan, planSalt: PLAN_SALT, artifacts: ARTIFACTS });
    assert.ok(contest !== undefined, "the seller finds a provable lie");
    assert.ok(lied.has(contest.sample.index), "on a lied sample");
    const hash = await s.disputes.write.proveMismatch([s.testId, contest.sample, contest.slotHashes, contest.cls, contest.kind, contest.proof.calldata], {
      account: m.accounts.seller!.account,
    });
    const receipt = await m.publicClient.waitForTransactionReceipt({ hash });
    console.log(`      proveMismatch (ContestLinear(4, 3)): ${receipt.gasUsed} gas`);
    assert.equal((await s.c.market.read.getTest([s.testId])).phase, TEST_PHASE.RefundRejected);
    assert.equal(await owed(s, buyerAddress(m)), FREE_FEE, "the buyer gets only the free samples' fee it staked back");
    assert.equal((await owed(s, sellerAddress(m))) - sellerBefore, TEST_POLICY.deposit + SELLER_BOND, "the seller gets what a walk-away pays, and its bond");
    assert.equal(await owed(s, await s.c.market.read.PENALTY_SINK()), BUYER_BOND, "the buyer's bond is burned");
  });
});
