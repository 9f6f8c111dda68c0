/**
 * Per-sample digests and the features root (docs/DISPUTES.md §3): sdk/src/testDrives/
 * sampleDigest.ts (d_i), featuresRoot.ts (D, paths) and the Poseidon(2) Merkle tree under both
 * (poseidonMerkle.ts). Fixed vectors, a from-scratch computation, every input changes d_i,
 * paths verify for every sample and fail when anything is changed, bounds refused by name.
 * Agreement with the contest circuit is test/circuits/contestLinear.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { poseidon16 } from "poseidon-lite/poseidon16";
import { poseidon2 } from "poseidon-lite/poseidon2";
import { poseidon4 } from "poseidon-lite/poseidon4";
import {
  FEATURES_TREE_DEPTH,
  featuresPath,
  featuresRoot,
  featuresTree,
  verifyFeaturesPath,
  FeatureRangeError,
  merklePath,
  merkleRoot,
  merkleRootFromPath,
  verifyMerklePath,
  SAMPLE_DOMAIN,
  SAMPLE_DOMAIN_TAG,
  sampleDigest,
  sampleWords,
  sampleSalt,
} from "@modelbazaar/sdk/testDrives";
import { seededRandom } from "../helpers/seededRandom.ts";

const shape = { featureCount: 4, featureBits: 12 };
const random = seededRandom(20261207);
const randInt = (below: number): number => Math.floor(random() * below);

describe("sample digest d_i", () => {
  it("matches the fixed vector and a from-scratch computation", () => {
    const d0 = sampleDigest(0, [2100, 1900, 1380, 1050], 11n, shape);
    assert.equal(d0, 6076664846375482647140752326540424377882144730529729984640834819519106478558n);
    const word = 2100n | (1900n << 16n) | (1380n << 32n) | (1050n << 48n);
    const head = poseidon4([SAMPLE_DOMAIN, 0n, 4n, 11n]);
    assert.equal(d0, poseidon16([head, word, ...Array<bigint>(14).fill(0n)]));
    assert.equal(SAMPLE_DOMAIN_TAG, "ModelBazaar.sampleDigest.v2");
  });

  it("packs 784 MNIST features into 53 words and 4 chain blocks", () => {
    const features = Array.from({ length: 784 }, () => randInt(1024));
    const words = sampleWords(features, { featureCount: 784, featureBits: 10 });
    assert.equal(words.length, 53);
    assert.equal(words[52], BigInt(features[780]!) | (BigInt(features[781]!) << 16n) | (BigInt(features[782]!) << 32n) | (BigInt(features[783]!) << 48n));
    let h = poseidon4([SAMPLE_DOMAIN, 7n, 784n, 5n]);
    for (let b = 0; b < 4; b++) {
      const block = words.slice(15 * b, 15 * b + 15);
      while (block.length < 15) block.push(0n);
      h = poseidon16([h, ...block]);
    }
    assert.equal(sampleDigest(7, features, 5n, { featureCount: 784, featureBits: 10 }), h);
  });

  it("changes with the index, σ, the feature count and every feature", () => {
    const features = [2100, 1900, 1380, 1050];
    const base = sampleDigest(3, features, 99n, shape);
    assert.notEqual(sampleDigest(4, features, 99n, shape), base);
    assert.notEqual(sampleDigest(3, features, 100n, shape), base);
    for (let f = 0; f < 4; f++) {
      const changed = [...features];
      changed[f] = changed[f]! + 1;
      assert.notEqual(sampleDigest(3, changed, 99n, shape), base, `feature ${f}`);
    }
    // A trailing zero feature is a different sample: featureCount is in the head.
    assert.notEqual(sampleDigest(3, [...features, 0], 99n, { featureCount: 5, featureBits: 12 }), base);
  });

  it("refuses features out of range, a wrong count, a bad index or σ", () => {
    assert.throws(() => sampleDigest(0, [4096, 0, 0, 0], 1n, shape), FeatureRangeError);
    assert.throws(() => sampleDigest(0, [1, 2, 3], 1n, shape), /has 3 features/);
    assert.throws(() => sampleDigest(-1, [1, 2, 3, 4], 1n, shape), /sample index/);
    assert.throws(() => sampleDigest(0, [1, 2, 3, 4], -1n, shape), /sigma/);
  });
});

describe("features root D", () => {
  const digests = [
    sampleDigest(0, [2100, 1900, 1380, 1050], 11n, shape),
    sampleDigest(1, [3000, 0, 4095, 2048], 12n, shape),
    sampleDigest(2, [1, 2, 3, 4], 13n, shape),
  ];

  it("matches the fixed vector and a from-scratch tree of depth 10", () => {
    const root = featuresRoot(digests);
    assert.equal(root, 15484868170653042891277149112702412984779607259983259034148489601784028279471n);
    let level = [...digests, ...Array<bigint>(1024 - 3).fill(0n)];
    while (level.length > 1) level = Array.from({ length: level.length / 2 }, (_, k) => poseidon2([level[2 * k]!, level[2 * k + 1]!]));
    assert.equal(root, level[0]);
    assert.equal(featuresTree(digests).length, FEATURES_TREE_DEPTH + 1);
  });

  it("opens every sample, and no path verifies once anything changes", () => {
    const n = 37;
    const many = Array.from({ length: n }, (_, i) =>
      sampleDigest(i, Array.from({ length: 4 }, () => randInt(4096)), sampleSalt(123n, i), shape),
    );
    const root = featuresRoot(many);
    for (let j = 0; j < n; j++) {
      const path = featuresPath(many, j);
      assert.equal(path.length, 10);
      assert.ok(verifyFeaturesPath(root, many[j]!, j, path), `sample ${j}`);
      assert.ok(!verifyFeaturesPath(root, many[j]! + 1n, j, path));
      assert.ok(!verifyFeaturesPath(root, many[j]!, j ^ 1, path));
      const forged = [...path];
      forged[j % 10] = forged[j % 10]! + 1n;
      assert.ok(!verifyFeaturesPath(root, many[j]!, j, forged));
      assert.ok(!verifyFeaturesPath(root, many[j]!, j, path.slice(0, 9)));
    }
  });

  it("pads with zero leaves, so n is bound by the label commitment, not by D", () => {
    assert.equal(merkleRoot([...digests, 0n], 10), featuresRoot(digests));
    assert.equal(featuresRoot([...digests, 0n]), featuresRoot(digests));
  });

  it("refuses an empty or oversized test set and an index outside it", () => {
    assert.throws(() => featuresRoot([]), /1 to 1024 samples/);
    assert.throws(() => featuresRoot(Array<bigint>(1025).fill(1n)), /1 to 1024 samples/);
    assert.throws(() => featuresPath(digests, 3), /not one of the 3/);
  });
});

describe("Poseidon(2) Merkle tree", () => {
  it("paths of a depth-4 tree agree with the root for every leaf, including empty ones", () => {
    const leaves = [5n, 6n, 7n];
    const root = merkleRoot(leaves, 4);
    for (let k = 0; k < 16; k++) {
      const path = merklePath(leaves, 4, k);
      assert.equal(merkleRootFromPath(leaves[k] ?? 0n, k, path), root);
      assert.ok(verifyMerklePath(root, leaves[k] ?? 0n, k, path));
    }
    assert.ok(!verifyMerklePath(root, 5n, 16, merklePath(leaves, 4, 0)));
    assert.throws(() => merkleRoot(Array<bigint>(17).fill(1n), 4), /do not fit/);
  });
});
