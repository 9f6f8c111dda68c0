/**
 * The SDK's quantized feature rows (sdk/src/testDrives/featureRows.ts, quantizeFeatures.ts):
 * their lane layout, and the errors a buyer sees for values that do not fit the listing.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FeatureRangeError, featureLanes, packFeatureRow, quantizeFeature, quantizeFeatures, requireQuantizedFeatures } from "@modelbazaar/sdk/testDrives";

describe("feature rows", () => {
  it("packs 15 lanes of 16 bits, or 7 lanes of 32 bits for wider features, least significant first", () => {
    assert.deepEqual(featureLanes(1), { laneBits: 16, lanesPerWord: 15 });
    assert.deepEqual(featureLanes(16), { laneBits: 16, lanesPerWord: 15 });
    assert.deepEqual(featureLanes(17), { laneBits: 32, lanesPerWord: 7 });
    assert.deepEqual(featureLanes(32), { laneBits: 32, lanesPerWord: 7 });
    assert.deepEqual(packFeatureRow([1, 2, 3], 12), [1n + (2n << 16n) + (3n << 32n)]);
    assert.deepEqual(packFeatureRow([2 ** 32 - 1, 1], 32), [BigInt(2 ** 32 - 1) + (1n << 32n)]);
    // 784 features of 8 bits: 53 words per sample, the last one holding 4 lanes.
    const row = Array.from({ length: 784 }, (_, f) => f % 256);
    const words = packFeatureRow(row, 8);
    assert.equal(words.length, 53);
    assert.equal(words[52], 780n % 256n + (781n % 256n << 16n) + (782n % 256n << 32n) + (783n % 256n << 48n));
  });

  it("refuses values outside [0, 2^featureBits), rows of the wrong length and impossible shapes", () => {
    const shape = { featureCount: 2, featureBits: 8 };
    for (const bad of [256, -1, 1.5, Number.NaN, 2 ** 53]) {
      assert.throws(() => requireQuantizedFeatures([[0, 0], [0, bad]], shape), (e: unknown) => e instanceof FeatureRangeError && /feature 1 of sample 1 is .* not an integer in \[0, 2\^8\)/.test(e.message));
    }
    assert.throws(() => requireQuantizedFeatures([[0, 0], [0]], shape), /sample 1 has 1 features; the listing declares 2/);
    assert.throws(() => requireQuantizedFeatures([], shape), /at least one sample/);
    assert.throws(() => requireQuantizedFeatures([[0]], { featureCount: 1, featureBits: 0 }), /featureBits must be an integer in \[1, 32\]/);
    assert.throws(() => requireQuantizedFeatures([[0]], { featureCount: 1, featureBits: 33 }), /featureBits/);
    assert.throws(() => requireQuantizedFeatures([[]], { featureCount: 0, featureBits: 8 }), /featureCount must be/);
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
