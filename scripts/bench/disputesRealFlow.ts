/**
 * The gas of every step of the v2 refund dispute with the verifiers that ship (`npm run
 * bench:disputes`): the market of test/helpers/shippedMarket.ts `deployShippedMarket` (the real
 * Refund(N), Open(N, 16) and contest verifiers of contracts/verifiers/), driven as
 * test/zk/contestedRefund.test.ts drives it, with real Groth16 proofs from the SDK's buyer and
 * seller actions (proveGradedRefund, proveSampleOpening, proveContest) and the checked-in
 * proving keys.
 *
 * - `liarFlow`: a buyer lying on 20 of its n predictions of a model that meets its claim claims,
 *   the seller contests, the buyer opens, the seller proves a mismatch on an opened lie
 *   (claimRefund, contest, openSamples, proveMismatch). The seller's secret is picked so that the
 *   draw opens a lie (P ≈ 0.997 for 20 of 64 anyway).
 * - `honestFlow`: an honest buyer of a model below its claim claims; from one snapshot, the three
 *   ways a claim closes by timeout: uncontested, contested and not opened, opened and unproven.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { keccak256, parseEventLogs, toHex, type Hex, type TransactionReceipt } from "viem";
import hre from "hardhat";
import { refundDisputeCircuits } from "../../ignition/modules/RefundDisputeCircuits.ts";
import { compileOnnx } from "../../offchain-worker/src/he/compiler/index.ts";
import { proveContest, proveGradedRefund, type KeptTestSet, proveSampleOpening } from "@modelbazaar/sdk/actions";
import { ContestKind, provableContest, contestableDisputePolicy } from "@modelbazaar/sdk/disputes";
import { argmaxScore, quantizePlan, quantizedScores, type QuantizedLinearPlan } from "@modelbazaar/sdk/he";
import {
  challengeSecret,
  contestIndices,
  dataCommitmentV2,
  featuresRoot,
  provableShortfall,
  quantizeFeatures,
  sampleDigests,
  sampleOpening,
  refundShares,
} from "@modelbazaar/sdk/testDrives";
import type { DisputePolicy } from "@modelbazaar/sdk/listings";
import { deployShippedMarket } from "../../test/helpers/shippedMarket.ts";
import { TEST_PHASE } from "../../test/helpers/market.ts";
import { loadIris } from "../lib/datasets/iris.ts";
import { loadMnist } from "../lib/datasets/mnist.ts";
import { EXAMPLE_POLICY } from "../lib/exampleListing.ts";
import { ROOT } from "../zk/compile.ts";
import type { Market, Task, TxGas } from "./disputesChain.ts";

const ARTIFACTS = (name: string) => join(ROOT, "circuits", "artifacts", name, name);
const PLAN_SALT = 0x0badc0ffee0ddf00d5eed5a1700000000000000000000000000000000000001n;
/** The test set's size in the real flows (contestedRefund.test.ts's): proven by the N = 256 circuits. */
export const REAL_FLOW_SAMPLES = 64;
const LIES = 20;
const TEST_POLICY = { ...EXAMPLE_POLICY, minSamples: 32 };

/** A shipped model with its quantized plan, the listing's dispute policy, and a buyer's test set of it. */
export interface ModelCase {
  model: "iris-logreg" | "mnist-logreg";
  plan: QuantizedLinearPlan;
  policy: DisputePolicy;
  task: Task;
  quantized: number[][];
  labels: number[];
  /** What a worker that evaluates the committed plan returns. */
  honest: number[];
}

/**
 * iris-logreg on the first 64 Iris training samples (12-bit features, as contestedRefund.test.ts),
 * or mnist-logreg on the first 64 MNIST test images (10-bit features, as disputeV2Setup.test.ts);
 * the policy is contestableDisputePolicy's default for the example deposit.
 */
export async function loadModelCase(model: ModelCase["model"], n = REAL_FLOW_SAMPLES): Promise<ModelCase> {
  const { plan: floatPlan } = await compileOnnx(readFileSync(join(ROOT, "models", `${model}.onnx`)));
  const plan = quantizePlan(floatPlan, { scaleBits: 8 });
  if (plan.family !== "linear") throw new Error(`${model} is not a Linear plan`);
  const policy = contestableDisputePolicy({ plan, planSalt: PLAN_SALT, deposit: EXAMPLE_POLICY.deposit });
  const iris = model === "iris-logreg";
  const split = iris ? loadIris().train : loadMnist().test;
  const featureCount = plan.inputSize;
  const task: Task = { featureCount, classCount: plan.outputSize, scaleBits: 8, featureBits: iris ? 12 : 10 };
  const rows = Array.from({ length: n }, (_, s) => Array.from(split.features.subarray(s * featureCount, (s + 1) * featureCount)));
  const quantized = quantizeFeatures(rows, task);
  const labels = Array.from(split.labels.subarray(0, n));
  const honest = quantized.map((row) => argmaxScore(quantizedScores(plan, row, task.featureBits)));
  return { model, plan, policy, task, quantized, labels, honest };
}

export interface RealStep extends TxGas {
  step: string;
  /** Witness + proof of the SDK action that made this step's proof (s), if it has one. */
  proveSeconds?: number;
  circuit?: string;
  samples?: number;
}

export interface RealFlow {
  model: string;
  flow: "liar" | "honest";
  sampleCount: number;
  claimedAccuracyBps: number;
  steps: RealStep[];
  samplesRevealed: { outcome: string; samples: number }[];
}

const seconds = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const value = await work();
  return [value, (performance.now() - started) / 1000];
};

async function gasOf(m: Market, hash: Promise<Hex>): Promise<TxGas & { logs: TransactionReceipt["logs"] }> {
  const h = await hash;
  const [receipt, tx] = await Promise.all([m.publicClient.waitForTransactionReceipt({ hash: h }), m.publicClient.getTransaction({ hash: h })]);
  if (receipt.status !== "success") throw new Error(`transaction ${h} reverted`);
  return { gas: Number(receipt.gasUsed), calldataBytes: (tx.input.length - 2) / 2, logs: receipt.logs };
}

/**
 * Throws, naming them, when verifier contracts the shipped market deploys have no artifact (a
 * setup not run or not built yet): deployShippedMarket starts every deployment at once, so a
 * missing one would otherwise surface as an unhandled rejection.
 */
async function requireShippedVerifiers(): Promise<void> {
  const circuits = refundDisputeCircuits((contract) => contract);
  const names = [...circuits.sampleCircuits.flatMap((c) => [c.refundVerifier, c.openVerifier]), ...circuits.contestCircuits.map((c) => c.verifier)];
  const missing: string[] = [];
  for (const name of names) if (!(await hre.artifacts.artifactExists(name))) missing.push(name);
  if (missing.length > 0) throw new Error(`no artifact of ${missing.join(", ")}: run its setup (npm run zk:setup) and hardhat build`);
}

/** The shipped market, a listing of the case's plan claiming `claimBps`, and an evaluated test-drive of its test set. */
async function evaluatedTest(m: Market, mc: ModelCase, claimBps: number, salt: bigint) {
  const { deployer, seller, buyer, worker } = m.accounts;
  await requireShippedVerifiers();
  const c = await deployShippedMarket(m.viem, deployer!.account.address);
  const terms = { ...m.terms(), task: mc.task, claimedAccuracyBps: claimBps, testPolicy: TEST_POLICY, disputePolicy: mc.policy };
  await c.registry.write.list([terms, m.offer()], { account: seller!.account });
  const root = featuresRoot(sampleDigests({ features: mc.quantized, shape: mc.task, salt }));
  const n = mc.labels.length;
  const commitment = dataCommitmentV2({ featuresRoot: root, labels: mc.labels, salt });
  const fee = BigInt(Math.max(0, n - TEST_POLICY.freeSamples)) * TEST_POLICY.feePerExtraSample;
  await c.market.write.openTest([1n, toHex(commitment, { size: 32 }), n], { account: buyer!.account, value: TEST_POLICY.deposit + fee });
  await c.market.write.recordReceipt([1n, `0x${"ab".repeat(32)}`], { account: worker!.account });
  const disputes = await m.viem.getContractAt("RefundDisputes", await c.market.read.refundDisputes());
  return { c, disputes, testId: 1n, root };
}
type Session = Awaited<ReturnType<typeof evaluatedTest>>;

const kept = (mc: ModelCase, predictions: readonly number[], salt: bigint): KeptTestSet => ({ quantized: mc.quantized, labels: mc.labels, salt, predictions });

async function claim(m: Market, s: Session, k: KeptTestSet): Promise<RealStep> {
  const [claimed, t] = await seconds(() => proveGradedRefund(m.publicClient, { market: s.c.market.address, testId: s.testId, kept: k, artifacts: ARTIFACTS }));
  const tx = await gasOf(
    m,
    s.disputes.write.claimRefund([s.testId, claimed.shortfallBps, claimed.predictionCommitment, claimed.buyerSecretHash, claimed.proof.calldata], {
      account: m.accounts.buyer!.account,
      value: claimed.value,
    }),
  );
  return { step: "claimRefund", gas: tx.gas, calldataBytes: tx.calldataBytes, proveSeconds: t, circuit: `refund_${claimed.context.circuitSize}` };
}

async function contest(m: Market, s: Session, mc: ModelCase, secretS: Hex): Promise<RealStep> {
  const tx = await gasOf(m, s.disputes.write.contest([s.testId, secretS], { account: m.accounts.seller!.account, value: mc.policy.sellerBond }));
  return { step: "contest", gas: tx.gas, calldataBytes: tx.calldataBytes };
}

async function open(m: Market, s: Session, k: KeptTestSet): Promise<RealStep> {
  const [opened, t] = await seconds(() => proveSampleOpening(m.publicClient, { market: s.c.market.address, testId: s.testId, kept: k, artifacts: ARTIFACTS }));
  const tx = await gasOf(m, s.disputes.write.openSamples([s.testId, opened.opening, opened.proof.calldata], { account: m.accounts.buyer!.account }));
  return { step: "openSamples", gas: tx.gas, calldataBytes: tx.calldataBytes, proveSeconds: t, circuit: "open_256", samples: opened.indices.length };
}

async function close(m: Market, s: Session, step: string): Promise<RealStep> {
  const tx = await gasOf(m, s.disputes.write.closeDispute([s.testId]));
  return { step, gas: tx.gas, calldataBytes: tx.calldataBytes };
}

const samplesOpened = async (s: Session): Promise<number> => {
  const logs = await s.disputes.getEvents.SamplesOpened({ testId: s.testId }, { fromBlock: 0n });
  return logs.reduce((sum, log) => sum + (log.args.samples?.length ?? 0), 0);
};

/**
 * A buyer lying on 20 predictions the model got right (the worst-scoring class, where the plan's
 * class wins by more than τ, so a contest can prove it) to claim a refund from a model that meets
 * its claim, caught on an opened lie.
 */
export async function liarFlow(m: Market, mc: ModelCase): Promise<RealFlow> {
  const n = mc.labels.length;
  const correct = mc.honest.filter((p, i) => p === mc.labels[i]).length;
  const claimBps = Math.floor((10_000 * correct) / n); // met by the honest predictions
  if (provableShortfall(correct, n, claimBps) !== 0) throw new Error("unreachable: the claim is met");
  const salt = 0x3333n;
  const s = await evaluatedTest(m, mc, claimBps, salt);
  const set = { features: mc.quantized, shape: mc.task, salt };
  const digests = sampleDigests(set);
  const terms = { featureBits: mc.task.featureBits, toleranceQ: mc.policy.contestToleranceQ };
  const lies = new Map<number, number>();
  for (let j = 0; j < n && lies.size < LIES; j++) {
    if (mc.honest[j] !== mc.labels[j]) continue;
    const scores = quantizedScores(mc.plan, mc.quantized[j]!, mc.task.featureBits);
    const worst = scores.reduce((w, v, k) => (v < scores[w]! ? k : w), 0);
    if (provableContest(mc.plan, s.root, sampleOpening(set, digests, j, worst), terms)?.kind === ContestKind.Mismatch) lies.set(j, worst);
  }
  if (lies.size < LIES) throw new Error(`only ${lies.size} provable lies in ${mc.model}'s test set`);
  const predictions = mc.honest.map((p, j) => lies.get(j) ?? p);
  const k = kept(mc, predictions, salt);

  const steps: RealStep[] = [await claim(m, s, k)];
  // The seller's secret is its own choice; pick one whose draw opens a lie (it sees only H_b, so this is no advantage it has: P ≈ 0.997 anyway).
  const chainId = await m.publicClient.getChainId();
  const secretB = challengeSecret(salt, s.testId);
  let secretS: Hex = keccak256(toHex("seller secret 0"));
  for (let i = 1; !contestIndices({ secretB, secretS, chainId, market: s.c.market.address, testId: s.testId }, n).some((j) => lies.has(j)); i++) {
    secretS = keccak256(toHex(`seller secret ${i}`));
  }
  steps.push(await contest(m, s, mc, secretS));
  steps.push(await open(m, s, k));
  const [proven, t] = await seconds(() => proveContest(m.publicClient, { disputes: s.disputes.address, testId: s.testId, plan: mc.plan, planSalt: PLAN_SALT, artifacts: ARTIFACTS }));
  if (proven === undefined) throw new Error("the seller found no provable lie among the opened samples");
  const tx = await gasOf(
    m,
    s.disputes.write.proveMismatch([s.testId, proven.sample, proven.slotHashes, proven.cls, proven.kind, proven.proof.calldata], { account: m.accounts.seller!.account }),
  );
  steps.push({ step: "proveMismatch", gas: tx.gas, calldataBytes: tx.calldataBytes, proveSeconds: t, circuit: proven.circuit });
  if ((await s.c.market.read.getTest([s.testId])).phase !== TEST_PHASE.RefundRejected) throw new Error("the liar was not rejected");
  const [closed] = parseEventLogs({ abi: s.disputes.abi, logs: tx.logs, eventName: "DisputeClosed" });
  if (closed?.args.buyerWon !== false) throw new Error("the dispute did not close for the seller");
  const { freeSamplesFee } = refundShares(TEST_POLICY, n);
  if ((await s.c.market.read.owed([m.accounts.buyer!.account.address])) !== freeSamplesFee) throw new Error("the caught buyer must get only F back");
  return { model: mc.model, flow: "liar", sampleCount: n, claimedAccuracyBps: claimBps, steps, samplesRevealed: [{ outcome: "contested, caught", samples: await samplesOpened(s) }] };
}

/**
 * An honest buyer of a model 99% claimed and below it on this test set: one real claim, then
 * from its snapshot each timeout ending (uncontested; contested, not opened; opened, nothing to prove).
 */
export async function honestFlow(m: Market, mc: ModelCase): Promise<RealFlow> {
  const n = mc.labels.length;
  const claimBps = 9_900;
  const salt = 0x1111n;
  const s = await evaluatedTest(m, mc, claimBps, salt);
  const k = kept(mc, mc.honest, salt);
  const steps: RealStep[] = [{ ...(await claim(m, s, k)), step: "claimRefund (honest)" }];
  const [contestWindow, openWindow, proveWindow] = await Promise.all([s.disputes.read.contestWindow(), s.disputes.read.openWindow(), s.disputes.read.proveWindow()]);
  const snapshot = await m.networkHelpers.takeSnapshot();
  const revealed: RealFlow["samplesRevealed"] = [];

  await m.networkHelpers.time.increase(Number(contestWindow));
  steps.push(await close(m, s, "closeDispute (uncontested: buyer gets R + B_b)"));
  revealed.push({ outcome: "uncontested", samples: await samplesOpened(s) });

  await snapshot.restore();
  const secretS: Hex = keccak256(toHex("honest seller secret"));
  steps.push({ ...(await contest(m, s, mc, secretS)), step: "contest (honest claim)" });
  await m.networkHelpers.time.increase(Number(openWindow));
  steps.push(await close(m, s, "closeDispute (not opened: seller wins, B_b burned)"));
  revealed.push({ outcome: "contested, buyer did not open", samples: await samplesOpened(s) });

  await snapshot.restore();
  await contest(m, s, mc, secretS);
  steps.push({ ...(await open(m, s, k)), step: "openSamples (honest opening)" });
  const proven = await proveContest(m.publicClient, { disputes: s.disputes.address, testId: s.testId, plan: mc.plan, planSalt: PLAN_SALT, artifacts: ARTIFACTS });
  if (proven !== undefined) throw new Error("the seller proved a mismatch against an honest opening");
  await m.networkHelpers.time.increase(Number(proveWindow));
  steps.push(await close(m, s, "closeDispute (opened, unproven: buyer gets R + B_b + B_s)"));
  revealed.push({ outcome: "contested, opened, seller proved nothing", samples: await samplesOpened(s) });
  if ((await s.c.market.read.getTest([s.testId])).phase !== TEST_PHASE.Refunded) throw new Error("the honest buyer was not refunded");
  return { model: mc.model, flow: "honest", sampleCount: n, claimedAccuracyBps: claimBps, steps, samplesRevealed: revealed };
}
