/**
 * The feature dispute circuit (circuits/disputeWithFeatures.circom and featuresDigest.circom,
 * main dispute_256_f8.circom: N = 256 samples of F = 8 features) at the witness level: it
 * recomputes the SDK's featuresDigest (sdk/src/testDrives/featuresDigest.ts) and so accepts the
 * same dataCommitment the buyer posted, and it refuses, in circom's asserts and in the R1CS
 * itself, every feature above the listing's range, every nonzero padding feature, a digest
 * that does not match the features, and shapes it cannot check (featureCount > F, featureBits
 * > 16), even when the commitment is made to cover the bad values. Forged witnesses are made by
 * editing a valid witness vector. The label and accuracy logic it shares with dispute.circom is
 * tested in dispute.test.ts.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { poseidon16 } from "poseidon-lite/poseidon16";
import { poseidon4 } from "poseidon-lite/poseidon4";
import { CIRCUITS_DIR, compileCircuit, mainSource, type CompiledCircuit } from "../../scripts/zk/compile.ts";
import { requiredPower } from "../../scripts/zk/setup.ts";
import {
  FEATURES_DIGEST_DOMAIN,
  NARROW_LANE_BITS,
  dataCommitment,
  featureCircuitInput,
  featureLanes,
  featuresDigest,
  featuresDigestChain,
  packDisputeContext,
  type DisputeContextFields,
  type FeatureDisputeCircuitInput,
  type FeatureWitnessSource,
} from "../../sdk/src/index.ts";
import {
  P,
  circuitConstant,
  constraintsByWire,
  firstViolated,
  satisfies,
  seededField,
  signalPrefix,
  witnessChecks,
  type R1cs,
} from "../helpers/zk.ts";

const N = 256;
const F = 8;

const { randInt } = seededField(8);

/** A test set of n samples with `featureCount` random features of `featureBits` bits, 0 of n right. */
function testSet(n: number, featureCount = 4, featureBits = 12): FeatureWitnessSource {
  const fields: DisputeContextFields = { claimedAccuracyBps: 9000, sampleCount: n, classCount: 3, featureBits, featureCount };
  const labels = Array.from({ length: n }, () => randInt(3));
  return {
    features: labels.map(() => Array.from({ length: featureCount }, () => randInt(2 ** featureBits))),
    labels,
    predictions: labels.map((l) => (l + 1) % 3),
    salt: BigInt(randInt(2 ** 48)),
    fields,
    tag: BigInt(randInt(2 ** 48)),
  };
}

/**
 * The digest computed without any range check, for rows of at most 15 lanes: what a cheating
 * buyer would commit to for out-of-range features (the SDK refuses to).
 */
function uncheckedDigest(rows: readonly (readonly bigint[])[], n: number, featureCount: number, featureBits: number): bigint {
  let h = poseidon4([FEATURES_DIGEST_DOMAIN, BigInt(n), BigInt(featureCount), BigInt(featureBits)]);
  const words = rows.map((row) => row.reduce((word, v, f) => (word + v * (1n << BigInt(16 * f))) % P, 0n));
  for (let at = 0; at < words.length; at += 15) {
    const block = words.slice(at, at + 15);
    while (block.length < 15) block.push(0n);
    h = poseidon16([h, ...block]);
  }
  return h;
}

describe("feature dispute circuit (N = 256, F = 8)", () => {
  const checks = witnessChecks<FeatureDisputeCircuitInput>();
  let circuit: CompiledCircuit;
  let r1cs: R1cs;
  let symbols: Map<string, number>;

  before(async () => {
    circuit = compileCircuit({ size: N, features: F });
    ({ r1cs, symbols } = await checks.load(circuit));
  });

  const { wire, assertAccepted, assertRejected } = checks;

  const inputOf = (source: FeatureWitnessSource): FeatureDisputeCircuitInput => featureCircuitInput(source, N, F);

  /**
   * `input` with feature (i, f) set to `value` and the commitment recomputed to cover it, as a
   * buyer who committed to those values would: only the circuit's range checks stand in the way.
   */
  function withFeature(source: FeatureWitnessSource, i: number, f: number, value: bigint, committed = true): FeatureDisputeCircuitInput {
    const input = inputOf(source);
    const features = [...input.features];
    features[i * F + f] = value.toString();
    if (!committed) return { ...input, features };
    const { sampleCount: n, featureCount, featureBits } = source.fields;
    // The rows the chain reaches: every block up to the one holding sample n - 1, or sample i.
    const blocks = Math.ceil(n / 15);
    const rows = Array.from({ length: blocks * 15 }, (_, r) => Array.from({ length: F }, (_, c) => BigInt(features[r * F + c] ?? "0")));
    const digest = uncheckedDigest(rows.slice(0, Math.min(rows.length, Math.max(n, 1))), n, featureCount, featureBits);
    const commitment = dataCommitment({ featuresDigest: digest, labels: source.labels, salt: source.salt });
    return { ...input, features, dataCommitment: commitment.toString() };
  }

  describe("shape", () => {
    it("compiles without warnings and fits the cached 2^16 powers of tau", () => {
      assert.equal(circuit.constraints, r1cs.constraints.length);
      assert.ok(requiredPower(circuit) <= 16, `${circuit.constraints} constraints need 2^${requiredPower(circuit)}`);
      console.log(`      dispute_${N}_f${F}: ${circuit.constraints} constraints, ${circuit.wires} wires`);
    });

    it("has exactly the public signals [context, dataCommitment], in that order", async () => {
      assert.equal(r1cs.nPubOut, 0);
      assert.equal(r1cs.nPubIn, 2);
      assert.equal(wire("main.context"), 1);
      assert.equal(wire("main.dataCommitment"), 2);
    });

    it("shares its constants with the SDK, and checks in the main component compile.ts generates", () => {
      const file = join(CIRCUITS_DIR, "featuresDigest.circom");
      assert.equal(circuitConstant(file, "FEATURES_DIGEST_DOMAIN"), FEATURES_DIGEST_DOMAIN);
      assert.equal(circuitConstant(file, "FEATURE_LANE_BITS"), BigInt(NARROW_LANE_BITS));
      assert.equal(circuitConstant(file, "FEATURE_LANES_PER_WORD"), BigInt(featureLanes(NARROW_LANE_BITS).lanesPerWord));
      assert.ok(F <= featureLanes(NARROW_LANE_BITS).lanesPerWord, "a sample is one packed word");
      assert.equal(readFileSync(join(CIRCUITS_DIR, `dispute_${N}_f${F}.circom`), "utf8"), mainSource({ size: N, features: F }));
    });
  });

  describe("accepts, and agrees with the SDK", () => {
    it("the SDK's digest and commitment, for every feature count and width at their extremes", async () => {
      const digestPrefix = signalPrefix(symbols, /^(main\.\S*FeaturesDigest_\d+_\d+\.PoseidonChain_\d+_\d+)\.h\[1\]$/);
      for (const [n, featureCount, featureBits] of [[1, 1, 1], [15, 8, 16], [16, 4, 12], [100, 7, 3], [N, 8, 16]] as const) {
        const set = testSet(n, featureCount, featureBits);
        if (n === N) set.features = set.features.map((row) => row.map(() => 2 ** featureBits - 1)); // the top of the range
        const w = await assertAccepted(inputOf(set));
        const digest = featuresDigest(set.features, set.fields);
        assert.equal(w[2], dataCommitment({ featuresDigest: digest, labels: set.labels, salt: set.salt }), `n = ${n}`);
        const chain = featuresDigestChain(set.features, set.fields);
        // (h[0] is substituted away by --O2.)
        chain.slice(1).forEach((h, b) => assert.equal(w[wire(`${digestPrefix}.h[${b + 1}]`)], h, `digest chain state ${b + 1} for n = ${n}`));
      }
    });

    it("the context the SDK packs", async () => {
      const set = testSet(40, 8, 16);
      const w = await assertAccepted(inputOf(set));
      assert.equal(w[1], packDisputeContext(set.fields, set.tag));
    });
  });

  describe("rejects", () => {
    it("a feature above the declared range, even when the commitment covers it", async () => {
      const set = testSet(30, 4, 12);
      await assertAccepted(withFeature(set, 7, 2, 4095n)); // the top of the range, committed
      for (const value of [4096n /* 2^featureBits */, 1n << 15n, 1n << 16n /* does not fit a lane */, P - 1n]) {
        await assertRejected(withFeature(set, 7, 2, value));
      }
      // At 16 bits the lane itself is the bound.
      const wide = testSet(20, 8, 16);
      await assertAccepted(withFeature(wide, 19, 7, 65535n));
      await assertRejected(withFeature(wide, 19, 7, 65536n));
    });

    it("a nonzero padding feature: a column past featureCount, a sample past n", async () => {
      const set = testSet(30, 4, 12);
      for (const [i, f] of [[0, 4], [29, 7], [30, 0], [44, 3], [255, 7]] as const) {
        for (const value of [1n, 4095n, P - 1n]) await assertRejected(withFeature(set, i, f, value));
      }
    });

    it("a features digest that does not match the features (another feature, the commitment kept)", async () => {
      const set = testSet(50, 4, 12);
      const input = inputOf(set);
      await assertAccepted(input);
      for (const [i, f] of [[0, 0], [49, 3], [17, 1]] as const) {
        const value = (Number(input.features[i * F + f]) + 1) % 4096;
        await assertRejected(withFeature(set, i, f, BigInt(value), false));
      }
      // The commitment of a digest-only input of the same labels and salt with another digest.
      const other = dataCommitment({ featuresDigest: featuresDigest(set.features, set.fields) + 1n, labels: set.labels, salt: set.salt });
      await assertRejected({ ...input, dataCommitment: other.toString() });
    });

    it("a listing the circuit cannot check: more than F features, wider than 16 bits, or 0 bits", async () => {
      const set = testSet(10, 8, 12);
      const input = inputOf(set);
      for (const change of [{ featureCount: F + 1 }, { featureBits: 17 }, { featureBits: 0 }]) {
        const fields = { ...set.fields, ...change };
        const digest = uncheckedDigest(
          set.features.map((row) => row.map(BigInt)),
          10,
          fields.featureCount,
          fields.featureBits,
        );
        await assertRejected({
          ...input,
          featureCount: String(fields.featureCount),
          featureBits: String(fields.featureBits),
          context: packDisputeContext(fields, set.tag).toString(),
          dataCommitment: dataCommitment({ featuresDigest: digest, labels: set.labels, salt: set.salt }).toString(),
        });
      }
    });
  });

  describe("forged witnesses", () => {
    it("a range mask or a column mask longer than the context says", async () => {
      const w = await assertAccepted(inputOf(testSet(20, 4, 12)));
      const prefix = signalPrefix(symbols, /^(main\.\S*FeaturesDigest_\d+_\d+)\.bitAllowed\[0\]$/);
      const bits = [...w];
      bits[wire(`${prefix}.bitAllowed[12]`)] = 1n;
      assert.ok(firstViolated(r1cs, bits) >= 0);
      const columns = [...w];
      columns[wire(`${prefix}.column[4]`)] = 1n;
      assert.ok(firstViolated(r1cs, columns) >= 0);
    });

    it("changing a single wire of the feature checks breaks a constraint", async () => {
      // Every wire of FeaturesDigest and the feature inputs but circomlib's Poseidon internals
      // and the 16 bits of each feature, of which a seeded sample of 1,000 (a scan of all 55k
      // wires is too slow for a test; dispute.test.ts scans every wire of the shared statement).
      const w = await assertAccepted(inputOf(testSet(200, 5, 9)));
      const byWire = constraintsByWire(r1cs);
      const byIndex = new Map<number, string>();
      for (const [name, index] of symbols) {
        if (index > 0 && /^main\.(features\[|\S*FeaturesDigest_)/.test(name) && !/\.(Poseidon|Num2Bits)_/.test(name)) byIndex.set(index, name);
      }
      const entries = [...byIndex].map(([index, name]): [string, number] => [name, index]);
      const isBit = ([name]: [string, number]): boolean => /\.bits\[\d+\]\[\d+\]\[\d+\]$/.test(name);
      const bits = entries.filter(isBit);
      const sampled = [...entries.filter((e) => !isBit(e)), ...Array.from({ length: 1000 }, () => bits[randInt(bits.length)]!)];
      assert.ok(sampled.length > 1000 + 2048, `${sampled.length} wires`); // at least the features and the sampled bits
      const free: string[] = [];
      for (const [name, k] of sampled) {
        const original = w[k]!;
        w[k] = (original + 1n) % P;
        if (byWire[k]!.every((c) => satisfies(r1cs.constraints[c]!, w))) free.push(name);
        w[k] = original;
      }
      assert.deepEqual(free, []);
    });
  });
});
