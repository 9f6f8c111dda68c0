/**
 * The SDK's features digest and everything around it (sdk/src/testDrives/featuresDigest.ts,
 * quantizeFeatures.ts, featureCircuitInput.ts, poseidonChain.ts): the digest against a
 * from-scratch computation with poseidon-lite (the function docs/ZK.md specifies), what it
 * binds (every value, the sample count, the feature count and width), its lane layout, and the
 * errors a buyer sees for values that do not fit the listing. Agreement with the circuit is
 * tested in test/circuits/disputeWithFeatures.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { poseidon16 } from "poseidon-lite/poseidon16";
import { poseidon4 } from "poseidon-lite/poseidon4";
import {
  FEATURES_DIGEST_DOMAIN,
  FeatureRangeError,
  dataCommitment,
  featureCircuitInput,
  featureLanes,
  featuresDigest,
  featuresDigestChain,
  fitsFeatureCircuit,
  quantizeFeature,
  quantizeFeatures,
  type FeatureShape,
  type QuantizedFeatures,
} from "../../sdk/src/index.ts";

/** The digest written out by hand for rows of at most 15 features of at most 16 bits. */
function referenceDigest(features: QuantizedFeatures, shape: FeatureShape): bigint {
  let h = poseidon4([FEATURES_DIGEST_DOMAIN, BigInt(features.length), BigInt(shape.featureCount), BigInt(shape.featureBits)]);
  const rows = features.map((row) => row.reduce((word, v, f) => word + (BigInt(v) << BigInt(16 * f)), 0n));
  for (let at = 0; at < rows.length; at += 15) {
    const block = rows.slice(at, at + 15);
    while (block.length < 15) block.push(0n);
    h = poseidon16([h, ...block]);
  }
  return h;
}

const grid = (n: number, featureCount: number, featureBits: number): number[][] =>
  Array.from({ length: n }, (_, i) => Array.from({ length: featureCount }, (_, f) => (i * 7919 + f * 104729) % 2 ** featureBits));

describe("featuresDigest", () => {
  it("is the specified Poseidon chain, one word per sample for narrow rows", () => {
    assert.equal(FEATURES_DIGEST_DOMAIN, BigInt(`0x${Buffer.from("ModelBazaar.featuresDigest.v1").toString("hex")}`));
    for (const [n, featureCount, featureBits] of [[1, 1, 1], [14, 4, 12], [15, 8, 16], [16, 15, 16], [300, 3, 8]] as const) {
      const shape = { featureCount, featureBits };
      const features = grid(n, featureCount, featureBits);
      assert.equal(featuresDigest(features, shape), referenceDigest(features, shape), `n = ${n}, ${featureCount} x ${featureBits} bits`);
      assert.equal(featuresDigestChain(features, shape).length, 1 + Math.ceil(n / 15));
    }
  });

  it("packs 15 lanes of 16 bits, or 7 lanes of 32 bits for wider features, and starts each sample on a new word", () => {
    assert.deepEqual(featureLanes(1), { laneBits: 16, lanesPerWord: 15 });
    assert.deepEqual(featureLanes(16), { laneBits: 16, lanesPerWord: 15 });
    assert.deepEqual(featureLanes(17), { laneBits: 32, lanesPerWord: 7 });
    assert.deepEqual(featureLanes(32), { laneBits: 32, lanesPerWord: 7 });
    // 784 features of 8 bits: 53 words per sample; 2 samples = 106 words = 8 blocks.
    const shape = { featureCount: 784, featureBits: 8 };
    assert.equal(featuresDigestChain(grid(2, 784, 8), shape).length, 1 + Math.ceil(106 / 15));
    // 32-bit features hash, and differ from their 16-bit truncation's digest.
    const wide = [[2 ** 32 - 1, 0, 1]];
    assert.notEqual(featuresDigest(wide, { featureCount: 3, featureBits: 32 }), featuresDigest([[65535, 0, 1]], { featureCount: 3, featureBits: 16 }));
  });

  it("binds every value, the sample count, the feature count and the feature width", () => {
    const shape = { featureCount: 4, featureBits: 12 };
    const features = grid(20, 4, 12);
    const digest = featuresDigest(features, shape);
    const seen = new Set([digest]);
    const add = (d: bigint): void => {
      assert.ok(!seen.has(d), "two different inputs gave the same digest");
      seen.add(d);
    };
    add(featuresDigest(features.map((row, i) => (i === 19 ? [row[0]!, row[1]!, row[2]!, row[3]! ^ 1] : row)), shape));
    add(featuresDigest(features.slice(0, 19), shape));
    add(featuresDigest([...features, [0, 0, 0, 0]], shape)); // a zero sample appended is another set
    add(featuresDigest(features, { ...shape, featureBits: 13 }));
    add(featuresDigest(features.map((row) => [...row, 0]), { ...shape, featureCount: 5 })); // a zero column
    // Moving a value to the next sample's first lane (the same flat sequence, another shape).
    add(featuresDigest([[1, 2], [3, 4]], { featureCount: 2, featureBits: 12 }));
    add(featuresDigest([[1, 2, 3, 4]], { featureCount: 4, featureBits: 12 }));
  });

  it("refuses values outside [0, 2^featureBits), rows of the wrong length and impossible shapes", () => {
    const shape = { featureCount: 2, featureBits: 8 };
    for (const bad of [256, -1, 1.5, Number.NaN, 2 ** 53]) {
      assert.throws(() => featuresDigest([[0, 0], [0, bad]], shape), (e: unknown) => e instanceof FeatureRangeError && /feature 1 of sample 1 is .* not an integer in \[0, 2\^8\)/.test(e.message));
    }
    assert.throws(() => featuresDigest([[0, 0], [0]], shape), /sample 1 has 1 features; the listing declares 2/);
    assert.throws(() => featuresDigest([], shape), /at least one sample/);
    assert.throws(() => featuresDigest([[0]], { featureCount: 1, featureBits: 0 }), /featureBits must be an integer in \[1, 32\]/);
    assert.throws(() => featuresDigest([[0]], { featureCount: 1, featureBits: 33 }), /featureBits/);
    assert.throws(() => featuresDigest([[]], { featureCount: 0, featureBits: 8 }), /featureCount must be/);
  });
});

describe("quantizeFeatures", () => {
  const encoding = { featureCount: 2, featureBits: 8, scaleBits: 4 };

  it("rounds x * 2^scaleBits and offsets by 2^(featureBits - 1)", () => {
    assert.deepEqual(quantizeFeatures([[0, 1], [-1.03125, 7.9375], [-8, 0.03]], encoding), [[128, 144], [112, 255], [0, 128]]); // -16.5 rounds up to -16
    assert.equal(quantizeFeature(-0.5, { featureCount: 1, featureBits: 1, scaleBits: 0 }), 1); // -0.5 rounds up to 0, then + 1
    assert.throws(() => quantizeFeature(0.5, { featureCount: 1, featureBits: 1, scaleBits: 0 }), FeatureRangeError); // 1 + 1 = 2
  });

  it("names the sample and feature whose value does not fit, never clamps", () => {
    assert.throws(() => quantizeFeatures([[0, 0], [0, 8]], encoding), (e: unknown) => e instanceof FeatureRangeError && /sample 1, feature 1: feature value 8 is outside the listing's range \[-8, 7.9375\]/.test(e.message));
    assert.throws(() => quantizeFeatures([[-8.04, 0]], encoding), /sample 0, feature 0/);
    assert.throws(() => quantizeFeatures([[Number.POSITIVE_INFINITY, 0]], encoding), FeatureRangeError);
    assert.throws(() => quantizeFeatures([[0]], encoding), /sample 0 has 1 features/);
    assert.throws(() => quantizeFeatures([[0, 0]], { ...encoding, scaleBits: 9 }), /scaleBits must be an integer in \[0, featureBits = 8\]/);
  });
});

describe("featureCircuitInput", () => {
  const fields = { claimedAccuracyBps: 9000, sampleCount: 3, classCount: 3, featureBits: 12, featureCount: 4 };
  const source = { features: grid(3, 4, 12), labels: [0, 1, 2], predictions: [1, 1, 0], salt: 99n, fields, tag: 5n };

  it("pads the features to N x F, flattened, and commits to their digest", () => {
    const input = featureCircuitInput(source, 16, 8);
    assert.equal(input.features.length, 16 * 8);
    assert.deepEqual(input.features.slice(0, 8), [...source.features[0]!.map(String), "0", "0", "0", "0"]);
    assert.ok(input.features.slice(3 * 8).every((v) => v === "0"));
    assert.equal("featuresDigest" in input, false);
    const digest = featuresDigest(source.features, fields);
    assert.equal(input.dataCommitment, dataCommitment({ featuresDigest: digest, labels: source.labels, salt: source.salt }).toString());
  });

  it("refuses a listing the feature circuit cannot hold, and features that do not fit the listing", () => {
    assert.equal(fitsFeatureCircuit({ featureCount: 8, featureBits: 16 }, 8), true);
    assert.equal(fitsFeatureCircuit({ featureCount: 9, featureBits: 16 }, 8), false);
    assert.equal(fitsFeatureCircuit({ featureCount: 8, featureBits: 17 }, 8), false);
    assert.throws(() => featureCircuitInput(source, 16, 3), /4 features of 12 bits does not fit a feature circuit of 3 features/);
    assert.throws(() => featureCircuitInput({ ...source, fields: { ...fields, featureBits: 20 } }, 16, 8), /of at most 16 bits/);
    assert.throws(() => featureCircuitInput({ ...source, features: source.features.slice(0, 2) }, 16, 8), /2 feature rows for 3 labels/);
    const over = source.features.map((row, i) => (i === 2 ? [4096, 0, 0, 0] : row));
    assert.throws(() => featureCircuitInput({ ...source, features: over }, 16, 8), FeatureRangeError);
    assert.throws(() => featureCircuitInput(source, 2, 8), /do not fit a circuit of 2/);
  });
});
