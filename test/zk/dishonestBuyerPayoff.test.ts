/**
 * The dishonest buyer's payoff, played against the real contracts and circuits (docs/DISPUTES.md
 * §4.2, build-plan step 16; the shipped Refund(256), Open(256, 16) and ContestLinear(4, 3)
 * verifiers, the iris-logreg plan, a listing whose buyer bond is the SDK's `minimumBuyerBond`).
 *
 * The buyer's most profitable lie is the smallest: one false prediction on a model that sits
 * exactly at its claim, which proves the largest shortfall per lie and is opened with the
 * smallest probability (16 of 64). Both outcomes are played with real proofs: the seller's
 * secret draws the lied sample (the seller proves the mismatch, the bond is burned) or misses it
 * (the buyer keeps the refund and the seller's bond). The money each outcome moves is read from
 * the market's ledger, relative to walking away, and weighted by the exact odds of the draw:
 * the expectation must be negative and equal to the SDK's `dishonestDispute` formula for the
 * proven shortfall, so the benchmark's stand-in grid (docs/benchmarks/disputes.md) speaks for
 * the real verifiers too.
 *
 * What no contest can catch is played last: a buyer that mislabels its own sample instead of
 * lying about a prediction is refunded even when contested (§1, §4.4), at the price §4.4 states.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Hex } from "viem";
import { proveContest } from "@modelbazaar/sdk/actions";
import { catchOdds, dishonestDispute, minimumBuyerBond, sellerContests, type DisputeEconomicsTerms } from "@modelbazaar/sdk/disputes";
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
  owed,
  type IrisDisputeData,
  type IrisTest,
  type Market,
} from "../helpers/irisDispute.ts";

const SELLER_SECRET: Hex = `0x${"c4".repeat(32)}`;

describe("a dishonest buyer loses money in expectation against the real verifiers (iris-logreg, n = 64, one lie)", () => {
  let m: Market;
  let data: IrisDisputeData;
  let policy: DisputePolicy;
  let terms: DisputeEconomicsTerms;
  /** The highest claim the plan's own predictions meet (the seller's worst case). */
  let claimBps: number;
  /** The buyer's gain relative to walking away, per outcome, measured on the ledger. */
  const gain: { caught?: bigint; escaped?: bigint; shortfallBps?: number } = {};

  before(async () => {
    m = await connectMarket();
    data = await irisDisputeData();
    const defaults = irisDisputePolicy(data);
    terms = { ...TEST_POLICY, refundSlopeBps: defaults.refundSlopeBps, buyerBond: defaults.buyerBond, sellerBond: defaults.sellerBond };
    terms = { ...terms, buyerBond: minimumBuyerBond(terms) };
    policy = irisDisputePolicy(data, terms.buyerBond);
    claimBps = Math.floor((10_000 * data.correct(data.honest)) / N) + 1;
  });

  after(terminateSnarkjsWorkers);

  /** Plays one lie on a correctly predicted sample, drawn by the seller's secret or not; returns the buyer's gain. */
  async function playOneLie(salt: bigint, drawnByTheSeller: boolean) {
    const s = await evaluatedIrisTest(m, data, policy, claimBps, salt);
    const drawn = contestIndices({ secretB: challengeSecret(salt, s.testId), secretS: SELLER_SECRET, chainId: await m.publicClient.getChainId(), market: s.c.market.address, testId: s.testId }, N);
    const lie = data.honest.findIndex((p, j) => p === data.labels[j] && drawn.includes(j) === drawnByTheSeller);
    assert.ok(lie >= 0);
    const lies = data.honest.map((p, j) => (j === lie ? data.worstClass(j) : p));
    const claimed = await claimIrisRefund(m, data, s, lies);
    assert.equal(claimed.value, terms.buyerBond + FREE_FEE);
    gain.shortfallBps = claimed.shortfallBps;
    await contestAndOpenIris(m, data, s, lies, SELLER_SECRET);
    const contest = await proveContest(m.publicClient, { disputes: s.disputes.address, testId: s.testId, plan: data.plan, planSalt: PLAN_SALT, artifacts: ARTIFACTS });
    return { s, lie, claimed, contest };
  }

  /** What the buyer ends with, less what it staked: walking away leaves it nothing of the deposit. */
  const buyerGain = async (s: IrisTest, staked: bigint) => (await owed(s, buyerAddress(m))) - staked;

  it("the listing's bond (minimumBuyerBond over 32..256 samples) makes one lie of 64 unprofitable on paper, and the seller's policy contests it", () => {
    assert.ok(terms.buyerBond > 0n);
    assert.ok(dishonestDispute(terms, N, 1).gain < 0n);
    const refund = gradedRefund(TEST_POLICY.deposit, Math.ceil(10_000 / N), policy.refundSlopeBps);
    assert.ok(sellerContests(refund, FREE_FEE));
  });

  it("caught: the seller's secret draws the lie, the seller proves the mismatch and the buyer's bond is burned", async () => {
    const { s, lie, claimed, contest } = await playOneLie(0x51n, true);
    assert.ok(contest !== undefined && contest.sample.index === lie, "the seller proves the opened lie");
    await s.disputes.write.proveMismatch([s.testId, contest.sample, contest.slotHashes, contest.cls, contest.kind, contest.proof.calldata], { account: m.accounts.seller!.account });
    assert.equal((await s.c.market.read.getTest([s.testId])).phase, TEST_PHASE.RefundRejected);
    gain.caught = await buyerGain(s, claimed.value);
    assert.equal(gain.caught, -terms.buyerBond);
  });

  it("escaped: the draw misses the lie, the seller has nothing to prove and the buyer keeps the refund and the seller's bond", async () => {
    const { s, claimed, contest } = await playOneLie(0x52n, false);
    assert.equal(contest, undefined, "no opened sample is a lie");
    await m.networkHelpers.time.increase(Number(await s.disputes.read.proveWindow()));
    await s.disputes.write.closeDispute([s.testId]);
    assert.equal((await s.c.market.read.getTest([s.testId])).phase, TEST_PHASE.Refunded);
    gain.escaped = await buyerGain(s, claimed.value);
    assert.equal(gain.escaped, gradedRefund(TEST_POLICY.deposit, claimed.shortfallBps, policy.refundSlopeBps) + policy.sellerBond - FREE_FEE);
    assert.ok(gain.escaped > 0n, "a lie that is not opened pays");
  });

  it("weighted by the exact odds of the draw, the lie loses money, as the SDK's formula says", () => {
    assert.ok(gain.caught !== undefined && gain.escaped !== undefined && gain.shortfallBps !== undefined, "both outcomes were played");
    const { caught, total } = catchOdds(N, 1);
    assert.equal(Number(caught) / Number(total), 16 / N);
    const expected = (caught * gain.caught + (total - caught) * gain.escaped) / total;
    console.log(`      one lie of ${N}: caught ${gain.caught} wei, escaped +${gain.escaped} wei, expected ${expected} wei`);
    assert.ok(expected < 0n, `expected gain ${expected} wei`);
    const atProvenShortfall = dishonestDispute(terms, N, 1);
    if (atProvenShortfall.shortfallBps === gain.shortfallBps) assert.equal(expected, atProvenShortfall.gain);
    assert.ok(expected <= atProvenShortfall.gain + 1n, "the formula's worst-case shortfall bounds the played one");
  });

  it("a buyer that mislabels one of its own samples is refunded even when contested: the residual §4.4 prices", async () => {
    const salt = 0x53n;
    const flipped = data.honest.findIndex((p, j) => p === data.labels[j]);
    const mislabeled = { ...data, labels: data.labels.map((l, j) => (j === flipped ? (l + 1) % 3 : l)) };
    const s = await evaluatedIrisTest(m, mislabeled, policy, claimBps, salt);
    const claimed = await claimIrisRefund(m, mislabeled, s, data.honest);
    await contestAndOpenIris(m, mislabeled, s, data.honest, SELLER_SECRET);
    const contest = await proveContest(m.publicClient, { disputes: s.disputes.address, testId: s.testId, plan: data.plan, planSalt: PLAN_SALT, artifacts: ARTIFACTS });
    assert.equal(contest, undefined, "every opened prediction is the plan's: a label is the buyer's own");
    await m.networkHelpers.time.increase(Number(await s.disputes.read.proveWindow()));
    await s.disputes.write.closeDispute([s.testId]);
    const refund = gradedRefund(TEST_POLICY.deposit, claimed.shortfallBps, policy.refundSlopeBps);
    assert.equal(await buyerGain(s, claimed.value), refund + policy.sellerBond - FREE_FEE);
  });
});
