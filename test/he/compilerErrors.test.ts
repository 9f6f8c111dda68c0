/**
 * The ONNX -> HE plan compiler's unhappy paths: models it must refuse (non-polynomial ops,
 * custom domains, ops that would mix the samples of a batch, skip connections around an
 * activation, a Softmax that is not last, unusable inputs and outputs, too old an opset),
 * bytes that are not ONNX, and bad options. Every refusal must name the node (name and op
 * type) and say why, so a seller knows what to change.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileOnnx, MalformedModelError, UnsupportedModelError } from "../../offchain-worker/src/he/compiler/index.ts";
import { buildModel, DOUBLE, ints, INT64, tensor, type ModelSpec } from "../../scripts/lib/onnxGraph.ts";

type Graph = Omit<ModelSpec, "input" | "output"> & { inputDims?: readonly (number | string)[]; inputType?: number };

function model(graph: Graph): Uint8Array {
  return buildModel({ ...graph, input: { name: "x", dims: graph.inputDims ?? ["N", 4], type: graph.inputType ?? DOUBLE }, output: { name: "y" } });
}

/** Asserts that compiling refuses the model, naming each [name, opType] and a reason matching `because`. */
async function refuses(graph: Graph, offenders: [string, string, RegExp][]): Promise<UnsupportedModelError> {
  const error = await compileOnnx(model(graph)).then(
    () => assert.fail("the model compiled"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof UnsupportedModelError, `expected UnsupportedModelError, got ${String(error)}`);
  assert.deepEqual(
    error.nodes.map((n) => [n.name, n.opType]),
    offenders.map(([name, op]) => [name, op]),
  );
  offenders.forEach(([name, op, because], i) => {
    assert.match(error.nodes[i]!.reason, because);
    assert.ok(error.message.includes(`"${name}" (${op})`), `the message names ${name} (${op}): ${error.message}`);
  });
  return error;
}

async function refusesModel(graph: Graph, because: RegExp): Promise<void> {
  await assert.rejects(compileOnnx(model(graph)), (e: unknown) => e instanceof UnsupportedModelError && because.test(e.message));
}

const W = tensor("W", [4, 4], Array.from({ length: 16 }, (_, i) => (i % 5) - 2));

describe("HE compiler: refusals and bad input", () => {
  describe("unsupported nodes are named with a reason", () => {
    it("MaxPool, with advice", async () => {
      await refuses({ inputDims: ["N", 1, 4, 4], nodes: [{ op: "MaxPool", inputs: ["x"], outputs: ["y"], name: "pool1", attributes: { kernel_shape: [2, 2] } }] }, [
        ["pool1", "MaxPool", /AveragePool/],
      ]);
    });

    it("every offending node at once, and not their dependants", async () => {
      await refuses(
        {
          nodes: [
            { op: "Abs", inputs: ["x"], outputs: ["a"], name: "abs" },
            { op: "Gather", inputs: ["x", "i"], outputs: ["g"], name: "rows", attributes: { axis: 0 } },
            { op: "Erf", inputs: ["x"], outputs: ["e"], name: "erf" },
            { op: "Add", inputs: ["a", "g"], outputs: ["s"], name: "sum" },
            { op: "Add", inputs: ["s", "e"], outputs: ["y"], name: "total" },
          ],
          initializers: [tensor("i", [1], [0], INT64)],
        },
        [
          ["abs", "Abs", /not a polynomial/],
          ["rows", "Gather", /batch axis/],
          ["erf", "Erf", /no linear or polynomial form/],
        ],
      );
    });

    it("Gather whose indices are the data (a table lookup)", async () => {
      await refuses(
        { nodes: [{ op: "Gather", inputs: ["table", "x"], outputs: ["y"], name: "embed" }], initializers: [tensor("table", [8, 2], Array.from({ length: 16 }, (_, i) => i))] },
        [["embed", "Gather", /indices depend on the input data/]],
      );
    });

    it("custom-domain operators", async () => {
      await refuses({ nodes: [{ op: "FusedGemm", inputs: ["x", "W"], outputs: ["y"], name: "fg", domain: "com.microsoft" }], initializers: [W] }, [["fg", "FusedGemm", /custom operator of domain "com.microsoft"/]]);
      await refuses({ nodes: [{ op: "LinearRegressor", inputs: ["x"], outputs: ["y"], name: "sk", domain: "ai.onnx.ml" }] }, [["sk", "LinearRegressor", /ONNX-ML operator.*scikit-learn/]]);
    });

    it("products and quotients of data that are not squares", async () => {
      await refuses({ nodes: [{ op: "Neg", inputs: ["x"], outputs: ["n"] }, { op: "Mul", inputs: ["x", "n"], outputs: ["y"], name: "xy" }] }, [["xy", "Mul", /two different data-dependent tensors/]]);
      await refuses({ nodes: [{ op: "Div", inputs: ["one", "x"], outputs: ["y"], name: "inv" }], initializers: [tensor("one", [], [1])] }, [["inv", "Div", /divides by data/]]);
      await refuses({ nodes: [{ op: "Div", inputs: ["x", "z"], outputs: ["y"], name: "byzero" }], initializers: [tensor("z", [4], [1, 0, 2, 3])] }, [["byzero", "Div", /holds zeros/]]);
      await refuses({ nodes: [{ op: "Pow", inputs: ["x", "p"], outputs: ["y"], name: "p5" }], initializers: [tensor("p", [], [5])] }, [["p5", "Pow", /powers 1, 2, 3 of data and their repeated squares \(4, 6, 8, 12, ...\) are supported, found exponent 5/]]);
      await refuses({ nodes: [{ op: "Transpose", inputs: ["x"], outputs: ["t"], name: "tr" }, { op: "MatMul", inputs: ["x", "t"], outputs: ["y"], name: "self" }] }, [["tr", "Transpose", /moves the batch axis/]]);
    });

    it("ops that would mix the samples of a batch", async () => {
      await refuses({ nodes: [{ op: "Reshape", inputs: ["x", "s"], outputs: ["y"], name: "flat" }], initializers: [ints("s", [-1])] }, [["flat", "Reshape", /mix samples/]]);
      await refuses({ nodes: [{ op: "Flatten", inputs: ["x"], outputs: ["y"], name: "f0", attributes: { axis: 0 } }] }, [["f0", "Flatten", /merge samples/]]);
      await refuses({ nodes: [{ op: "ReduceSum", inputs: ["x", "a"], outputs: ["y"], name: "rs" }], initializers: [ints("a", [0])] }, [["rs", "ReduceSum", /batch axis/]]);
      await refuses({ nodes: [{ op: "Softmax", inputs: ["x"], outputs: ["y"], name: "sm", attributes: { axis: 0 } }] }, [["sm", "Softmax", /across the batch/]]);
      await refuses({ nodes: [{ op: "Gemm", inputs: ["x", "W"], outputs: ["y"], name: "gt", attributes: { transA: 1 } }], initializers: [W] }, [["gt", "Gemm", /A is data and transposed/]]);
      await refuses({ nodes: [{ op: "Gemm", inputs: ["W", "x"], outputs: ["y"], name: "gd" }], initializers: [W] }, [["gd", "Gemm", /B depends on the data/]]);
    });

    it("a skip connection around an activation (other than its own input), and a Softmax that is not last", async () => {
      await refuses(
        {
          nodes: [
            { op: "Neg", inputs: ["x"], outputs: ["n"] },
            { op: "Mul", inputs: ["x", "x"], outputs: ["s"] },
            { op: "Add", inputs: ["s", "n"], outputs: ["y"], name: "residual" },
          ],
        },
        [["residual", "Add", /skip connection/]],
      );
      await refuses({ nodes: [{ op: "Softmax", inputs: ["x"], outputs: ["p"] }, { op: "MatMul", inputs: ["p", "W"], outputs: ["y"], name: "after" }], initializers: [W] }, [["after", "MatMul", /Softmax.*last operation/]]);
    });
  });

  describe("models the plan cannot take at all", () => {
    it("inputs: two data inputs, integer features, no batch axis, a dynamic feature axis", async () => {
      const two = buildModel({ input: { name: "x", dims: ["N", 4] }, extraInputs: ["z"], output: { name: "y" }, nodes: [{ op: "Add", inputs: ["x", "z"], outputs: ["y"] }] });
      await assert.rejects(compileOnnx(two), /exactly one data input.*it has 2: x, z/);
      await refusesModel({ inputType: INT64, nodes: [{ op: "Identity", inputs: ["x"], outputs: ["y"] }] }, /must be a float tensor/);
      await refusesModel({ inputDims: [4], nodes: [{ op: "Identity", inputs: ["x"], outputs: ["y"] }] }, /leading batch dimension/);
      await refusesModel({ inputDims: ["N", "T"], nodes: [{ op: "Identity", inputs: ["x"], outputs: ["y"] }] }, /dynamic dimension at axis 1/);
    });

    it("an output that does not depend on the input, and an opset older than 9", async () => {
      await refusesModel({ nodes: [{ op: "Identity", inputs: ["W"], outputs: ["y"] }], initializers: [W] }, /does not depend on the input/);
      await refusesModel({ opset: 8, nodes: [{ op: "Identity", inputs: ["x"], outputs: ["y"] }] }, /opset 8/);
    });
  });

  describe("bytes that are not an ONNX model", () => {
    const good = model({ nodes: [{ op: "MatMul", inputs: ["x", "W"], outputs: ["y"] }], initializers: [W] });
    const cases: [string, Uint8Array, RegExp][] = [
      ["empty", new Uint8Array(0), /empty/],
      ["truncated", good.subarray(0, good.length - 30), /not a valid ONNX model.*truncated/],
      ["text", new TextEncoder().encode('{"model": "not onnx"}'), /not a valid ONNX model/],
      ["random", Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 255), /not a valid ONNX model/],
    ];
    for (const [what, bytes, message] of cases) {
      it(`${what} bytes give a MalformedModelError`, async () => {
        await assert.rejects(compileOnnx(bytes), (e: unknown) => e instanceof MalformedModelError && message.test(e.message));
      });
    }

    it("weights stored in an external file", async () => {
      const external = model({ nodes: [{ op: "MatMul", inputs: ["x", "W"], outputs: ["y"] }], initializers: [{ ...W, dataLocation: 1 }] });
      await assert.rejects(compileOnnx(external), (e: unknown) => e instanceof MalformedModelError && /external file/.test(e.message));
    });

    it("raw data whose length does not match the dims", async () => {
      const bad = model({ nodes: [{ op: "MatMul", inputs: ["x", "W"], outputs: ["y"] }], initializers: [{ ...tensor("W", [4, 4], new Array<number>(16).fill(1), DOUBLE, true), dims: [4, 5] }] });
      await assert.rejects(compileOnnx(bad), /128 bytes of raw data for 20 elements/);
    });
  });

  describe("options", () => {
    const good = model({ nodes: [{ op: "MatMul", inputs: ["x", "W"], outputs: ["y"] }], initializers: [W] });
    it("calibration data must hold whole, finite samples", async () => {
      await assert.rejects(compileOnnx(good, { calibration: new Float64Array(6) }), /whole samples of 4 features.*got 6/);
      await assert.rejects(compileOnnx(good, { calibration: Float64Array.of(1, 2, NaN, 4) }), /value 2 \(sample 0\) is not a finite number/);
    });
    it("the polynomial degree must be 2 or 3", async () => {
      await assert.rejects(compileOnnx(good, { polynomialDegree: 4 as 2 }), /polynomialDegree must be 2, 3 or "auto"/);
    });
  });

  it("a model onnxruntime cannot run still compiles, and the report says why the comparison is missing", async () => {
    // onnxruntime has no float64 Conv kernel; the compiler does not care.
    const bytes = model({ inputDims: ["N", 1, 3, 3], nodes: [{ op: "Conv", inputs: ["x", "K"], outputs: ["y"] }], initializers: [tensor("K", [1, 1, 2, 2], [1, 2, 3, 4])] });
    const { plan, report } = await compileOnnx(bytes, { calibration: new Float64Array(18).fill(1) });
    assert.equal(plan.outputSize, 4);
    assert.equal(report.comparison, undefined);
    assert.ok(report.notes.some((n) => /no accuracy comparison: onnxruntime could not run the original model \(.*Conv/.test(n)), report.notes.join("; "));
  });

  it("nodes the output does not need are reported unused, other outputs noted", async () => {
    const bytes = buildModel({
      input: { name: "x", dims: ["N", 4] },
      output: { name: "y" },
      extraOutputs: ["label"],
      nodes: [
        { op: "MatMul", inputs: ["x", "W"], outputs: ["y"] },
        { op: "ArgMax", inputs: ["y"], outputs: ["label"], name: "argmax" },
      ],
      initializers: [W],
    });
    const { report } = await compileOnnx(bytes);
    assert.deepEqual(report.nodes.map((n) => n.fate), ["lowered", "unused"]);
    assert.ok(report.notes.some((n) => /only the first output "y".*label/.test(n)));
  });
});
