/**
 * The v2 refund circuit Refund(N) (circuits/refund.circom, with commitmentsV2.circom,
 * contextV2.circom, laneChain.circom, poseidonChain.circom and prefixMask.circom) at the
 * witness level, for N = 256, as docs/DISPUTES.md §5.1 states it: agreement with the SDK
 * (refundCircuitInput.ts and the commitments it uses), honest graded claims, and everything a
 * dishonest buyer could try: a shortfall above what its answers prove or of 0, a prediction
 * commitment for other predictions, a prediction outside 16 bits (a lane overflow keeping the
 * packed word), nonzero padding, labels outside the class count, a context that is not the
 * fields', and forged witnesses edited in the witness vector. The circuit is compiled once and
 * cached in circuits/build/ by a hash of its sources (scripts/zk/compile.ts).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as snarkjs from "snarkjs";
import { CIRCUITS_DIR, compileCircuit, mainSource, type CircuitVariant, type CompiledCircuit } from "../../scripts/zk/compile.ts";
import {
  DOMAIN_DATA_V2,
  DOMAIN_PRED,
  DOMAIN_PSALT,
  LABEL_BITS,
  LABELS_PER_WORD,
  PREDICTION_BITS,
  PREDICTIONS_PER_WORD,
  WORDS_PER_BLOCK,
  correctCount,
  dataCommitmentV2,
  dataCommitmentV2Chain,
  maxProvableShortfall,
  packDisputeContextV2,
  predictionCommitment,
  predictionCommitmentChain,
  predictionSalt,
  provableShortfall,
  refundCircuitInput,
  type DisputeContextV2Fields,
  type RefundCircuitInput,
  type RefundWitnessSource,
} from "@modelbazaar/sdk/testDrives";
import {
  P,
  QUIET,
  circuitConstant,
  constraintsByWire,
  firstViolated,
  forgedWtns,
  satisfies,
  seededField,
  signalPrefix,
  stopSnarkjsCurve,
  witnessChecks,
  type R1cs,
  type WitnessCalculator,
} from "../helpers/zk.ts";

const N = 256;
const VARIANT: CircuitVariant = { size: N, statement: "refund" };

const { randInt, randBits, randField } = seededField(20261210);

/**
 * A test set of n samples whose predictions get exactly `correct` right, claiming the largest
 * provable shortfall unless `terms` names one (0 when none is provable).
 */
function testSet(n: number, correct: number, terms: Partial<DisputeContextV2Fields> = {}): RefundWitnessSource {
  const base = { claimedAccuracyBps: 9000, sampleCount: n, classCount: 10, featureBits: 8, featureCount: 784, shortfallBps: 0, ...terms };
  const labels = Array.from({ length: n }, () => randInt(base.classCount));
  const right = new Set<number>();
  while (right.size < correct) right.add(randInt(n));
  const predictions = labels.map((label, i) => (right.has(i) ? label : (label + 1 + randInt(base.classCount - 1)) % base.classCount));
  const fields = { ...base, shortfallBps: terms.shortfallBps ?? provableShortfall(correct, n, Math.max(1, Math.min(10000, base.claimedAccuracyBps))) };
  return { labels, predictions, featuresRoot: randField(), salt: randField(), fields, tag: randBits(128) };
}

describe("refund circuit (N = 256)", () => {
  const checks = witnessChecks<RefundCircuitInput>();
  let circuit: CompiledCircuit;
  let r1cs: R1cs;
  let symbols: Map<string, number>;
  let strict: WitnessCalculator;
  let lenient: WitnessCalculator;

  before(async () => {
    circuit = compileCircuit(VARIANT);
    ({ r1cs, symbols, strict, lenient } = await checks.load(circuit));
  });

  after(stopSnarkjsCurve);

  const { wire, assertAccepted, assertRejected } = checks;

  const computeLenient = (input: RefundCircuitInput): Promise<bigint[]> => lenient.calculateWitness(input, true);

  const isEqual = (): string => signalPrefix(symbols, /^(main\.IsEqual_\d+_\d+)\[0\]\.isz\.inv$/);
  const labelChain = (): string => signalPrefix(symbols, /^(main\.DataCommitmentV2_\d+_\d+\.LaneChain_\d+_\d+\.PoseidonChain_\d+_\d+)\.h\[1\]$/);
  const predictionChain = (): string =>
    signalPrefix(symbols, /^(main\.PredictionCommitment_\d+_\d+\.LaneChain_\d+_\d+\.PoseidonChain_\d+_\d+)\.h\[1\]$/);
  const predictionCommitmentComponent = (): string => signalPrefix(symbols, /^(main\.PredictionCommitment_\d+_\d+)\.saltP$/);

  const inputOf = (source: RefundWitnessSource): RefundCircuitInput => refundCircuitInput(source, N);
  /** The input claiming another shortfall (in the context and the private field alike). */
  const withShortfall = (source: RefundWitnessSource, shortfallBps: number): RefundCircuitInput =>
    inputOf({ ...source, fields: { ...source.fields, shortfallBps } });

  describe("shape", () => {
    it("compiles without warnings and reports its size", () => {
      assert.equal(circuit.constraints, r1cs.constraints.length);
      assert.ok(circuit.constraints < 2 ** 15, `${circuit.constraints} constraints`);
      console.log(`      refund_${N}: ${circuit.constraints} constraints, ${circuit.wires} wires`);
    });

    it("has exactly the public signals [context, dataCommitment, predictionCommitment], in that order", async () => {
      assert.equal(r1cs.nPubOut, 0);
      assert.equal(r1cs.nPubIn, 3);
      const set = testSet(50, 10);
      const input = inputOf(set);
      const w = await assertAccepted(input);
      assert.deepEqual(w.slice(1, 4), [BigInt(input.context), BigInt(input.dataCommitment), BigInt(input.predictionCommitment)]);
      assert.equal(symbols.get("main.context"), 1);
      assert.equal(symbols.get("main.dataCommitment"), 2);
      assert.equal(symbols.get("main.predictionCommitment"), 3);
    });

    it("uses the SDK's domains and lane layout", () => {
      const file = (name: string): string => join(CIRCUITS_DIR, name);
      assert.equal(circuitConstant(file("commitmentsV2.circom"), "DATA_V2_DOMAIN"), DOMAIN_DATA_V2);
      assert.equal(circuitConstant(file("commitmentsV2.circom"), "PREDICTION_DOMAIN"), DOMAIN_PRED);
      assert.equal(circuitConstant(file("commitmentsV2.circom"), "PREDICTION_SALT_DOMAIN"), DOMAIN_PSALT);
      assert.equal(circuitConstant(file("laneChain.circom"), "LANE_BITS"), BigInt(LABEL_BITS));
      assert.equal(circuitConstant(file("laneChain.circom"), "LANE_BITS"), BigInt(PREDICTION_BITS));
      assert.equal(circuitConstant(file("laneChain.circom"), "LANES_PER_WORD"), BigInt(LABELS_PER_WORD));
      assert.equal(circuitConstant(file("laneChain.circom"), "LANES_PER_WORD"), BigInt(PREDICTIONS_PER_WORD));
      assert.equal(circuitConstant(file("poseidonChain.circom"), "WORDS_PER_BLOCK"), BigInt(WORDS_PER_BLOCK));
    });

    it("checks in the main components that compile.ts generates", () => {
      for (const size of [256, 1024]) {
        assert.equal(readFileSync(join(CIRCUITS_DIR, `refund_${size}.circom`), "utf8"), mainSource({ size, statement: "refund" }));
      }
    });

    it("agrees with snarkjs: wtns calculate, exportJson and check, and refuses a forged witness", async () => {
      const input = inputOf(testSet(120, 40));
      const wtns = { type: "mem" as const };
      await snarkjs.wtns.calculate(input, circuit.wasm, wtns);
      assert.deepEqual(await snarkjs.wtns.exportJson(wtns), await strict.calculateWitness(input, true));
      assert.equal(await snarkjs.wtns.check(circuit.r1cs, wtns, QUIET), true);
      const forged = await computeLenient({ ...input, predictionCommitment: (BigInt(input.predictionCommitment) + 1n).toString() });
      const bad = await forgedWtns(input, circuit.wasm, forged);
      assert.equal(await snarkjs.wtns.check(circuit.r1cs, bad, QUIET), false);
    });
  });

  describe("agrees with the SDK (the TS reference)", () => {
    it("public signals, both chains' states and saltP, for n = 1, 15, N and n not a multiple of 15", async () => {
      for (const n of [1, 7, 15, 29, 224, 225, 226, 250, 256]) {
        const set = testSet(n, 0);
        const input = inputOf(set);
        const w = await assertAccepted(input);
        const cd = dataCommitmentV2(set);
        assert.equal(w[1], packDisputeContextV2(set.fields, set.tag));
        assert.equal(w[2], cd);
        assert.equal(w[3], predictionCommitment({ dataCommitment: cd, predictions: set.predictions, salt: set.salt }));
        assert.equal(w[wire(`${predictionCommitmentComponent()}.saltP`)], predictionSalt(set.salt));
        const labelStates = dataCommitmentV2Chain(set);
        const predictionStates = predictionCommitmentChain({ dataCommitment: cd, predictions: set.predictions, salt: set.salt });
        assert.equal(labelStates.length, 1 + Math.ceil(n / 225));
        labelStates.forEach((h, b) => {
          if (b > 0) assert.equal(w[wire(`${labelChain()}.h[${b}]`)], h, `label chain state ${b}, n = ${n}`);
        });
        predictionStates.forEach((h, b) => {
          if (b > 0) assert.equal(w[wire(`${predictionChain()}.h[${b}]`)], h, `prediction chain state ${b}, n = ${n}`);
        });
        assert.equal(w[wire("main.correct")], 0n);
      }
    });

    it("the correct count, for random test sets", async () => {
      for (let k = 0; k < 6; k++) {
        const n = 1 + randInt(N);
        const correct = randInt(Math.floor((n * 8000) / 10000));
        const set = testSet(n, correct);
        const w = await assertAccepted(inputOf(set));
        assert.equal(w[wire("main.correct")], BigInt(correctCount(set.labels, set.predictions)));
      }
    });
  });

  describe("accepts", () => {
    it("an honest claim: every shortfall from 1 to the provable one, and none above", async () => {
      // 179 of 200 right = 89.5% under a 90% claim: s = 49 leaves 89.51% > 89.5%.
      const set = testSet(200, 179);
      assert.equal(maxProvableShortfall(set), 49);
      for (const s of [1, 2, 25, 48, 49]) await assertAccepted(withShortfall(set, s));
      for (const s of [50, 51, 100, 9000]) await assertRejected(withShortfall(set, s));
    });

    it("the largest provable shortfall for several sizes and accuracies", async () => {
      for (const n of [1, 2, 14, 15, 16, 100, 225, 226, 255, 256]) {
        for (const correct of new Set([0, Math.floor((n * 9000 - 1) / 10000), Math.floor(n / 3)])) {
          const set = testSet(n, correct);
          assert.ok(set.fields.shortfallBps >= 1);
          await assertAccepted(inputOf(set));
          await assertRejected(withShortfall(set, set.fields.shortfallBps + 1));
        }
      }
    });

    it("a shortfall equal to the claim (nothing right under a 100% claim) and the widest fields", async () => {
      const all = testSet(10, 0, { claimedAccuracyBps: 10000 });
      assert.equal(all.fields.shortfallBps, 9999); // s = claim would need 0 > 10,000·0
      await assertAccepted(inputOf(all));
      await assertRejected(withShortfall(all, 10000));
      // The widest context the circuit packs: 16-bit claim and shortfall, 16-bit class count, 128-bit tag.
      const wide = testSet(N, 0, { claimedAccuracyBps: 0xffff, classCount: 0xffff, featureBits: 0xff, featureCount: 0xffffffff, shortfallBps: 0xfffe });
      await assertAccepted(inputOf({ ...wide, tag: (1n << 128n) - 1n }));
    });

    it("predictions that are not valid classes but fit 16 bits, counted as wrong", async () => {
      const set = testSet(10, 5, { shortfallBps: 1 });
      const right = set.labels.findIndex((label, i) => label === set.predictions[i]);
      for (const value of [10, 9999, 65535]) {
        await assertAccepted(inputOf({ ...set, predictions: set.predictions.map((p, i) => (i === right ? value : p)) }));
      }
    });
  });

  describe("rejects", () => {
    it("a forged shortfall: one more than the answers prove, or at or above the claim", async () => {
      const set = testSet(100, 85); // 85% under 90%: at most 499 bps
      assert.equal(set.fields.shortfallBps, 499);
      await assertAccepted(inputOf(set));
      for (const s of [500, 501, 8999, 9000, 9001, 0xffff]) await assertRejected(withShortfall(set, s));
    });

    it("a shortfall of 0, even far below the claim", async () => {
      await assertRejected(withShortfall(testSet(100, 0), 0));
      await assertRejected(withShortfall(testSet(1, 0, { claimedAccuracyBps: 10000 }), 0));
    });

    it("a claim met or exceeded (no shortfall at all)", async () => {
      for (const s of [1, 2]) {
        await assertRejected(withShortfall(testSet(100, 90), s));
        await assertRejected(withShortfall(testSet(100, 100), s));
      }
      await assertRejected(withShortfall(testSet(200, 180), 1)); // exactly 90%
    });

    it("a wrong prediction commitment: altered, for other predictions, another salt, another test set", async () => {
      const set = testSet(120, 30);
      const input = inputOf(set);
      await assertAccepted(input);
      const cp = (over: Partial<{ dataCommitment: bigint; predictions: readonly number[]; salt: bigint }>): string =>
        predictionCommitment({ dataCommitment: BigInt(input.dataCommitment), predictions: set.predictions, salt: set.salt, ...over }).toString();
      await assertRejected({ ...input, predictionCommitment: (BigInt(input.predictionCommitment) + 1n).toString() });
      await assertRejected({ ...input, predictionCommitment: input.dataCommitment });
      // Committed predictions, then proving with other ones (each position, each block).
      for (const i of [0, 14, 15, 119]) {
        const predictions = [...input.predictions];
        predictions[i] = String((Number(predictions[i]) + 1) % 10);
        await assertRejected({ ...input, predictions });
      }
      await assertRejected({ ...input, predictionCommitment: cp({ salt: set.salt + 1n }) });
      await assertRejected({ ...input, predictionCommitment: cp({ dataCommitment: BigInt(input.dataCommitment) + 1n }) });
      await assertRejected({ ...input, predictionCommitment: cp({ predictions: set.predictions.slice(0, 119) }) });
      await assertRejected({ ...input, predictionCommitment: cp({ predictions: [...set.predictions, 0] }) });
    });

    it("a prediction of 2^16 or more, even one that keeps the committed word (lane overflow)", async () => {
      const set = testSet(40, 0);
      const input = inputOf(set);
      // p[i] + 2^16 and p[i + 1] - 1 pack to the same word, so C_P still matches.
      const i = set.predictions.findIndex((_, k) => k < 39 && k % 15 !== 14 && set.predictions[k + 1]! >= 1);
      const predictions = [...input.predictions];
      predictions[i] = String(set.predictions[i]! + 65536);
      predictions[i + 1] = String(set.predictions[i + 1]! - 1);
      const word = (values: readonly string[]): bigint =>
        values.slice(i - (i % 15), i - (i % 15) + 15).reduce((acc, v, j) => acc + BigInt(v) * 2n ** BigInt(16 * j), 0n);
      assert.equal(word(predictions), word(input.predictions));
      await assertRejected({ ...input, predictions });
      // 2^16 alone, 2^40 and a "negative" prediction p - 1, with or without a matching C_P.
      for (const value of [1n << 16n, 1n << 40n, P - 1n]) {
        const alone = [...input.predictions];
        alone[3] = value.toString();
        await assertRejected({ ...input, predictions: alone });
      }
    });

    it("nonzero padding (labels and predictions)", async () => {
      const input = inputOf(testSet(100, 10));
      for (const [which, i] of [["labels", 100], ["predictions", 100], ["labels", 255], ["predictions", 226]] as const) {
        for (const value of ["1", "9", (1n << 16n).toString(), (P - 1n).toString()]) {
          const values = [...input[which]];
          values[i] = value;
          await assertRejected({ ...input, [which]: values });
        }
      }
      // A padding label and prediction that agree (both 1): still nonzero padding.
      await assertRejected({
        ...input,
        labels: input.labels.map((v, i) => (i === 150 ? "1" : v)),
        predictions: input.predictions.map((v, i) => (i === 150 ? "1" : v)),
      });
    });

    it("a label at or above the class count, even when C_D and C_P cover it", async () => {
      const set = testSet(40, 0);
      for (const value of [10 /* = classCount */, 11, 65535]) {
        const labels = set.labels.map((l, i) => (i === 5 ? value : l));
        const dataCommitment = dataCommitmentV2({ ...set, labels });
        const input: RefundCircuitInput = {
          ...inputOf(set),
          labels: inputOf(set).labels.map((v, i) => (i === 5 ? String(value) : v)),
          dataCommitment: dataCommitment.toString(),
          predictionCommitment: predictionCommitment({ dataCommitment, predictions: set.predictions, salt: set.salt }).toString(),
        };
        await assertRejected(input);
      }
      const input = inputOf(set);
      await assertRejected({ ...input, labels: input.labels.map((v, i) => (i === 3 ? (P - 1n).toString() : v)) });
      await assertRejected({ ...input, labels: input.labels.map((v, i) => (i === 3 ? (1n << 16n).toString() : v)) });
    });

    it("a different D, salt or label than the committed ones", async () => {
      const set = testSet(120, 30);
      const input = inputOf(set);
      await assertRejected({ ...input, featuresRoot: (BigInt(input.featuresRoot) ^ 1n).toString() });
      await assertRejected({ ...input, salt: (BigInt(input.salt) + 1n).toString() });
      for (const i of [0, 14, 15, 119]) {
        await assertRejected({ ...input, labels: input.labels.map((v, k) => (k === i ? String((Number(v) + 1) % 10) : v)) });
      }
      // Committing 120 samples and proving 119 of them.
      const shorter = { ...set, labels: set.labels.slice(0, 119), predictions: set.predictions.slice(0, 119), fields: { ...set.fields, sampleCount: 119 } };
      await assertRejected({ ...inputOf(shorter), dataCommitment: input.dataCommitment });
    });

    it("a context that is not the one the private fields pack", async () => {
      const set = testSet(100, 50);
      const input = inputOf(set);
      const other = (fields: Partial<DisputeContextV2Fields>, tag = set.tag): RefundCircuitInput => ({
        ...input,
        context: packDisputeContextV2({ ...set.fields, ...fields }, tag).toString(),
      });
      await assertRejected(other({}, set.tag ^ 1n));
      await assertRejected(other({ claimedAccuracyBps: 9001 }));
      await assertRejected(other({ sampleCount: 101 }));
      await assertRejected(other({ classCount: 11 }));
      await assertRejected(other({ featureCount: 785 }));
      await assertRejected(other({ featureBits: 9 }));
      await assertRejected(other({ shortfallBps: set.fields.shortfallBps - 1 }));
      await assertRejected(other({ shortfallBps: set.fields.shortfallBps + 1 }));
      // A private field out of its width, packed so the sum still matches: the tag borrowing
      // from the shortfall (tag + 2^128, shortfall - 1).
      await assertRejected({
        ...input,
        tag: (BigInt(input.tag) + (1n << 128n)).toString(),
        shortfallBps: String(Number(input.shortfallBps) - 1),
      });
      await assertRejected({
        ...input,
        claimedAccuracyBps: (BigInt(input.claimedAccuracyBps) + (1n << 16n)).toString(),
        sampleCount: String(BigInt(input.sampleCount) - 1n),
      });
    });

    it("n = 0, n > N, and a class count of 0 or 1", async () => {
      const set = testSet(1, 0);
      const input = inputOf(set);
      await assertRejected({
        ...input,
        sampleCount: "0",
        labels: input.labels.map(() => "0"),
        predictions: input.predictions.map(() => "0"),
        context: packDisputeContextV2({ ...set.fields, sampleCount: 0 }, set.tag).toString(),
      });
      const big = testSet(N + 1, 0);
      const bigInput = refundCircuitInput(
        { ...big, labels: big.labels.slice(0, N), predictions: big.predictions.slice(0, N), fields: { ...big.fields, sampleCount: N } },
        N,
      );
      const cd = dataCommitmentV2(big);
      await assertRejected({
        ...bigInput,
        sampleCount: String(N + 1),
        context: packDisputeContextV2(big.fields, big.tag).toString(),
        dataCommitment: cd.toString(),
        predictionCommitment: predictionCommitment({ dataCommitment: cd, predictions: big.predictions, salt: big.salt }).toString(),
      });
      const two = testSet(10, 0, { classCount: 2 });
      const twoInput = inputOf({ ...two, labels: two.labels.map(() => 0), predictions: two.labels.map(() => 1) });
      await assertAccepted(twoInput);
      for (const classCount of [0, 1]) {
        await assertRejected({
          ...twoInput,
          classCount: String(classCount),
          context: packDisputeContextV2({ ...two.fields, classCount }, two.tag).toString(),
        });
      }
    });
  });

  describe("forged witnesses", () => {
    it("a larger shortfall or another prediction commitment edited into a valid witness's public signals", async () => {
      const set = testSet(100, 85);
      const w = await assertAccepted(inputOf(set));
      const bigger = [...w];
      bigger[1] = packDisputeContextV2({ ...set.fields, shortfallBps: 1000 }, set.tag);
      assert.ok(firstViolated(r1cs, bigger) >= 0);
      const otherCp = [...w];
      otherCp[3] = (w[3]! + 1n) % P;
      assert.ok(firstViolated(r1cs, otherCp) >= 0);
    });

    it("a prediction changed after the count (wire and IsEqual difference both edited)", async () => {
      const set = testSet(100, 20);
      const w = await assertAccepted(inputOf(set));
      const wrong = set.labels.findIndex((label, i) => label !== set.predictions[i]);
      const forged = [...w];
      forged[wire(`main.predictions[${wrong}]`)] = BigInt(set.labels[wrong]!);
      const isz = symbols.get(`${isEqual()}[${wrong}].isz.in`);
      if (isz !== undefined && isz >= 0) forged[isz] = 0n;
      assert.ok(firstViolated(r1cs, forged) >= 0);
    });

    it("a lowered count: right answers kept marked wrong", async () => {
      const set = testSet(100, 85);
      const w = await assertAccepted(inputOf(set));
      const forged = [...w];
      forged[wire("main.correct")] = w[wire("main.correct")]! - 10n;
      assert.ok(firstViolated(r1cs, forged) >= 0);
    });

    it("a mask that is not a prefix, or longer than n", async () => {
      const w = await assertAccepted(inputOf(testSet(100, 0)));
      const holes = [...w];
      holes[wire("main.active[50]")] = 0n;
      holes[wire("main.active[100]")] = 1n;
      assert.ok(firstViolated(r1cs, holes) >= 0);
      const longer = [...w];
      longer[wire("main.active[100]")] = 1n;
      assert.ok(firstViolated(r1cs, longer) >= 0);
    });

    it("changing any single wire breaks a constraint (no free wire but IsZero's inverse of 0)", async () => {
      const set = testSet(200, 30);
      const w = await assertAccepted(inputOf(set));
      const byWire = constraintsByWire(r1cs);
      const names = new Map([...symbols].filter(([, index]) => index >= 0).map(([name, index]) => [index, name]));
      const free: string[] = [];
      for (let k = 1; k < w.length; k++) {
        const original = w[k]!;
        w[k] = (original + 1n) % P;
        if (byWire[k]!.every((c) => satisfies(r1cs.constraints[c]!, w))) free.push(names.get(k) ?? `wire ${k}`);
        w[k] = original;
      }
      assert.ok(free.every((name) => /\.isz\.inv$/.test(name)), `free wires: ${free.slice(0, 5).join(", ")}`);
      assert.equal(free.length, 30 + (N - 200));
    });
  });
});
