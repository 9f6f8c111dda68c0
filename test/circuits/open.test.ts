/**
 * The Open circuit Open(N, 16) (circuits/open.circom, with commitmentsV2.circom,
 * contextV2.circom, laneChain.circom, poseidonChain.circom and prefixMask.circom) at the
 * witness level, for N = 256, as docs/DISPUTES.md §5.2 states it: agreement with the SDK
 * (openCircuitInput.ts, challengeIndices.ts), and everything a dishonest buyer could try when
 * opening: a wrong index, an index at or above n, a swapped (label, prediction) pair, the pair
 * of another sample, a wrong C_P or C_D, nonzero slots past k_eff or a wrong k_eff, lane
 * overflows, and forged witnesses edited in the witness vector. The circuit is compiled once
 * and cached in circuits/build/ (scripts/zk/compile.ts).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as snarkjs from "snarkjs";
import { encodeAbiParameters, keccak256 } from "viem";
import { CIRCUITS_DIR, OPEN_SLOTS as COMPILE_OPEN_SLOTS, compileCircuit, mainSource, parseVariant, publicSignalCount, variantKey, verifierContract, type CircuitVariant, type CompiledCircuit } from "../../scripts/zk/compile.ts";
import {
  INDEX_BITS,
  INDICES_PER_WORD,
  OPEN_SLOTS,
  PAIRS_PER_WORD,
  PAIR_BITS,
  challengeIndices,
  dataCommitmentV2,
  openCircuitInput,
  openPublicSignals,
  openedSamples,
  packDisputeContextV2,
  packLanes,
  packPair,
  predictionCommitment,
  type OpenCircuitInput,
  type OpenWitnessSource,
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
  stopSnarkjsCurve,
  witnessChecks,
  type R1cs,
  type WitnessCalculator,
} from "../helpers/zk.ts";

const N = 256;
const VARIANT: CircuitVariant = { size: N, statement: "open" };
const WORDS = Math.ceil(N / PAIRS_PER_WORD);

const { randInt, randBits, randField } = seededField(20261211);
const seedOf = (s: number): `0x${string}` => keccak256(encodeAbiParameters([{ type: "uint256" }], [BigInt(s)]));

/** A test set of n samples (10 classes) and the indices of a contest drawn from `seed`. */
function testSet(n: number, seed = randInt(1 << 30)): OpenWitnessSource {
  const labels = Array.from({ length: n }, () => randInt(10));
  const predictions = Array.from({ length: n }, () => randInt(10));
  return {
    labels,
    predictions,
    featuresRoot: randField(),
    salt: randField(),
    fields: { claimedAccuracyBps: 9000, sampleCount: n, classCount: 10, featureBits: 8, featureCount: 4, shortfallBps: 100 },
    tag: randBits(128),
    indices: challengeIndices(seedOf(seed), n),
  };
}

/** Public index words from raw lanes: 16 slots then k_eff (no bounds checked: for forgeries). */
const rawIndices = (slots: readonly number[], kEff: number): string[] =>
  packLanes([...slots, ...Array<number>(OPEN_SLOTS - slots.length).fill(0), kEff], INDEX_BITS, INDICES_PER_WORD).map(String);
/** Public pair words from raw 32-bit lanes (one per slot). */
const rawPairs = (lanes: readonly number[]): string[] =>
  packLanes([...lanes, ...Array<number>(OPEN_SLOTS - lanes.length).fill(0)], PAIR_BITS, PAIRS_PER_WORD).map(String);

describe("Open circuit (N = 256, K = 16)", () => {
  const checks = witnessChecks<OpenCircuitInput>();
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
  const inputOf = (source: OpenWitnessSource): OpenCircuitInput => openCircuitInput(source, N);
  /** Slot t's pair lane as the SDK opens it. */
  const pairLanes = (source: OpenWitnessSource): number[] => openedSamples(source).map(({ label, prediction }) => Number(packPair(label, prediction)));

  describe("shape", () => {
    it("compiles without warnings and reports its size", () => {
      assert.equal(circuit.constraints, r1cs.constraints.length);
      assert.ok(circuit.constraints < 2 ** 15, `${circuit.constraints} constraints`);
      console.log(`      open_${N}: ${circuit.constraints} constraints, ${circuit.wires} wires`);
    });

    it("has exactly the 9 public signals [context, C_D, C_P, indices[2], D, openedPairs[3]], in that order", async () => {
      assert.equal(r1cs.nPubOut, 0);
      assert.equal(r1cs.nPubIn, 9);
      assert.equal(publicSignalCount(VARIANT), 9);
      const input = inputOf(testSet(50));
      const w = await assertAccepted(input);
      assert.deepEqual(w.slice(1, 10), openPublicSignals(input));
      const names = ["context", "dataCommitment", "predictionCommitment", "indices[0]", "indices[1]", "featuresRoot", "openedPairs[0]", "openedPairs[1]", "openedPairs[2]"];
      names.forEach((name, i) => assert.equal(symbols.get(`main.${name}`), i + 1, name));
    });

    it("uses the SDK's lane layout and K, and compile.ts names it open_<N>", () => {
      const file = join(CIRCUITS_DIR, "open.circom");
      assert.equal(circuitConstant(file, "OPEN_INDEX_BITS"), BigInt(INDEX_BITS));
      assert.equal(circuitConstant(file, "OPEN_INDICES_PER_WORD"), BigInt(INDICES_PER_WORD));
      assert.equal(circuitConstant(file, "OPEN_PAIR_BITS"), BigInt(PAIR_BITS));
      assert.equal(circuitConstant(file, "OPEN_PAIRS_PER_WORD"), BigInt(PAIRS_PER_WORD));
      assert.equal(COMPILE_OPEN_SLOTS, OPEN_SLOTS);
      for (const size of [256, 1024]) {
        assert.equal(readFileSync(join(CIRCUITS_DIR, `open_${size}.circom`), "utf8"), mainSource({ size, statement: "open" }));
        assert.deepEqual(parseVariant(`open_${size}`), { size, statement: "open" });
        assert.equal(variantKey({ size, statement: "open" }), `open_${size}`);
        assert.equal(verifierContract({ size, statement: "open" }), `OpenVerifier${size}`);
      }
      assert.equal(circuit.name, "open_256");
      assert.throws(() => parseVariant("open_x"), /or open_<N>/);
      assert.throws(() => compileCircuit({ size: 2 ** 16, statement: "open" }), /at most 65529 samples/);
      assert.equal(variantKey(parseVariant("refund_256")), "refund_256");
      assert.equal(publicSignalCount({ size: 256, statement: "refund" }), 3);
      assert.throws(() => parseVariant("256"), /a circuit is refund_<N> or open_<N>/);
    });

    it("agrees with snarkjs: wtns calculate and check, and refuses a forged witness", async () => {
      const input = inputOf(testSet(120));
      const wtns = { type: "mem" as const };
      await snarkjs.wtns.calculate(input, circuit.wasm, wtns);
      assert.deepEqual(await snarkjs.wtns.exportJson(wtns), await strict.calculateWitness(input, true));
      assert.equal(await snarkjs.wtns.check(circuit.r1cs, wtns, QUIET), true);
      const forged = await lenient.calculateWitness({ ...input, openedPairs: [String(BigInt(input.openedPairs[0]!) ^ 1n), ...input.openedPairs.slice(1)] }, true);
      const bad = await forgedWtns(input, circuit.wasm, forged);
      assert.equal(await snarkjs.wtns.check(circuit.r1cs, bad, QUIET), false);
    });
  });

  describe("agrees with the SDK (the TS reference)", () => {
    it("public signals, k_eff and each slot's index and pair, for n = 1 .. N (n < 16 included)", async () => {
      for (const n of [1, 2, 5, 15, 16, 17, 100, 225, 226, 256]) {
        const set = testSet(n);
        const input = inputOf(set);
        const w = await assertAccepted(input);
        const cd = dataCommitmentV2(set);
        assert.equal(w[1], packDisputeContextV2(set.fields, set.tag));
        assert.equal(w[2], cd);
        assert.equal(w[3], predictionCommitment({ dataCommitment: cd, predictions: set.predictions, salt: set.salt }));
        assert.equal(w[wire("main.kEff")], BigInt(Math.min(16, n)));
        // The opened pairs and indices, packed from scratch (slot t: labels[idx_t] + predictions[idx_t]·2^16).
        const pairs = set.indices.map((i) => BigInt(set.labels[i]!) + (BigInt(set.predictions[i]!) << 16n));
        const pairWord = (v: number): bigint => pairs.slice(7 * v, 7 * v + 7).reduce((acc, p, j) => acc + (p << BigInt(32 * j)), 0n);
        assert.deepEqual(w.slice(7, 10), [pairWord(0), pairWord(1), pairWord(2)], `n = ${n}`);
        const lane = (t: number): bigint => (t < set.indices.length ? BigInt(set.indices[t]!) : t === 16 ? BigInt(Math.min(16, n)) : 0n);
        const indexWord = (v: number): bigint => Array.from({ length: 15 }, (_, j) => lane(15 * v + j) << BigInt(16 * j)).reduce((a, b) => a + b, 0n);
        assert.deepEqual(w.slice(4, 6), [indexWord(0), indexWord(1)], `n = ${n}`);
        assert.equal(w[6], set.featuresRoot);
      }
    });

    it("every sample can be opened in every slot: first, last, word and lane boundaries", async () => {
      const set = testSet(N);
      // Indices 0, 6, 7, 13, 14, 15, 100, 251, 252, 254, 255 placed in different slots.
      const picks = [255, 0, 6, 7, 13, 14, 15, 100, 251, 252, 254, 1, 2, 3, 4, 5];
      await assertAccepted(inputOf({ ...set, indices: picks }));
      await assertAccepted(inputOf({ ...set, indices: [...picks].reverse() }));
      const small = testSet(9);
      await assertAccepted(inputOf({ ...small, indices: [8, 7, 6, 5, 4, 3, 2, 1, 0] }));
    });

    it("random contests over random test sets, and 16-bit labels and predictions (not only class indices)", async () => {
      for (let k = 0; k < 6; k++) await assertAccepted(inputOf(testSet(1 + randInt(N))));
      const wide = testSet(40);
      await assertAccepted(inputOf({ ...wide, labels: wide.labels.map((_, i) => (i * 4099) % 65536), predictions: wide.predictions.map((_, i) => 65535 - i) }));
    });

    it("repeated indices open the same pair twice (distinctness is the contract's)", async () => {
      const set = testSet(40);
      await assertAccepted(inputOf({ ...set, indices: Array<number>(16).fill(3) }));
    });
  });

  describe("rejects", () => {
    it("a wrong index: another index with the pairs kept", async () => {
      const set = testSet(100);
      const input = inputOf(set);
      for (const t of [0, 6, 7, 14, 15]) {
        const indices = [...set.indices];
        indices[t] = (indices[t]! + 1 + randInt(98)) % 100;
        if (set.labels[indices[t]!] === set.labels[set.indices[t]!] && set.predictions[indices[t]!] === set.predictions[set.indices[t]!]) continue;
        await assertRejected({ ...input, indices: rawIndices(indices, 16) });
      }
      // Two slots' indices swapped, pairs not.
      const swapped = [...set.indices];
      [swapped[2], swapped[9]] = [swapped[9]!, swapped[2]!];
      if (pairLanes(set)[2] !== pairLanes(set)[9]) await assertRejected({ ...input, indices: rawIndices(swapped, 16) });
    });

    it("an index at or above n, even where the padding's zero pair is claimed", async () => {
      const set = testSet(100);
      const input = inputOf(set);
      const lanes = pairLanes(set);
      for (const bad of [100, 101, 200, 255, 256, 258, 259, 1000, 65535]) {
        const indices = [...set.indices];
        indices[5] = bad;
        const pairs = [...lanes];
        pairs[5] = 0; // what the zero padding holds
        await assertRejected({ ...input, indices: rawIndices(indices, 16), openedPairs: rawPairs(pairs) });
      }
      // n = N: index N (the first lane past the last sample, inside the last pair word).
      const full = testSet(N);
      const fullInput = inputOf(full);
      const indices = [...full.indices];
      indices[15] = N;
      const pairs = pairLanes(full);
      pairs[15] = 0;
      await assertRejected({ ...fullInput, indices: rawIndices(indices, 16), openedPairs: rawPairs(pairs) });
    });

    it("a swapped pair (prediction as label), and pairs moved between slots", async () => {
      const set = testSet(100);
      set.predictions = set.predictions.map((p, i) => (set.labels[i] === p ? (p + 1) % 10 : p));
      const input = inputOf(set);
      const lanes = pairLanes(set);
      for (const t of [0, 7, 15]) {
        const pairs = [...lanes];
        const index = set.indices[t]!;
        pairs[t] = Number(packPair(set.predictions[index]!, set.labels[index]!));
        await assertRejected({ ...input, openedPairs: rawPairs(pairs) });
      }
      const moved = [...lanes];
      [moved[1], moved[12]] = [moved[12]!, moved[1]!];
      if (moved[1] !== moved[12]) await assertRejected({ ...input, openedPairs: rawPairs(moved) });
    });

    it("the pair of another sample, its label or prediction alone, or a changed one", async () => {
      const set = testSet(100);
      const input = inputOf(set);
      const lanes = pairLanes(set);
      const t = 4;
      const index = set.indices[t]!;
      const other = set.labels.findIndex((l, i) => i !== index && (l !== set.labels[index] || set.predictions[i] !== set.predictions[index]));
      for (const pair of [
        packPair(set.labels[other]!, set.predictions[other]!),
        packPair(set.labels[other]!, set.predictions[index]!),
        packPair(set.labels[index]!, (set.predictions[index]! + 1) % 10),
        packPair((set.labels[index]! + 1) % 10, set.predictions[index]!),
        0n,
      ]) {
        const pairs = [...lanes];
        pairs[t] = Number(pair);
        await assertRejected({ ...input, openedPairs: rawPairs(pairs) });
      }
    });

    it("a wrong C_P or C_D: altered, other predictions or labels, another salt or D", async () => {
      const set = testSet(120);
      const input = inputOf(set);
      const cd = BigInt(input.dataCommitment);
      await assertRejected({ ...input, predictionCommitment: String(BigInt(input.predictionCommitment) + 1n) });
      await assertRejected({ ...input, dataCommitment: String(cd + 1n) });
      await assertRejected({ ...input, predictionCommitment: input.dataCommitment });
      const otherPredictions = set.predictions.map((p, i) => (i === 77 ? (p + 1) % 10 : p));
      await assertRejected({ ...input, predictionCommitment: String(predictionCommitment({ dataCommitment: cd, predictions: otherPredictions, salt: set.salt })) });
      await assertRejected({ ...input, predictionCommitment: String(predictionCommitment({ dataCommitment: cd, predictions: set.predictions, salt: set.salt + 1n })) });
      await assertRejected({ ...input, dataCommitment: String(dataCommitmentV2({ ...set, labels: set.labels.map((l, i) => (i === 3 ? (l + 1) % 10 : l)) })) });
      await assertRejected({ ...input, featuresRoot: String(BigInt(input.featuresRoot) ^ 1n) });
      await assertRejected({ ...input, salt: String(set.salt + 1n) });
      // Opening committed data with other private predictions or labels (an unopened sample).
      const unopened = Array.from({ length: 120 }, (_, i) => i).find((i) => !set.indices.includes(i))!;
      await assertRejected({ ...input, predictions: input.predictions.map((v, i) => (i === unopened ? String((Number(v) + 1) % 10) : v)) });
      await assertRejected({ ...input, labels: input.labels.map((v, i) => (i === unopened ? String((Number(v) + 1) % 10) : v)) });
    });

    it("k_eff < 16: a nonzero index or pair in a padding slot, or a wrong k_eff", async () => {
      const set = testSet(5);
      const input = inputOf(set);
      const lanes = pairLanes(set);
      await assertAccepted(input);
      for (const t of [5, 9, 15]) {
        const indices = [...set.indices, ...Array<number>(11).fill(0)];
        indices[t] = 1;
        await assertRejected({ ...input, indices: rawIndices(indices, 5) });
        const pairs = [...lanes, ...Array<number>(11).fill(0)];
        pairs[t] = lanes[0]!;
        await assertRejected({ ...input, openedPairs: rawPairs(pairs) });
      }
      // A sixth slot "opening" sample 0 with its real pair and k_eff = 6: n = 5 opens 5.
      await assertRejected({ ...input, indices: rawIndices([...set.indices, 0], 6), openedPairs: rawPairs([...lanes, lanes[set.indices.indexOf(0)]!]) });
      // Fewer slots than k_eff: the last one dropped, with k_eff 4 or 5.
      await assertRejected({ ...input, indices: rawIndices(set.indices.slice(0, 4), 4), openedPairs: rawPairs(lanes.slice(0, 4)) });
      await assertRejected({ ...input, indices: rawIndices(set.indices.slice(0, 4), 5), openedPairs: rawPairs(lanes.slice(0, 4)) });
      // n >= 16 opens 16: 15 slots and k_eff = 15 refused.
      const big = testSet(100);
      const bigInput = inputOf(big);
      await assertRejected({ ...bigInput, indices: rawIndices(big.indices.slice(0, 15), 15), openedPairs: rawPairs(pairLanes(big).slice(0, 15)) });
      await assertRejected({ ...bigInput, indices: rawIndices(big.indices, 17) });
      // n = 16 exactly: k_eff = 16.
      const sixteen = testSet(16);
      await assertAccepted(inputOf(sixteen));
      await assertRejected({ ...inputOf(sixteen), indices: rawIndices(sixteen.indices.slice(0, 15), 15), openedPairs: rawPairs(pairLanes(sixteen).slice(0, 15)) });
    });

    it("a context that is not the private fields' (n in particular), n = 0 and n > N", async () => {
      const set = testSet(100);
      const input = inputOf(set);
      await assertRejected({ ...input, context: packDisputeContextV2({ ...set.fields, sampleCount: 101 }, set.tag).toString() });
      await assertRejected({ ...input, context: packDisputeContextV2(set.fields, set.tag ^ 1n).toString() });
      await assertRejected({ ...input, sampleCount: "101", context: packDisputeContextV2({ ...set.fields, sampleCount: 101 }, set.tag).toString() });
      // Claiming n = 120 (so indices up to 119 pass) for a set committed with 100.
      await assertRejected({ ...input, sampleCount: "120", context: packDisputeContextV2({ ...set.fields, sampleCount: 120 }, set.tag).toString() });
      const zero = { ...input, sampleCount: "0", context: packDisputeContextV2({ ...set.fields, sampleCount: 0 }, set.tag).toString() };
      await assertRejected({ ...zero, labels: input.labels.map(() => "0"), predictions: input.predictions.map(() => "0"), indices: rawIndices([], 0), openedPairs: rawPairs([]) });
    });

    it("a label or prediction of 2^16 or more, even one that keeps the committed word (lane overflow)", async () => {
      const set = testSet(40);
      const input = inputOf(set);
      const i = set.predictions.findIndex((_, k) => k < 39 && k % 15 !== 14 && set.predictions[k + 1]! >= 1);
      const predictions = [...input.predictions];
      predictions[i] = String(set.predictions[i]! + 65536);
      predictions[i + 1] = String(set.predictions[i + 1]! - 1);
      await assertRejected({ ...input, predictions });
      for (const value of [1n << 16n, P - 1n]) {
        await assertRejected({ ...input, labels: input.labels.map((v, k) => (k === 3 ? value.toString() : v)) });
        await assertRejected({ ...input, predictions: input.predictions.map((v, k) => (k === 3 ? value.toString() : v)) });
      }
    });

    it("nonzero padding", async () => {
      const input = inputOf(testSet(100));
      for (const which of ["labels", "predictions"] as const) {
        for (const i of [100, 199, 255]) {
          await assertRejected({ ...input, [which]: input[which].map((v, k) => (k === i ? "1" : v)) });
        }
      }
    });
  });

  describe("forged witnesses", () => {
    it("another sample picked by editing the selectors, the picked word, its lanes and the pair", async () => {
      const set = testSet(N);
      const w = await assertAccepted(inputOf(set));
      // --O2 substitutes each one-hot's last entry (the sum is linear): pick kept wires.
      const kept = (i: number): boolean => i % 7 < 6 && Math.floor(i / 7) < WORDS - 1;
      const t = set.indices.findIndex(kept);
      const index = set.indices[t]!;
      const other = [9, 10, 16, 30].map((d) => (index + d) % N).find((i) => kept(i) && i % 7 !== index % 7)!; // another word and lane
      const forged = [...w];
      forged[wire(`main.wordSel[${t}][${Math.floor(index / 7)}]`)] = 0n;
      forged[wire(`main.wordSel[${t}][${Math.floor(other / 7)}]`)] = 1n;
      forged[wire(`main.laneSel[${t}][${index % 7}]`)] = 0n;
      forged[wire(`main.laneSel[${t}][${other % 7}]`)] = 1n;
      assert.ok(firstViolated(r1cs, forged) >= 0, "the packed public index no longer matches");
    });

    it("a lane overflow inside the picked word (lane + 2^32, next lane - 1)", async () => {
      const set = testSet(N);
      const w = await assertAccepted(inputOf(set));
      // Lane 6 is substituted away by --O2 (the recomposition is linear): edit lanes <= 5.
      const t = set.indices.findIndex((i) => i % 7 < 5 && set.labels[i + 1]! + set.predictions[i + 1]! > 0);
      const lane = set.indices[t]! % 7;
      const forged = [...w];
      forged[wire(`main.lanes[${t}][${lane}]`)] = w[wire(`main.lanes[${t}][${lane}]`)]! + (1n << 32n);
      forged[wire(`main.lanes[${t}][${lane + 1}]`)] = (w[wire(`main.lanes[${t}][${lane + 1}]`)]! - 1n + P) % P;
      assert.ok(firstViolated(r1cs, forged) >= 0);
    });

    it("a non-binary selector splitting the pick between two words", async () => {
      const set = testSet(N);
      const w = await assertAccepted(inputOf(set));
      const t = 0;
      const word = Math.floor(set.indices[t]! / 7);
      const forged = [...w];
      const half = (P + 1n) / 2n;
      forged[wire(`main.wordSel[${t}][${word}]`)] = half;
      forged[wire(`main.wordSel[${t}][${(word + 1) % WORDS}]`)] = half;
      assert.ok(firstViolated(r1cs, forged) >= 0);
    });

    it("changing any single wire breaks a constraint (no free wire)", async () => {
      const w = await assertAccepted(inputOf(testSet(200)));
      const byWire = constraintsByWire(r1cs);
      const names = new Map([...symbols].filter(([, index]) => index >= 0).map(([name, index]) => [index, name]));
      const free: string[] = [];
      for (let k = 1; k < w.length; k++) {
        const original = w[k]!;
        w[k] = (original + 1n) % P;
        if (byWire[k]!.every((c) => satisfies(r1cs.constraints[c]!, w))) free.push(names.get(k) ?? `wire ${k}`);
        w[k] = original;
      }
      assert.deepEqual(free, []);
    });
  });
});
