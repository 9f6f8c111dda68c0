/**
 * The on-chain halves of `npm run bench:disputes` that run over the stand-in verifier
 * (contracts/mocks/AnySignalsVerifier.sol through scripts/lib/disputesConfig.ts
 * `standInDisputesConfig`, as test/contracts/refundDisputes.test.ts drives it): every "proof" is
 * bound to the exact public signals the SDK computes, so the contract's packing, draws, payouts
 * and calldata are the real ones; only the Groth16 pairing is stood in.
 *
 * - `simulateDishonestDisputes`: repeated disputes of a buyer lying on m of n predictions of a
 *   model that sits exactly 1 bps under its claim (so m lies prove s = ceil(10,000·m/n), the
 *   worst case of docs/DISPUTES.md §4.2), against a seller that contests by the worker's policy
 *   (R ≥ F_free/2), reads the opening from the `SamplesOpened` event, evaluates its model on the
 *   opened features and proves a mismatch whenever an opened prediction disagrees. The seller's
 *   model is stood in by a rule it evaluates on the features (class = feature 0 mod classCount):
 *   what matters here is that the seller learns a lie only from the opened data.
 * - `standInOpeningGas`: the gas of `openSamples` for an opening of 16 samples of `featureCount`
 *   features (MNIST's 784: 25 KB of calldata), with real feature bytes and a stood-in Open proof.
 */
import { parseEventLogs, toHex, type Hex, type TransactionReceipt } from "viem";
import { ContestKind, contestPublicSignals, packContestMeta, sellerContests } from "@modelbazaar/sdk/disputes";
import {
  bindingTag,
  challengeCommitment,
  challengeSecret,
  contestIndices,
  dataCommitmentV2,
  decodeSampleFeatures,
  featuresRoot,
  openCircuitInput,
  openPublicSignals,
  openedSampleCalldata,
  openedSampleHash,
  packDisputeContextV2,
  packLanes,
  predictionCommitment,
  provableShortfall,
  sampleDigests,
  sampleOpening,
  type OpenableTestSet,
  type OpenedSampleCalldata,
  refundShares,
} from "@modelbazaar/sdk/testDrives";
import type { DisputePolicy } from "@modelbazaar/sdk/listings";
import { seededRandom } from "../../test/helpers/seededRandom.ts";
import { TEST_PHASE, connectMarket } from "../../test/helpers/market.ts";
import { EXAMPLE_POLICY, EXAMPLE_TASK } from "../lib/exampleListing.ts";

export type Market = Awaited<ReturnType<typeof connectMarket>>;
type Contracts = Awaited<ReturnType<Market["load"]>>;

/** Where the Open circuit of the stand-in configuration holds every test set of up to 256 samples. */
const OPEN_CIRCUIT_SIZE = 256;
/** `IRefundDisputes.DisputeEnd.Mismatch`, as `proveMismatch` takes it. */
const END_MISMATCH = 2;

export interface Task {
  featureCount: number;
  classCount: number;
  scaleBits: number;
  featureBits: number;
}

/** Gas of one transaction, with its calldata size. */
export interface TxGas {
  gas: number;
  calldataBytes: number;
}

const asBytes32 = (x: bigint): Hex => toHex(x, { size: 32 });

async function sent(m: Market, hash: Promise<Hex>): Promise<TxGas & { logs: TransactionReceipt["logs"] }> {
  const h = await hash;
  const [receipt, tx] = await Promise.all([m.publicClient.waitForTransactionReceipt({ hash: h }), m.publicClient.getTransaction({ hash: h })]);
  if (receipt.status !== "success") throw new Error(`transaction ${h} reverted`);
  return { gas: Number(receipt.gasUsed), calldataBytes: (tx.input.length - 2) / 2, logs: receipt.logs };
}

/** A stood-in proof for `signals`: what AnySignalsVerifier accepts for exactly these public signals. */
async function standIn(m: Market, c: Contracts, signals: readonly bigint[]) {
  return m.proofWith(await c.anyVerifier.read.proofFor([[...signals]]));
}

/** A contestable listing of `task` with `policy` and the example test policy (minSamples 32, as contestable listings need). */
async function listContestable(m: Market, c: Contracts, task: Task, claimedAccuracyBps: number, policy: DisputePolicy): Promise<bigint> {
  const terms = { ...m.terms(), task, claimedAccuracyBps, testPolicy: { ...EXAMPLE_POLICY, minSamples: 32 }, disputePolicy: policy };
  await c.registry.write.list([terms, m.offer()], { account: m.accounts.seller!.account });
  return c.registry.read.listingCount();
}

/** Opens and evaluates a test-drive of `set` with `labels`; returns its id and C_D. */
async function evaluatedTest(m: Market, c: Contracts, listingId: bigint, set: OpenableTestSet, labels: readonly number[]) {
  const root = featuresRoot(sampleDigests(set));
  const dataCommitment = dataCommitmentV2({ featuresRoot: root, labels, salt: set.salt });
  const n = labels.length;
  const fee = BigInt(Math.max(0, n - EXAMPLE_POLICY.freeSamples)) * EXAMPLE_POLICY.feePerExtraSample;
  const opened = await sent(
    m,
    c.market.write.openTest([listingId, asBytes32(dataCommitment), n], { account: m.accounts.buyer!.account, value: EXAMPLE_POLICY.deposit + fee }),
  );
  const [event] = parseEventLogs({ abi: c.market.abi, logs: opened.logs, eventName: "TestOpened" });
  const testId = event!.args.testId;
  await c.market.write.recordReceipt([testId, `0x${"ab".repeat(32)}`], { account: m.accounts.worker!.account });
  return { testId, root, dataCommitment };
}

interface ClaimSource {
  set: OpenableTestSet;
  labels: readonly number[];
  predictions: readonly number[];
  task: Task;
  claimedAccuracyBps: number;
  policy: DisputePolicy;
}

/** The buyer's claim with a stood-in Refund proof over the SDK's v2 context, C_D and C_P. */
async function standInClaim(m: Market, c: Contracts, disputes: Disputes, testId: bigint, dataCommitment: bigint, source: ClaimSource) {
  const n = source.labels.length;
  const correct = source.predictions.filter((p, i) => p === source.labels[i]).length;
  const shortfallBps = provableShortfall(correct, n, source.claimedAccuracyBps);
  if (shortfallBps === 0) throw new Error("the predictions prove no shortfall");
  const fields = { claimedAccuracyBps: source.claimedAccuracyBps, sampleCount: n, ...source.task, shortfallBps };
  const chainId = BigInt(await m.publicClient.getChainId());
  const tag = bindingTag(chainId, c.market.address, testId, m.accounts.buyer!.account.address);
  const cp = predictionCommitment({ dataCommitment, predictions: source.predictions, salt: source.set.salt });
  const proof = await standIn(m, c, [packDisputeContextV2(fields, tag), dataCommitment, cp]);
  const secretB = challengeSecret(source.set.salt, testId);
  const { freeSamplesFee } = refundShares(EXAMPLE_POLICY, n);
  const stake = source.policy.buyerBond + freeSamplesFee;
  const tx = await sent(
    m,
    disputes.write.claimRefund([testId, shortfallBps, asBytes32(cp), challengeCommitment(secretB), proof], { account: m.accounts.buyer!.account, value: stake }),
  );
  const [claimed] = parseEventLogs({ abi: disputes.abi, logs: tx.logs, eventName: "RefundClaimed" });
  return { tx, secretB, fields, tag, shortfallBps, refund: claimed!.args.refund, freeSamplesFee, stake, chainId };
}

/** The buyer's opening of the drawn samples, with a stood-in Open proof over the SDK's Open signals. */
async function standInOpening(
  m: Market,
  c: Contracts,
  disputes: Disputes,
  testId: bigint,
  root: bigint,
  source: ClaimSource,
  claim: Awaited<ReturnType<typeof standInClaim>>,
  secretS: Hex,
) {
  const n = source.labels.length;
  const indices = contestIndices({ secretB: claim.secretB, secretS, chainId: claim.chainId, market: c.market.address, testId }, n);
  const onChain = [...(await disputes.read.challengeIndices([testId, claim.secretB, secretS]))];
  if (onChain.some((index, slot) => index !== indices[slot])) throw new Error("the contract drew other indices than the SDK");
  const input = openCircuitInput(
    { featuresRoot: root, labels: source.labels, predictions: source.predictions, salt: source.set.salt, fields: claim.fields, tag: claim.tag, indices },
    OPEN_CIRCUIT_SIZE,
  );
  const digests = sampleDigests(source.set);
  const opening = {
    buyerSecret: claim.secretB,
    featuresRoot: root,
    labels: indices.map((j) => source.labels[j]!),
    predictions: indices.map((j) => source.predictions[j]!),
    samples: indices.map((j) => openedSampleCalldata(sampleOpening(source.set, digests, j, source.predictions[j]!))),
  };
  const proof = await standIn(m, c, openPublicSignals(input));
  const tx = await sent(m, disputes.write.openSamples([testId, opening, proof], { account: m.accounts.buyer!.account }));
  const [event] = parseEventLogs({ abi: disputes.abi, logs: tx.logs, eventName: "SamplesOpened" });
  return { tx, posted: event!.args.samples as readonly OpenedSampleCalldata[] };
}

type Disputes = Awaited<ReturnType<typeof disputesOf>>;
const disputesOf = async (m: Market, c: Contracts) => m.viem.getContractAt("RefundDisputes", await c.market.read.refundDisputes());

/** 32 random bytes from `random`. */
function randomBytes32(random: () => number): Hex {
  return toHex(Uint8Array.from({ length: 32 }, () => Math.floor(random() * 256)));
}
/** A random 248-bit salt (a field element). */
const randomSalt = (random: () => number): bigint => BigInt(randomBytes32(random)) >> 8n;

export interface SimulationOptions {
  /** n, the test set's size. */
  sampleCount: number;
  /** The lie counts m to simulate. */
  lies: readonly number[];
  /** R, disputes per lie count. */
  trials: number;
  seed: number;
  /** The contestable listing's dispute policy (its w and bonds). */
  policy: DisputePolicy;
}

export interface SimulatedDispute {
  lies: number;
  outcome: "uncontested" | "caught" | "escaped";
  /** Samples the dispute made public. */
  samplesRevealed: number;
  /** The buyer's payoff relative to walking away: its `owed` balance after the dispute less what the claim staked (wei). */
  payoffWei: bigint;
}

export interface SimulationResult {
  sampleCount: number;
  claimedAccuracyBps: number;
  honestCorrect: number;
  trials: number;
  seed: number;
  disputes: SimulatedDispute[];
  /** Per lie count: the shortfall the lies proved and the refund it is worth. */
  shortfalls: { lies: number; shortfallBps: number; refundWei: string }[];
  /** Stand-in gas of every step, all disputes (median in the report). */
  gas: Record<"claimRefund" | "contest" | "openSamples" | "proveMismatch" | "closeDispute (uncontested)" | "closeDispute (unproven)", number[]>;
  seconds: number;
}

/** The seller's stand-in model: class = feature 0 mod classCount. */
const sellerModel = (features: readonly number[], classCount: number): number => features[0]! % classCount;

/**
 * Runs `trials` dishonest disputes per lie count on one market over the stand-in verifier, each
 * from the same chain snapshot (a listed model, nothing else), so every dispute starts with zero
 * `owed` balances and the buyer's payoff is read from its balance alone.
 */
export async function simulateDishonestDisputes(m: Market, options: SimulationOptions): Promise<SimulationResult> {
  const started = performance.now();
  const { sampleCount: n, policy } = options;
  const task = EXAMPLE_TASK;
  const random = seededRandom(options.seed);
  // The model's predictions are right on all but one sample in 16: 60 of 64 (93.75%), and the
  // claim 1 bps above that accuracy, so the honest predictions prove nothing and m lies prove
  // exactly s = ceil(10,000·m/n) (docs/DISPUTES.md §4.2's worst case for the seller).
  const honest = Array.from({ length: n }, (_, i) => i % task.classCount);
  const labels = honest.map((p, i) => (i % 16 === 15 ? (p + 1) % task.classCount : p));
  const honestCorrect = labels.filter((l, i) => l === honest[i]).length;
  if ((10_000 * honestCorrect) % n !== 0) throw new Error("the model's accuracy must be a whole number of bps for the worst case");
  const claimedAccuracyBps = (10_000 * honestCorrect) / n + 1;
  if (provableShortfall(honestCorrect, n, claimedAccuracyBps) !== 0) throw new Error("the honest predictions must prove no shortfall");
  const features = honest.map((p, i) =>
    Array.from({ length: task.featureCount }, (_, f) => (f === 0 ? task.classCount * ((i * 37) % 1_000) + p : (i * 37 + f * 101) % 2 ** task.featureBits)),
  );
  if (features.some((row, i) => sellerModel(row, task.classCount) !== honest[i])) throw new Error("unreachable: the stand-in model");
  const correctIndices = honest.flatMap((p, i) => (p === labels[i] ? [i] : []));

  const c = await m.load();
  const disputes = await disputesOf(m, c);
  const listingId = await listContestable(m, c, task, claimedAccuracyBps, policy);
  const snapshot = await m.networkHelpers.takeSnapshot();
  const [contestWindow, proveWindow] = await Promise.all([disputes.read.contestWindow(), disputes.read.proveWindow()]);
  const buyer = m.accounts.buyer!.account.address;

  const result: SimulationResult = {
    sampleCount: n,
    claimedAccuracyBps,
    honestCorrect,
    trials: options.trials,
    seed: options.seed,
    disputes: [],
    shortfalls: [],
    gas: { claimRefund: [], contest: [], openSamples: [], proveMismatch: [], "closeDispute (uncontested)": [], "closeDispute (unproven)": [] },
    seconds: 0,
  };
  for (const lies of options.lies) {
    for (let trial = 0; trial < options.trials; trial++) {
      await snapshot.restore();
      const set: OpenableTestSet = { features, shape: task, salt: randomSalt(random) };
      const secretS = randomBytes32(random);
      // The buyer lies on `lies` of the samples the model got right: the next class instead.
      const order = [...correctIndices];
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const lied = new Set(order.slice(0, lies));
      const predictions = honest.map((p, i) => (lied.has(i) ? (p + 1) % task.classCount : p));

      const { testId, root, dataCommitment } = await evaluatedTest(m, c, listingId, set, labels);
      if ((await c.market.read.owed([buyer])) !== 0n) throw new Error("the buyer's balance must start at zero");
      const source: ClaimSource = { set, labels, predictions, task, claimedAccuracyBps, policy };
      const claim = await standInClaim(m, c, disputes, testId, dataCommitment, source);
      result.gas.claimRefund.push(claim.tx.gas);
      if (trial === 0) result.shortfalls.push({ lies, shortfallBps: claim.shortfallBps, refundWei: claim.refund.toString() });

      let outcome: SimulatedDispute["outcome"];
      let samplesRevealed = 0;
      if (!sellerContests(claim.refund, claim.freeSamplesFee)) {
        await m.networkHelpers.time.increase(Number(contestWindow));
        result.gas["closeDispute (uncontested)"].push((await sent(m, disputes.write.closeDispute([testId]))).gas);
        outcome = "uncontested";
      } else {
        result.gas.contest.push((await sent(m, disputes.write.contest([testId, secretS], { account: m.accounts.seller!.account, value: policy.sellerBond }))).gas);
        const { tx, posted } = await standInOpening(m, c, disputes, testId, root, source, claim, secretS);
        result.gas.openSamples.push(tx.gas);
        samplesRevealed = posted.length;
        // The seller: its model on each opened sample's features, against the opened prediction.
        const found = posted.find((s) => s.prediction !== sellerModel(decodeSampleFeatures(s.features), task.classCount));
        if (found !== undefined) {
          const cls = sellerModel(decodeSampleFeatures(found.features), task.classCount);
          const meta = packContestMeta({
            index: found.index,
            prediction: found.prediction,
            cls,
            kind: ContestKind.Mismatch,
            featureCount: task.featureCount,
            featureBits: task.featureBits,
            classCount: task.classCount,
            toleranceQ: policy.contestToleranceQ,
          });
          const signals = contestPublicSignals({
            planCommitment: BigInt(policy.planCommitment).toString(),
            featuresRoot: root.toString(),
            meta: meta.toString(),
            sigma: found.sigma.toString(),
            siblings: found.siblings.map(String),
            featureWords: packLanes(decodeSampleFeatures(found.features), 16, 15).map(String),
            rowBias: [],
            rowSiblings: [],
            planSalt: "0",
          });
          const proof = await standIn(m, c, signals);
          const proved = await sent(
            m,
            disputes.write.proveMismatch([testId, found, posted.map(openedSampleHash), cls, END_MISMATCH, proof], { account: m.accounts.seller!.account }),
          );
          result.gas.proveMismatch.push(proved.gas);
          outcome = "caught";
        } else {
          await m.networkHelpers.time.increase(Number(proveWindow));
          result.gas["closeDispute (unproven)"].push((await sent(m, disputes.write.closeDispute([testId]))).gas);
          outcome = "escaped";
        }
      }
      const phase = (await c.market.read.getTest([testId])).phase;
      if (phase !== (outcome === "caught" ? TEST_PHASE.RefundRejected : TEST_PHASE.Refunded)) throw new Error(`dispute ended in test phase ${phase} after ${outcome}`);
      if (outcome === "caught" !== [...lied].some((j) => contestIndices({ secretB: claim.secretB, secretS, chainId: claim.chainId, market: c.market.address, testId }, n).includes(j))) {
        throw new Error("the seller's verdict disagrees with the draw");
      }
      const payoffWei = (await c.market.read.owed([buyer])) - claim.stake;
      result.disputes.push({ lies, outcome, samplesRevealed, payoffWei });
    }
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

export interface OpeningGas {
  featureCount: number;
  sampleCount: number;
  openSamples: TxGas;
  samplesRevealed: number;
}

/**
 * `openSamples` of 16 of `rows` (quantized features of `task`) over the stand-in verifier: a
 * contestable listing of the task, a claim whose labels make the predictions short of a 99%
 * claim, a contest, and the opening with real feature bytes.
 */
export async function standInOpeningGas(m: Market, task: Task, rows: number[][], labels: readonly number[], predictions: readonly number[], policy: DisputePolicy): Promise<OpeningGas> {
  const c = await m.load();
  const disputes = await disputesOf(m, c);
  const claimedAccuracyBps = 9_900;
  const listingId = await listContestable(m, c, task, claimedAccuracyBps, policy);
  const set: OpenableTestSet = { features: rows, shape: task, salt: 0x0b5e55edn };
  const { testId, root, dataCommitment } = await evaluatedTest(m, c, listingId, set, labels);
  const source: ClaimSource = { set, labels, predictions, task, claimedAccuracyBps, policy };
  const claim = await standInClaim(m, c, disputes, testId, dataCommitment, source);
  const secretS: Hex = `0x${"5e".repeat(32)}`;
  await disputes.write.contest([testId, secretS], { account: m.accounts.seller!.account, value: policy.sellerBond });
  const { tx, posted } = await standInOpening(m, c, disputes, testId, root, source, claim, secretS);
  return { featureCount: task.featureCount, sampleCount: labels.length, openSamples: { gas: tx.gas, calldataBytes: tx.calldataBytes }, samplesRevealed: posted.length };
}
