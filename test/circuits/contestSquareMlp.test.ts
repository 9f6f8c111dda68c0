/**
 * The contest circuit for SquareMlp plans (circuits/contestSquareMlp.circom with
 * contestShared.circom, main contest_squaremlp_iris.circom) at the witness level, on the shipped
 * iris-square-mlp quantized (sdk/src/he/quantizedPlan.ts) and real Iris test samples committed
 * as the v2 SDK commits them (σ_i, d_i, D). A true mismatch proves on every test sample; a
 * margin of at most τ, a wrong hidden weight or bias, a wrong output row, a forged row path,
 * salt, scale or commitment, kind 1 on a valid opening, c == ŷ and a featureCount other than
 * the circuit's fail; invalid openings (a bad path, a wrong σ, an out-of-range feature) prove
 * kind 1 and only kind 1. Rejections are shown twice over (circom's asserts, and the R1CS on the
 * honestly computed witness), and forged witnesses are made by editing witness vectors. The
 * circuit is compiled once and cached in circuits/build/ (scripts/zk/compile.ts).
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
  contestMargin,
  openingIsValid,
  provableContest,
  type SampleOpening,
  CONTEST_SQUARE_MLP_CIRCUITS,
  contestSquareMlpInput,
  type ContestSquareMlpCircuitInput,
  HIDDEN_DOMAIN,
  PLAN_DOMAIN,
  ROW_DOMAIN,
  hiddenDigest,
  planCommitment,
  rowDigests,
  rowsRoot,
} from "@modelbazaar/sdk/disputes";
import {
  argmaxScore,
  quantizePlan,
  quantizedHidden,
  quantizedScores,
  scoreScaleBits,
  type QuantizedSquareMlpPlan,
} from "@modelbazaar/sdk/he";
import { sampleSalt, featuresPath, featuresRoot, quantizeFeatures, SAMPLE_DOMAIN, sampleDigest } from "@modelbazaar/sdk/testDrives";
import {
  circuitConstant,
  witnessChecks,
  type R1cs,
  type Signals,
  type WitnessCalculator,
} from "../helpers/zk.ts";

const CIRCUIT = "contest_squaremlp_iris";
const SHAPE = CONTEST_SQUARE_MLP_CIRCUITS[CIRCUIT];
const FEATURE_BITS = 12;
const SCALE_BITS = 8;
const SALT = 0x3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192n;
const PLAN_SALT = 0x2233445566778899001122334455667788990011aabbccddeeff00112233446n;

describe("contest circuit ContestSquareMlp(4, 8, 3) on iris-square-mlp", () => {
  const checks = witnessChecks<Input>();
  let circuit: CompiledContestCircuit;
  let r1cs: R1cs;
  let lenient: WitnessCalculator;
  let plan: QuantizedSquareMlpPlan;
  let commitment: bigint;
  let features: number[][];
  let sigmas: bigint[];
  let digests: bigint[];
  let root: bigint;
  let toleranceQ: bigint;

  before(async () => {
    circuit = compileContestCircuit(CIRCUIT);
    ({ r1cs, lenient } = await checks.load(circuit));
    const { plan: floatPlan } = await compileOnnx(readFileSync(join(ROOT, "models", "iris-square-mlp.onnx")));
    const quantized = quantizePlan(floatPlan, { scaleBits: SCALE_BITS });
    assert.equal(quantized.family, "squareMlp");
    plan = quantized as QuantizedSquareMlpPlan;
    commitment = planCommitment(plan, PLAN_SALT);
    // τ = 2^-6 in score units (test/sdk/quantizedPlan.test.ts measures 2ε_plan = 7.2e-3 below it).
    toleranceQ = 1n << BigInt(scoreScaleBits(plan) - 6);
    const { test } = loadIris();
    const rows = Array.from({ length: test.sampleCount }, (_, s) => Array.from(test.features.subarray(s * 4, s * 4 + 4)));
    features = quantizeFeatures(rows, { featureCount: 4, featureBits: FEATURE_BITS, scaleBits: SCALE_BITS });
    sigmas = features.map((_, i) => sampleSalt(SALT, i));
    digests = features.map((row, i) => sampleDigest(i, row, sigmas[i]!, { featureCount: 4, featureBits: FEATURE_BITS }));
    root = featuresRoot(digests);
  });

  const { wire, assertAccepted, assertRejected, assertForgedRejected } = checks;

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

  const terms = (tau: bigint = toleranceQ) => ({ featureBits: FEATURE_BITS, toleranceQ: tau });
  const inputFor = (o: SampleOpening, cls: number, kind: ContestKindCode, tau: bigint = toleranceQ, p: QuantizedSquareMlpPlan = plan): ContestSquareMlpCircuitInput =>
    contestSquareMlpInput({ plan: p, planSalt: PLAN_SALT, planCommitment: commitment, featuresRoot: root, opening: o, terms: terms(tau), cls, kind }, SHAPE);

  type Input = ContestSquareMlpCircuitInput | Signals;
  const signals = (input: Input): Signals => input as unknown as Signals;

  describe("shape", () => {
    it("compiles without warnings, fits 2^14, and has ContestLinear's 15 public signals in order", async () => {
      assert.equal(circuit.constraints, r1cs.constraints.length);
      assert.ok(circuit.constraints < 2 ** 14, `${circuit.constraints} constraints`);
      assert.equal(r1cs.nPubOut, 0);
      assert.equal(r1cs.nPubIn, 15);
      console.log(`      ${CIRCUIT}: ${circuit.constraints} constraints, ${circuit.wires} wires`);
      const { honest, lie } = classes(0);
      const input = inputFor(opening(0, lie), honest, ContestKind.Mismatch);
      const w = await assertAccepted(input);
      const expected = [input.planCommitment, input.featuresRoot, input.meta, input.sigma, ...input.siblings, ...input.featureWords].map(BigInt);
      assert.deepEqual(w.slice(1, 16), expected);
    });

    it("repeats the SDK's domains and recomputes its d_j, D, hiddenDigest, row digests, h_q and h_q^2", async () => {
      const shared = join(ROOT, "circuits", "contestShared.circom");
      assert.equal(circuitConstant(shared, "SAMPLE_DOMAIN"), SAMPLE_DOMAIN);
      assert.equal(circuitConstant(shared, "ROW_DOMAIN"), ROW_DOMAIN);
      assert.equal(circuitConstant(shared, "PLAN_DOMAIN"), PLAN_DOMAIN);
      assert.equal(circuitConstant(join(ROOT, "circuits", "contestSquareMlp.circom"), "HIDDEN_DOMAIN"), HIDDEN_DOMAIN);
      const { honest, lie } = classes(3);
      const w = await assertAccepted(inputFor(opening(3, lie), honest, ContestKind.Mismatch));
      assert.equal(w[wire("main.opening.digest")], digests[3]);
      assert.equal(w[wire("main.opening.reached")], root);
      assert.equal(w[wire("main.hiddenDigest")], hiddenDigest(plan));
      assert.equal(w[wire("main.row[0].digest")], rowDigests(plan)[honest]);
      assert.equal(w[wire("main.rowRoot[0]")], rowsRoot(plan));
      assert.equal(w[wire("main.pow[5]")], 1n << 22n); // 2^(sx + sw1)
      const p = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
      quantizedHidden(plan, features[3]!, FEATURE_BITS).forEach((h, k) => assert.equal(w[wire(`main.hiddenSquare[${k}]`)], (h * h) % p));
    });
  });

  describe("kind 0: the plan's class beats the opened prediction by more than τ", () => {
    it("a true mismatch on every real Iris test sample proves, and the SDK finds it", async () => {
      for (let j = 0; j < features.length; j++) {
        const { honest, lie } = classes(j);
        const o = opening(j, lie);
        assert.ok(contestMargin(plan, o.features, FEATURE_BITS, honest, lie) > toleranceQ);
        assert.deepEqual(provableContest(plan, root, o, terms()), { kind: ContestKind.Mismatch, cls: honest });
        await assertAccepted(inputFor(o, honest, ContestKind.Mismatch));
      }
    });

    it("an honest prediction cannot be contested, with any class", async () => {
      const { honest } = classes(5);
      assert.equal(provableContest(plan, root, opening(5, honest), terms()), undefined);
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
      assertForgedRejected(w, { "main.margin.gated": 0n });
      assertForgedRejected(w, { "main.margin.gated": 1n });
    });

    it("a wrong hidden weight or bias fails, even one that would win the contest", async () => {
      const { honest, lie } = classes(9);
      const good = inputFor(opening(9, lie), honest, ContestKind.Mismatch);
      const bump = (lanes: string[][], k: number, i: number, by: number): string[][] => lanes.map((row, r) => (r === k ? row.map((v, c) => (c === i ? String(Number(v) + by) : v)) : row));
      await assertRejected({ ...good, hiddenLanes: bump(good.hiddenLanes, 0, 0, 1) });
      await assertRejected({ ...good, hiddenLanes: bump(good.hiddenLanes, 7, 3, -1) });
      await assertRejected({ ...good, hiddenLanes: [good.hiddenLanes[1]!, good.hiddenLanes[0]!, ...good.hiddenLanes.slice(2)] });
      await assertRejected({ ...good, hiddenBias: good.hiddenBias.map((b, k) => (k === 6 ? String(BigInt(b) + 1n) : b)) });
      // A seller who changes W1 so that an honest prediction looks wrong: the margin holds for
      // the changed plan, but it does not open the listing's commitment.
      const honestOpening = opening(9, honest);
      const other = [0, 1, 2].find((k) => k !== honest)!;
      let forged: QuantizedSquareMlpPlan | undefined;
      for (let k = 0; k < plan.hiddenSize && forged === undefined; k++) {
        for (const w of [-32768, 32767]) {
          const hiddenWeights = Int32Array.from(plan.hiddenWeights);
          hiddenWeights.fill(w, k * 4, k * 4 + 4);
          const candidate = { ...plan, hiddenWeights };
          if (contestMargin(candidate, honestOpening.features, FEATURE_BITS, other, honest) > toleranceQ) {
            forged = candidate;
            break;
          }
        }
      }
      assert.ok(forged !== undefined, "some hidden row makes the other class win");
      await assertRejected(inputFor(honestOpening, other, ContestKind.Mismatch, toleranceQ, forged));
    });

    it("a wrong output row fails: another class's row at c's place, a weight or bias changed", async () => {
      const { honest, lie } = classes(11);
      const good = inputFor(opening(11, lie), honest, ContestKind.Mismatch);
      const third = [0, 1, 2].find((k) => k !== honest && k !== lie)!;
      const other = inputFor(opening(11, third), honest, ContestKind.Mismatch);
      await assertRejected({ ...good, rowLanes: [other.rowLanes[1]!, good.rowLanes[1]!], rowBias: [other.rowBias[1]!, good.rowBias[1]!] });
      for (const m of [2, 8 + 2]) {
        const tweaked = good.rowLanes[0]!.map((lane, i) => (i === m ? String(Number(lane) + 1) : lane));
        await assertRejected({ ...good, rowLanes: [tweaked, good.rowLanes[1]!] });
      }
      await assertRejected({ ...good, rowBias: [String(BigInt(good.rowBias[0]!) + 1n), good.rowBias[1]!] });
      const lower = good.rowLanes[1]!.map((lane, i) => (i === 8 ? String(Number(lane) - 1) : lane));
      await assertRejected({ ...good, rowLanes: [good.rowLanes[0]!, lower] });
    });

    it("a forged row path, plan salt, any of the three scales or the commitment fails", async () => {
      const { honest, lie } = classes(13);
      const good = inputFor(opening(13, lie), honest, ContestKind.Mismatch);
      const forgedPath = good.rowSiblings[0]!.map((s, t) => (t === 1 ? String(BigInt(s) + 1n) : s));
      await assertRejected({ ...good, rowSiblings: [forgedPath, good.rowSiblings[1]!] });
      await assertRejected({ ...good, rowSiblings: [good.rowSiblings[1]!, good.rowSiblings[0]!] });
      await assertRejected({ ...good, planSalt: String(PLAN_SALT + 1n) });
      for (let s = 0; s < 3; s++) {
        await assertRejected({ ...good, planScales: good.planScales.map((v, t) => (t === s ? String(Number(v) + 1) : v)) });
      }
      await assertRejected({ ...good, planCommitment: String(commitment + 1n) });
    });

    it("c == ŷ, classes outside the plan, and shapes the circuit does not hold fail", async () => {
      const { honest, lie } = classes(15);
      const good = inputFor(opening(15, lie), honest, ContestKind.Mismatch);
      const meta = unpackContestMeta(BigInt(good.meta));
      const withMeta = (change: Partial<typeof meta>): Input => ({ ...good, meta: packContestMeta({ ...meta, ...change }).toString() });
      const same = { ...good, meta: packContestMeta({ ...meta, cls: lie }).toString(), rowLanes: [good.rowLanes[1]!, good.rowLanes[1]!], rowBias: [good.rowBias[1]!, good.rowBias[1]!], rowSiblings: [good.rowSiblings[1]!, good.rowSiblings[1]!] };
      await assertRejected(same);
      await assertRejected(withMeta({ classCount: 4 }));
      await assertRejected(withMeta({ classCount: 2, cls: 2 }));
      // The hidden layer is hashed whole: featureCount must be the circuit's F.
      await assertRejected(withMeta({ featureCount: 3 }));
      await assertRejected(withMeta({ featureCount: 5 }));
      await assertRejected(withMeta({ featureBits: 17 }));
      await assertRejected(withMeta({ index: 1024 }));
    });
  });

  describe("kind 1: an invalid opening", () => {
    it("kind 1 on a valid opening fails, and a forged witness claiming it invalid is rejected", async () => {
      const { honest, lie } = classes(2);
      const w = await assertRejected(inputFor(opening(2, lie), honest, ContestKind.InvalidOpening));
      assert.equal(w[wire("main.opening.rootOk")], 1n);
      assert.equal(w[wire("main.opening.inRange")], 1n);
      assertForgedRejected(w, { "main.opening.rootOk": 0n });
      assertForgedRejected(w, { "main.opening.inRange": 0n });
      assertForgedRejected(w, { "main.opening.reached": root + 1n });
      // Also on an honest prediction (no mismatch to prove either).
      const { honest: h } = classes(4);
      await assertRejected(inputFor(opening(4, h), h === 0 ? 1 : 0, ContestKind.InvalidOpening));
    });

    it("a bad path, a wrong σ or a changed feature proves kind 1, not kind 0", async () => {
      const { honest, lie } = classes(4);
      const o = opening(4, lie);
      const bad = { ...o, siblings: o.siblings.map((s, t) => (t === 6 ? s + 1n : s)) };
      assert.ok(!openingIsValid(root, bad, FEATURE_BITS));
      assert.deepEqual(provableContest(plan, root, bad, terms()), { kind: ContestKind.InvalidOpening, cls: lie === 0 ? 1 : 0 });
      await assertAccepted(inputFor(bad, honest, ContestKind.InvalidOpening));
      const w = await assertRejected(inputFor(bad, honest, ContestKind.Mismatch));
      assert.equal(w[wire("main.opening.rootOk")], 0n);
      assertForgedRejected(w, { "main.opening.rootOk": 1n });
      await assertAccepted(inputFor({ ...o, siblings: featuresPath(digests, 5) }, honest, ContestKind.InvalidOpening));
      await assertAccepted(inputFor({ ...o, sigma: o.sigma + 1n }, honest, ContestKind.InvalidOpening));
      await assertAccepted(inputFor({ ...o, features: o.features.map((q, i) => (i === 3 ? q + 1 : q)) }, honest, ContestKind.InvalidOpening));
      await assertRejected(inputFor({ ...o, sigma: o.sigma + 1n }, honest, ContestKind.Mismatch));
    });

    it("an out-of-range feature proves kind 1 even when the buyer's digest commits to it", async () => {
      const { honest, lie } = classes(8);
      const bad = features.map((row) => [...row]);
      bad[8]![1] = 2 ** FEATURE_BITS + 5;
      const badDigests = bad.map((row, i) => (i === 8 ? sampleDigest(i, row, sigmas[i]!, { featureCount: 4, featureBits: 16 }) : digests[i]!));
      const badRoot = featuresRoot(badDigests);
      const o: SampleOpening = { index: 8, features: bad[8]!, sigma: sigmas[8]!, siblings: featuresPath(badDigests, 8), prediction: lie };
      const source = { plan, planSalt: PLAN_SALT, planCommitment: commitment, featuresRoot: badRoot, opening: o, terms: terms(), cls: honest };
      assert.ok(!openingIsValid(badRoot, o, FEATURE_BITS));
      await assertAccepted(contestSquareMlpInput({ ...source, kind: ContestKind.InvalidOpening }, SHAPE));
      const w = await assertRejected(contestSquareMlpInput({ ...source, kind: ContestKind.Mismatch }, SHAPE));
      assert.equal(w[wire("main.opening.rootOk")], 1n);
      assert.equal(w[wire("main.opening.inRange")], 0n);
      assertForgedRejected(w, { "main.opening.inRange": 1n });
      await assertRejected(contestSquareMlpInput({ ...source, terms: { featureBits: 16, toleranceQ }, kind: ContestKind.InvalidOpening }, SHAPE));
    });
  });

  describe("forged witnesses", () => {
    it("editing a valid witness's features, digests, hidden values, products, shift or margin breaks a constraint", async () => {
      const { honest, lie } = classes(10);
      const w = await assertAccepted(inputFor(opening(10, lie), honest, ContestKind.Mismatch));
      for (const name of [
        "main.centered[0]",
        "main.opening.digest",
        "main.hiddenDigest",
        "main.hiddenProduct[0][0]",
        "main.hiddenSquare[3]",
        "main.linearProduct[0]",
        "main.squareProduct[6]",
        "main.pow[5]",
        "main.shifted",
        "main.margin.gated",
        "main.rowRoot[0]",
        "main.row[1].digest",
      ]) {
        assertForgedRejected(w, { [name]: w[wire(name)]! + 1n });
      }
    });

    it("the public meta is bound: a lower τ, another index or another root breaks the witness", async () => {
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
