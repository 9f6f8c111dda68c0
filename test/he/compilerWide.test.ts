/**
 * Sparse lowering on a wide input (320 x 7 x 7 = 15,680 features, a MobileFaceNets tail):
 * depthwise, grouped, pointwise, strided and padded convolutions and pooling must compile,
 * agree with onnxruntime-node, and cost exactly their real multiplies: each plan layer stores
 * as many weights as the op multiplies (padding reads nothing), never inputs x outputs.
 * Float32 graphs with dyadic inputs and weights, so onnxruntime's float32 kernels are exact
 * (or within 1e-6 where the sums grow long).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LinearLayer } from "@modelbazaar/sdk/he";
import { compileOnnx, UnsupportedModelError } from "../../offchain-worker/src/he/compiler/index.ts";
import { buildModel, FLOAT, tensor } from "../../scripts/lib/onnxGraph.ts";
import { agrees, numel, values } from "./compilerAgreement.ts";

const C = 320;
const SIDE = 7;
const WIDE = [C, SIDE, SIDE];

/** Non-zero float32 weights, multiples of 1/64 in [-1/2, 1/2] (exact in float32, small enough to keep long sums exact). */
const smallWeights = (name: string, dims: number[], seed: number) => tensor(name, dims, values(numel(dims), seed).map((v) => (v === 0 ? 0.5 : v) / 8), FLOAT);

/** Multiplies of a convolution over a square input: per output channel, per input channel read, the kernel taps inside the input. */
function convMultiplies(o: { outChannels: number; inPerGroup: number; side: number; kernel: number; stride: number; pad: number }): number {
  const out = Math.floor((o.side + 2 * o.pad - o.kernel) / o.stride) + 1;
  let taps = 0;
  for (let oy = 0; oy < out; ++oy) {
    for (let ox = 0; ox < out; ++ox) {
      for (let ky = 0; ky < o.kernel; ++ky) {
        for (let kx = 0; kx < o.kernel; ++kx) {
          const [y, x] = [oy * o.stride - o.pad + ky, ox * o.stride - o.pad + kx];
          if (y >= 0 && y < o.side && x >= 0 && x < o.side) taps += 1;
        }
      }
    }
  }
  return o.outChannels * o.inPerGroup * taps;
}

function onlyLinear(plan: { layers: readonly { kind: string }[] }): LinearLayer {
  assert.equal(plan.layers.length, 1);
  return plan.layers[0] as LinearLayer;
}

describe("HE compiler: sparse lowering on a 320x7x7 input", () => {
  it("a depthwise 7x7 conv (group 320) stores its 15,680 multiplies", async () => {
    const { plan } = await agrees({
      inputDims: WIDE,
      type: FLOAT,
      initializers: [smallWeights("W", [C, 1, 7, 7], 1)],
      nodes: [{ op: "Conv", inputs: ["x", "W"], outputs: ["y"], attributes: { group: C } }],
    });
    assert.equal(plan.inputSize, 15_680);
    assert.equal(onlyLinear(plan).weights.length, convMultiplies({ outChannels: C, inPerGroup: 1, side: SIDE, kernel: 7, stride: 1, pad: 0 }));
  });

  it("a strided, padded depthwise 3x3 conv with bias reads no padding", async () => {
    const { plan } = await agrees({
      inputDims: WIDE,
      type: FLOAT,
      initializers: [smallWeights("W", [C, 1, 3, 3], 2), smallWeights("B", [C], 3)],
      nodes: [{ op: "Conv", inputs: ["x", "W", "B"], outputs: ["y"], attributes: { group: C, strides: [2, 2], pads: [1, 1, 1, 1] } }],
    });
    assert.equal(plan.outputSize, C * 4 * 4);
    assert.equal(onlyLinear(plan).weights.length, convMultiplies({ outChannels: C, inPerGroup: 1, side: SIDE, kernel: 3, stride: 2, pad: 1 }));
  });

  it("a grouped 3x3 conv (4 groups of 80 channels, SAME padding) and a pointwise 1x1 conv", async () => {
    const grouped = await agrees(
      {
        inputDims: WIDE,
        type: FLOAT,
        initializers: [smallWeights("W", [8, C / 4, 3, 3], 4)],
        nodes: [{ op: "Conv", inputs: ["x", "W"], outputs: ["y"], attributes: { group: 4, auto_pad: "SAME_UPPER" } }],
      },
      1e-6,
    );
    assert.equal(onlyLinear(grouped.plan).weights.length, convMultiplies({ outChannels: 8, inPerGroup: C / 4, side: SIDE, kernel: 3, stride: 1, pad: 1 }));
    const pointwise = await agrees(
      { inputDims: WIDE, type: FLOAT, initializers: [smallWeights("W", [16, C, 1, 1], 5)], nodes: [{ op: "Conv", inputs: ["x", "W"], outputs: ["y"] }] },
      1e-6,
    );
    assert.equal(onlyLinear(pointwise.plan).weights.length, 16 * C * SIDE * SIDE);
  });

  it("AveragePool 3x3 stride 2 with padding, and GlobalAveragePool, store one weight per window tap inside the input", async () => {
    const pool = await agrees(
      { inputDims: WIDE, type: FLOAT, nodes: [{ op: "AveragePool", inputs: ["x"], outputs: ["y"], attributes: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] } }] },
      1e-6,
    );
    assert.equal(onlyLinear(pool.plan).weights.length, convMultiplies({ outChannels: C, inPerGroup: 1, side: SIDE, kernel: 3, stride: 2, pad: 1 }));
    const global = await agrees({ inputDims: WIDE, type: FLOAT, nodes: [{ op: "GlobalAveragePool", inputs: ["x"], outputs: ["y"] }] }, 1e-6);
    assert.equal(onlyLinear(global.plan).weights.length, C * SIDE * SIDE);
  });

  it("the MobileFaceNets tail (depthwise 7x7, pointwise 1x1 to 128, Flatten) costs its 56,640 multiplies, not a dense 15,680 -> 128 map", async () => {
    const { plan, report } = await agrees(
      {
        inputDims: WIDE,
        type: FLOAT,
        initializers: [smallWeights("Wd", [C, 1, 7, 7], 6), smallWeights("Wp", [128, C, 1, 1], 7)],
        nodes: [
          { op: "Conv", inputs: ["x", "Wd"], outputs: ["d"], attributes: { group: C } },
          { op: "Conv", inputs: ["d", "Wp"], outputs: ["p"] },
          { op: "Flatten", inputs: ["p"], outputs: ["y"] },
        ],
      },
      1e-6,
    );
    assert.equal(plan.outputSize, 128);
    // Fused, the two convs would be one 128 x 15,680 map (2,007,040 products): the pointwise conv gets a layer of its own.
    assert.deepEqual(
      plan.layers.map((layer) => (layer.kind === "linear" ? [layer.inputSize, layer.outputSize, layer.weights.length] : [])),
      [
        [15_680, C, C * 49],
        [C, 128, 128 * C],
      ],
    );
    assert.equal(plan.depth, 2);
    assert.equal(report.nonzeroWeights, C * 49 + 128 * C);
    assert.deepEqual(
      report.nodes.map((n) => n.layer),
      [0, 1, 1],
    );
  });

  it("a pointwise conv then a global pool fuse into one layer (no more products than apart); a global pool then a pointwise conv do not", async () => {
    const initializers = [smallWeights("Wp", [16, C, 1, 1], 11)];
    const convThenPool = await agrees(
      {
        inputDims: WIDE,
        type: FLOAT,
        initializers,
        nodes: [
          { op: "Conv", inputs: ["x", "Wp"], outputs: ["p"] },
          { op: "GlobalAveragePool", inputs: ["p"], outputs: ["y"] },
        ],
      },
      1e-6,
    );
    assert.equal(onlyLinear(convThenPool.plan).weights.length, 16 * C * 49);
    const poolThenConv = await agrees(
      {
        inputDims: WIDE,
        type: FLOAT,
        initializers,
        nodes: [
          { op: "GlobalAveragePool", inputs: ["x"], outputs: ["g"] },
          { op: "Conv", inputs: ["g", "Wp"], outputs: ["y"] },
        ],
      },
      1e-6,
    );
    assert.deepEqual(
      poolThenConv.plan.layers.map((layer) => (layer.kind === "linear" ? layer.weights.length : 0)),
      [C * 49, 16 * C],
    );
  });

  it("a residual around a depthwise + pointwise pair keeps the pair fused: the block's input is still read, and layers cannot be split around it", async () => {
    const channels = 32;
    const { plan } = await agrees(
      {
        inputDims: [channels, SIDE, SIDE],
        type: FLOAT,
        initializers: [smallWeights("Wd", [channels, 1, 7, 7], 12), smallWeights("Wp", [channels, channels, 1, 1], 13)],
        nodes: [
          { op: "Conv", inputs: ["x", "Wd"], outputs: ["d"], attributes: { group: channels, pads: [3, 3, 3, 3] } },
          { op: "Conv", inputs: ["d", "Wp"], outputs: ["p"] },
          { op: "Add", inputs: ["p", "x"], outputs: ["y"] },
        ],
      },
      1e-6,
    );
    assert.equal(onlyLinear(plan).outputSize, channels * SIDE * SIDE);
  });

  it("a square on the wide input, then a depthwise conv over the squares", async () => {
    const { plan } = await agrees(
      {
        inputDims: WIDE,
        type: FLOAT,
        initializers: [smallWeights("W", [C, 1, 7, 7], 8)],
        nodes: [
          { op: "Mul", inputs: ["x", "x"], outputs: ["s"] },
          { op: "Conv", inputs: ["s", "W"], outputs: ["y"], attributes: { group: C } },
        ],
      },
      1e-6,
    );
    assert.deepEqual(
      plan.layers.map((layer) => layer.kind),
      ["monomials", "linear"],
    );
    assert.equal((plan.layers[1] as LinearLayer).inputSize, 2 * 15_680);
    assert.equal((plan.layers[1] as LinearLayer).weights.length, C * 49, "only the squares are read");
  });

  it("refuses an op too large to evaluate, naming the node, the reason and what to change", async () => {
    // A pointwise 320 -> 320 conv on 320 x 14 x 14 does 20 M multiplies per sample.
    const bytes = buildModel({
      input: { name: "x", dims: ["N", C, 14, 14], type: FLOAT },
      output: { name: "y", type: FLOAT },
      initializers: [smallWeights("Wp", [C, C, 1, 1], 9)],
      nodes: [{ op: "Conv", inputs: ["x", "Wp"], outputs: ["y"], name: "pointwise_wide" }],
    });
    await assert.rejects(compileOnnx(bytes), (error: unknown) => {
      assert.ok(error instanceof UnsupportedModelError);
      assert.deepEqual(
        error.nodes.map((n) => n.name),
        ["pointwise_wide"],
      );
      assert.match(error.nodes[0]!.reason, /more than 10,000,000 multiplies per sample/);
      assert.match(error.nodes[0]!.reason, /fewer channels, a smaller input, or sparser \(depthwise, grouped\) layers/);
      return true;
    });
  });
});
