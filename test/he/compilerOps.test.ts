/**
 * The ONNX -> HE plan compiler (offchain-worker/src/he/compiler), op by op: for every supported
 * linear or polynomial op, evaluatePlanPlain(plan, x) must equal onnxruntime-node on the same
 * graph. Graphs are float64 where onnxruntime has double kernels (agreement to 1e-9 relative);
 * Conv and the pools only have float32 kernels, so their graphs use dyadic weights and inputs
 * (multiples of 1/4 and 1/8) that float32 computes exactly, and stay at 1e-9 too, except where
 * a pool divides by 3, 6 or 9 (1e-6, float32 rounding). Also checks fusion and depth.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileOnnx, formatReport } from "../../offchain-worker/src/he/compiler/index.ts";
import { denseWeights, evaluatePlanPlain } from "@modelbazaar/sdk/he";
import { buildModel, DOUBLE, FLOAT, ints, tensor } from "../../scripts/lib/onnxGraph.ts";
import { agrees, values, weights } from "./compilerAgreement.ts";

describe("HE compiler: linear ops agree with onnxruntime", () => {
  describe("Gemm and MatMul", () => {
    it("Gemm with alpha, beta, transB and a [P] bias", async () => {
      const { plan } = await agrees({
        inputDims: [5],
        initializers: [weights("W", [3, 5], 1), weights("b", [3], 2)],
        nodes: [{ op: "Gemm", inputs: ["x", "W", "b"], outputs: ["y"], attributes: { transB: 1, alpha: { f: 0.5 }, beta: { f: 2 } } }],
      });
      assert.equal(plan.depth, 1);
    });

    it("Gemm with a [1, P] bias and no transposition; a second Gemm without bias fuses into the first", async () => {
      const { plan } = await agrees({
        inputDims: [4],
        initializers: [weights("W", [4, 3], 3), weights("b", [1, 3], 4), weights("W2", [3, 2], 5)],
        nodes: [
          { op: "Gemm", inputs: ["x", "W", "b"], outputs: ["h"] },
          { op: "Gemm", inputs: ["h", "W2"], outputs: ["y"] },
        ],
      });
      assert.equal(plan.layers.length, 1);
    });

    it("Gemm with transA on a constant A folds at compile time", async () => {
      await agrees({
        inputDims: [3],
        initializers: [weights("A", [3, 3], 6), weights("W", [3, 3], 7)],
        nodes: [
          { op: "Gemm", inputs: ["A", "W"], outputs: ["c"], attributes: { transA: 1 } },
          { op: "MatMul", inputs: ["x", "c"], outputs: ["y"] },
        ],
      });
    });

    it("MatMul of [N, S, K] data by [K, P], by a [1, K, P] weight, and of a [P, S] constant by the data", async () => {
      await agrees({
        inputDims: [2, 3],
        initializers: [weights("W", [3, 4], 8), weights("W3", [1, 4, 2], 9), weights("L", [5, 2], 10)],
        nodes: [
          { op: "MatMul", inputs: ["x", "W"], outputs: ["h"] },
          { op: "MatMul", inputs: ["h", "W3"], outputs: ["g"] },
          { op: "MatMul", inputs: ["L", "g"], outputs: ["y"] },
        ],
      });
    });

    it("MatMul by a rank-1 weight gives one score per sample", async () => {
      const { plan } = await agrees({ inputDims: [4], initializers: [weights("v", [4], 12)], nodes: [{ op: "MatMul", inputs: ["x", "v"], outputs: ["y"] }] });
      assert.equal(plan.outputSize, 1);
    });
  });

  describe("element-wise arithmetic with constants", () => {
    it("Add, Sub (both orders), Mul and Div by scalars and broadcast tensors, Neg, Sum", async () => {
      await agrees({
        inputDims: [2, 3],
        initializers: [tensor("s", [], [1.5]), weights("row", [3], 13), weights("col", [2, 1], 14), tensor("d", [1, 2, 3], [2, 4, 0.5, -8, 1, 0.25])],
        nodes: [
          { op: "Add", inputs: ["x", "s"], outputs: ["a"] },
          { op: "Sub", inputs: ["row", "a"], outputs: ["b"] },
          { op: "Mul", inputs: ["b", "col"], outputs: ["c"] },
          { op: "Div", inputs: ["c", "d"], outputs: ["e"] },
          { op: "Sub", inputs: ["e", "s"], outputs: ["f"] },
          { op: "Neg", inputs: ["f"], outputs: ["g"] },
          { op: "Sum", inputs: ["g", "x", "row"], outputs: ["y"] },
        ],
      });
    });

    it("a constant that broadcasts the data to a larger shape", async () => {
      const { plan } = await agrees({ inputDims: [1], initializers: [weights("w", [4], 15)], nodes: [{ op: "Mul", inputs: ["x", "w"], outputs: ["y"] }] });
      assert.equal(plan.outputSize, 4);
    });

    it("Constant-node arithmetic folds at compile time (value, value_float, value_ints)", async () => {
      const { report } = await agrees({
        inputDims: [3],
        nodes: [
          { op: "Constant", inputs: [], outputs: ["two"], attributes: { value_float: { f: 2 } } },
          { op: "Constant", inputs: [], outputs: ["w"], attributes: { value: { t: tensor("w", [3], [0.5, 0.25, 2]) } } },
          { op: "Constant", inputs: [], outputs: ["shape"], attributes: { value_ints: [-1, 3] } },
          { op: "Cast", inputs: ["two"], outputs: ["two64"], attributes: { to: DOUBLE } },
          { op: "Mul", inputs: ["w", "two64"], outputs: ["w2"] },
          { op: "Sqrt", inputs: ["w2"], outputs: ["r"] },
          { op: "Mul", inputs: ["x", "r"], outputs: ["m"] },
          { op: "Reshape", inputs: ["m", "shape"], outputs: ["y"] },
        ],
      });
      const fates = report.nodes.map((n) => `${n.opType}:${n.fate}`);
      assert.deepEqual(fates, ["Constant:folded", "Constant:folded", "Constant:folded", "Cast:folded", "Mul:folded", "Sqrt:folded", "Mul:lowered", "Reshape:lowered"]);
    });
  });

  describe("shapes and data movement", () => {
    it("Flatten, Transpose, Reshape with 0 and -1, Squeeze/Unsqueeze with axes inputs (opset 13)", async () => {
      await agrees({
        inputDims: [2, 3, 4],
        initializers: [ints("shape", [0, 4, -1]), ints("ax", [1]), ints("sq", [1])],
        nodes: [
          { op: "Transpose", inputs: ["x"], outputs: ["t"], attributes: { perm: [0, 3, 1, 2] } },
          { op: "Reshape", inputs: ["t", "shape"], outputs: ["r"] },
          { op: "Unsqueeze", inputs: ["r", "ax"], outputs: ["u"] },
          { op: "Squeeze", inputs: ["u", "sq"], outputs: ["q"] },
          { op: "Flatten", inputs: ["q"], outputs: ["y"] },
        ],
      });
    });

    it("Squeeze/Unsqueeze with axes attributes (opset 11) and Flatten at axis 2 over a unit axis", async () => {
      await agrees({
        opset: 11,
        inputDims: [3, 2],
        nodes: [
          { op: "Unsqueeze", inputs: ["x"], outputs: ["u"], attributes: { axes: [1, -1] } },
          { op: "Squeeze", inputs: ["u"], outputs: ["q"], attributes: { axes: [4] } },
          { op: "Flatten", inputs: ["q"], outputs: ["y"], attributes: { axis: 2 } },
        ],
      });
    });

    it("the Shape -> Gather -> Unsqueeze -> Concat -> Reshape chain of x.view(x.size(0), -1) folds", async () => {
      const { report, plan } = await agrees({
        inputDims: [2, 2, 2],
        initializers: [tensor("zero", [], [0], 7), ints("minus1", [-1]), ints("axes", [0])],
        nodes: [
          { op: "Shape", inputs: ["x"], outputs: ["s"] },
          { op: "Gather", inputs: ["s", "zero"], outputs: ["n"], attributes: { axis: 0 } },
          { op: "Unsqueeze", inputs: ["n", "axes"], outputs: ["n1"] },
          { op: "Concat", inputs: ["n1", "minus1"], outputs: ["shape"], attributes: { axis: 0 } },
          { op: "Reshape", inputs: ["x", "shape"], outputs: ["y"] },
        ],
      });
      assert.deepEqual(report.nodes.map((n) => n.fate), ["folded", "folded", "folded", "folded", "lowered"]);
      const [layer, ...rest] = plan.layers;
      assert.ok(layer?.kind === "linear" && rest.length === 0, "a pure reshape of the input is one identity layer (a plan ends with a linear layer)");
      assert.deepEqual([...denseWeights(layer)], Array.from({ length: 64 }, (_, k) => (k % 9 === 0 ? 1 : 0)));
    });

    it("Slice with inputs (negative step, opset 13) and with attributes (opset 9)", async () => {
      await agrees({
        inputDims: [3, 5],
        initializers: [ints("st", [4, 0]), ints("en", [-100, 3]), ints("ax", [2, 1]), ints("sp", [-2, 1])],
        nodes: [{ op: "Slice", inputs: ["x", "st", "en", "ax", "sp"], outputs: ["y"] }],
      });
      await agrees({ opset: 9, inputDims: [3, 5], nodes: [{ op: "Slice", inputs: ["x"], outputs: ["y"], attributes: { starts: [1, -4], ends: [3, 100], axes: [1, 2] } }] });
    });

    it("Gather with constant indices on a feature axis, Concat of data branches, Expand, Identity, Dropout, Cast", async () => {
      await agrees({
        inputDims: [4, 1],
        initializers: [tensor("idx", [2, 2], [3, 0, -1, 1], 7), ints("shapeG", [-1, 4, 1]), ints("shape", [1, 4, 3]), weights("w", [1, 4, 3], 16)],
        nodes: [
          { op: "Gather", inputs: ["x", "idx"], outputs: ["g"], attributes: { axis: 1 } },
          { op: "Reshape", inputs: ["g", "shapeG"], outputs: ["gr"] },
          { op: "Expand", inputs: ["x", "shape"], outputs: ["e"] },
          { op: "Mul", inputs: ["e", "w"], outputs: ["ew"] },
          { op: "Identity", inputs: ["ew"], outputs: ["i"] },
          { op: "Dropout", inputs: ["i"], outputs: ["d"] },
          { op: "Cast", inputs: ["d"], outputs: ["c"], attributes: { to: DOUBLE } },
          { op: "Concat", inputs: ["c", "gr"], outputs: ["y"], attributes: { axis: 2 } },
        ],
      });
    });

    it("a batch dimension written as -1, and an opset 21 graph (IR 10)", async () => {
      const bytes = buildModel({ opset: 21, input: { name: "x", dims: [-1, 2, 2] }, output: { name: "y" }, initializers: [ints("p", [0, 1, 1, 0, 0, 1])], nodes: [{ op: "Pad", inputs: ["x", "p"], outputs: ["y"], attributes: { mode: "edge" } }] });
      const x = values(8, 3);
      const { plan, report } = await compileOnnx(bytes, { calibration: x });
      assert.equal(report.input.dynamicBatch, true);
      assert.equal(report.opset, 21);
      assert.deepEqual(report.comparison, { samples: 2, argmaxAgreement: 1, maxAbsScoreDifference: 0, comparedOn: "scores" });
      assert.deepEqual(Array.from(evaluatePlanPlain(plan, [1, 2, 3, 4])), [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4]);
    });

    it("initializers also listed as graph inputs (keep_initializers_as_inputs) stay constants", async () => {
      const bytes = buildModel({ input: { name: "x", dims: ["N", 2] }, extraInputs: ["W"], output: { name: "y" }, initializers: [tensor("W", [2, 1], [3, -1])], nodes: [{ op: "MatMul", inputs: ["x", "W"], outputs: ["y"] }] });
      const { plan } = await compileOnnx(bytes);
      assert.deepEqual(Array.from(evaluatePlanPlain(plan, [1, 2])), [1]);
    });

    it("a fixed batch dimension of 1 works like a dynamic one", async () => {
      const bytes = buildModel({ input: { name: "x", dims: [1, 3] }, output: { name: "y" }, initializers: [ints("s", [1, 3])], nodes: [{ op: "Reshape", inputs: ["x", "s"], outputs: ["h"] }, { op: "Neg", inputs: ["h"], outputs: ["y"] }] });
      const { plan, report } = await compileOnnx(bytes);
      assert.deepEqual(Array.from(evaluatePlanPlain(plan, [1, -2, 3])), [-1, 2, -3]);
      assert.equal(report.input.dynamicBatch, false);
    });
  });

  describe("convolutions, pooling, normalisation and padding", () => {
    it("Conv 2-D with stride, pads, dilation, groups and bias (float32, dyadic)", async () => {
      await agrees({
        type: FLOAT,
        inputDims: [2, 6, 7],
        initializers: [weights("W", [4, 1, 3, 2], 17, FLOAT), weights("B", [4], 18, FLOAT)],
        nodes: [{ op: "Conv", inputs: ["x", "W", "B"], outputs: ["y"], attributes: { strides: [2, 1], pads: [1, 0, 2, 1], dilations: [1, 2], group: 2 } }],
      });
    });

    it("Conv 1-D with auto_pad SAME_UPPER and Conv 3-D VALID", async () => {
      await agrees({ type: FLOAT, inputDims: [2, 9], initializers: [weights("W", [3, 2, 4], 19, FLOAT)], nodes: [{ op: "Conv", inputs: ["x", "W"], outputs: ["y"], attributes: { auto_pad: "SAME_UPPER", strides: [2] } }] });
      await agrees({ type: FLOAT, inputDims: [1, 3, 3, 4], initializers: [weights("W", [2, 1, 2, 2, 3], 20, FLOAT)], nodes: [{ op: "Conv", inputs: ["x", "W"], outputs: ["y"], attributes: { auto_pad: "VALID" } }] });
    });

    it("AveragePool 2x2 with pads, excluding and including the padding, and with ceil_mode", async () => {
      for (const count_include_pad of [0, 1]) {
        await agrees({ type: FLOAT, inputDims: [2, 5, 5], nodes: [{ op: "AveragePool", inputs: ["x"], outputs: ["y"], attributes: { kernel_shape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad } }] });
      }
      await agrees({ type: FLOAT, inputDims: [1, 5, 5], nodes: [{ op: "AveragePool", inputs: ["x"], outputs: ["y"], attributes: { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 } }] });
    });

    it("AveragePool 3x3 and GlobalAveragePool (divisions by 3, 6, 9: float32 rounding)", async () => {
      await agrees({ type: FLOAT, inputDims: [2, 4, 4], nodes: [{ op: "AveragePool", inputs: ["x"], outputs: ["y"], attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } }] }, 1e-6);
      await agrees({ type: FLOAT, inputDims: [3, 3, 3], nodes: [{ op: "GlobalAveragePool", inputs: ["x"], outputs: ["y"] }] }, 1e-6);
    });

    it("BatchNormalization (inference) folds into a per-channel affine map", async () => {
      await agrees({
        inputDims: [3, 2, 2],
        initializers: [weights("s", [3], 21), weights("b", [3], 22), weights("m", [3], 23), tensor("v", [3], [0.5, 2, 4])],
        nodes: [{ op: "BatchNormalization", inputs: ["x", "s", "b", "m", "v"], outputs: ["y"], attributes: { epsilon: { f: 1e-3 } } }],
      });
    });

    it("ReduceMean and ReduceSum over feature axes", async () => {
      await agrees({ inputDims: [2, 3, 2], nodes: [{ op: "ReduceMean", inputs: ["x"], outputs: ["m"], attributes: { axes: [2, 3], keepdims: 0 } }, { op: "ReduceSum", inputs: ["m", "ax"], outputs: ["y"] }], initializers: [ints("ax", [1])] });
    });

    for (const mode of ["constant", "edge", "reflect"]) {
      it(`Pad ${mode} with pads and value as inputs (opset 13)`, async () => {
        await agrees({
          inputDims: [2, 3, 3],
          initializers: [ints("p", [0, 0, 2, 1, 0, 0, 1, 2]), ...(mode === "constant" ? [tensor("v", [], [0.75])] : [])],
          nodes: [{ op: "Pad", inputs: ["x", "p", mode === "constant" ? "v" : ""], outputs: ["y"], attributes: { mode } }],
        });
      });
    }

    it("Pad wrap (opset 19)", async () => {
      await agrees({ opset: 19, inputDims: [2, 3], initializers: [ints("p", [0, 0, 2, 0, 0, 3])], nodes: [{ op: "Pad", inputs: ["x", "p"], outputs: ["y"], attributes: { mode: "wrap" } }] });
    });

    it("Pad with attributes (opset 9) and with an axes input (opset 18)", async () => {
      await agrees({ opset: 9, inputDims: [2, 3], nodes: [{ op: "Pad", inputs: ["x"], outputs: ["y"], attributes: { pads: [0, 1, 2, 0, 0, 1], value: { f: -1 }, mode: "constant" } }] });
      await agrees({ opset: 18, inputDims: [2, 3], initializers: [ints("p", [1, 2]), ints("a", [-1])], nodes: [{ op: "Pad", inputs: ["x", "p", "", "a"], outputs: ["y"], attributes: { mode: "reflect" } }] });
    });
  });

  describe("a trailing Softmax or LogSoftmax", () => {
    const cases: [string, number, number | undefined][] = [
      ["Softmax", 11, 1],
      ["Softmax", 13, 1],
      ["LogSoftmax", 13, undefined],
      ["LogSoftmax", 9, 2],
    ];
    for (const [op, opset, axis] of cases) {
      it(`${op} (opset ${opset}, axis ${axis ?? "default"}) on [N, 2, 3] scores is dropped and re-applied exactly for the comparison`, async () => {
        const bytes = buildModel({
          opset,
          input: { name: "x", dims: ["N", 2, 3] },
          output: { name: "y" },
          initializers: [weights("w", [2, 3], 40)],
          nodes: [
            { op: "Mul", inputs: ["x", "w"], outputs: ["s"] },
            { op, inputs: ["s"], outputs: ["y"], attributes: axis === undefined ? {} : { axis } },
          ],
        });
        const { plan, report } = await compileOnnx(bytes, { calibration: values(5 * 6, 41) });
        assert.equal(plan.outputSize, 6);
        assert.equal(report.nodes[1]!.fate, "dropped");
        assert.equal(report.comparison?.comparedOn, op);
        assert.ok(report.comparison!.maxAbsScoreDifference < 1e-12, `difference ${report.comparison!.maxAbsScoreDifference}`);
      });
    }
  });

  describe("polynomial activations and fusion", () => {
    it("Mul(x, x) directly on the input needs no linear layer before its monomials", async () => {
      const { plan, report } = await agrees({ inputDims: [3], nodes: [{ op: "Mul", inputs: ["x", "x"], outputs: ["y"] }] });
      assert.deepEqual(plan.layers.map((l) => l.kind), ["monomials", "linear"]);
      assert.equal(report.nodes[0]!.fate, "polynomial");
    });

    it("a polynomial activation written out (0.25*h*h + 0.5*h + 1) and a residual h + h*h reuse the monomials' x block", async () => {
      const { plan, report } = await agrees({
        inputDims: [3],
        initializers: [weights("W", [3, 4], 32), tensor("a", [], [0.25]), tensor("b", [], [0.5]), tensor("c", [], [1]), weights("W2", [4, 2], 33)],
        nodes: [
          { op: "MatMul", inputs: ["x", "W"], outputs: ["h"] },
          { op: "Mul", inputs: ["h", "h"], outputs: ["s"] },
          { op: "Mul", inputs: ["s", "a"], outputs: ["t1"] },
          { op: "Mul", inputs: ["b", "h"], outputs: ["t2"] },
          { op: "Add", inputs: ["t1", "t2"], outputs: ["u"] },
          { op: "Add", inputs: ["u", "c"], outputs: ["p"] },
          { op: "Add", inputs: ["p", "h"], outputs: ["r"] },
          { op: "MatMul", inputs: ["r", "W2"], outputs: ["y"] },
        ],
      });
      assert.deepEqual(plan.layers.map((l) => l.kind), ["linear", "monomials", "linear"]);
      assert.deepEqual(report.nodes.map((n) => n.layer), [0, 1, 2, 2, 2, 2, 2, 2]);
    });

    it("Pow(x, 2) and Pow(x, 3): degree-3 monomials cost two levels", async () => {
      const { plan } = await agrees({
        inputDims: [3],
        initializers: [weights("W", [3, 3], 24), tensor("two", [], [2]), tensor("three", [], [3]), weights("W2", [3, 2], 25)],
        nodes: [
          { op: "MatMul", inputs: ["x", "W"], outputs: ["h"] },
          { op: "Pow", inputs: ["h", "three"], outputs: ["c"] },
          { op: "MatMul", inputs: ["c", "W2"], outputs: ["g"] },
          { op: "Pow", inputs: ["g", "two"], outputs: ["y"] },
        ],
      }, 1e-9);
      assert.deepEqual(plan.layers.map((l) => l.kind), ["linear", "monomials", "linear", "monomials", "linear"]);
      assert.equal(plan.depth, 1 + 2 + 1 + 1 + 1);
    });

    it("Pow(x, 4) and Pow(x, 6) by repeated squaring: x^2 or x^3, then squares, one level each", async () => {
      for (const [p, kinds, depth] of [
        [4, ["linear", "monomials", "linear", "monomials", "linear"], 1 + 1 + 1 + 1 + 1],
        [6, ["linear", "monomials", "linear", "monomials", "linear"], 1 + 2 + 1 + 1 + 1],
      ] as const) {
        const { plan } = await agrees({
          inputDims: [3],
          initializers: [tensor("W", [3, 3], [0.5, -0.25, 0.125, 0.25, 0.5, -0.5, -0.125, 0.25, 0.5]), tensor("p", [], [p])],
          nodes: [
            { op: "MatMul", inputs: ["x", "W"], outputs: ["h"] },
            { op: "Pow", inputs: ["h", "p"], outputs: ["y"] },
          ],
        }, 1e-9);
        assert.deepEqual(plan.layers.map((l) => l.kind), kinds, `x^${p}`);
        assert.equal(plan.depth, depth, `x^${p}`);
      }
    });

    it("Conv -> BatchNormalization -> AveragePool -> Flatten -> Gemm becomes one linear layer (depth 1)", async () => {
      const { plan, report } = await agrees(
        {
          type: FLOAT,
          inputDims: [1, 6, 6],
          initializers: [
            weights("W", [2, 1, 3, 3], 26, FLOAT),
            weights("s", [2], 27, FLOAT),
            weights("b", [2], 28, FLOAT),
            weights("m", [2], 29, FLOAT),
            tensor("v", [2], [0.5, 2], FLOAT),
            weights("G", [3, 8], 30, FLOAT),
            weights("c", [3], 31, FLOAT),
          ],
          nodes: [
            { op: "Conv", inputs: ["x", "W"], outputs: ["h"], attributes: { pads: [1, 1, 1, 1] } },
            { op: "BatchNormalization", inputs: ["h", "s", "b", "m", "v"], outputs: ["n"] },
            { op: "AveragePool", inputs: ["n"], outputs: ["p"], attributes: { kernel_shape: [2, 2], strides: [3, 3] } },
            { op: "Flatten", inputs: ["p"], outputs: ["f"] },
            { op: "Gemm", inputs: ["f", "G", "c"], outputs: ["y"], attributes: { transB: 1 } },
          ],
        },
        1e-5,
      );
      assert.equal(plan.layers.length, 1);
      assert.equal(plan.depth, 1);
      assert.ok(report.nodes.every((n) => n.fate === "lowered" && n.layer === 0));
      assert.deepEqual(plan.layers[0]!.source, ["Conv_0", "BatchNormalization_1", "AveragePool_2", "Flatten_3", "Gemm_4"]);
      const layer = plan.layers[0]!;
      const nonzero = layer.kind === "linear" ? denseWeights(layer).filter((w) => w !== 0).length : -1;
      assert.ok(nonzero > 0);
      assert.equal(report.layers[0]!.nonzeroWeights, nonzero);
      assert.equal(report.nonzeroWeights, nonzero);
      assert.match(formatReport(report), /depth 1, 1 layers, \d+ nonzero weights/);
    });
  });
});
