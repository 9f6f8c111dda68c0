/**
 * `auditMarket` over v2 refund disputes (docs/DISPUTES.md §4, §7; build-plan step 15).
 *
 * With real proofs: the shipped market (the real Refund(256), Open(256, 16) and contest
 * verifiers behind `RefundDisputes`), a listing of the shipped iris-logreg quantized plan, and
 * one test-drive per ending a dispute can have (uncontested, contested and unproven, a proven
 * mismatch on an opened lie, an invalid opening, an opened prediction that is not a class, an
 * opening never posted) plus two disputes still live, all driven by the SDK's buyer and seller
 * actions: every check holds, each proof re-verifies against the checked-in key of its circuit,
 * and RefundDisputes' balance is the live disputes' stakes. Then each tampering of a step is
 * named by its check (amounts, sink credit, windows, contester, secrets, winner, slot hashes),
 * from the same trail with the proofs taken as re-verified.
 *
 * With the stand-in verifier (contracts/mocks/AnySignalsVerifier.sol, which accepts any "proof"
 * bound to its signals): the contract pays out on proofs the real keys reject, and the audit
 * names the claim, opening and contest proofs as not verified (and the verifiers as not
 * embedding the keys); an opening posted through a contract wallet is reported as not
 * re-verifiable, never as valid.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { encodeFunctionData, formatEther, getAddress, keccak256, parseEther, toHex, zeroAddress, type Hex, type PublicClient } from "viem";
import { compileOnnx } from "../../offchain-worker/src/he/compiler/index.ts";
import { REFUND_SAMPLE_SIZES } from "../../ignition/modules/RefundDisputeCircuits.ts";
import { loadDisputeCircuitKeys } from "../../scripts/lib/disputeCircuitKeys.ts";
import { standInDisputesConfig } from "../../scripts/lib/disputesConfig.ts";
import { loadIris } from "../../scripts/lib/datasets/iris.ts";
import { ROOT } from "../../scripts/zk/compile.ts";
import { proveContest, proveGradedRefund, type KeptTestSet, proveSampleOpening } from "@modelbazaar/sdk/actions";
import { auditMarket, formatAuditReport, type AuditReport, type RefundDisputeRecheck, type StepProof } from "@modelbazaar/sdk/audit";
import { collectEvents } from "@modelbazaar/sdk/internal/audit/collectEvents.ts";
import { buildMarketTrail, type MarketTrail } from "@modelbazaar/sdk/internal/audit/marketTrail.ts";
import { checkRefundDisputes, PENALTY_SINK, type DisputeRules } from "@modelbazaar/sdk/internal/audit/refundDisputeChecks.ts";
import { checkTestDrives } from "@modelbazaar/sdk/internal/audit/testDriveChecks.ts";
import type { Deployment } from "@modelbazaar/sdk/client";
import { refundDisputesAbi } from "@modelbazaar/sdk/abis";
import { PlanFamily, planCommitment, ContestKind, contestPublicSignals, packContestMeta } from "@modelbazaar/sdk/disputes";
import { argmaxScore, quantizePlan, quantizedScores, scoreScaleBits, type QuantizedLinearPlan } from "@modelbazaar/sdk/he";
import { terminateSnarkjsWorkers } from "@modelbazaar/sdk/prover";
import {
  provableShortfall,
  bindingTag,
  challengeCommitment,
  challengeSecret,
  contestIndices,
  dataCommitmentV2,
  decodeSampleFeatures,
  encodeSampleFeatures,
  featuresRoot,
  gradedRefund,
  openCircuitInput,
  openPublicSignals,
  openedSampleCalldata,
  openedSampleHash,
  packDisputeContextV2,
  packLanes,
  predictionCommitment,
  quantizeFeatures,
  sampleDigests,
  sampleOpening,
  type OpenableTestSet,
} from "@modelbazaar/sdk/testDrives";
import type { DisputePolicy } from "@modelbazaar/sdk/listings";
import { POLICY, TASK, connectMarket } from "../helpers/market.ts";
import { deployShippedMarket } from "../helpers/shippedMarket.ts";

const ARTIFACTS_DIR = join(ROOT, "circuits", "artifacts");
const ARTIFACTS = (name: string) => join(ARTIFACTS_DIR, name, name);
const N = 64;
const PLAN_SALT = 0x0badc0ffee0ddf00d5eed5a1700000000000000000000000000000000000001n;
const SELLER_SECRET: Hex = `0x${"5e".repeat(32)}`;
const TEST_POLICY = { ...POLICY, minSamples: 32, maxSamples: 256 };
const BUYER_BOND = parseEther("0.5");
const SELLER_BOND = parseEther("0.02");
const FREE_FEE = BigInt(Math.min(N, TEST_POLICY.freeSamples)) * TEST_POLICY.feePerExtraSample;
const DAY = 86_400;

const checks = (report: AuditReport, check: string) => report.findings.filter((f) => f.check === check);
const failed = (report: AuditReport) => report.findings.filter((f) => !f.ok);
const failedChecks = (findings: readonly { check: string; ok: boolean }[]) => [...new Set(findings.filter((f) => !f.ok).map((f) => f.check))].sort();

describe("auditMarket over v2 refund disputes", async () => {
  const m = await connectMarket();
  const keys = loadDisputeCircuitKeys();
  after(terminateSnarkjsWorkers);

  describe("with real proofs (iris-logreg)", () => {
    let plan: QuantizedLinearPlan;
    let policy: DisputePolicy;
    let quantized: number[][];
    let labels: number[];
    let honest: number[];
    let lies: number[];
    let lied: Set<number>;

    before(async () => {
      const { plan: floatPlan } = await compileOnnx(readFileSync(join(ROOT, "models", "iris-logreg.onnx")));
      plan = quantizePlan(floatPlan, { scaleBits: TASK.scaleBits }) as QuantizedLinearPlan;
      policy = {
        planCommitment: toHex(planCommitment(plan, PLAN_SALT), { size: 32 }),
        planFamily: PlanFamily.Linear,
        contestToleranceQ: 1n << BigInt(scoreScaleBits(plan) - 8),
        refundSlopeBps: 1_000,
        buyerBond: BUYER_BOND,
        sellerBond: SELLER_BOND,
      };
      const { train } = loadIris();
      const rows = Array.from({ length: N }, (_, s) => Array.from(train.features.subarray(s * 4, s * 4 + 4)));
      quantized = quantizeFeatures(rows, TASK);
      labels = Array.from(train.labels.subarray(0, N));
      honest = quantized.map((row) => argmaxScore(quantizedScores(plan, row, TASK.featureBits)));
      // A liar's predictions: the worst-scoring class on 20 of 64 samples.
      lied = new Set(Array.from({ length: 20 }, (_, k) => (k * 7) % N));
      lies = honest.map((p, j) => {
        if (!lied.has(j)) return p;
        const scores = quantizedScores(plan, quantized[j]!, TASK.featureBits);
        return scores.reduce((worst, v, k) => (v < scores[worst]! ? k : worst), 0);
      });
    });

    /**
     * One market, two listings of the committed plan (claiming 99%, which the honest
     * predictions fall short of, and 90%, which they meet), and one test-drive per ending.
     */
    async function session() {
      const { deployer, seller, worker, buyer } = m.accounts;
      const c = await deployShippedMarket(m.viem, deployer!.account.address);
      const disputes = await m.viem.getContractAt("RefundDisputes", await c.market.read.refundDisputes());
      for (const claimedAccuracyBps of [9_900, 9_000]) {
        await c.registry.write.list([{ ...m.terms(), task: TASK, claimedAccuracyBps, testPolicy: TEST_POLICY, disputePolicy: policy }, m.offer()], { account: seller!.account });
      }
      const fee = BigInt(N - Math.min(N, TEST_POLICY.freeSamples)) * TEST_POLICY.feePerExtraSample;
      const tests: Record<string, { testId: bigint; salt: bigint; predictions: number[] }> = {};
      const kept = (t: { salt: bigint; predictions: number[] }): KeptTestSet => ({ quantized, labels, salt: t.salt, predictions: t.predictions });
      const params = (name: string) => ({ market: c.market.address, testId: tests[name]!.testId, kept: kept(tests[name]!), artifacts: ARTIFACTS });

      const plans: [string, bigint, number[]][] = [
        ["uncontested", 1n, honest],
        ["unproven", 1n, honest],
        ["mismatch", 2n, lies],
        ["invalidOpening", 1n, honest],
        ["outOfRange", 1n, honest.map(() => 7)],
        ["notOpened", 1n, honest],
        ["liveClaimed", 1n, honest],
        ["liveContested", 1n, honest],
      ];
      for (const [i, [name, listingId, predictions]] of plans.entries()) {
        const salt = 0x1000n + BigInt(i);
        const root = featuresRoot(sampleDigests({ features: quantized, shape: TASK, salt }));
        const commitment = dataCommitmentV2({ featuresRoot: root, labels, salt });
        await c.market.write.openTest([listingId, toHex(commitment, { size: 32 }), N], { account: buyer!.account, value: TEST_POLICY.deposit + fee });
        const testId = (await c.market.getEvents.TestOpened({}, { fromBlock: 0n })).at(-1)!.args.testId!;
        await c.market.write.recordReceipt([testId, `0x${"ab".repeat(32)}`], { account: worker!.account });
        tests[name] = { testId, salt, predictions };
      }
      for (const [name] of plans) {
        const claimed = await proveGradedRefund(m.publicClient, params(name));
        await disputes.write.claimRefund([tests[name]!.testId, claimed.shortfallBps, claimed.predictionCommitment, claimed.buyerSecretHash, claimed.proof.calldata], {
          account: buyer!.account,
          value: claimed.value,
        });
      }
      for (const name of ["unproven", "mismatch", "invalidOpening", "outOfRange", "notOpened", "liveContested"]) {
        // The worker signer contests one of them: it may, as the seller may.
        const contester = name === "unproven" ? worker! : seller!;
        await disputes.write.contest([tests[name]!.testId, SELLER_SECRET], { account: contester.account, value: SELLER_BOND });
      }
      for (const name of ["unproven", "mismatch", "invalidOpening", "outOfRange"]) {
        const opened = await proveSampleOpening(m.publicClient, params(name));
        let opening = opened.opening;
        if (name === "invalidOpening") {
          // A feature of the first opened sample that is not the committed one: the Open proof
          // does not cover features, so the contract takes it, and the seller proves it invalid.
          const [first, ...rest] = opening.samples;
          const features = decodeSampleFeatures(first!.features);
          features[0] = features[0]! ^ 1;
          opening = { ...opening, samples: [{ ...first!, features: encodeSampleFeatures(features) }, ...rest] };
        }
        await disputes.write.openSamples([tests[name]!.testId, opening, opened.proof.calldata], { account: buyer!.account });
      }
      for (const name of ["mismatch", "invalidOpening"]) {
        const contest = await proveContest(m.publicClient, { disputes: disputes.address, testId: tests[name]!.testId, plan, planSalt: PLAN_SALT, artifacts: ARTIFACTS });
        assert.ok(contest !== undefined, `the seller finds a provable contest on ${name}`);
        await disputes.write.proveMismatch([tests[name]!.testId, contest.sample, contest.slotHashes, contest.cls, contest.kind, contest.proof.calldata], { account: seller!.account });
      }
      await m.networkHelpers.time.increase(DAY);
      for (const name of ["uncontested", "unproven", "notOpened"]) await disputes.write.closeDispute([tests[name]!.testId], { account: m.accounts.mallory!.account });
      return { c, disputes, tests };
    }
    const loadSession = () => m.networkHelpers.loadFixture(session);

    let report: AuditReport;
    let s: Awaited<ReturnType<typeof session>>;
    before(async () => {
      s = await loadSession();
      const started = performance.now();
      report = await auditMarket(m.publicClient as PublicClient, s.c.deployment, { verificationKeys: keys });
      console.log(`      audited ${report.findings.length} checks (14 v2 Groth16 re-verifications) in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    });

    it("a market with v2 disputes of every ending, and two still live, audits clean", () => {
      assert.deepEqual(failed(report), [], report.summary);
      assert.equal(report.ok, true);
      const stage = (name: string) => report.refundDisputes.find((d) => d.testId === s.tests[name]!.testId)?.stage;
      assert.deepEqual(
        ["uncontested", "unproven", "mismatch", "invalidOpening", "outOfRange", "notOpened", "liveClaimed", "liveContested"].map(stage),
        ["buyer won (not contested)", "buyer won (no mismatch proven)", "seller won (mismatch proven)", "seller won (invalid opening)", "seller won (prediction out of range)", "seller won (samples not opened)", "refund claimed", "contested"],
      );
      const counts = Object.fromEntries(
        ["dispute.claim", "dispute.claim-terms", "dispute.contest", "dispute.indices", "dispute.open", "dispute.openings", "dispute.mismatch", "dispute.close", "dispute.money"].map((c) => [c, checks(report, c).length]),
      );
      assert.deepEqual(counts, {
        "dispute.claim": 8,
        "dispute.claim-terms": 8,
        "dispute.contest": 6,
        "dispute.indices": 4,
        "dispute.open": 4,
        "dispute.openings": 4,
        "dispute.mismatch": 2,
        "dispute.close": 6,
        "dispute.money": 6,
      });
      assert.deepEqual(
        report.tests.filter((t) => t.outcome === "refunded" || t.outcome === "refund rejected" || t.outcome === "disputed" || t.outcome === "evaluated").map((t) => t.outcome),
        ["refunded", "refunded", "refund rejected", "refund rejected", "refund rejected", "refund rejected", "disputed", "disputed"],
      );
      assert.equal(checks(report, "test.Refunded").length, 2);
      assert.equal(checks(report, "test.RefundRejected").length, 4);
    });

    it("re-verifies every claim, opening and contest proof from calldata against its circuit's checked-in key", () => {
      for (const d of report.refundDisputes) assert.equal(d.claimProof, "verified (refund_256)", `test ${d.testId}`);
      const opened = report.refundDisputes.filter((d) => d.openProof !== "-");
      assert.deepEqual(opened.map((d) => d.openProof), Array(4).fill("verified (open_256)"));
      const contested = report.refundDisputes.filter((d) => d.contestProof !== "-");
      assert.deepEqual(contested.map((d) => d.contestProof), Array(2).fill("verified (contest_linear_4x3)"));
      assert.match(checks(report, "dispute.claim")[0]!.detail, /verifies against refund_256's key for the signals rebuilt from chain data/);
      for (const check of ["verifier.disputes", "verifier.dispute-key"]) assert.ok(checks(report, check).length > 0, `no ${check} finding`);
      assert.equal(checks(report, "verifier.dispute-key").length, 2 * REFUND_SAMPLE_SIZES.length + 1, "each size's Refund and Open verifiers and the listings' contest verifier embed their keys");
    });

    it("pays each ending by §4's table and holds the live disputes' stakes in RefundDisputes", () => {
      const money = (name: string) => checks(report, "dispute.money").find((f) => f.subject === `test ${s.tests[name]!.testId}`)!.detail;
      const D = TEST_POLICY.deposit;
      const correct = honest.filter((p, i) => p === labels[i]).length;
      const R = gradedRefund(D, provableShortfall(correct, N, 9_900), policy.refundSlopeBps);
      assert.ok(R > 0n && R < D, "the honest shortfall below 99% refunds part of the deposit");
      assert.equal(money("uncontested"), `Refunded: ${R + BUYER_BOND} to the buyer, ${D - R + FREE_FEE} to the seller, 0 burned`);
      assert.equal(money("unproven"), `Refunded: ${R + BUYER_BOND + SELLER_BOND} to the buyer, ${D - R + FREE_FEE} to the seller, 0 burned`);
      for (const name of ["mismatch", "invalidOpening", "outOfRange", "notOpened"]) {
        assert.equal(money(name), `RefundRejected: ${FREE_FEE} to the buyer, ${D + SELLER_BOND} to the seller, ${BUYER_BOND} burned`);
      }
      const funds = report.funds!;
      assert.deepEqual(funds.disputes, { address: s.disputes.address, balance: 2n * (BUYER_BOND + FREE_FEE) + SELLER_BOND, staked: 2n * (BUYER_BOND + FREE_FEE) + SELLER_BOND });
      assert.equal(checks(report, "funds.disputes")[0]?.ok, true);
      assert.equal(funds.marketBalance, funds.held + funds.owed, "the market holds the live disputes' deposits and every settlement's credit");
    });

    it("prints the disputes in bazaar audit's text report", () => {
      const text = formatAuditReport(report);
      assert.match(text, /\nRefund disputes \(8\)\n {2}test +listing +shortfall +refund +stage +claim proof +open proof +contest proof\n/);
      assert.match(text, /seller won \(mismatch proven\) +verified \(refund_256\) +verified \(open_256\) +verified \(contest_linear_4x3\)/);
      assert.match(text, /RefundDisputes [\d.]+ ETH covers the live disputes' stakes [\d.]+ ETH\? yes/);
    });

    it("flags RefundDisputes holding less than the live disputes' stakes, and reports ether forced into it as unowned", async () => {
      await loadSession();
      const balance = await m.publicClient.getBalance({ address: s.disputes.address });
      await m.networkHelpers.setBalance(s.disputes.address, balance - 1n);
      const short = await auditMarket(m.publicClient as PublicClient, s.c.deployment, { verificationKeys: keys });
      assert.deepEqual(failedChecks(short.findings), ["funds.disputes"]);
      assert.match(checks(short, "funds.disputes")[0]!.detail, new RegExp(`balance ${formatEther(balance - 1n).replace(".", "\\.")} ETH < the stakes of the live disputes ${formatEther(balance).replace(".", "\\.")} ETH`));
      await m.networkHelpers.setBalance(s.disputes.address, balance + 5n);
      const forced = await auditMarket(m.publicClient as PublicClient, s.c.deployment, { verificationKeys: keys });
      assert.deepEqual(failed(forced), []);
      assert.equal(forced.funds!.unowned.disputes, 5n);
    });

    /** The session's trail, with every proof taken as re-verified: only the rule at stake decides. */
    async function tamperable() {
      await loadSession();
      const trail = buildMarketTrail(await collectEvents(m.publicClient as PublicClient, s.c.deployment));
      const proof = (step: StepProof["step"]): StepProof => ({ step, transactionHash: "0x", checked: true, verified: true, circuit: `${step} circuit`, detail: "re-verified" });
      const rechecks = new Map<bigint, RefundDisputeRecheck>(
        [...trail.disputes.values()].map((d) => [d.testId, { testId: d.testId, claim: proof("claim"), open: d.opening && proof("open"), contest: d.mismatch && proof("contest") }]),
      );
      const rules: DisputeRules = { chainId: await m.publicClient.getChainId(), market: s.c.market.address, windows: { contest: BigInt(DAY), open: BigInt(DAY), prove: BigInt(DAY) } };
      const dispute = (name: string) => trail.disputes.get(s.tests[name]!.testId)!;
      const test = (name: string) => trail.tests.get(s.tests[name]!.testId)!;
      const run = (t: MarketTrail = trail) => checkRefundDisputes(t, rules, rechecks);
      return { trail, rechecks, rules, dispute, test, run };
    }

    it("names each tampered step: amounts, the sink's credit, the refund, windows, the contester, the secrets, the winner, the slot hashes", async () => {
      const t = await tamperable();
      assert.deepEqual(failedChecks(t.run()), [], "the trail holds with the proofs taken as re-verified");
      const tamper = (change: () => () => void): string[] => {
        const undo = change();
        try {
          return failedChecks(t.run());
        } finally {
          undo();
        }
      };
      /** Sets `target[key]`, returning what restores it. */
      const set = <T extends object, K extends keyof T>(target: T, key: K, value: T[K]) => {
        const old = target[key];
        (target as Record<K, T[K]>)[key] = value;
        return () => void ((target as Record<K, T[K]>)[key] = old);
      };
      const closing = (name: string) => t.test(name).closings.at(-1)!;

      // The market paid the uncontested buyer one wei more than R + B_b.
      assert.deepEqual(tamper(() => {
        const list = t.test("uncontested").closings;
        const old = list[list.length - 1]!;
        list[list.length - 1] = { ...old, toBuyer: old.toBuyer + 1n };
        return () => void (list[list.length - 1] = old);
      }), ["dispute.money"]);
      // The seller won by proof but the buyer's bond was not burned (no sink credit).
      assert.deepEqual(tamper(() => set(closing("mismatch"), "credits", closing("mismatch").credits!.filter((x) => getAddress(x.payee) !== getAddress(PENALTY_SINK))) ), ["dispute.money"]);
      // The claim reports a refund that is not gradedRefund(D, s, w), or stakes another bond.
      assert.deepEqual(tamper(() => set(t.dispute("liveClaimed"), "claim", { ...t.dispute("liveClaimed").claim, refund: 1n })), ["dispute.claim-terms"]);
      assert.deepEqual(tamper(() => set(t.dispute("liveClaimed"), "claim", { ...t.dispute("liveClaimed").claim, buyerBond: BUYER_BOND - 1n })), ["dispute.claim-terms"]);
      // A contest after the contest window, by someone neither seller nor worker, or with another bond.
      const contest = t.dispute("liveContested").contest!;
      assert.deepEqual(tamper(() => set(t.dispute("liveContested"), "contest", { ...contest, at: { ...contest.at, timestamp: t.dispute("liveContested").claim.at.timestamp + BigInt(DAY) } })), ["dispute.contest"]);
      assert.deepEqual(tamper(() => set(t.dispute("liveContested"), "contest", { ...contest, contester: m.accounts.mallory!.account.address })), ["dispute.contest"]);
      assert.deepEqual(tamper(() => set(t.dispute("liveContested"), "contest", { ...contest, sellerBond: 1n })), ["dispute.contest"]);
      // Indices drawn with another seller secret, or a buyer secret that does not open H_b.
      const unproven = t.dispute("unproven");
      assert.deepEqual(tamper(() => set(unproven, "contest", { ...unproven.contest!, sellerSecret: `0x${"77".repeat(32)}` })), ["dispute.indices"]);
      assert.deepEqual(tamper(() => set(unproven, "opening", { ...unproven.opening!, buyerSecret: keccak256(toHex("another secret")) })), ["dispute.indices"]);
      // An opening after the open window; a posted sample at another index than drawn.
      assert.deepEqual(tamper(() => set(unproven, "contest", { ...unproven.contest!, at: { ...unproven.contest!.at, timestamp: unproven.opening!.at.timestamp - BigInt(DAY) } })), ["dispute.open"]);
      const [first, ...rest] = unproven.opening!.samples;
      assert.deepEqual(tamper(() => set(unproven, "opening", { ...unproven.opening!, samples: [{ ...first!, index: first!.index + 1 }, ...rest] })), ["dispute.openings"]);
      // Closed before its window ended, or with the other side winning.
      const closed = t.dispute("uncontested").closed!;
      assert.deepEqual(tamper(() => set(t.dispute("uncontested"), "closed", { ...closed, at: { ...closed.at, timestamp: t.dispute("uncontested").claim.at.timestamp + 60n } })), ["dispute.close"]);
      const notOpened = t.dispute("notOpened").closed!;
      assert.deepEqual(tamper(() => set(t.dispute("notOpened"), "closed", { ...notOpened, buyerWon: true })), ["dispute.close", "dispute.money"]);
      assert.deepEqual(tamper(() => set(t.dispute("notOpened"), "closed", { ...notOpened, burned: 0n })), ["dispute.close"]);
      // A proof after the prove window.
      const mismatch = t.dispute("mismatch").mismatch!;
      assert.deepEqual(tamper(() => set(t.dispute("mismatch"), "mismatch", { ...mismatch, at: { ...mismatch.at, timestamp: t.dispute("mismatch").opening!.at.timestamp + BigInt(DAY) } })), ["dispute.mismatch"]);
      // A contest whose calldata names a sample that was not opened, or other slot hashes than the opened ones.
      const id = s.tests.mismatch!.testId;
      const recheck = t.rechecks.get(id)!;
      const withRecheck = (r: RefundDisputeRecheck) => {
        t.rechecks.set(id, r);
        return () => void t.rechecks.set(id, recheck);
      };
      const proven = t.dispute("mismatch");
      const sample = proven.opening!.samples.find((x) => x.index === proven.mismatch!.index)!;
      const calldata = { sample, slotHashes: proven.opening!.samples.map(openedSampleHash), cls: proven.mismatch!.cls, kind: 2 };
      const withCall = (call: typeof calldata) => withRecheck({ ...recheck, contest: { ...recheck.contest!, calldata: call } });
      assert.deepEqual(tamper(() => withCall(calldata)), [], "the real calldata's sample and slot hashes are the opened ones");
      assert.deepEqual(tamper(() => withCall({ ...calldata, sample: { ...sample, sigma: sample.sigma + 1n } })), ["dispute.openings"]);
      assert.deepEqual(tamper(() => withCall({ ...calldata, slotHashes: calldata.slotHashes.slice().reverse() })), ["dispute.openings"]);
      assert.deepEqual(tamper(() => withCall({ ...calldata, cls: (calldata.cls + 1) % TASK.classCount })), ["dispute.mismatch"]);
      // A deposit the market locked for a dispute RefundDisputes never reported.
      assert.deepEqual(failedChecks(checkTestDrives(t.trail)), []);
      const live = t.dispute("liveClaimed");
      t.trail.disputes.delete(live.testId);
      assert.deepEqual(failedChecks(checkTestDrives(t.trail)), ["test.Disputed"]);
      t.trail.disputes.set(live.testId, live);
      // A proof the audit could not re-verify is a failure, not a pass.
      assert.deepEqual(tamper(() => withRecheck({ ...recheck, claim: { ...recheck.claim, verified: false, checked: false, detail: "not re-verified" } })), ["dispute.claim"]);
    });
  });

  describe("with the stand-in verifier, which accepts proofs the real keys reject", () => {
    const POLICY_V2: DisputePolicy = {
      planCommitment: "0x00000000000000000000000000000000000000000000000000000000000009a7",
      planFamily: PlanFamily.Linear,
      contestToleranceQ: 1234n,
      refundSlopeBps: 1_000,
      buyerBond: BUYER_BOND,
      sellerBond: SELLER_BOND,
    };
    const asBytes32 = (x: bigint): Hex => toHex(x, { size: 32 });

    it("names the claim, opening and contest proofs as not verified, and an opening through a contract wallet as not re-verifiable", async () => {
      const c = await m.load(); // AnySignalsVerifier for every circuit
      const { seller, buyer, worker, mallory } = m.accounts;
      await c.registry.write.list([{ ...m.terms(), testPolicy: TEST_POLICY, disputePolicy: POLICY_V2 }, m.offer()], { account: seller!.account });
      const disputes = await m.viem.getContractAt("RefundDisputes", await c.market.read.refundDisputes());
      const chainId = await m.publicClient.getChainId();
      const standIn = async (signals: readonly bigint[]) => m.proofWith(await c.anyVerifier.read.proofFor([[...signals]]));
      const wallet = await m.viem.deployContract("ReentrantAttacker");

      /**
       * A test-drive claimed, contested and opened with stand-in proofs. With `viaWallet` the
       * buyer is a contract wallet: its calls to RefundDisputes are internal calls, not the
       * transactions' calldata.
       */
      async function disputed(salt: bigint, viaWallet: boolean) {
        const set: OpenableTestSet = {
          features: Array.from({ length: N }, (_, i) => Array.from({ length: TASK.featureCount }, (_, f) => (i * 37 + f * 101 + Number(salt)) % 2 ** TASK.featureBits)),
          shape: { featureCount: TASK.featureCount, featureBits: TASK.featureBits },
          salt,
        };
        const labels = Array.from({ length: N }, (_, i) => i % TASK.classCount);
        const predictions = labels.map((l, i) => (i % 4 === 0 ? (l + 1) % TASK.classCount : l));
        const digests = sampleDigests(set);
        const root = featuresRoot(digests);
        const dataCommitment = dataCommitmentV2({ featuresRoot: root, labels, salt });
        const asBuyer = async (to: Hex, data: Hex, value = 0n) => {
          if (viaWallet) await wallet.write.execute([to, data, value], { account: mallory!.account, value });
          else await buyer!.sendTransaction({ to, data, value });
        };
        await asBuyer(c.market.address, encodeFunctionData({ abi: c.market.abi, functionName: "openTest", args: [1n, asBytes32(dataCommitment), N] }), TEST_POLICY.deposit);
        const testId = (await c.market.getEvents.TestOpened({}, { fromBlock: 0n })).at(-1)!.args.testId!;
        await c.market.write.recordReceipt([testId, `0x${"ab".repeat(32)}`], { account: worker!.account });
        const shortfallBps = 700;
        const buyerAddress = viaWallet ? wallet.address : getAddress(buyer!.account.address);
        const fields = { claimedAccuracyBps: m.terms().claimedAccuracyBps, sampleCount: N, classCount: TASK.classCount, featureBits: TASK.featureBits, featureCount: TASK.featureCount, shortfallBps };
        const tag = bindingTag(BigInt(chainId), c.market.address, testId, buyerAddress);
        const cp = predictionCommitment({ dataCommitment, predictions, salt });
        const secretB = challengeSecret(salt, testId);
        const claimProof = await standIn([packDisputeContextV2(fields, tag), dataCommitment, cp]);
        await asBuyer(disputes.address, encodeFunctionData({ abi: refundDisputesAbi, functionName: "claimRefund", args: [testId, shortfallBps, asBytes32(cp), challengeCommitment(secretB), claimProof] }), BUYER_BOND + FREE_FEE);
        await disputes.write.contest([testId, SELLER_SECRET], { account: seller!.account, value: SELLER_BOND });
        const indices = contestIndices({ secretB, secretS: SELLER_SECRET, chainId, market: c.market.address, testId }, N);
        const input = openCircuitInput({ featuresRoot: root, labels, predictions, salt, fields, tag, indices }, 256);
        const openings = indices.map((j) => sampleOpening(set, digests, j, predictions[j]!));
        const opening = { buyerSecret: secretB, featuresRoot: root, labels: indices.map((j) => labels[j]!), predictions: indices.map((j) => predictions[j]!), samples: openings.map(openedSampleCalldata) };
        const openProof = await standIn(openPublicSignals(input));
        await asBuyer(disputes.address, encodeFunctionData({ abi: refundDisputesAbi, functionName: "openSamples", args: [testId, opening, openProof] }));
        return { testId, openings, root };
      }

      const direct = await disputed(0x5a17n, false);
      // The seller "proves" a mismatch on slot 5 that its plan (it has none: the commitment is a constant) never gave.
      const sample = direct.openings[5]!;
      const cls = (sample.prediction + 1) % TASK.classCount;
      const meta = packContestMeta({ index: sample.index, prediction: sample.prediction, cls, kind: ContestKind.Mismatch, featureCount: TASK.featureCount, featureBits: TASK.featureBits, classCount: TASK.classCount, toleranceQ: POLICY_V2.contestToleranceQ });
      const signals = contestPublicSignals({
        planCommitment: BigInt(POLICY_V2.planCommitment).toString(),
        featuresRoot: direct.root.toString(),
        meta: meta.toString(),
        sigma: sample.sigma.toString(),
        siblings: sample.siblings.map(String),
        featureWords: packLanes(sample.features, 16, 15).map(String),
        rowBias: [],
        rowSiblings: [],
        planSalt: "0",
      });
      const posted = (await disputes.getEvents.SamplesOpened({ testId: direct.testId }, { fromBlock: 0n }))[0]!.args.samples!;
      await disputes.write.proveMismatch([direct.testId, openedSampleCalldata(sample), posted.map(openedSampleHash), cls, 2, await standIn(signals)], { account: seller!.account });

      const throughWallet = await disputed(0x5a18n, true);
      await m.networkHelpers.time.increase(DAY);
      await disputes.write.closeDispute([throughWallet.testId], { account: mallory!.account }); // unproven: the buyer wins

      const deployment: Deployment = { chainId, registry: c.registry.address, market: c.market.address, startBlock: 0n };
      const r = await auditMarket(m.publicClient as PublicClient, deployment, { verificationKeys: keys });
      assert.equal(r.ok, false);
      // The stand-in sizes differ from the audited ones where the stand-in config says so: then
      // the market proves a size with circuits the audit does not know (verifier.disputes).
      const standInSizes = standInDisputesConfig(zeroAddress).sampleCircuits.map((x) => x.maxSamples);
      const sizesDiffer = REFUND_SAMPLE_SIZES.some((n) => standInSizes.find((x) => x >= n) !== n);
      const expected = ["dispute.claim", "dispute.mismatch", "dispute.open", "verifier.dispute-key", ...(sizesDiffer ? ["verifier.disputes"] : [])];
      assert.deepEqual(failedChecks(r.findings), expected, r.summary);
      const about = (check: string, testId: bigint) => checks(r, check).find((f) => f.subject === `test ${testId}`)!;
      assert.match(about("dispute.claim", direct.testId).detail, /does not verify against refund_256's key .*: the shortfall was not proven/);
      assert.match(about("dispute.open", direct.testId).detail, /does not verify against open_256's key/);
      assert.match(about("dispute.mismatch", direct.testId).detail, /does not verify against contest_linear_4x3's key .*: the mismatch was not proven/);
      for (const step of ["dispute.claim", "dispute.open"]) {
        assert.equal(about(step, throughWallet.testId).ok, false, `${step}: a step the audit cannot read is not passed`);
        assert.match(about(step, throughWallet.testId).detail, new RegExp(`called ${wallet.address}, not RefundDisputes directly .*not re-verified`, "i"));
      }
      assert.deepEqual(
        r.refundDisputes.map((d) => [d.claimProof, d.openProof, d.contestProof, d.stage]),
        [
          ["NOT VERIFIED", "NOT VERIFIED", "NOT VERIFIED", "seller won (mismatch proven)"],
          ["NOT RE-VERIFIED", "NOT RE-VERIFIED", "-", "buyer won (no mismatch proven)"],
        ],
      );
      // Everything but the proofs followed the rules: the secrets, the indices, the windows and the money.
      for (const check of ["dispute.claim-terms", "dispute.contest", "dispute.indices", "dispute.openings", "dispute.close", "dispute.money", "test.Refunded", "test.RefundRejected", "funds.conserved", "funds.disputes"]) {
        assert.ok(checks(r, check).length > 0 && checks(r, check).every((f) => f.ok), `${check}: ${checks(r, check).map((f) => f.detail).join(" | ")}`);
      }
      assert.match(checks(r, "verifier.dispute-key")[0]!.detail, /lacks \d+ coordinates of refund_256's verification key/);
    });
  });
});
