/**
 * The quantized plan (docs/DISPUTES.md §3.1, sdk/src/he/quantizedPlan.ts): hand-computed
 * vectors of the integer score functions (Linear, and SquareMlp with its 2^s1 alignment) with
 * their (q_i - 2^(featureBits - 1)) offset, the choice of the weight scale, refusals; then, on
 * the shipped iris-logreg, mnist-logreg and iris-square-mlp and the
 * project's Iris (150) and MNIST (10,000) data, the measured quantization error ε, the
 * tolerance τ it implies, agreement of the integer plan's argmax with the float plan's on every
 * sample whose float margin exceeds τ, and the tie fraction t_τ. Two comparisons:
 *
 *   plan only    integer plan on q vs float plan on the dequantized features (q - off) / 2^sx:
 *                the error of quantizing W and b alone (a worker evaluating the quantized plan
 *                on the buyer's quantized features under CKKS differs from the circuit only by
 *                CKKS error, so this is what τ must cover beyond it)
 *   end to end   integer plan on q vs float plan on the raw features x: adds the buyer's
 *                feature rounding (what τ must cover while the worker evaluates the float plan
 *                on unquantized features, as it does today)
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { compileOnnx } from "../../offchain-worker/src/he/compiler/index.ts";
import {
  evaluatePlanPlain,
  type HePlan,
  type LinearLayer,
  type MonomialsLayer,
  UncontestablePlanError,
  argmaxScore,
  chooseWeightScaleBits,
  denseLinearLayer,
  dequantizedScores,
  hiddenScaleBits,
  quantizePlan,
  quantizedHidden,
  quantizedScores,
  scoreScaleBits,
  type QuantizedPlan,
} from "@modelbazaar/sdk/he";
import { quantizeFeatures } from "@modelbazaar/sdk/testDrives";
import { ROOT } from "../../scripts/zk/compile.ts";
import { loadIris } from "../../scripts/lib/datasets/iris.ts";
import { loadMnist } from "../../scripts/lib/datasets/mnist.ts";
import type { Dataset } from "../../scripts/lib/datasets/dataset.ts";

const linear = (inputSize: number, outputSize: number, weights: number[], bias: number[]): HePlan => {
  const layer: LinearLayer = denseLinearLayer(["Gemm"], inputSize, outputSize, Float64Array.from(weights), Float64Array.from(bias));
  return { version: 1, inputSize, outputSize, layers: [layer], depth: 1, maxMagnitude: 10 };
};

describe("quantizePlan (Linear)", () => {
  it("rounds weights at 2^sw and biases at 2^(sw + sx), and scores with the feature offset", () => {
    const plan = linear(2, 2, [0.5, -0.25, 1.1, 0.0009765625], [0.1, -2]);
    const q = quantizePlan(plan, { scaleBits: 4, weightScaleBits: 3 });
    assert.deepEqual(Array.from(q.weights), [4, -2, 9, 0]); // 1.1 * 8 = 8.8 -> 9; 2^-10 * 8 -> 0
    assert.deepEqual(q.bias, [13n, -256n]); // 0.1 * 128 = 12.8 -> 13; -2 * 128
    assert.equal(scoreScaleBits(q), 7);
    // featureBits 6: offset 32. q = (40, 20): x_q = (8, -12).
    assert.deepEqual(quantizedScores(q, [40, 20], 6), [4n * 8n - 2n * -12n + 13n, 9n * 8n + 0n + -256n]);
    assert.deepEqual(dequantizedScores(q, [40, 20], 6), [69 / 128, -184 / 128]);
    // Halves round away from zero, both signs.
    const halves = quantizePlan(linear(2, 1, [0.5 / 8, -0.5 / 8], [0]), { scaleBits: 0, weightScaleBits: 3 });
    assert.deepEqual(Array.from(halves.weights), [1, -1]);
  });

  it("picks the largest weight scale that keeps every weight in 16 signed bits", () => {
    assert.equal(chooseWeightScaleBits([0.9204763174057007, -0.3]), 15);
    assert.equal(chooseWeightScaleBits([5.362180274554978]), 12);
    assert.equal(chooseWeightScaleBits([1]), 14); // 2^15 itself does not fit
    assert.equal(chooseWeightScaleBits([0]), 30);
    assert.throws(() => chooseWeightScaleBits([40000]), UncontestablePlanError);
  });

  it("refuses plans outside the Linear family, and weights or biases that do not fit", () => {
    const mlp: HePlan = {
      ...linear(2, 2, [1, 0, 0, 1], [0, 0]),
      layers: [linear(2, 2, [1, 0, 0, 1], [0, 0]).layers[0]!, { kind: "monomials", source: [], inputSize: 2, degree: 2, activation: { op: "Square" } }],
    };
    assert.throws(() => quantizePlan(mlp, { scaleBits: 8 }), /SquareMlp family.*this plan is linear 2->2 -> x\^2$/);
    const cubic: HePlan = { ...mlp, layers: [mlp.layers[0]!, { ...(mlp.layers[1] as MonomialsLayer), degree: 3 }, linear(6, 2, Array<number>(12).fill(0), [0, 0]).layers[0]!] };
    assert.throws(() => quantizePlan(cubic, { scaleBits: 8 }), /this plan is linear 2->2 -> x\^3 -> linear 6->2/);
    assert.throws(() => quantizePlan(linear(1, 1, [2], [0]), { scaleBits: 8, weightScaleBits: 15 }), /weight 0 = 2 does not fit/);
    assert.throws(() => quantizePlan(linear(1, 1, [1], [2 ** 50]), { scaleBits: 8, weightScaleBits: 14 }), /bias 0 .* does not fit 64/);
    const q = quantizePlan(linear(2, 1, [1, 1], [0]), { scaleBits: 8 });
    assert.throws(() => quantizedScores(q, [64, 0], 6), /feature 0 = 64 is not in \[0, 2\^6\)/);
    assert.throws(() => quantizedScores(q, [1, 1], 17), /featureBits/);
  });
});

const squareMlp = (hidden: LinearLayer, output: LinearLayer): HePlan => ({
  version: 1,
  inputSize: hidden.inputSize,
  outputSize: output.outputSize,
  layers: [hidden, { kind: "monomials", source: ["Mul"], inputSize: hidden.outputSize, degree: 2, activation: { op: "Square" } }, output],
  depth: 3,
  maxMagnitude: 100,
});

describe("quantizePlan (SquareMlp)", () => {
  // F = 2, H = 2, C = 2; W2 rows are [on h_0, on h_1, on h_0^2, on h_1^2].
  const plan = squareMlp(linear(2, 2, [0.5, -0.25, 1, 0.125], [0.5, -1]).layers[0] as LinearLayer, linear(4, 2, [1, 0, 0.5, -0.25, 0, -0.5, 1, 0.75], [2, -0.125]).layers[0] as LinearLayer);

  it("quantizes both layers and scores 2^s1 * W2a . h + W2s . h^2 + b2 in integers", () => {
    const q = quantizePlan(plan, { scaleBits: 2, hiddenWeightScaleBits: 3, weightScaleBits: 2 });
    assert.equal(q.family, "squareMlp");
    if (q.family !== "squareMlp") return;
    assert.deepEqual(Array.from(q.hiddenWeights), [4, -2, 8, 1]);
    assert.deepEqual(q.hiddenBias, [16n, -32n]); // s1 = 5
    assert.deepEqual(Array.from(q.weights), [4, 0, 2, -1, 0, -2, 4, 3]);
    assert.deepEqual(q.bias, [2n * 2n ** 12n, -(2n ** 9n)]); // sw2 + 2 s1 = 12
    assert.equal(hiddenScaleBits(q), 5);
    assert.equal(scoreScaleBits(q), 12);
    // featureBits 4: offset 8. q = (12, 5): x_q = (4, -3); h_q = (16 + 6 + 16, 32 - 3 - 32) = (38, -3).
    assert.deepEqual(quantizedHidden(q, [12, 5], 4), [38n, -3n]);
    const expected = [32n * (4n * 38n) + 2n * 38n * 38n - 1n * 9n + 8192n, 32n * (-2n * -3n) + 4n * 38n * 38n + 3n * 9n - 512n];
    assert.deepEqual(quantizedScores(q, [12, 5], 4), expected);
    // Exactly the float plan with the dyadic weights, on the dequantized features (1, -0.75).
    const float = evaluatePlanPlain(plan, [1, -0.75]);
    assert.deepEqual(dequantizedScores(q, [12, 5], 4), Array.from(float));
  });

  it("picks each layer's weight scale, and refuses score scales the circuit cannot hold and biases that do not fit", () => {
    const q = quantizePlan(plan, { scaleBits: 8 });
    assert.ok(q.family === "squareMlp" && q.hiddenWeightScaleBits === 14 && q.weightScaleBits === 14);
    assert.throws(() => quantizePlan(plan, { scaleBits: 32 }), /score scale .* 2\^106 exceeds 2\^96/);
    const bigBias = squareMlp(plan.layers[0] as LinearLayer, linear(4, 2, [1, 0, 0, 0, 0, 0, 0, 1], [1e6, 0]).layers[0] as LinearLayer);
    assert.throws(() => quantizePlan(bigBias, { scaleBits: 8, hiddenWeightScaleBits: 14, weightScaleBits: 14 }), /bias 0 = 1000000 does not fit 64/);
    assert.throws(() => quantizePlan(plan, { scaleBits: 8, hiddenWeightScaleBits: 16 }), /hidden weight 0 = 0.5 does not fit 16 signed bits at scale 2\^16/);
  });
});

interface Measured {
  samples: number;
  sw: number;
  /** Largest |score_q / 2^(sw + sx) - float score| over samples and classes. */
  epsPlan: number;
  epsEndToEnd: number;
  /** Top-two margins of the float plan, on the dequantized and on the raw features. */
  marginsPlan: number[];
  marginsRaw: number[];
  /** For each sample: integer argmax, float argmax on dequantized and on raw features. */
  argmax: [number, number, number][];
  /** Per sample, the analytic bound on the plan-only error: sum |x~| 2^-(sw+1) + 2^-(sw+sx+1). */
  boundPlan: number[];
  planErr: number[];
}

function topTwoMargin(scores: ArrayLike<number>): number {
  const sorted = Array.from(scores).sort((a, b) => b - a);
  return sorted[0]! - sorted[1]!;
}

async function measure(model: string, data: readonly Dataset[], featureBits: number, scaleBits: number): Promise<Measured & { plan: QuantizedPlan }> {
  const { plan } = await compileOnnx(readFileSync(join(ROOT, "models", `${model}.onnx`)));
  const q = quantizePlan(plan, { scaleBits });
  const off = 2 ** (featureBits - 1);
  const m: Measured = { samples: 0, sw: q.weightScaleBits, epsPlan: 0, epsEndToEnd: 0, marginsPlan: [], marginsRaw: [], argmax: [], boundPlan: [], planErr: [] };
  for (const d of data) {
    const F = d.featureCount;
    for (let s = 0; s < d.sampleCount; s++) {
      const x = Array.from(d.features.subarray(s * F, (s + 1) * F));
      const qx = quantizeFeatures([x], { featureCount: F, featureBits, scaleBits })[0]!;
      const dequantized = qx.map((v) => (v - off) / 2 ** scaleBits);
      const floatPlan = evaluatePlanPlain(plan, dequantized);
      const floatRaw = evaluatePlanPlain(plan, x);
      const integer = dequantizedScores(q, qx, featureBits);
      let errPlan = 0;
      for (let c = 0; c < integer.length; c++) {
        errPlan = Math.max(errPlan, Math.abs(integer[c]! - floatPlan[c]!));
        m.epsEndToEnd = Math.max(m.epsEndToEnd, Math.abs(integer[c]! - floatRaw[c]!));
      }
      m.epsPlan = Math.max(m.epsPlan, errPlan);
      m.planErr.push(errPlan);
      m.boundPlan.push(errorBound(plan, q, dequantized));
      m.marginsPlan.push(topTwoMargin(floatPlan));
      m.marginsRaw.push(topTwoMargin(floatRaw));
      m.argmax.push([argmaxScore(quantizedScores(q, qx, featureBits)), argmaxScore(Array.from(floatPlan)), argmaxScore(Array.from(floatRaw))]);
      m.samples++;
    }
  }
  return { ...m, plan: q };
}

/**
 * The analytic bound on the plan-only error on dequantized features x~. Linear: sum |x~| 2^-(sw+1)
 * + 2^-(sw+sx+1). SquareMlp: with δ_k = sum |x~| 2^-(sw1+1) + 2^-(s1+1) bounding |h~_k - h_k|,
 * each output adds |W2a~| δ + 2^-(sw2+1) |h| on the linear part and |W2s~| δ (2|h| + δ) +
 * 2^-(sw2+1) h^2 on the square part, plus 2^-(scale+1) for b2.
 */
function errorBound(plan: HePlan, q: QuantizedPlan, x: readonly number[]): number {
  const sumAbs = x.reduce((sum, v) => sum + Math.abs(v), 0);
  if (q.family === "linear") return sumAbs * 2 ** -(q.weightScaleBits + 1) + 2 ** -(scoreScaleBits(q) + 1);
  const hidden = evaluatePlanPlain({ ...plan, outputSize: q.hiddenSize, layers: [plan.layers[0]!] }, x);
  const delta = sumAbs * 2 ** -(q.hiddenWeightScaleBits + 1) + 2 ** -(hiddenScaleBits(q) + 1);
  const H = q.hiddenSize;
  const half = 2 ** -(q.weightScaleBits + 1);
  let worst = 0;
  for (let c = 0; c < q.outputSize; c++) {
    let bound = 2 ** -(scoreScaleBits(q) + 1);
    for (let k = 0; k < H; k++) {
      const h = Math.abs(hidden[k]!);
      const wa = Math.abs(q.weights[c * 2 * H + k]!) / 2 ** q.weightScaleBits;
      const ws = Math.abs(q.weights[c * 2 * H + H + k]!) / 2 ** q.weightScaleBits;
      bound += wa * delta + half * h + ws * delta * (2 * h + delta) + half * h * h;
    }
    worst = Math.max(worst, bound);
  }
  return worst;
}

const tieFraction = (margins: readonly number[], tau: number): number => margins.filter((v) => v <= tau).length / margins.length;

/**
 * The listings' encodings (scripts/lib/demoListings.ts: Iris 12 bits, MNIST 10 bits, scale 2^8)
 * and the tolerances this test holds them to: τ_plan for the quantized plan against its float
 * twin on the same quantized features, τ_raw end to end.
 */
const CASES = [
  { model: "iris-logreg", featureBits: 12, tauPlan: 2 ** -8, tauRaw: 2 ** -4, load: () => { const s = loadIris(); return [s.train, s.test]; } },
  { model: "mnist-logreg", featureBits: 10, tauPlan: 2 ** -8, tauRaw: 2 ** -4, load: () => { const s = loadMnist(); return [s.train, s.test]; } },
  // The square makes errors grow with |h| (up to ~13 here): τ = 2^-6 covers 2(ε_plan + ε_CKKS).
  { model: "iris-square-mlp", featureBits: 12, tauPlan: 2 ** -6, tauRaw: 2 ** -3, load: () => { const s = loadIris(); return [s.train, s.test]; } },
] as const;

for (const { model, featureBits, tauPlan, tauRaw, load } of CASES) {
  describe(`quantized ${model} on real data`, () => {
    let m: Measured & { plan: QuantizedPlan };
    before(async () => {
      m = await measure(model, load(), featureBits, 8);
    });

    it("stays within the analytic bound, and 2ε is below τ", () => {
      m.planErr.forEach((err, s) => assert.ok(err <= m.boundPlan[s]! + 1e-12, `sample ${s}: ${err} > ${m.boundPlan[s]}`));
      assert.ok(2 * m.epsPlan < tauPlan, `2 ε_plan = ${2 * m.epsPlan} >= τ_plan = ${tauPlan}`);
      assert.ok(2 * m.epsEndToEnd < tauRaw, `2 ε_end-to-end = ${2 * m.epsEndToEnd} >= τ_raw = ${tauRaw}`);
    });

    it("agrees with the float plan's argmax wherever the float margin exceeds τ", () => {
      let beyondPlan = 0;
      let beyondRaw = 0;
      m.argmax.forEach(([integer, floatPlan, floatRaw], s) => {
        if (m.marginsPlan[s]! > tauPlan) {
          beyondPlan++;
          assert.equal(integer, floatPlan, `sample ${s}, margin ${m.marginsPlan[s]}`);
        }
        if (m.marginsRaw[s]! > tauRaw) {
          beyondRaw++;
          assert.equal(integer, floatRaw, `sample ${s}, margin ${m.marginsRaw[s]}`);
        }
      });
      // Also wherever the margin exceeds the measured 2ε, the tightest τ the data supports.
      m.argmax.forEach(([integer, floatPlan], s) => {
        if (m.marginsPlan[s]! > 2 * m.epsPlan) assert.equal(integer, floatPlan);
      });
      const disagreeRaw = m.argmax.filter(([integer, , floatRaw]) => integer !== floatRaw).length;
      const tPlan = tieFraction(m.marginsPlan, tauPlan);
      const tRaw = tieFraction(m.marginsRaw, tauRaw);
      assert.ok(tPlan <= 0.01 && tRaw <= 0.02, `tie fractions ${tPlan}, ${tRaw}`);
      console.log(
        `      ${model}: ${m.samples} samples, ${m.plan.family === "squareMlp" ? `sw1 = ${m.plan.hiddenWeightScaleBits}, sw2` : "sw"} = ${m.sw}, sx = 8, featureBits = ${featureBits}; ` +
          `ε_plan = ${m.epsPlan.toExponential(2)} (2ε = ${(2 * m.epsPlan).toExponential(2)}), τ_plan = 2^${Math.log2(tauPlan)} = ${(tauPlan * 2 ** scoreScaleBits(m.plan)).toFixed(0)} score units, ` +
          `t_τ = ${(100 * tPlan).toFixed(2)}% (${m.samples - beyondPlan} samples); ` +
          `ε_end-to-end = ${m.epsEndToEnd.toExponential(2)}, τ_raw = 2^${Math.log2(tauRaw)}, t_τ = ${(100 * tRaw).toFixed(2)}% (${m.samples - beyondRaw}); ` +
          `argmax differs from the raw float plan on ${disagreeRaw}`,
      );
    });
  });
}
