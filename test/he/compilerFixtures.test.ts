/**
 * The ONNX -> HE plan compiler on models made by real exporters (test/fixtures/onnx, written
 * by scripts/fixtures/make-onnx-fixtures.py with torch.onnx.export and onnx.helper) and on the
 * project's trained models (models/*.onnx, when present), against onnxruntime-node: exact
 * (1e-9 relative) for the float64 helper graphs, float32 rounding (1e-5 relative) for the
 * float32 exports, the stated bound for approximated activations; the report's node fates,
 * depth and comparison.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { compileOnnx, type CompileResult } from "../../offchain-worker/src/he/compiler/index.ts";
import { denseWeights, evaluatePlanPlain, type HePlan, type LinearLayer } from "@modelbazaar/sdk/he";
import { loadIris } from "../../scripts/lib/datasets/iris.ts";
import { loadMnist } from "../../scripts/lib/datasets/mnist.ts";
import { DOUBLE, FLOAT, runModel } from "../../scripts/lib/onnxGraph.ts";
import { seededRandom } from "../helpers/seededRandom.ts";

const FIXTURES = new URL("../fixtures/onnx/", import.meta.url);
const MODELS = new URL("../../models/", import.meta.url);
const SAMPLES = 64;

function gaussian(count: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: count }, () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
}

interface Compared extends CompileResult {
  /** Largest |plan - onnxruntime| relative to max(1, |onnxruntime|), per output index. */
  readonly worst: number;
  readonly diffs: Float64Array;
  /** Argmax agreement counted here, to check the report's. */
  readonly agreement: number;
}

function argmax(v: ArrayLike<number>, from: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; ++k) if (v[from + k]! > v[from + best]!) best = k;
  return best;
}

/** Row sums of |W2| of a Gemm -> activation -> Gemm plan: the x^1 weights of the last layer divided by c1. */
function headRowSums(plan: HePlan): number[] {
  const monomials = plan.layers[1]!;
  const last = plan.layers[2] as LinearLayer;
  const c1 = monomials.kind === "monomials" ? (monomials.activation.coefficients?.[1] ?? 0) : 0;
  assert.ok(c1 !== 0, "the fitted polynomial has a linear term");
  const weights = denseWeights(last);
  return Array.from({ length: last.outputSize }, (_, j) => {
    let sum = 0;
    for (let i = 0; i < monomials.inputSize; ++i) sum += Math.abs(weights[j * last.inputSize + i]! / c1);
    return sum;
  });
}

/** Compiles with calibration, runs onnxruntime and the plan on the same samples, compares element-wise. */
async function compare(bytes: Uint8Array, sampleDims: readonly number[], type: number, x: Float64Array, options: { polynomialDegree?: 2 | 3 } = {}): Promise<Compared> {
  const size = sampleDims.reduce((p, d) => p * d, 1);
  const count = x.length / size;
  const result = await compileOnnx(bytes, { calibration: x, ...options });
  const expected = await runModel(bytes, "input", x, [count, ...sampleDims], type);
  const { plan, report } = result;
  const softmax = report.nodes.some((n) => n.fate === "dropped");
  let worst = 0;
  let agree = 0;
  const diffs = new Float64Array(count * plan.outputSize);
  for (let s = 0; s < count; ++s) {
    let y = evaluatePlanPlain(plan, x.subarray(s * size, (s + 1) * size));
    if (softmax) {
      const m = Math.max(...y);
      const e = y.map((v) => Math.exp(v - m));
      const total = e.reduce((a, b) => a + b, 0);
      y = e.map((v) => v / total);
    }
    if (argmax(y, 0, y.length) === argmax(expected, s * plan.outputSize, plan.outputSize)) ++agree;
    for (let j = 0; j < y.length; ++j) {
      const e = expected[s * plan.outputSize + j]!;
      diffs[s * plan.outputSize + j] = Math.abs(y[j]! - e);
      worst = Math.max(worst, Math.abs(y[j]! - e) / Math.max(1, Math.abs(e)));
    }
  }
  assert.equal(result.report.comparison?.argmaxAgreement, agree / count, "the report's argmax agreement");
  return { ...result, worst, diffs, agreement: agree / count };
}

const fixture = (name: string) => readFileSync(new URL(`${name}.onnx`, FIXTURES));

describe("HE compiler on exported models", () => {
  describe("torch.onnx.export fixtures (float32)", () => {
    it("Linear + Softmax: one linear layer, the Softmax dropped and re-applied for the comparison", async () => {
      const r = await compare(fixture("torch-linear-softmax"), [4], FLOAT, gaussian(SAMPLES * 4, 1));
      assert.ok(r.worst < 1e-5, `worst ${r.worst}`);
      assert.deepEqual(r.report.nodes.map((n) => `${n.opType}:${n.fate}`), ["Gemm:lowered", "Softmax:dropped"]);
      assert.equal(r.plan.depth, 1);
      assert.equal(r.report.comparison?.comparedOn, "Softmax");
      assert.equal(r.report.comparison?.argmaxAgreement, 1);
    });

    it("Conv + BatchNorm + (Pad) AvgPool + x*x + Linear: depth 3, BN and pool fused into the conv layer", async () => {
      const r = await compare(fixture("torch-conv-bn-pool-square"), [1, 8, 8], FLOAT, gaussian(SAMPLES * 64, 2));
      assert.ok(r.worst < 1e-5, `worst ${r.worst}`);
      assert.deepEqual(r.plan.layers.map((l) => l.kind), ["linear", "monomials", "linear"]);
      assert.equal(r.plan.depth, 3);
      const first = r.plan.layers[0]!.source;
      for (const op of ["Conv", "BatchNormalization", "Pad", "AveragePool"]) assert.ok(first.some((s) => s.includes(op)), `${op} in layer 0: ${first.join(", ")}`);
      assert.equal(r.report.comparison?.argmaxAgreement, 1);
      assert.ok(r.report.comparison!.maxAbsScoreDifference < 1e-4);
    });

    it("x.view(x.size(0), -1) after Conv and pow(2): the Shape/Gather/Unsqueeze/Concat chain folds", async () => {
      const r = await compare(fixture("torch-view-flatten"), [1, 8, 8], FLOAT, gaussian(SAMPLES * 64, 3));
      assert.ok(r.worst < 1e-5, `worst ${r.worst}`);
      const fates = new Map(r.report.nodes.map((n) => [n.opType, n.fate]));
      for (const op of ["Shape", "Gather", "Unsqueeze", "Concat", "Constant"]) assert.equal(fates.get(op), "folded", op);
      assert.equal(fates.get("Pow"), "polynomial");
      assert.equal(r.plan.depth, 3);
    });

    for (const [name, op] of [["torch-relu-mlp", "Relu"], ["torch-tanh-mlp", "Tanh"]] as const) {
      for (const degree of [2, 3] as const) {
        it(`${op} MLP at degree ${degree}: within the stated bound of onnxruntime, argmax agreement reported`, async () => {
          const x = gaussian(SAMPLES * 6, 4);
          const r = await compare(fixture(name), [6], FLOAT, x, { polynomialDegree: degree });
          const act = r.report.nodes.find((n) => n.opType === op)!;
          assert.equal(act.fate, "approximated");
          const bounds = headRowSums(r.plan).map((sum) => act.maxError! * sum);
          for (let s = 0; s < SAMPLES; ++s) {
            for (let j = 0; j < 3; ++j) assert.ok(r.diffs[s * 3 + j]! <= bounds[j]! + 1e-5, `sample ${s} output ${j}: ${r.diffs[s * 3 + j]} > ${bounds[j]}`);
          }
          assert.ok(r.agreement >= 0.75, `argmax agreement ${r.agreement}`);
        });
      }
    }
  });

  describe("onnx.helper fixtures (float64)", () => {
    it("Pad constant/edge/reflect (opset 11) concatenated: exact", async () => {
      const r = await compare(fixture("helper-pad-modes-opset11"), [2, 3, 4], DOUBLE, gaussian(SAMPLES * 24, 5));
      assert.ok(r.worst < 1e-9, `worst ${r.worst}`);
      assert.equal(r.plan.depth, 1);
    });

    it("opset 9 attribute forms (Pad, Unsqueeze, Squeeze, Slice), BatchNormalization, Reshape, Gemm: exact, one layer", async () => {
      const r = await compare(fixture("helper-old-opset9"), [3, 4], DOUBLE, gaussian(SAMPLES * 12, 6));
      assert.ok(r.worst < 1e-9, `worst ${r.worst}`);
      assert.equal(r.report.opset, 9);
      assert.equal(r.plan.layers.length, 1);
    });
  });

  describe("the project's trained models (models/*.onnx)", () => {
    const cases = [
      { name: "iris-logreg", depth: 1, data: () => loadIris().test },
      { name: "iris-square-mlp", depth: 3, data: () => loadIris().test },
      { name: "mnist-logreg", depth: 1, data: () => loadMnist().test },
      { name: "mnist-cryptonets", depth: 5, data: () => loadMnist().test },
    ];
    for (const { name, depth, data } of cases) {
      const file = new URL(`${name}.onnx`, MODELS);
      it(`${name}: argmax agreement >= 99.5% and scores within 1e-3 of onnxruntime on the test split`, { skip: !existsSync(file) && "model not trained yet" }, async () => {
        const test = data();
        const samples = Math.min(test.sampleCount, 300);
        const x = test.features.subarray(0, samples * test.featureCount);
        const { plan, report } = await compileOnnx(readFileSync(file), { calibration: x });
        assert.equal(plan.depth, depth);
        assert.ok(report.comparison!.argmaxAgreement >= 0.995, `agreement ${report.comparison!.argmaxAgreement}`);
        assert.ok(report.comparison!.maxAbsScoreDifference <= 1e-3, `max diff ${report.comparison!.maxAbsScoreDifference}`);
      });
    }
  });
});
