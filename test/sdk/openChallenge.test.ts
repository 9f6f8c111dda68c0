/**
 * The contest's challenge indices (challengeIndices.ts, docs/DISPUTES.md §7) and the Open
 * circuit's input and packed public signals (openCircuitInput.ts, §5.2): fixed vectors, a
 * from-scratch computation of the seed and the draws, duplicates skipped, n < 16 (every sample
 * opened), the packings and their inverses, and the bounds each refuses with a sentence.
 * Agreement with circuits/open.circom is test/circuits/open.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeAbiParameters, keccak256, type Hex } from "viem";
import {
  INDEX_WORDS,
  MAX_DRAWS,
  OPEN_SLOTS,
  PAIR_WORDS,
  challengeDraw,
  challengeIndices,
  challengeSecret,
  challengeSeed,
  contestIndices,
  dataCommitmentV2,
  openCircuitInput,
  openPublicSignals,
  openedCount,
  openedSamples,
  packDisputeContextV2,
  packIndices,
  packOpenedPairs,
  packPair,
  predictionCommitment,
  unpackIndices,
  unpackOpenedPairs,
  type ChallengeSeedSource,
  type OpenWitnessSource,
} from "@modelbazaar/sdk/testDrives";

const MARKET = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as const;
const SOURCE: ChallengeSeedSource = {
  secretB: challengeSecret(12345n, 7n),
  secretS: `0x${"ab".repeat(32)}`,
  chainId: 31337n,
  market: MARKET,
  testId: 7n,
};
const SEED: Hex = "0xc2bb53e74a32ee6ce16adb9acee79fb200b5fb4181947e670c9aaab010ac8706";

/** The draws written out by hand: keccak256(abi.encode(seed, t)) mod n, duplicates skipped. */
function referenceIndices(seed: Hex, n: number): { indices: number[]; draws: number } {
  const k = Math.min(16, n);
  const indices: number[] = [];
  let t = 0;
  while (indices.length < k) {
    const word = BigInt(keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "uint256" }], [seed, BigInt(t++)])));
    const index = Number(word % BigInt(n));
    if (!indices.includes(index)) indices.push(index);
  }
  return { indices, draws: t };
}

describe("challenge indices (DISPUTES.md §7)", () => {
  it("the seed is keccak256(abi.encode(secret_b, secret_s, chainid, market, testId)), fixed vector", () => {
    assert.equal(SOURCE.secretB, "0x1e00fee07eb9f75924b856b0a7ecc79d2b1b7be238af25bf388593a56efcd9c0");
    const scratch = keccak256(
      encodeAbiParameters(
        [{ type: "bytes32" }, { type: "bytes32" }, { type: "uint256" }, { type: "address" }, { type: "uint256" }],
        [SOURCE.secretB, SOURCE.secretS, 31337n, MARKET, 7n],
      ),
    );
    assert.equal(challengeSeed(SOURCE), scratch);
    assert.equal(challengeSeed(SOURCE), SEED);
    assert.equal(challengeSeed({ ...SOURCE, chainId: 31337 }), SEED);
    assert.equal(challengeSeed({ ...SOURCE, market: MARKET.toLowerCase() as Hex }), SEED);
  });

  it("every input changes the seed", () => {
    const flip = (h: Hex): Hex => `0x${(BigInt(h) ^ 1n).toString(16).padStart(64, "0")}`;
    const others = [
      { ...SOURCE, secretB: flip(SOURCE.secretB) },
      { ...SOURCE, secretS: flip(SOURCE.secretS) },
      { ...SOURCE, chainId: 1n },
      { ...SOURCE, market: "0x5fbdb2315678afecb367f032d93f642f64180aa4" as const },
      { ...SOURCE, testId: 8n },
    ];
    const seeds = new Set([SEED, ...others.map(challengeSeed)]);
    assert.equal(seeds.size, 6);
  });

  it("fixed vectors for several sample counts", () => {
    const expected: [number, number[]][] = [
      [1, [0]],
      [2, [0, 1]],
      [5, [2, 0, 4, 3, 1]],
      [15, [2, 0, 9, 7, 13, 1, 12, 6, 3, 5, 14, 8, 4, 11, 10]],
      [16, [14, 13, 0, 5, 12, 1, 3, 9, 7, 11, 2, 6, 4, 8, 10, 15]],
      [17, [4, 5, 7, 12, 16, 9, 10, 2, 6, 14, 8, 15, 0, 1, 11, 3]],
      [100, [62, 65, 14, 32, 53, 57, 96, 37, 91, 70, 15, 99, 54, 17, 73, 93]],
      [256, [62, 237, 238, 208, 29, 117, 252, 197, 225, 67, 201, 158, 215, 27, 33, 41]],
      [1024, [830, 1005, 1006, 976, 797, 885, 764, 197, 993, 835, 969, 158, 983, 795, 33, 297]],
    ];
    for (const [n, indices] of expected) {
      assert.deepEqual(challengeIndices(SEED, n), indices, `n = ${n}`);
      assert.deepEqual(contestIndices(SOURCE, n), indices, `n = ${n}`);
      assert.deepEqual(referenceIndices(SEED, n).indices, indices, `n = ${n}`);
    }
  });

  it("skips duplicates: k_eff distinct indices below n, in draw order, for many seeds and sizes", () => {
    let sawDuplicate = 0;
    for (let s = 0; s < 40; s++) {
      const seed = keccak256(encodeAbiParameters([{ type: "uint256" }], [BigInt(s)]));
      for (const n of [1, 2, 3, 7, 15, 16, 17, 20, 31, 64, 256, 1000]) {
        const indices = challengeIndices(seed, n);
        const reference = referenceIndices(seed, n);
        assert.deepEqual(indices, reference.indices);
        assert.equal(indices.length, openedCount(n));
        assert.equal(new Set(indices).size, indices.length);
        assert.ok(indices.every((i) => Number.isInteger(i) && i >= 0 && i < n));
        // The first draw is always the first index; a later draw equal to a taken one is skipped.
        assert.equal(indices[0], challengeDraw(seed, 0, n));
        if (reference.draws > indices.length) sawDuplicate++;
      }
    }
    assert.ok(sawDuplicate > 100, `${sawDuplicate} lists skipped a duplicate`);
  });

  it("a duplicate draw is skipped, not replaced by its successor (a worked case)", () => {
    // Find a seed whose draws over n = 20 repeat early, and check the list against the draws.
    for (let s = 0; ; s++) {
      const seed = keccak256(encodeAbiParameters([{ type: "uint256" }], [BigInt(s)]));
      const draws = Array.from({ length: 6 }, (_, t) => challengeDraw(seed, t, 20));
      const repeat = draws.findIndex((d, t) => draws.indexOf(d) < t);
      if (repeat < 0) continue;
      const indices = challengeIndices(seed, 20);
      const distinct = draws.filter((d, t) => draws.indexOf(d) === t);
      assert.ok(distinct.length < draws.length);
      assert.deepEqual(indices.slice(0, distinct.length), distinct);
      assert.equal(indices.filter((i) => i === draws[repeat]).length, 1);
      assert.equal(indices.length, 16);
      break;
    }
  });

  it("n < 16 opens every sample (k_eff = n); n >= 16 opens 16", () => {
    for (let n = 1; n <= 40; n++) {
      const indices = challengeIndices(SEED, n);
      assert.equal(openedCount(n), Math.min(16, n));
      if (n <= 16) assert.deepEqual([...indices].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
      else assert.equal(indices.length, 16);
    }
    assert.equal(OPEN_SLOTS, 16);
    assert.ok(MAX_DRAWS >= 1024);
  });

  it("refuses bad inputs with sentences", () => {
    assert.throws(() => challengeSeed({ ...SOURCE, secretB: "0x12" }), /secretB must be 32 bytes of hex/);
    assert.throws(() => challengeSeed({ ...SOURCE, secretS: `0x${"g".repeat(64)}` as Hex }), /secretS must be 32 bytes/);
    assert.throws(() => challengeSeed({ ...SOURCE, chainId: -1n }), /chainId must be a uint256/);
    assert.throws(() => challengeSeed({ ...SOURCE, testId: 1n << 256n }), /testId must be a uint256/);
    assert.throws(() => challengeSeed({ ...SOURCE, market: "0x1234" }), /market must be an address/);
    assert.throws(() => challengeSeed({ ...SOURCE, market: "0x5FbDB2315678afecb367f032d93F642f64180aa4" }), /market must be an address \(checksummed/);
    assert.throws(() => challengeIndices(SEED, 0), /sampleCount must be an integer in \[1, /);
    assert.throws(() => challengeIndices(SEED, 2 ** 32), /sampleCount/);
    assert.throws(() => challengeIndices(SEED, 1.5), /sampleCount/);
  });
});

describe("the Open circuit's input (DISPUTES.md §5.2)", () => {
  const fields = { claimedAccuracyBps: 9000, sampleCount: 40, classCount: 10, featureBits: 8, featureCount: 4, shortfallBps: 250 };
  const labels = Array.from({ length: 40 }, (_, i) => (i * 7) % 10);
  const predictions = Array.from({ length: 40 }, (_, i) => (i * 3) % 10);
  const source: OpenWitnessSource = {
    featuresRoot: 1234567890123456789n,
    labels,
    predictions,
    salt: 987654321n,
    fields,
    tag: 0xabcdefn,
    indices: challengeIndices(SEED, 40),
  };

  it("packs indices in 16-bit lanes, 15 per word, then k_eff as lane 16; fixed vector", () => {
    const indices = challengeIndices(SEED, 256);
    const words = packIndices(indices);
    assert.equal(INDEX_WORDS, 2);
    assert.deepEqual(words, [889689348521325038160161782120805432582824846483976357831225237110846n, 1048617n]);
    assert.equal(words[1], 41n + 16n * 65536n);
    assert.equal(words[0], indices.slice(0, 15).reduce((acc, v, j) => acc + BigInt(v) * 2n ** BigInt(16 * j), 0n));
    assert.deepEqual(unpackIndices(words), indices);
    // k_eff < 16: zero slots, k_eff in word 1.
    assert.deepEqual(packIndices([3, 0, 1, 2]), [3n + (1n << 32n) + (2n << 48n), 4n << 16n]);
    assert.deepEqual(unpackIndices(packIndices([3, 0, 1, 2])), [3, 0, 1, 2]);
    assert.deepEqual(packIndices([0]), [0n, 1n << 16n]);
  });

  it("packs (label, prediction) pairs in 32-bit lanes, 7 per word; fixed vector", () => {
    assert.equal(PAIR_WORDS, 3);
    assert.equal(packPair(1, 2), 1n + (2n << 16n));
    assert.deepEqual(packOpenedPairs([{ label: 1, prediction: 2 }, { label: 65535, prediction: 65535 }]), [18446744069414715393n, 0n, 0n]);
    const pairs = Array.from({ length: 16 }, (_, t) => ({ label: t + 1, prediction: 100 + t }));
    const words = packOpenedPairs(pairs);
    assert.equal(words[2], packPair(15, 114) + (packPair(16, 115) << 32n));
    assert.equal(words[1]! >> (32n * 6n), packPair(14, 113));
    assert.deepEqual(unpackOpenedPairs(words, 16), pairs);
    assert.deepEqual(unpackOpenedPairs(words, 3), pairs.slice(0, 3));
  });

  it("builds the input: public signals in order, commitments and opened samples as the SDK computes them", () => {
    const input = openCircuitInput(source, 256);
    const cd = dataCommitmentV2(source);
    const opened = openedSamples(source);
    assert.equal(opened.length, 16);
    opened.forEach(({ index, label, prediction }, t) => {
      assert.equal(index, source.indices[t]);
      assert.equal(label, labels[index]);
      assert.equal(prediction, predictions[index]);
    });
    assert.deepEqual(openPublicSignals(input), [
      packDisputeContextV2(fields, source.tag),
      cd,
      predictionCommitment({ dataCommitment: cd, predictions, salt: source.salt }),
      ...packIndices(source.indices),
      source.featuresRoot,
      ...packOpenedPairs(opened),
    ]);
    assert.equal(input.labels.length, 256);
    assert.equal(input.labels[40], "0");
    assert.equal(input.predictions[39], String(predictions[39]));
    assert.deepEqual(unpackOpenedPairs(input.openedPairs.map(BigInt), 16), opened.map(({ label, prediction }) => ({ label, prediction })));
  });

  it("n < 16: k_eff = n indices, zero slots past them", () => {
    const small = { ...source, labels: labels.slice(0, 5), predictions: predictions.slice(0, 5), fields: { ...fields, sampleCount: 5 }, indices: challengeIndices(SEED, 5) };
    const input = openCircuitInput(small, 256);
    assert.deepEqual(unpackIndices(input.indices.map(BigInt)), [2, 0, 4, 3, 1]);
    assert.equal(BigInt(input.indices[1]!), 5n << 16n);
    assert.equal(input.openedPairs[1], "0");
    assert.equal(BigInt(input.openedPairs[0]!) >> (32n * 5n), 0n);
  });

  it("refuses what cannot be opened", () => {
    assert.throws(() => openCircuitInput({ ...source, indices: source.indices.slice(0, 15) }, 256), /opens 16, got 15 indices/);
    assert.throws(() => openCircuitInput({ ...source, indices: [...source.indices.slice(0, 15), 40] }, 256), /index must be an integer in \[0, 40\)/);
    assert.throws(() => openCircuitInput(source, 39), /40 samples do not fit an Open circuit of 39/);
    assert.throws(() => openCircuitInput(source, 65530), /an Open circuit holds 1 to 65529 samples/);
    assert.throws(() => openCircuitInput({ ...source, fields: { ...fields, sampleCount: 41 } }, 256), /sampleCount 41 != 40 labels/);
    assert.throws(() => openCircuitInput({ ...source, predictions: predictions.slice(1) }, 256), /39 predictions for 40 labels/);
    assert.throws(() => openCircuitInput({ ...source, labels: labels.map((l, i) => (i === 3 ? 65536 : l)) }, 256), /labels\[3\]/);
    assert.throws(() => openCircuitInput({ ...source, predictions: predictions.map((p, i) => (i === 3 ? -1 : p)) }, 256), /prediction/);
    assert.throws(() => packIndices([]), /k_eff/);
    assert.throws(() => packIndices(Array.from({ length: 17 }, () => 0)), /k_eff/);
    assert.throws(() => packIndices([65536]), /indices\[0\]/);
    assert.throws(() => unpackIndices([0n, 17n << 16n]), /not k_eff indices/);
    assert.throws(() => unpackIndices([5n << 32n, 2n << 16n]), /not k_eff indices/);
    assert.deepEqual(unpackIndices([5n << 16n, 2n << 16n]), [0, 5]);
    assert.throws(() => unpackOpenedPairs([0n, 0n], 0), /3 words/);
    assert.throws(() => packOpenedPairs(Array.from({ length: 17 }, () => ({ label: 0, prediction: 0 }))), /opened samples/);
  });
});
