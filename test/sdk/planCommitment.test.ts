/**
 * The seller's plan commitment (docs/DISPUTES.md §3.1, sdk/src/disputes/planCommitment.ts) and
 * the contest's packed meta (contestMeta.ts): fixed vectors, a from-scratch computation, every
 * weight, bias, scale and the salt change the commitment, every row's path verifies, bounds
 * refused by name. Agreement with the circuit is test/circuits/contestLinear.test.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { poseidon16 } from "poseidon-lite/poseidon16";
import { poseidon3 } from "poseidon-lite/poseidon3";
import { poseidon4 } from "poseidon-lite/poseidon4";
import { poseidon5 } from "poseidon-lite/poseidon5";
import {
  CONTEST_META_BITS,
  packContestMeta,
  unpackContestMeta,
  type ContestMeta,
  HIDDEN_DOMAIN,
  PLAN_DOMAIN,
  ROW_DOMAIN,
  biasWord,
  hiddenDigest,
  hiddenWords,
  planCommitment,
  planRow,
  planShape,
  rowDigest,
  rowDigests,
  rowPath,
  rowsRoot,
  shapeWord,
  verifyRowPath,
} from "@modelbazaar/sdk/disputes";
import { merkleRoot } from "@modelbazaar/sdk/testDrives";
import type { QuantizedLinearPlan, QuantizedSquareMlpPlan } from "@modelbazaar/sdk/he";

const plan: QuantizedLinearPlan = {
  family: "linear",
  inputSize: 4,
  outputSize: 3,
  scaleBits: 8,
  weightScaleBits: 12,
  weights: Int32Array.from([100, -200, 300, -32768, 0, 1, -1, 32767, 5, 6, 7, 8]),
  bias: [123456n, -9n, 0n],
};
/** The SquareMlp fixed vectors. */
const FIXED = {
  shape: 264782995012194719968311017210370n,
  hidden: 17988179268245044700698585844381650812142915786398234309212288538046389188442n,
  commitment: 4915971445920514015780547819482284721364478101176016232764931192857683444750n,
};
const withPlan = (change: Partial<QuantizedLinearPlan>): QuantizedLinearPlan => ({ ...plan, ...change });

describe("plan commitment", () => {
  it("matches the fixed vectors", () => {
    assert.equal(shapeWord(planShape(plan)), 953213844416842260281261294593n);
    assert.equal(rowsRoot(plan), 7229618384122808162410462842427451290510642149866702239792963166899685805624n);
    assert.equal(planCommitment(plan, 77n), 20124177566029133286982303239154688191209071541493991494547102000862444132225n);
  });

  it("is the documented composition", () => {
    assert.equal(shapeWord(planShape(plan)), 1n | (4n << 8n) | (3n << 72n) | (8n << 88n) | (12n << 96n));
    const lanes = [100, -200, 300, -32768].map((w) => BigInt(w + 32768));
    const word = lanes.reduce((acc, lane, l) => acc | (lane << BigInt(16 * l)), 0n);
    const r0 = poseidon16([poseidon4([ROW_DOMAIN, 0n, 4n, 123456n + (1n << 63n)]), word, ...Array<bigint>(14).fill(0n)]);
    assert.equal(rowDigest(0, plan.weights.subarray(0, 4), 123456n), r0);
    assert.equal(rowDigests(plan)[0], r0);
    const root = merkleRoot(rowDigests(plan), 4);
    assert.equal(planCommitment(plan, 77n), poseidon5([PLAN_DOMAIN, shapeWord(planShape(plan)), 0n, root, 77n]));
  });

  it("changes with every weight, every bias, the scales and the salt", () => {
    const base = planCommitment(plan, 77n);
    for (let k = 0; k < plan.weights.length; k++) {
      const weights = Int32Array.from(plan.weights);
      weights[k] = weights[k]! === 32767 ? 32766 : weights[k]! + 1;
      assert.notEqual(planCommitment(withPlan({ weights }), 77n), base, `weight ${k}`);
    }
    for (let c = 0; c < 3; c++) {
      const bias = [...plan.bias];
      bias[c] = bias[c]! + 1n;
      assert.notEqual(planCommitment(withPlan({ bias }), 77n), base, `bias ${c}`);
    }
    assert.notEqual(planCommitment(withPlan({ scaleBits: 9 }), 77n), base);
    assert.notEqual(planCommitment(withPlan({ weightScaleBits: 13 }), 77n), base);
    assert.notEqual(planCommitment(plan, 78n), base);
    // Swapping two rows moves them in the tree and changes their heads.
    const swapped = withPlan({ weights: Int32Array.from([...plan.weights.subarray(4, 8), ...plan.weights.subarray(0, 4), ...plan.weights.subarray(8)]), bias: [-9n, 123456n, 0n] });
    assert.notEqual(planCommitment(swapped, 77n), base);
  });

  it("opens every row along its path, and only that row", () => {
    const root = rowsRoot(plan);
    const digests = rowDigests(plan);
    for (let c = 0; c < 3; c++) {
      const path = rowPath(plan, c);
      assert.equal(path.length, 4);
      assert.ok(verifyRowPath(root, digests[c]!, c, path));
      assert.ok(!verifyRowPath(root, digests[(c + 1) % 3]!, c, path));
    }
  });

  it("refuses weights, biases and shapes that do not fit", () => {
    assert.throws(() => rowDigest(0, [32768], 0n), /16-bit signed/);
    assert.throws(() => biasWord(1n << 63n), /64-bit signed/);
    assert.throws(() => rowDigest(16, [1], 0n), /row 16/);
    assert.throws(() => planCommitment(plan, -1n), /planSalt/);
    assert.throws(() => shapeWord({ ...planShape(plan), scaleBits: 256 }), /scaleBits = 256/);
    assert.throws(() => rowsRoot(withPlan({ outputSize: 17, weights: new Int32Array(68), bias: Array<bigint>(17).fill(0n) })), /2 to 16 classes/);
  });
});

describe("plan commitment (SquareMlp)", () => {
  // F = 2, H = 4 (8 hidden weights, 4 hidden biases: 1 + 2 words), C = 2, rows of 2H = 8.
  const mlp: QuantizedSquareMlpPlan = {
    family: "squareMlp",
    inputSize: 2,
    hiddenSize: 4,
    outputSize: 2,
    scaleBits: 8,
    hiddenWeightScaleBits: 14,
    hiddenWeights: Int32Array.from([1, -2, 3, -4, 32767, -32768, 0, 9]),
    hiddenBias: [5n, -6n, (1n << 63n) - 1n, -(1n << 63n)],
    weightScaleBits: 13,
    weights: Int32Array.from([10, 0, -10, 0, 7, 7, -7, 7, 0, 1, 2, 3, 4, 5, 6, 7]),
    bias: [1n << 40n, -(1n << 40n)],
  };
  const withMlp = (change: Partial<QuantizedSquareMlpPlan>): QuantizedSquareMlpPlan => ({ ...mlp, ...change });

  it("matches the fixed vectors", () => {
    assert.equal(shapeWord(planShape(mlp)), FIXED.shape);
    assert.equal(hiddenDigest(mlp), FIXED.hidden);
    assert.equal(planCommitment(mlp, 77n), FIXED.commitment);
  });

  it("is the documented composition: shape with H and sw2, the hidden chain, rows of 2H", () => {
    assert.equal(shapeWord(planShape(mlp)), 2n | (2n << 8n) | (4n << 40n) | (2n << 72n) | (8n << 88n) | (14n << 96n) | (13n << 104n));
    const w1 = [1, -2, 3, -4, 32767, -32768, 0, 9].reduce((acc, w, l) => acc | (BigInt(w + 32768) << BigInt(16 * l)), 0n);
    const b1 = [5n, -6n, (1n << 63n) - 1n, -(1n << 63n)].map((b) => b + (1n << 63n));
    const words = [w1, b1[0]! | (b1[1]! << 64n) | (b1[2]! << 128n), b1[3]!];
    assert.deepEqual(hiddenWords(mlp), words);
    assert.equal(hiddenDigest(mlp), poseidon16([poseidon3([HIDDEN_DOMAIN, 2n, 4n]), ...words, ...Array<bigint>(12).fill(0n)]));
    assert.deepEqual(Array.from(planRow(mlp, 1)), [0, 1, 2, 3, 4, 5, 6, 7]);
    const lanes = [0, 1, 2, 3, 4, 5, 6, 7].reduce((acc, w, l) => acc | (BigInt(w + 32768) << BigInt(16 * l)), 0n);
    const r1 = poseidon16([poseidon4([ROW_DOMAIN, 1n, 8n, -(1n << 40n) + (1n << 63n)]), lanes, ...Array<bigint>(14).fill(0n)]);
    assert.equal(rowDigests(mlp)[1], r1);
    assert.equal(planCommitment(mlp, 77n), poseidon5([PLAN_DOMAIN, shapeWord(planShape(mlp)), hiddenDigest(mlp), merkleRoot(rowDigests(mlp), 4), 77n]));
  });

  it("changes with every hidden weight and bias, every output weight and bias, and the scales", () => {
    const base = planCommitment(mlp, 77n);
    for (let k = 0; k < mlp.hiddenWeights.length; k++) {
      const hiddenWeights = Int32Array.from(mlp.hiddenWeights);
      hiddenWeights[k] = hiddenWeights[k]! === 32767 ? 32766 : hiddenWeights[k]! + 1;
      assert.notEqual(planCommitment(withMlp({ hiddenWeights }), 77n), base, `hidden weight ${k}`);
    }
    for (let k = 0; k < 4; k++) {
      const hiddenBias = [...mlp.hiddenBias];
      hiddenBias[k] = k === 2 ? hiddenBias[k]! - 1n : hiddenBias[k]! + 1n;
      assert.notEqual(planCommitment(withMlp({ hiddenBias }), 77n), base, `hidden bias ${k}`);
    }
    for (let k = 0; k < mlp.weights.length; k++) {
      const weights = Int32Array.from(mlp.weights);
      weights[k] = weights[k]! + 1;
      assert.notEqual(planCommitment(withMlp({ weights }), 77n), base, `weight ${k}`);
    }
    assert.notEqual(planCommitment(withMlp({ bias: [mlp.bias[0]!, mlp.bias[1]! + 1n] }), 77n), base);
    assert.notEqual(planCommitment(withMlp({ hiddenWeightScaleBits: 15 }), 77n), base);
    assert.notEqual(planCommitment(withMlp({ weightScaleBits: 12 }), 77n), base);
    assert.notEqual(planCommitment(withMlp({ scaleBits: 7 }), 77n), base);
    // The same numbers read as a Linear plan commit differently (family, shape, no hidden layer).
    assert.throws(() => hiddenDigest(withMlp({ hiddenBias: [1n] })), /F x H/);
    assert.throws(() => hiddenDigest(withMlp({ hiddenBias: [1n << 63n, 0n, 0n, 0n] })), /64-bit signed/);
  });

  it("opens every output row along its path", () => {
    const root = rowsRoot(mlp);
    rowDigests(mlp).forEach((digest, c) => assert.ok(verifyRowPath(root, digest, c, rowPath(mlp, c))));
  });
});

describe("contest meta", () => {
  const meta: ContestMeta = { index: 5, prediction: 2, cls: 1, kind: 0, featureCount: 4, featureBits: 12, classCount: 3, toleranceQ: 1n << 12n };

  it("packs to the fixed vector, the documented layout, and back", () => {
    const packed = packContestMeta(meta);
    assert.equal(packed, 2535301229233381809784415715333n);
    assert.equal(packed, 5n | (2n << 16n) | (1n << 32n) | (0n << 48n) | (4n << 49n) | (12n << 65n) | (3n << 73n) | ((1n << 12n) << 89n));
    assert.deepEqual(unpackContestMeta(packed), meta);
    const widest = packContestMeta({ ...meta, index: 65535, kind: 1, toleranceQ: (1n << 64n) - 1n, classCount: 65535 });
    assert.ok(widest < 1n << BigInt(CONTEST_META_BITS));
  });

  it("refuses fields that do not fit", () => {
    assert.throws(() => packContestMeta({ ...meta, toleranceQ: 1n << 64n }), /toleranceQ/);
    assert.throws(() => packContestMeta({ ...meta, index: 65536 }), /index/);
    assert.throws(() => packContestMeta({ ...meta, kind: 2 as 0 }), /kind/);
  });
});
