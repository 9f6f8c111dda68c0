/**
 * The digest-only dispute circuit (circuits/dispute.circom, with poseidonChain.circom and
 * prefixMask.circom) at the witness level, for N = 256: what it
 * accepts, what it rejects (both circom's own asserts and, for the witness an honest
 * computation gives on bad inputs, the R1CS itself), forged witnesses made by editing a valid
 * witness vector, and agreement with the SDK (sdk/src/testDrives/dataCommitment.ts and
 * disputeContext.ts). The circuit is compiled once and cached in circuits/build/ by a hash of
 * its sources (scripts/zk/compile.ts).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as snarkjs from "snarkjs";
import { CIRCUITS_DIR, compileCircuit, mainSource, type CompiledCircuit } from "../../scripts/zk/compile.ts";
import {
  COMMITMENT_DOMAIN,
  LABEL_BITS,
  LABELS_PER_BLOCK,
  LABELS_PER_WORD,
  WORDS_PER_BLOCK,
  commitmentChain,
  correctCount,
  dataCommitment,
  disputeCircuitInput,
  packDisputeContext,
  type DigestDisputeCircuitInput as DisputeCircuitInput,
  type DisputeContextFields,
  type DisputeWitnessSource,
} from "../../sdk/src/index.ts";
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

const { randInt, randBits, randField } = seededField(20261124);

/** A test set of n samples over `classCount` classes whose predictions get exactly `correct` right. */
function testSet(
  n: number,
  correct: number,
  terms: Partial<DisputeContextFields> = {},
): DisputeWitnessSource {
  const fields: DisputeContextFields = {
    claimedAccuracyBps: 9000,
    sampleCount: n,
    classCount: 10,
    featureBits: 8,
    featureCount: 784,
    ...terms,
  };
  const labels = Array.from({ length: n }, () => randInt(fields.classCount));
  const right = new Set<number>();
  while (right.size < correct) right.add(randInt(n));
  const predictions = labels.map((label, i) =>
    right.has(i) ? label : (label + 1 + randInt(fields.classCount - 1)) % fields.classCount,
  );
  return { labels, predictions, featuresDigest: randField(), salt: randField(), fields, tag: randBits(128) };
}

describe("dispute circuit (N = 256)", () => {
  const checks = witnessChecks<DisputeCircuitInput>();
  let circuit: CompiledCircuit;
  let r1cs: R1cs;
  let symbols: Map<string, number>;
  let strict: WitnessCalculator;
  let lenient: WitnessCalculator;

  before(async () => {
    circuit = compileCircuit(N);
    ({ r1cs, symbols, strict, lenient } = await checks.load(circuit));
  });

  after(stopSnarkjsCurve);

  const { wire, assertAccepted, assertRejected } = checks;

  /** The witness the circuit's own computation gives, asserts or not. */
  const computeLenient = (input: DisputeCircuitInput): Promise<bigint[]> => lenient.calculateWitness(input, true);

  /** The generated path of the IsEqual component array, e.g. "main.DisputeStatement_92_4431.IsEqual_126_5972". */
  const isEqual = (): string => signalPrefix(symbols, /^(main\.\S*IsEqual_\d+_\d+)\[0\]\.isz\.inv$/);
  /** The generated path of the label commitment's chain. */
  const chain = (): string => signalPrefix(symbols, /^(main\.\S*PoseidonChain_\d+_\d+)\.h\[1\]$/);

  const inputOf = (source: DisputeWitnessSource): DisputeCircuitInput => disputeCircuitInput(source, N);

  describe("shape", () => {
    it("compiles without warnings and reports its size", () => {
      assert.equal(circuit.constraints, r1cs.constraints.length);
      assert.ok(circuit.constraints < 2 ** 15, `${circuit.constraints} constraints`);
      console.log(`      dispute_${N}: ${circuit.constraints} constraints, ${circuit.wires} wires`);
    });

    it("has exactly the public signals [context, dataCommitment], in that order", async () => {
      assert.equal(r1cs.nPubOut, 0);
      assert.equal(r1cs.nPubIn, 2);
      assert.equal(wire("main.context"), 1);
      assert.equal(wire("main.dataCommitment"), 2);
      const input = inputOf(testSet(100, 10));
      const w = await assertAccepted(input);
      assert.deepEqual([w[1], w[2]], [BigInt(input.context), BigInt(input.dataCommitment)]);
    });

    it("shares its constants with the SDK", () => {
      const constant = (name: string): bigint => circuitConstant(join(CIRCUITS_DIR, "dispute.circom"), name);
      assert.equal(constant("LABEL_BITS"), BigInt(LABEL_BITS));
      assert.equal(constant("LABELS_PER_WORD"), BigInt(LABELS_PER_WORD));
      assert.equal(circuitConstant(join(CIRCUITS_DIR, "poseidonChain.circom"), "WORDS_PER_BLOCK"), BigInt(WORDS_PER_BLOCK));
      assert.equal(constant("COMMITMENT_DOMAIN"), COMMITMENT_DOMAIN);
      assert.ok(LABEL_BITS * LABELS_PER_WORD < 254);
      assert.equal(WORDS_PER_BLOCK + 1, 16, "one block is one Poseidon(16) call with the chain state");
      // The widths of DisputeContext.sol, as the SDK packs them.
      const widths = { BPS_BITS: 16, SAMPLE_COUNT_BITS: 32, CLASS_COUNT_BITS: 16, FEATURE_BITS_BITS: 8, FEATURE_COUNT_BITS: 32, TAG_BITS: 128 };
      for (const [name, bits] of Object.entries(widths)) assert.equal(constant(name), BigInt(bits));
      assert.equal(1n << BigInt(LABEL_BITS), 1n << BigInt(widths.CLASS_COUNT_BITS), "every label below a uint16 classCount fits");
    });

    it("checks in the main component that compile.ts generates", () => {
      assert.equal(readFileSync(join(CIRCUITS_DIR, `dispute_${N}.circom`), "utf8"), mainSource(N));
    });

    it("agrees with snarkjs: wtns calculate, exportJson and check", async () => {
      const input = inputOf(testSet(N, 17));
      const wtns = { type: "mem" as const };
      await snarkjs.wtns.calculate(input, circuit.wasm, wtns);
      const w = await snarkjs.wtns.exportJson(wtns);
      assert.deepEqual(w, await strict.calculateWitness(input, true));
      assert.equal(await snarkjs.wtns.check(circuit.r1cs, wtns, QUIET), true);
      // And snarkjs's checker rejects a forged witness as ours does.
      const forged = await computeLenient({ ...input, salt: (BigInt(input.salt) + 1n).toString() });
      const bad = await forgedWtns(input, circuit.wasm, forged);
      assert.deepEqual(await snarkjs.wtns.exportJson(bad), forged);
      assert.equal(await snarkjs.wtns.check(circuit.r1cs, bad, QUIET), false);
    });
  });

  describe("accepts", () => {
    it("a test set whose accuracy is below the claim, for several sizes", async () => {
      for (const n of [1, 2, 14, 15, 16, 100, 224, 225, 226, 255, 256]) {
        const correct = Math.floor((n * 9000 - 1) / 10000); // the most below 90%
        await assertAccepted(inputOf(testSet(n, correct)));
      }
    });

    it("exactly one correct answer below the boundary, and nothing at it", async () => {
      // n = 200 at a 90% claim: 179 correct is below, 180 is exactly 90%.
      const below = testSet(200, 179);
      await assertAccepted(inputOf(below));
      const at = testSet(200, 180);
      assert.equal(correctCount(at.labels, at.predictions), 180);
      await assertRejected(inputOf(at));
    });

    it("the SDK's commitment for n = 1, 15, N and n not a multiple of 15, with its chain states", async () => {
      for (const n of [1, 7, 15, 29, 30, 31, 224, 225, 226, 250, 256]) {
        const set = testSet(n, 0);
        const w = await assertAccepted(inputOf(set));
        assert.equal(w[2], dataCommitment(set));
        const states = commitmentChain(set);
        assert.equal(states.length, 1 + Math.ceil(n / LABELS_PER_BLOCK));
        // (h[0] is the Poseidon(4) output, substituted away by --O2.)
        states.slice(1).forEach((h, b) => assert.equal(w[wire(`${chain()}.h[${b + 1}]`)], h, `chain state ${b + 1} for n = ${n}`));
      }
    });

    it("the context the SDK packs, for random fields", async () => {
      for (let k = 0; k < 8; k++) {
        const n = 1 + randInt(N);
        const fields: DisputeContextFields = {
          claimedAccuracyBps: 1 + randInt(0xffff),
          sampleCount: n,
          classCount: 2 + randInt(0xfffe),
          featureBits: randInt(0x100),
          featureCount: Number(randBits(32)),
        };
        const set = testSet(n, 0, fields);
        const input = inputOf(set);
        // correct = 0 < claim * n.
        const w = await assertAccepted(input);
        assert.equal(w[1], packDisputeContext(fields, set.tag));
      }
      // The extremes of every field but the sample count.
      const max = { claimedAccuracyBps: 0xffff, classCount: 0xffff, featureBits: 0xff, featureCount: 0xffffffff };
      const set = { ...testSet(N, N - 1, max), tag: (1n << 128n) - 1n };
      await assertAccepted(inputOf(set));
    });
    it("a prediction that is not a valid class, counted as wrong", async () => {
      // 9 of 10 right at a 90% claim is rejected; an out-of-range prediction in place of a
      // wrong one changes nothing, in place of a right one it is one more wrong answer.
      const set = testSet(10, 9);
      await assertRejected(inputOf(set));
      const right = set.labels.findIndex((label, i) => label === set.predictions[i]);
      const wrong = set.labels.findIndex((label, i) => label !== set.predictions[i]);
      for (const value of [10 /* = classCount */, 65535, 1 << 16, 2 ** 40]) {
        const at = (i: number): DisputeWitnessSource => ({ ...set, predictions: set.predictions.map((p, j) => (j === i ? value : p)) });
        await assertRejected(inputOf(at(wrong)));
        await assertAccepted(inputOf(at(right)));
      }
      // Any field element, even p - 1 and one that makes label + prediction = 0 mod p.
      for (const value of [P - 1n, P - BigInt(Math.max(1, set.labels[right]!))]) {
        const input = inputOf(set);
        const predictions = [...input.predictions];
        predictions[right] = value.toString();
        await assertAccepted({ ...input, predictions });
      }
    });
  });

  describe("rejects", () => {
    it("accuracy at or above the claim", async () => {
      await assertRejected(inputOf(testSet(100, 90))); // exactly 90%
      await assertRejected(inputOf(testSet(100, 100)));
      await assertRejected(inputOf(testSet(1, 1, { claimedAccuracyBps: 10000 }))); // 100% claimed, 100% reached
      await assertRejected(inputOf(testSet(50, 0, { claimedAccuracyBps: 0 }))); // nothing is below 0
    });

    it("a different salt, features digest or label than the committed ones", async () => {
      const set = testSet(120, 30);
      const input = inputOf(set);
      await assertAccepted(input);
      await assertRejected({ ...input, salt: (BigInt(input.salt) + 1n).toString() });
      await assertRejected({ ...input, featuresDigest: (BigInt(input.featuresDigest) ^ 1n).toString() });
      for (const i of [0, 14, 15, 119]) {
        const labels = [...input.labels];
        labels[i] = String((Number(labels[i]) + 1) % 10);
        await assertRejected({ ...input, labels });
      }
      // Committing 120 samples and proving 119 of them (the same labels, a shorter set).
      const shorter = { ...set, labels: set.labels.slice(0, 119), predictions: set.predictions.slice(0, 119) };
      const forShorter = inputOf({ ...shorter, fields: { ...set.fields, sampleCount: 119 } });
      await assertRejected({ ...forShorter, dataCommitment: input.dataCommitment });
    });

    it("a label out of range, even when the commitment covers it", async () => {
      const set = testSet(40, 0);
      for (const value of [10 /* = classCount */, 65535, 1 << 16 /* does not fit the 16-bit packing */]) {
        const labels = [...set.labels];
        labels[5] = value;
        const input: DisputeCircuitInput = {
          ...inputOf(set),
          labels: inputOf(set).labels.map((v, i) => (i < 40 ? String(labels[i]) : v)),
        };
        if (value < 1 << 16) input.dataCommitment = dataCommitment({ ...set, labels }).toString();
        await assertRejected(input);
      }
      // A "negative" label, p - 1.
      const input = inputOf(set);
      const labels = [...input.labels];
      labels[3] = (P - 1n).toString();
      await assertRejected({ ...input, labels });
    });

    it("nonzero padding", async () => {
      const input = inputOf(testSet(100, 10));
      for (const [which, i] of [["labels", 100], ["predictions", 100], ["labels", 255], ["predictions", 200]] as const) {
        for (const value of ["1", (1n << 16n).toString(), (P - 1n).toString()]) {
          const values = [...input[which]];
          values[i] = value;
          await assertRejected({ ...input, [which]: values });
        }
      }
      // A padding label and prediction that cancel out (l + p = 0 mod p).
      await assertRejected({
        ...input,
        labels: input.labels.map((v, i) => (i === 150 ? "1" : v)),
        predictions: input.predictions.map((v, i) => (i === 150 ? (P - 1n).toString() : v)),
      });
    });

    it("n = 0 and n > N", async () => {
      const set = testSet(1, 0);
      const input = inputOf(set);
      const zero = { ...set.fields, sampleCount: 0 };
      await assertRejected({
        ...input,
        sampleCount: "0",
        labels: input.labels.map(() => "0"),
        predictions: input.predictions.map(() => "0"),
        context: packDisputeContext(zero, set.tag).toString(),
      });
      // 257 samples committed; the circuit can only hold 256 of them.
      const big = testSet(N + 1, 0);
      const bigInput = disputeCircuitInput(
        { ...big, labels: big.labels.slice(0, N), predictions: big.predictions.slice(0, N), fields: { ...big.fields, sampleCount: N } },
        N,
      );
      await assertRejected({
        ...bigInput,
        sampleCount: String(N + 1),
        context: packDisputeContext(big.fields, big.tag).toString(),
        dataCommitment: dataCommitment(big).toString(),
      });
    });

    it("a context that is not the one the private fields pack (another tag, claim, n, class count)", async () => {
      const set = testSet(100, 50);
      const input = inputOf(set);
      const other = (fields: Partial<DisputeContextFields>, tag = set.tag): DisputeCircuitInput => ({
        ...input,
        context: packDisputeContext({ ...set.fields, ...fields }, tag).toString(),
      });
      await assertRejected(other({}, set.tag ^ 1n));
      await assertRejected(other({ claimedAccuracyBps: 9001 }));
      await assertRejected(other({ sampleCount: 101 }));
      await assertRejected(other({ classCount: 11 }));
      await assertRejected(other({ featureCount: 785 }));
      await assertRejected(other({ featureBits: 9 }));
      // (context + p is the same field element: the on-chain verifier refuses signals >= p.)
      // A private field out of its width, packed so that the sum still matches.
      await assertRejected({
        ...input,
        claimedAccuracyBps: (BigInt(input.claimedAccuracyBps) + (1n << 16n)).toString(),
        sampleCount: String(BigInt(input.sampleCount) - 1n),
      });
    });

    it("a class count of 0 or 1", async () => {
      // With one class every label is 0; a buyer could still answer 1 everywhere.
      const set = testSet(10, 0, { classCount: 2 });
      const input = inputOf({ ...set, labels: set.labels.map(() => 0), predictions: set.labels.map(() => 1) });
      await assertAccepted(input);
      for (const classCount of [0, 1]) {
        const fields = { ...set.fields, classCount };
        await assertRejected({ ...input, classCount: String(classCount), context: packDisputeContext(fields, set.tag).toString() });
      }
      assert.throws(() => inputOf({ ...set, fields: { ...set.fields, classCount: 1 } }), /classCount 1 < 2/);
    });
  });

  describe("forged witnesses", () => {
    // Without a range check, --O2 substitutes predictions[i] away: the wire that carries it is
    // IsEqual's isz.in = predictions[i] - labels[i]. Setting the prediction to x sets that wire.
    const setPrediction = (w: bigint[], i: number, x: bigint): void => {
      w[wire(`${isEqual()}[${i}].isz.in`)] = (((x - w[wire(`main.labels[${i}]`)]!) % P) + P) % P;
    };

    it("the prediction wires are IsEqual's differences", async () => {
      const set = testSet(20, 5);
      const w = await assertAccepted(inputOf(set));
      for (let i = 0; i < N; i++) {
        const expected = i < 20 ? BigInt(set.predictions[i]! - set.labels[i]!) : 0n;
        assert.equal(w[wire(`${isEqual()}[${i}].isz.in`)], ((expected % P) + P) % P);
      }
    });

    it("predictions that differ from the ones the count was made with", async () => {
      const set = testSet(100, 20);
      const w = await assertAccepted(inputOf(set));
      const wrong = set.labels.findIndex((label, i) => label !== set.predictions[i]);
      const forged = [...w];
      setPrediction(forged, wrong, BigInt(set.labels[wrong]!));
      assert.ok(firstViolated(r1cs, forged) >= 0);
    });

    it("a lowered count: right answers kept marked wrong", async () => {
      // A valid witness with 85 of 100 right (below the 90% claim); then the buyer's real
      // predictions turn 10 more right (95%, above the claim) while the count stays at 85.
      const set = testSet(100, 85);
      const w = await assertAccepted(inputOf(set));
      const wrong = set.labels.map((label, i) => (label !== set.predictions[i] ? i : -1)).filter((i) => i >= 0);
      const forged = [...w];
      for (const i of wrong.slice(0, 10)) setPrediction(forged, i, BigInt(set.labels[i]!));
      // The equality check of each of the ten fails: in = 0 forces IsZero's output to 1, not 0.
      const byWire = constraintsByWire(r1cs);
      const equalityFails = (i: number): boolean =>
        byWire[wire(`${isEqual()}[${i}].isz.inv`)]!.some((c) => !satisfies(r1cs.constraints[c]!, forged));
      assert.ok(wrong.slice(0, 10).every(equalityFails));
      // Zeroing IsZero's inverse as well does not help.
      for (const i of wrong.slice(0, 10)) forged[wire(`${isEqual()}[${i}].isz.inv`)] = 0n;
      assert.ok(wrong.slice(0, 10).every(equalityFails));
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
        // Only the constraints wire k appears in can change.
        if (byWire[k]!.every((c) => satisfies(r1cs.constraints[c]!, w))) free.push(names.get(k) ?? `wire ${k}`);
        w[k] = original;
      }
      // IsZero(in) leaves inv free when in = 0, i.e. when label == prediction (the 30 right
      // answers and the 56 padding samples); its output does not depend on inv.
      assert.ok(free.every((name) => /\.isz\.inv$/.test(name)), `free wires: ${free.slice(0, 5).join(", ")}`);
      assert.equal(free.length, 30 + (N - 200));
    });
  });
});
