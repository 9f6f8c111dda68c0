/**
 * The contest circuit for Linear plans (circuits/contestLinear.circom with contestShared.circom
 * and merklePath.circom, main contest_linear_4x3.circom) at the witness level, on the shipped iris-logreg quantized
 * (sdk/src/he/quantizedPlan.ts) and real Iris test samples committed as the v2 SDK commits them
 * (σ_i from derivedSalts.ts, d_i from sampleDigest.ts, D from featuresRoot.ts). A true mismatch
 * proves; a margin of at most τ, a wrong row, a forged row path, a forged plan salt, kind 1 on a
 * valid opening and c == ŷ fail; invalid openings (a bad path, a wrong σ, an out-of-range
 * feature) prove kind 1 and only kind 1. Rejections are shown twice over (circom's asserts, and
 * the R1CS on the honestly computed witness), and forged witnesses are made by editing a valid
 * or honestly computed witness vector. The circuit is compiled once and cached in
 * circuits/build/ (scripts/zk/compile.ts).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { compileOnnx } from "../../offchain-worker/src/he/compiler/index.ts";
import { ROOT, compileContestCircuit, type CompiledContestCircuit } from "../../scripts/zk/compile.ts";
import { loadIris } from "../../scripts/lib/datasets/iris.ts";
import {
  ContestKind,
  packContestMeta,
  unpackContestMeta,
  type ContestKindCode,
  CONTEST_LINEAR_CIRCUITS,
  contestLinearInput,
  contestMargin,
  openingIsValid,
  provableContest,
  type ContestLinearCircuitInput,
  type SampleOpening,
  PLAN_DOMAIN,
  ROW_DOMAIN,
  planCommitment,
  rowDigests,
  rowsRoot,
} from "@modelbazaar/sdk/disputes";
import { argmaxScore, quantizePlan, quantizedScores, scoreScaleBits, type QuantizedLinearPlan } from "@modelbazaar/sdk/he";
import { sampleSalt, featuresPath, featuresRoot, quantizeFeatures, SAMPLE_DOMAIN, sampleDigest } from "@modelbazaar/sdk/testDrives";
import {
  circuitConstant,
  witnessChecks,
  type R1cs,
  type Signals,
  type WitnessCalculator,
} from "../helpers/zk.ts";

const CIRCUIT = "contest_linear_4x3";
const SHAPE = CONTEST_LINEAR_CIRCUITS[CIRCUIT];
const FEATURE_BITS = 12;
const SCALE_BITS = 8;
const SALT = 0x2a4b6c8d0e1f203142536475869708192a3b4c5d6e7f8091a2b3c4d5e6f7081n;
const PLAN_SALT = 0x1122334455667788990011223344556677889900aabbccddeeff00112233445n;

describe("contest circuit ContestLinear(4, 3) on iris-logreg", () => {
  const checks = witnessChecks<Input>();
  let circuit: CompiledContestCircuit;
  let r1cs: R1cs;
  let lenient: WitnessCalculator;
  let plan: QuantizedLinearPlan;
  let commitment: bigint;
  let features: number[][];
  let sigmas: bigint[];
  let digests: bigint[];
  let root: bigint;
  let toleranceQ: bigint;

  before(async () => {
    circuit = compileContestCircuit(CIRCUIT);
    ({ r1cs, lenient } = await checks.load(circuit));
    const { plan: floatPlan } = await compileOnnx(readFileSync(join(ROOT, "models", "iris-logreg.onnx")));
    const quantized = quantizePlan(floatPlan, { scaleBits: SCALE_BITS });
    assert.equal(quantized.family, "linear");
    plan = quantized as QuantizedLinearPlan;
    commitment = planCommitment(plan, PLAN_SALT);
    // τ = 2^-8 in score units (test/sdk/quantizedPlan.test.ts measures 2ε = 2.7e-3 below it).
    toleranceQ = 1n << BigInt(scoreScaleBits(plan) - 8);
    const { test } = loadIris();
    const rows = Array.from({ length: test.sampleCount }, (_, s) => Array.from(test.features.subarray(s * 4, s * 4 + 4)));
    features = quantizeFeatures(rows, { featureCount: 4, featureBits: FEATURE_BITS, scaleBits: SCALE_BITS });
    sigmas = features.map((_, i) => sampleSalt(SALT, i));
    digests = features.map((row, i) => sampleDigest(i, row, sigmas[i]!, { featureCount: 4, featureBits: FEATURE_BITS }));
    root = featuresRoot(digests);
  });

  const { wire, assertAccepted, assertRejected, assertForgedRejected } = checks;

  /** The honest opening of sample j with the buyer's (possibly false) prediction. */
  const opening = (j: number, prediction: number): SampleOpening => ({
    index: j,
    features: features[j]!,
    sigma: sigmas[j]!,
    siblings: featuresPath(digests, j),
    prediction,
  });

  /** The plan's class on sample j, and the class the buyer would lie with (the worst-scoring). */
  const classes = (j: number): { honest: number; lie: number } => {
    const scores = quantizedScores(plan, features[j]!, FEATURE_BITS);
    const lie = scores.reduce((worst, s, k) => (s < scores[worst]! ? k : worst), 0);
    return { honest: argmaxScore(scores), lie };
  };

  const inputFor = (o: SampleOpening, cls: number, kind: ContestKindCode, tau: bigint = toleranceQ): ContestLinearCircuitInput =>
    contestLinearInput(
      { plan, planSalt: PLAN_SALT, planCommitment: commitment, featuresRoot: root, opening: o, terms: { featureBits: FEATURE_BITS, toleranceQ: tau }, cls, kind },
      SHAPE,
    );

  /** The circuit's input as the witness calculator takes it (rows and their paths are nested arrays). */
  type Input = ContestLinearCircuitInput | Signals;
  const signals = (input: Input): Signals => input as unknown as Signals;

  describe("shape", () => {
    it("compiles without warnings, fits 2^13, and has the 15 public signals of §5.3 in order", async () => {
      assert.equal(circuit.constraints, r1cs.constraints.length);
      assert.ok(circuit.constraints < 2 ** 13, `${circuit.constraints} constraints`);
      assert.equal(r1cs.nPubOut, 0);
      assert.equal(r1cs.nPubIn, 15);
      console.log(`      ${CIRCUIT}: ${circuit.constraints} constraints, ${circuit.wires} wires`);
      const { honest, lie } = classes(0);
      const input = inputFor(opening(0, lie), honest, ContestKind.Mismatch);
      const w = await assertAccepted(input);
      const expected = [input.planCommitment, input.featuresRoot, input.meta, input.sigma, ...input.siblings, ...input.featureWords].map(BigInt);
      assert.deepEqual(w.slice(1, 16), expected);
    });

    it("repeats the SDK's domains and recomputes its d_j, D and row digests", async () => {
      const file = join(ROOT, "circuits", "contestShared.circom");
      assert.equal(circuitConstant(file, "SAMPLE_DOMAIN"), SAMPLE_DOMAIN);
      assert.equal(circuitConstant(file, "ROW_DOMAIN"), ROW_DOMAIN);
      assert.equal(circuitConstant(file, "PLAN_DOMAIN"), PLAN_DOMAIN);
      const { honest, lie } = classes(3);
      const w = await assertAccepted(inputFor(opening(3, lie), honest, ContestKind.Mismatch));
      assert.equal(w[wire("main.opening.digest")], digests[3]);
      assert.equal(w[wire("main.opening.reached")], root);
      assert.equal(w[wire("main.row[0].digest")], rowDigests(plan)[honest]);
      assert.equal(w[wire("main.rowRoot[0]")], rowsRoot(plan));
    });
  });

  describe("kind 0: the plan's class beats the opened prediction by more than τ", () => {
    it("a true mismatch on every real Iris test sample proves, and the SDK finds it", async () => {
      for (let j = 0; j < features.length; j++) {
        const { honest, lie } = classes(j);
        const o = opening(j, lie);
        assert.ok(contestMargin(plan, o.features, FEATURE_BITS, honest, lie) > toleranceQ);
        assert.deepEqual(provableContest(plan, root, o, { featureBits: FEATURE_BITS, toleranceQ }), { kind: ContestKind.Mismatch, cls: honest });
        await assertAccepted(inputFor(o, honest, ContestKind.Mismatch));
      }
    });

    it("an honest prediction cannot be contested, with any class", async () => {
      const { honest } = classes(5);
      assert.equal(provableContest(plan, root, opening(5, honest), { featureBits: FEATURE_BITS, toleranceQ }), undefined);
      for (const cls of [0, 1, 2].filter((k) => k !== honest)) {
        await assertRejected(inputFor(opening(5, honest), cls, ContestKind.Mismatch));
      }
    });

    it("fails at a margin of exactly τ and proves at τ - 1 (the boundary)", async () => {
      const { honest, lie } = classes(7);
      const margin = contestMargin(plan, features[7]!, FEATURE_BITS, honest, lie);
      await assertRejected(inputFor(opening(7, lie), honest, ContestKind.Mismatch, margin));
      await assertAccepted(inputFor(opening(7, lie), honest, ContestKind.Mismatch, margin - 1n));
      const w = await lenient.calculateWitness(signals(inputFor(opening(7, lie), honest, ContestKind.Mismatch, margin)), true);
      // gated = -1 in the field; claiming a small margin instead breaks the bit decomposition.
      assertForgedRejected(w, { "main.margin.gated": 0n });
      assertForgedRejected(w, { "main.margin.gated": 1n });
    });

    it("a wrong row fails: another class's weights at c's place, or a weight changed", async () => {
      const { honest, lie } = classes(9);
      const good = inputFor(opening(9, lie), honest, ContestKind.Mismatch);
      const third = [0, 1, 2].find((k) => k !== honest && k !== lie)!;
      const other = inputFor(opening(9, third), honest, ContestKind.Mismatch);
      await assertRejected({ ...good, rowLanes: [other.rowLanes[1]!, good.rowLanes[1]!], rowBias: [other.rowBias[1]!, good.rowBias[1]!] });
      const tweaked = good.rowLanes[0]!.map((lane, i) => (i === 2 ? String(Number(lane) + 1) : lane));
      await assertRejected({ ...good, rowLanes: [tweaked, good.rowLanes[1]!] });
      await assertRejected({ ...good, rowBias: [String(BigInt(good.rowBias[0]!) + 1n), good.rowBias[1]!] });
      // The prediction's row too: making the opened class look worse.
      const lower = good.rowLanes[1]!.map((lane, i) => (i === 0 ? String(Number(lane) - 1) : lane));
      await assertRejected({ ...good, rowLanes: [good.rowLanes[0]!, lower] });
    });

    it("a forged row path, plan salt, scale or commitment fails", async () => {
      const { honest, lie } = classes(11);
      const good = inputFor(opening(11, lie), honest, ContestKind.Mismatch);
      const forgedPath = good.rowSiblings[0]!.map((s, t) => (t === 1 ? String(BigInt(s) + 1n) : s));
      await assertRejected({ ...good, rowSiblings: [forgedPath, good.rowSiblings[1]!] });
      await assertRejected({ ...good, rowSiblings: [good.rowSiblings[1]!, good.rowSiblings[0]!] });
      await assertRejected({ ...good, planSalt: String(PLAN_SALT + 1n) });
      await assertRejected({ ...good, planScales: [good.planScales[0]!, String(Number(good.planScales[1]) + 1)] });
      await assertRejected({ ...good, planCommitment: String(commitment + 1n) });
    });

    it("c == ŷ fails, for either kind", async () => {
      const { honest } = classes(13);
      const base = inputFor(opening(13, honest), honest === 0 ? 1 : 0, ContestKind.Mismatch);
      const meta = unpackContestMeta(BigInt(base.meta));
      for (const kind of [ContestKind.Mismatch, ContestKind.InvalidOpening]) {
        const same = { ...base, meta: packContestMeta({ ...meta, cls: honest, kind }).toString(), rowLanes: [base.rowLanes[1]!, base.rowLanes[1]!], rowBias: [base.rowBias[1]!, base.rowBias[1]!], rowSiblings: [base.rowSiblings[1]!, base.rowSiblings[1]!] };
        await assertRejected(same);
      }
    });

    it("classes outside the plan, and shapes the circuit cannot hold, fail", async () => {
      const { honest, lie } = classes(15);
      const good = inputFor(opening(15, lie), honest, ContestKind.Mismatch);
      const meta = unpackContestMeta(BigInt(good.meta));
      const withMeta = (change: Partial<typeof meta>): Input => ({ ...good, meta: packContestMeta({ ...meta, ...change }).toString() });
      await assertRejected(withMeta({ classCount: 4 }));
      await assertRejected(withMeta({ classCount: 2, cls: 2 }));
      await assertRejected(withMeta({ featureCount: 5 }));
      await assertRejected(withMeta({ featureBits: 17 }));
      await assertRejected(withMeta({ index: 1024 }));
    });
  });

  describe("kind 1: an invalid opening", () => {
    it("kind 1 on a valid opening fails, and a forged witness claiming it invalid is rejected", async () => {
      const { honest, lie } = classes(2);
      const input = inputFor(opening(2, lie), honest, ContestKind.InvalidOpening);
      const w = await assertRejected(input);
      assert.equal(w[wire("main.opening.rootOk")], 1n);
      assert.equal(w[wire("main.opening.inRange")], 1n);
      assertForgedRejected(w, { "main.opening.rootOk": 0n });
      assertForgedRejected(w, { "main.opening.inRange": 0n });
      assertForgedRejected(w, { "main.opening.reached": root + 1n });
    });

    it("a bad path proves kind 1, not kind 0", async () => {
      const { honest, lie } = classes(4);
      const o = opening(4, lie);
      const bad = { ...o, siblings: o.siblings.map((s, t) => (t === 6 ? s + 1n : s)) };
      assert.ok(!openingIsValid(root, bad, FEATURE_BITS));
      assert.deepEqual(provableContest(plan, root, bad, { featureBits: FEATURE_BITS, toleranceQ }), { kind: ContestKind.InvalidOpening, cls: lie === 0 ? 1 : 0 });
      await assertAccepted(inputFor(bad, honest, ContestKind.InvalidOpening));
      const w = await assertRejected(inputFor(bad, honest, ContestKind.Mismatch));
      assert.equal(w[wire("main.opening.rootOk")], 0n);
      assertForgedRejected(w, { "main.opening.rootOk": 1n });
      // Another sample's path, and the right path at another index, are bad paths too.
      await assertAccepted(inputFor({ ...o, siblings: featuresPath(digests, 5) }, honest, ContestKind.InvalidOpening));
      await assertAccepted(inputFor({ ...o, index: 20 }, honest, ContestKind.InvalidOpening));
    });

    it("a wrong σ or a changed feature proves kind 1 (d_j no longer reaches D)", async () => {
      const { honest, lie } = classes(6);
      const o = opening(6, lie);
      await assertAccepted(inputFor({ ...o, sigma: o.sigma + 1n }, honest, ContestKind.InvalidOpening));
      await assertAccepted(inputFor({ ...o, features: o.features.map((q, i) => (i === 3 ? q + 1 : q)) }, honest, ContestKind.InvalidOpening));
      await assertRejected(inputFor({ ...o, sigma: o.sigma + 1n }, honest, ContestKind.Mismatch));
    });

    it("an out-of-range feature proves kind 1 even when the buyer's digest commits to it", async () => {
      const { honest, lie } = classes(8);
      // A buyer who committed a 13-bit feature on a 12-bit listing: d_8 and D cover it.
      const bad = features.map((row) => [...row]);
      bad[8]![1] = 2 ** FEATURE_BITS + 5;
      const badDigests = bad.map((row, i) => (i === 8 ? sampleDigest(i, row, sigmas[i]!, { featureCount: 4, featureBits: 16 }) : digests[i]!));
      const badRoot = featuresRoot(badDigests);
      const o: SampleOpening = { index: 8, features: bad[8]!, sigma: sigmas[8]!, siblings: featuresPath(badDigests, 8), prediction: lie };
      const source = { plan, planSalt: PLAN_SALT, planCommitment: commitment, featuresRoot: badRoot, opening: o, terms: { featureBits: FEATURE_BITS, toleranceQ }, cls: honest };
      assert.ok(!openingIsValid(badRoot, o, FEATURE_BITS));
      await assertAccepted(contestLinearInput({ ...source, kind: ContestKind.InvalidOpening }, SHAPE));
      const w = await assertRejected(contestLinearInput({ ...source, kind: ContestKind.Mismatch }, SHAPE));
      assert.equal(w[wire("main.opening.rootOk")], 1n);
      assert.equal(w[wire("main.opening.inRange")], 0n);
      assertForgedRejected(w, { "main.opening.inRange": 1n });
      // The same opening is in range on a 16-bit listing: there it is valid and kind 1 fails.
      await assertRejected(contestLinearInput({ ...source, terms: { featureBits: 16, toleranceQ }, kind: ContestKind.InvalidOpening }, SHAPE));
    });
  });

  describe("forged witnesses", () => {
    it("editing a valid witness's features, digest, product or margin breaks a constraint", async () => {
      const { honest, lie } = classes(10);
      const w = await assertAccepted(inputFor(opening(10, lie), honest, ContestKind.Mismatch));
      assertForgedRejected(w, { "main.opening.q[0]": w[wire("main.opening.q[0]")]! + 1n });
      assertForgedRejected(w, { "main.opening.digest": w[wire("main.opening.digest")]! + 1n });
      assertForgedRejected(w, { "main.product[0]": w[wire("main.product[0]")]! + 1n });
      assertForgedRejected(w, { "main.margin.gated": w[wire("main.margin.gated")]! + 1n });
      assertForgedRejected(w, { "main.rowRoot[0]": w[wire("main.rowRoot[0]")]! + 1n });
    });

    it("the public meta is bound: a lower τ or another index in the public signal breaks the witness", async () => {
      const { honest, lie } = classes(12);
      const input = inputFor(opening(12, lie), honest, ContestKind.Mismatch);
      const w = await assertAccepted(input);
      const meta = unpackContestMeta(BigInt(input.meta));
      assertForgedRejected(w, { "main.meta": packContestMeta({ ...meta, toleranceQ: meta.toleranceQ + 1n }) });
      assertForgedRejected(w, { "main.meta": packContestMeta({ ...meta, index: 13 }) });
      assertForgedRejected(w, { "main.featuresRoot": root + 1n });
    });
  });
});
