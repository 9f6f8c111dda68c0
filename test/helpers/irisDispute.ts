/**
 * The real-proof v2 refund dispute fixture (docs/DISPUTES.md §7) shared by the tests that play
 * buyers and sellers against the shipped verifiers: the shipped iris-logreg quantized plan
 * committed in a listing, an Iris test set of `N` samples committed with the SDK's v2
 * commitments, the predictions a worker evaluating the committed plan returns, and the SDK's
 * buyer actions (proveGradedRefund, proveSampleOpening) sent to `RefundDisputes`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getAddress, toHex, type Hex } from "viem";
import { compileOnnx } from "../../offchain-worker/src/he/compiler/index.ts";
import { loadIris } from "../../scripts/lib/datasets/iris.ts";
import { ROOT } from "../../scripts/zk/compile.ts";
import { proveGradedRefund, type KeptTestSet, proveSampleOpening } from "@modelbazaar/sdk/actions";
import { contestableDisputePolicy } from "@modelbazaar/sdk/disputes";
import { argmaxScore, quantizePlan, quantizedScores, type QuantizedLinearPlan } from "@modelbazaar/sdk/he";
import { dataCommitmentV2, featuresRoot, quantizeFeatures, sampleDigests } from "@modelbazaar/sdk/testDrives";
import type { DisputePolicy } from "@modelbazaar/sdk/listings";
import { POLICY, connectMarket } from "./market.ts";
import { deployShippedMarket } from "./shippedMarket.ts";

export const N = 64;
export const TASK = { featureCount: 4, classCount: 3, scaleBits: 8, featureBits: 12 } as const;
export const PLAN_SALT = 0x0badc0ffee0ddf00d5eed5a1700000000000000000000000000000000000001n;
export const ARTIFACTS = (name: string) => join(ROOT, "circuits", "artifacts", name, name);
export const TEST_POLICY = { ...POLICY, minSamples: 32, maxSamples: 256 };
/** F: the free samples' fee every claim stakes (and a refund pays the seller). */
export const FREE_FEE = BigInt(Math.min(N, TEST_POLICY.freeSamples)) * TEST_POLICY.feePerExtraSample;

export type Market = Awaited<ReturnType<typeof connectMarket>>;

/** The committed plan, the test set and what a worker evaluating the plan predicts on it. */
export async function irisDisputeData() {
  const { plan: floatPlan } = await compileOnnx(readFileSync(join(ROOT, "models", "iris-logreg.onnx")));
  const plan = quantizePlan(floatPlan, { scaleBits: TASK.scaleBits }) as QuantizedLinearPlan;
  const { train } = loadIris();
  const rows = Array.from({ length: N }, (_, s) => Array.from(train.features.subarray(s * 4, s * 4 + 4)));
  const quantized = quantizeFeatures(rows, TASK);
  const labels = Array.from(train.labels.subarray(0, N));
  const honest = quantized.map((row) => argmaxScore(quantizedScores(plan, row, TASK.featureBits)));
  /** The plan's lowest-scoring class on sample `j`: the lie that moves a prediction furthest. */
  const worstClass = (j: number) => {
    const scores = quantizedScores(plan, quantized[j]!, TASK.featureBits);
    return scores.reduce((worst, v, k) => (v < scores[worst]! ? k : worst), 0);
  };
  const correct = (predictions: readonly number[]) => predictions.filter((p, i) => p === labels[i]).length;
  return { plan, quantized, labels, honest, worstClass, correct };
}
export type IrisDisputeData = Awaited<ReturnType<typeof irisDisputeData>>;

/** The listing's dispute policy for the committed plan; bonds default to D/2 and D/50. */
export const irisDisputePolicy = (data: IrisDisputeData, buyerBond?: bigint): DisputePolicy =>
  contestableDisputePolicy({ plan: data.plan, planSalt: PLAN_SALT, deposit: TEST_POLICY.deposit, ...(buyerBond === undefined ? {} : { buyerBond }) });

/** A fresh shipped market, a listing of the committed plan claiming `claimBps`, and an evaluated test-drive of the Iris set salted with `salt`. */
export async function evaluatedIrisTest(m: Market, data: IrisDisputeData, policy: DisputePolicy, claimBps: number, salt: bigint) {
  const { deployer, seller, buyer, worker } = m.accounts;
  const c = await deployShippedMarket(m.viem, deployer!.account.address);
  const terms = { ...m.terms(), task: TASK, claimedAccuracyBps: claimBps, testPolicy: TEST_POLICY, disputePolicy: policy };
  await c.registry.write.list([terms, m.offer()], { account: seller!.account });
  const root = featuresRoot(sampleDigests({ features: data.quantized, shape: TASK, salt }));
  const commitment = dataCommitmentV2({ featuresRoot: root, labels: data.labels, salt });
  const fee = BigInt(N - Math.min(N, TEST_POLICY.freeSamples)) * TEST_POLICY.feePerExtraSample;
  await c.market.write.openTest([1n, toHex(commitment, { size: 32 }), N], { account: buyer!.account, value: TEST_POLICY.deposit + fee });
  await c.market.write.recordReceipt([1n, `0x${"ab".repeat(32)}`], { account: worker!.account });
  const disputes = await m.viem.getContractAt("RefundDisputes", await c.market.read.refundDisputes());
  return { c, disputes, testId: 1n, salt };
}
export type IrisTest = Awaited<ReturnType<typeof evaluatedIrisTest>>;

/** What the buyer keeps of its test set to dispute with, claiming `predictions`. */
export const keptTestSet = (data: IrisDisputeData, predictions: readonly number[], salt: bigint): KeptTestSet => ({
  quantized: data.quantized,
  labels: data.labels,
  salt,
  predictions,
});

export const owed = (s: IrisTest, who: Hex) => s.c.market.read.owed([who]);
export const buyerAddress = (m: Market) => getAddress(m.accounts.buyer!.account.address);
export const sellerAddress = (m: Market) => getAddress(m.accounts.seller!.account.address);

/** The buyer proves and claims the graded refund `predictions` show; returns the claim. */
export async function claimIrisRefund(m: Market, data: IrisDisputeData, s: IrisTest, predictions: readonly number[]) {
  const claimed = await proveGradedRefund(m.publicClient, { market: s.c.market.address, testId: s.testId, kept: keptTestSet(data, predictions, s.salt), artifacts: ARTIFACTS });
  const hash = await s.disputes.write.claimRefund(
    [s.testId, claimed.shortfallBps, claimed.predictionCommitment, claimed.buyerSecretHash, claimed.proof.calldata],
    { account: m.accounts.buyer!.account, value: claimed.value },
  );
  const receipt = await m.publicClient.waitForTransactionReceipt({ hash });
  return { ...claimed, gasUsed: receipt.gasUsed };
}

/** The seller contests with `sellerSecret`, staking the listing's seller bond; the buyer opens the drawn samples. */
export async function contestAndOpenIris(m: Market, data: IrisDisputeData, s: IrisTest, predictions: readonly number[], sellerSecret: Hex) {
  const { sellerBond } = await s.c.registry.read.disputePolicy([1n]);
  await s.disputes.write.contest([s.testId, sellerSecret], { account: m.accounts.seller!.account, value: sellerBond });
  return openIrisSamples(m, data, s, predictions);
}

/** The buyer opens the samples a contest drew, for the `predictions` it claimed with. */
export async function openIrisSamples(m: Market, data: IrisDisputeData, s: IrisTest, predictions: readonly number[]) {
  const opened = await proveSampleOpening(m.publicClient, { market: s.c.market.address, testId: s.testId, kept: keptTestSet(data, predictions, s.salt), artifacts: ARTIFACTS });
  const hash = await s.disputes.write.openSamples([s.testId, opened.opening, opened.proof.calldata], { account: m.accounts.buyer!.account });
  const receipt = await m.publicClient.waitForTransactionReceipt({ hash });
  return { ...opened, gasUsed: receipt.gasUsed };
}
