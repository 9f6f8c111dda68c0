/**
 * The ONNX -> HE plan compiler's polynomial approximations of Relu, Sigmoid and Tanh
 * (offchain-worker/src/he/compiler/polynomialFit.ts and the activation lowering): the fit
 * itself against the closed-form least-squares quadratic of Relu, and whole models against
 * onnxruntime-node: every output within the bound the report states (the activation's max
 * error, propagated through the next layer's weights), the report's argmax agreement equal to
 * one counted here, maxMagnitude equal to the largest layer output, and the synthetic
 * calibration used (and said) when no data is given.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileOnnx } from "../../offchain-worker/src/he/compiler/index.ts";
import { RANGE_MARGIN } from "../../offchain-worker/src/he/compiler/activationFit.ts";
import { evaluatePolynomial, fitPolynomial } from "../../offchain-worker/src/he/compiler/polynomialFit.ts";
import { denseWeights, evaluatePlanPlain, type HePlan, type LinearLayer } from "@modelbazaar/sdk/he";
import { buildModel, runModel, tensor } from "../../scripts/lib/onnxGraph.ts";
import { seededRandom } from "../helpers/seededRandom.ts";

const SAMPLES = 200;

function gaussian(count: number, seed: number, scale = 1): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: count }, () => scale * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
}

/** x [N, 6] -> Gemm 6->5 -> act -> Gemm 5->3 (or the activation as the output when `head` is false). */
function mlp(op: string, head = true): Uint8Array {
  return buildModel({
    input: { name: "x", dims: ["batch", 6] },
    output: { name: "y" },
    initializers: [tensor("W1", [5, 6], gaussian(30, 1)), tensor("b1", [5], gaussian(5, 2)), ...(head ? [tensor("W2", [3, 5], gaussian(15, 3)), tensor("b2", [3], gaussian(3, 4))] : [])],
    nodes: [
      { op: "Gemm", inputs: ["x", "W1", "b1"], outputs: ["h"], attributes: { transB: 1 } },
      { op, inputs: ["h"], outputs: [head ? "a" : "y"], name: "act" },
      ...(head ? [{ op: "Gemm", inputs: ["a", "W2", "b2"], outputs: ["y"], attributes: { transB: 1 } }] : []),
    ],
  });
}

function planOutputs(plan: HePlan, x: Float64Array): Float64Array {
  const out = new Float64Array(SAMPLES * plan.outputSize);
  for (let s = 0; s < SAMPLES; ++s) out.set(evaluatePlanPlain(plan, x.subarray(s * plan.inputSize, (s + 1) * plan.inputSize)), s * plan.outputSize);
  return out;
}

function argmax(v: Float64Array, from: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; ++k) if (v[from + k]! > v[from + best]!) best = k;
  return best;
}

describe("HE compiler: polynomial approximations", () => {
  it("fits Relu on [-1, 1] with the least-squares quadratic 3/32 + x/2 + 15/32 x^2 (max error 3/32 at 0)", () => {
    const fit = fitPolynomial((x) => Math.max(0, x), [-1, 1], 2);
    [3 / 32, 1 / 2, 15 / 32].forEach((c, k) => assert.ok(Math.abs(fit.coefficients[k]! - c) < 1e-3, `c${k} = ${fit.coefficients[k]}`));
    assert.ok(Math.abs(fit.maxError - 3 / 32) < 1e-3);
    const shifted = fitPolynomial(Math.tanh, [1, 5], 3);
    for (const x of [1, 2.5, 5]) assert.ok(Math.abs(evaluatePolynomial(shifted.coefficients, x) - Math.tanh(x)) <= shifted.maxError + 1e-12);
  });

  for (const [op, degree] of [["Relu", 2], ["Sigmoid", 3], ["Tanh", 3], ["Relu", 3]] as const) {
    it(`${op} at degree ${degree}: every output within the stated bound of onnxruntime`, async () => {
      const x = gaussian(SAMPLES * 6, 50 + degree);
      for (const head of [false, true]) {
        const bytes = mlp(op, head);
        const { plan, report } = await compileOnnx(bytes, { calibration: x, polynomialDegree: degree });
        const expected = await runModel(bytes, "x", x, [SAMPLES, 6]);
        const got = planOutputs(plan, x);
        const act = report.nodes.find((n) => n.name === "act")!;
        assert.equal(act.fate, "approximated");
        assert.equal(act.layer, 1);
        const monomials = plan.layers[1]!;
        assert.ok(monomials.kind === "monomials" && monomials.degree === degree && monomials.activation.op === op);
        assert.equal(act.maxError, monomials.activation.maxError);
        const maxError = act.maxError!;
        assert.ok(maxError > 0 && Number.isFinite(maxError), `max error ${maxError}`);
        // The last linear layer carries the coefficients and the head: a row's error is at most maxError * sum |W2 row|.
        const bounds = head ? [0, 1, 2].map((j) => maxError * [0, 1, 2, 3, 4].reduce((s, i) => s + Math.abs(gaussian(15, 3)[j * 5 + i]!), 0)) : [0, 1, 2, 3, 4].map(() => maxError);
        for (let s = 0; s < SAMPLES; ++s) {
          for (let j = 0; j < plan.outputSize; ++j) {
            const diff = Math.abs(got[s * plan.outputSize + j]! - expected[s * plan.outputSize + j]!);
            assert.ok(diff <= bounds[j]! + 1e-9, `sample ${s} output ${j}: ${diff} > ${bounds[j]}`);
          }
        }
        assert.equal(plan.depth, 1 + Math.ceil(Math.log2(degree)) + 1);
        let agree = 0;
        let maxDiff = 0;
        for (let s = 0; s < SAMPLES; ++s) {
          if (argmax(got, s * plan.outputSize, plan.outputSize) === argmax(expected, s * plan.outputSize, plan.outputSize)) ++agree;
          for (let j = 0; j < plan.outputSize; ++j) maxDiff = Math.max(maxDiff, Math.abs(got[s * plan.outputSize + j]! - expected[s * plan.outputSize + j]!));
        }
        assert.deepEqual(report.comparison, { samples: SAMPLES, argmaxAgreement: agree / SAMPLES, maxAbsScoreDifference: maxDiff, comparedOn: "scores" });
      }
    });
  }

  it("fits over the observed input range of the node, widened by a margin", async () => {
    const x = gaussian(SAMPLES * 6, 7);
    const { plan } = await compileOnnx(mlp("Tanh"), { calibration: x });
    const first = plan.layers[0] as LinearLayer;
    const weights = denseWeights(first);
    let min = Infinity;
    let max = -Infinity;
    for (let s = 0; s < SAMPLES; ++s) {
      for (let j = 0; j < first.outputSize; ++j) {
        let v = first.bias[j]!;
        for (let i = 0; i < 6; ++i) v += weights[j * 6 + i]! * x[s * 6 + i]!;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    const [lo, hi] = (plan.layers[1]!.kind === "monomials" && plan.layers[1]!.activation.range) || [NaN, NaN];
    const margin = RANGE_MARGIN * (max - min);
    assert.ok(Math.abs(lo - (min - margin)) < 1e-9 && Math.abs(hi - (max + margin)) < 1e-9, `range [${lo}, ${hi}] vs observed [${min}, ${max}]`);
  });

  it("maxMagnitude is the largest |value| at the input and any layer output over the calibration data", async () => {
    const x = gaussian(SAMPLES * 6, 8, 3);
    const { plan } = await compileOnnx(mlp("Relu"), { calibration: x });
    let largest = 0;
    for (let s = 0; s < SAMPLES; ++s) {
      for (let k = 0; k <= plan.layers.length; ++k) {
        const partial: HePlan = { ...plan, layers: plan.layers.slice(0, k) };
        for (const v of evaluatePlanPlain(partial, x.subarray(s * 6, (s + 1) * 6))) largest = Math.max(largest, Math.abs(v));
      }
    }
    assert.ok(Math.abs(plan.maxMagnitude - largest) <= 1e-12 * largest, `${plan.maxMagnitude} vs ${largest}`);
  });

  it("without calibration data, calibrates on a deterministic synthetic sample and says so", async () => {
    const a = await compileOnnx(mlp("Sigmoid"));
    const b = await compileOnnx(mlp("Sigmoid"));
    assert.equal(a.report.calibration.source, "synthetic");
    assert.match(a.report.calibration.description, /synthetic/);
    assert.equal(a.report.comparison, undefined);
    assert.deepEqual(a.plan.layers[1], b.plan.layers[1]);
    const withData = await compileOnnx(mlp("Sigmoid"), { calibration: gaussian(60, 9, 5) });
    assert.notDeepEqual(withData.plan.layers[1], a.plan.layers[1], "real data changes the fitted range");
    assert.equal(withData.report.calibration.source, "provided");
  });
});
