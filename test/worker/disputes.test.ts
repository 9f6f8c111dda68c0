/**
 * The worker's dispute automation (offchain-worker/src/disputes/; docs/DISPUTES.md §4.2, §7) on
 * Hardhat's chain with the shipped verifiers and real Groth16 proofs: the iris-logreg listing of
 * test/helpers/irisDispute.ts, served by a worker with the real CKKS evaluator (whose plan it
 * checks against the listing's commitment) and the listing's plan salt. Each scenario deploys
 * its own market (the fixture does) and starts a worker on it; the buyer's side is the SDK's.
 *
 * - The worker contests a claim with its derived secret, proves a lying buyer's opening and wins.
 * - On an honest opening it proves nothing, and the buyer collects refund and both bonds.
 * - Closed after contesting and started again, it proves the opening made meanwhile.
 * - A claim below its threshold is passed, with the reason stored.
 * - It refuses to start on a contestable listing without a salt, with a wrong salt, serving
 *   another model, or with an evaluator that states no plan; `contest: false` opts out.
 */
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { custom, getAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { ConfigError, type WorkerConfig } from "../../offchain-worker/src/config.ts";
import { deriveContestSecret } from "../../offchain-worker/src/disputes/contestSecret.ts";
import { startWorker, type WorkerHandle } from "../../offchain-worker/src/startWorker.ts";
import { demoEvaluator, devAccountKey } from "../../scripts/lib/demoListings.ts";
import { gradedRefund } from "@modelbazaar/sdk/testDrives";
import type { DisputePolicy } from "@modelbazaar/sdk/listings";
import { terminateSnarkjsWorkers } from "@modelbazaar/sdk/prover";
import {
  PLAN_SALT,
  TEST_POLICY,
  buyerAddress,
  claimIrisRefund,
  evaluatedIrisTest,
  irisDisputeData,
  irisDisputePolicy,
  openIrisSamples,
  owed,
  sellerAddress,
  type IrisDisputeData,
  type IrisTest,
  type Market,
} from "../helpers/irisDispute.ts";
import { TEST_PHASE, connectMarket } from "../helpers/market.ts";
import { getJson } from "./workerFixture.ts";
import { recordSuiteSecrets } from "../../scripts/test/logRedaction.ts";

/** The market fixture's `worker` account (dev account 3): the listing's worker signer. */
const WORKER_KEY = devAccountKey(3);
recordSuiteSecrets({ "disputes test: the listing's plan salt": `0x${PLAN_SALT.toString(16)}` });
const MODEL_ID = "iris-logreg";

interface DisputeJson {
  decision: string | null;
  reason: string | null;
  contestTx: string | null;
  proofTx: string | null;
  honestOpening: boolean;
  outcome: string | null;
}

/** Polls `check` until it returns a value (not undefined); fails after `timeoutMs`. */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("the worker's refund disputes, with real proofs (iris-logreg)", { timeout: 600_000 }, () => {
  let m: Market;
  let data: IrisDisputeData;
  let policy: DisputePolicy;
  const running = new Set<WorkerHandle>();

  before(async () => {
    m = await connectMarket();
    assert.equal(privateKeyToAccount(WORKER_KEY).address, getAddress(m.accounts.worker!.account.address));
    data = await irisDisputeData();
    policy = irisDisputePolicy(data);
  });

  after(async () => {
    for (const worker of running) await worker.close();
    await terminateSnarkjsWorkers();
  });

  async function start(s: IrisTest, dataDir: string, overrides: Partial<WorkerConfig> = {}): Promise<WorkerHandle> {
    const worker = await startWorker({
      transport: custom(m.connection.provider),
      market: s.c.market.address,
      registry: s.c.registry.address,
      startBlock: s.c.deployment.startBlock,
      signerKey: WORKER_KEY,
      dataDir,
      port: 0,
      threads: 1,
      pollIntervalMs: 100,
      retryDelayMs: 200,
      logLevel: (process.env.DEBUG_WORKER as "info" | undefined) ?? false,
      listings: [{ listingId: 1n, modelId: MODEL_ID, planSalt: PLAN_SALT }],
      evaluator: demoEvaluator([{ listingId: 1n, modelId: MODEL_ID }]),
      ...overrides,
    });
    running.add(worker);
    return worker;
  }

  async function stop(worker: WorkerHandle): Promise<void> {
    running.delete(worker);
    await worker.close();
  }

  const newDataDir = () => mkdtemp(join(tmpdir(), "modelbazaar-disputes-"));

  /** The worker's record of the test's dispute, once `done` holds. */
  const disputeState = (worker: WorkerHandle, s: IrisTest, done: (d: DisputeJson) => boolean) =>
    until("the worker's dispute record", async () => {
      const { status, json } = await getJson(worker, `/tests/${s.testId}`);
      const dispute = status === 200 ? (json.dispute as DisputeJson | null) : null;
      return dispute && done(dispute) ? dispute : undefined;
    });

  const contested = (s: IrisTest) =>
    until("the worker's contest", async () => (await s.disputes.getEvents.RefundContested({ testId: s.testId }, { fromBlock: 0n }))[0]);
  const closed = (s: IrisTest) => until("the dispute's end", async () => (await s.disputes.getEvents.DisputeClosed({ testId: s.testId }, { fromBlock: 0n }))[0]);

  /** Every prediction the plan's worst class: a fake shortfall on a model that meets its claim, caught on any opened sample. */
  const lies = () => data.honest.map((_, j) => data.worstClass(j));

  it("contests a claim with its derived secret, proves a lying buyer's opening wrong and wins the deposit and its bond", async () => {
    const s = await evaluatedIrisTest(m, data, policy, 9_000, 0x3333n);
    const worker = await start(s, await newDataDir());
    const sellerBefore = await owed(s, sellerAddress(m));
    await claimIrisRefund(m, data, s, lies());
    const contest = await contested(s);
    assert.equal(contest.args.contester, getAddress(m.accounts.worker!.account.address), "the worker signer contested");
    const expectedSecret = await deriveContestSecret(privateKeyToAccount(WORKER_KEY), { chainId: await m.publicClient.getChainId(), disputes: s.disputes.address, testId: s.testId });
    assert.equal(contest.args.sellerSecret, expectedSecret);

    await openIrisSamples(m, data, s, lies());
    const end = await closed(s);
    assert.equal(end.args.buyerWon, false);
    const [proved] = await s.disputes.getEvents.MismatchProved({ testId: s.testId }, { fromBlock: 0n });
    assert.ok(proved, "the worker proved a mismatch");
    assert.equal((await s.c.market.read.getTest([s.testId])).phase, TEST_PHASE.RefundRejected);
    assert.equal((await owed(s, sellerAddress(m))) - sellerBefore, TEST_POLICY.deposit + policy.sellerBond, "the seller gets the deposit and its bond back");
    assert.equal(await owed(s, await s.c.market.read.PENALTY_SINK()), policy.buyerBond, "the liar's bond is burned");
    const record = await disputeState(worker, s, (d) => d.outcome !== null);
    assert.deepEqual([record.decision, record.outcome, record.honestOpening], ["contest", "SellerWon", false]);
    assert.ok(record.contestTx && record.proofTx);
    await stop(worker);
  });

  it("proves nothing on an honest opening: the buyer collects the refund and both bonds when the prove window ends", async () => {
    const s = await evaluatedIrisTest(m, data, policy, 9_900, 0x2222n);
    const worker = await start(s, await newDataDir());
    const claimed = await claimIrisRefund(m, data, s, data.honest);
    await contested(s);
    await openIrisSamples(m, data, s, data.honest);
    const record = await disputeState(worker, s, (d) => d.honestOpening);
    assert.equal(record.proofTx, null, "no proof was sent");
    assert.equal((await s.disputes.getEvents.MismatchProved({ testId: s.testId }, { fromBlock: 0n })).length, 0);

    await m.networkHelpers.time.increase(Number(await s.disputes.read.proveWindow()));
    await s.disputes.write.closeDispute([s.testId], { account: m.accounts.buyer!.account });
    const refund = gradedRefund(TEST_POLICY.deposit, claimed.shortfallBps, policy.refundSlopeBps);
    assert.equal(await owed(s, buyerAddress(m)), refund + policy.buyerBond + policy.sellerBond);
    await stop(worker);
  });

  it("closed after contesting and started again on its data, proves the opening the buyer made meanwhile", async () => {
    const s = await evaluatedIrisTest(m, data, policy, 9_000, 0x4444n);
    const dataDir = await newDataDir();
    const first = await start(s, dataDir);
    await claimIrisRefund(m, data, s, lies());
    await contested(s);
    await disputeState(first, s, (d) => d.contestTx !== null);
    await stop(first);

    await openIrisSamples(m, data, s, lies());
    const again = await start(s, dataDir);
    const end = await closed(s);
    assert.equal(end.args.buyerWon, false, "the restarted worker proved the mismatch");
    assert.equal((await s.disputes.getEvents.RefundContested({ testId: s.testId }, { fromBlock: 0n })).length, 1, "contested once");
    await disputeState(again, s, (d) => d.outcome === "SellerWon");
    await stop(again);
  });

  it("passes on a claim whose refund is below its threshold, and says why", async () => {
    const s = await evaluatedIrisTest(m, data, policy, 9_900, 0x5555n);
    // R is at most D = 1 ETH and F_free = 64 x 0.001 ETH: at 200 x F_free nothing is worth contesting.
    const worker = await start(s, await newDataDir(), { contestThresholdBps: 2_000_000 });
    await claimIrisRefund(m, data, s, data.honest);
    const record = await disputeState(worker, s, (d) => d.decision !== null);
    assert.equal(record.decision, "pass");
    assert.match(record.reason!, /the refund at stake \(\d+ wei\) is below 20000% of the free samples' fee/);
    assert.equal((await s.disputes.getEvents.RefundContested({ testId: s.testId }, { fromBlock: 0n })).length, 0);
    await stop(worker);
  });

  it("refuses to start on a contestable listing whose plan it cannot check, naming the listing; contest: false opts out", async () => {
    const s = await evaluatedIrisTest(m, data, policy, 9_000, 0x6666n);
    const standIn = { module: new URL("./fixtures/standInEvaluator.ts", import.meta.url).href, settings: {} };
    const cases: [Partial<WorkerConfig>, RegExp][] = [
      [{ listings: [{ listingId: 1n, modelId: MODEL_ID }] }, /^listing 1 is contestable, .*bazaar model plan-salt .*"contest": false/],
      [{ listings: [{ listingId: 1n, modelId: MODEL_ID, planSalt: PLAN_SALT + 1n }] }, /listing 1 \(model "iris-logreg"\) and the configured plan salt do not reproduce the listing's plan commitment/],
      [
        { listings: [{ listingId: 1n, modelId: "iris-square-mlp", planSalt: PLAN_SALT }], evaluator: demoEvaluator([{ listingId: 1n, modelId: "iris-square-mlp" }]) },
        /listing 1 \(model "iris-square-mlp"\) and the configured plan salt do not reproduce/,
      ],
      [{ evaluator: standIn, listings: [{ listingId: 1n, modelId: "stand-in", planSalt: PLAN_SALT }] }, /does not state the plan it evaluates/],
    ];
    for (const [overrides, message] of cases) {
      await assert.rejects(start(s, await newDataDir(), overrides), (e: Error) => e instanceof ConfigError && message.test(e.message), message.source);
    }
    const optedOut = await start(s, await newDataDir(), { listings: [{ listingId: 1n, modelId: MODEL_ID, contest: false }] });
    assert.equal((await getJson(optedOut, "/listings")).status, 200);
    await stop(optedOut);
  });
});
