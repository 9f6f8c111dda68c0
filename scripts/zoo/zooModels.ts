/**
 * The project's own model zoo (`npm run zoo:check`): ONNX models written by our own code
 * (zooGraph.ts) with seeded weights, one per operator or pattern the HE compiler must evaluate
 * or refuse precisely, and complete networks (LeNet-5, a MobileNet-style block, MLPs), next to
 * the trainer's shipped models. Seeded weights make the zoo a test of agreement between the
 * encrypted evaluation and onnxruntime, not of accuracy: only the shipped models are trained.
 */
import { readFileSync } from "node:fs";
import { INPUT, ZooGraph } from "./zooGraph.ts";

export interface ZooModel {
  readonly name: string;
  readonly family: "operator" | "network" | "shipped";
  /** What it exercises, in a few words. */
  readonly covers: string;
  /** One sample's shape, without the batch dimension. */
  readonly sampleShape: readonly number[];
  /** Real MNIST digits (pixels in [0, 1]), or seeded uniform inputs in `inputRange`. */
  readonly data: "mnist" | "seeded";
  readonly inputRange?: readonly [number, number];
  readonly inputName: string;
  build(): Uint8Array;
}

const MNIST_IMAGE = [1, 28, 28] as const;

function model(name: string, family: "operator" | "network", covers: string, sampleShape: readonly number[], body: (g: ZooGraph, x: string) => string, data: Pick<ZooModel, "data" | "inputRange"> = { data: "seeded" }): ZooModel {
  return {
    name,
    family,
    covers,
    sampleShape,
    ...data,
    inputName: INPUT,
    build: () => {
      const graph = new ZooGraph(name.length * 7919 + name.charCodeAt(0));
      return graph.build(sampleShape, body(graph, INPUT));
    },
  };
}

function shipped(name: string, covers: string, sampleShape: readonly number[]): ZooModel {
  return { name, family: "shipped", covers, sampleShape, data: "mnist", inputName: "input", build: () => readFileSync(new URL(`../../models/${name}.onnx`, import.meta.url)) };
}

const mnist = { data: "mnist" } as const;

/** A [outputs][inputs] matrix whose row `unit` is all zero: a pruned hidden unit, left with its bias only. */
function prunedRows(inputs: number, outputs: number, unit: number): Float64Array {
  const weights = Float64Array.from({ length: inputs * outputs }, (_, i) => Math.sin(i * 12.9898) * (1 / Math.sqrt(inputs)));
  weights.fill(0, unit * inputs, (unit + 1) * inputs);
  return weights;
}

/** LeNet-5 (LeCun et al. 1998) with a chosen activation: conv 5x5 pad 2, pool, conv 5x5, pool, then 400 -> 120 -> 84 -> 10. */
function lenet5(activation: (g: ZooGraph, x: string) => string) {
  return (g: ZooGraph, x: string): string => {
    x = g.averagePool(activation(g, g.conv(x, 1, 6, 5, { pad: 2 })), 2);
    x = g.averagePool(activation(g, g.conv(x, 6, 16, 5)), 2);
    x = activation(g, g.gemm(g.flatten(x), 400, 120));
    x = activation(g, g.gemm(x, 120, 84));
    return g.gemm(x, 84, 10);
  };
}

const square = (g: ZooGraph, x: string) => g.square(x);
const relu = (g: ZooGraph, x: string) => g.node("Relu", [x]);

export const ZOO: readonly ZooModel[] = [
  // Operators and patterns, on seeded inputs in [-1, 1].
  model("gemm", "operator", "Gemm 16 -> 4", [16], (g, x) => g.gemm(x, 16, 4)),
  model("matmul-add", "operator", "MatMul + Add 16 -> 4", [16], (g, x) => g.node("Add", [g.node("MatMul", [x, g.weights([16, 4], 0.25)]), g.weights([4], 0.1)])),
  model("conv-padded", "operator", "Conv 2 -> 3, 3x3, pad 1", [2, 8, 8], (g, x) => g.flatten(g.conv(x, 2, 3, 3, { pad: 1 }))),
  model("conv-strided", "operator", "Conv 2 -> 3, 3x3, stride 2", [2, 9, 9], (g, x) => g.flatten(g.conv(x, 2, 3, 3, { stride: 2 }))),
  model("conv-depthwise", "operator", "depthwise Conv 3x3 (group = 4 channels), pad 1", [4, 8, 8], (g, x) => g.flatten(g.conv(x, 4, 4, 3, { pad: 1, group: 4 }))),
  model("conv-grouped", "operator", "grouped Conv 4 -> 6 (group 2), 3x3", [4, 8, 8], (g, x) => g.flatten(g.conv(x, 4, 6, 3, { group: 2 }))),
  model("conv-pointwise", "operator", "pointwise Conv 8 -> 4, 1x1", [8, 6, 6], (g, x) => g.flatten(g.conv(x, 8, 4, 1))),
  model("conv-batchnorm", "operator", "Conv then BatchNormalization", [2, 6, 6], (g, x) => g.flatten(g.batchNormalization(g.conv(x, 2, 3, 3), 3))),
  model("averagepool", "operator", "AveragePool 2x2 stride 2", [2, 8, 8], (g, x) => g.flatten(g.averagePool(x, 2))),
  model("global-averagepool", "operator", "GlobalAveragePool", [4, 6, 6], (g, x) => g.flatten(g.node("GlobalAveragePool", [x]))),
  model("pad-zero", "operator", "Pad constant 0 (border independent of the input), last layer", [2, 6, 6], (g, x) => g.flatten(g.pad(x, 1, "constant"))),
  model("pad-constant", "operator", "Pad constant 0.5, last layer", [2, 6, 6], (g, x) => g.flatten(g.pad(x, 1, "constant", 0.5))),
  model("pad-edge", "operator", "Pad edge", [2, 6, 6], (g, x) => g.flatten(g.pad(x, 1, "edge"))),
  model("pad-reflect", "operator", "Pad reflect", [2, 6, 6], (g, x) => g.flatten(g.pad(x, 1, "reflect"))),
  model("square-mul", "operator", "Gemm, Mul(x, x), Gemm", [16], (g, x) => g.gemm(g.square(g.gemm(x, 16, 8)), 8, 4)),
  model("pow-4", "operator", "Gemm, Pow 4 (x^2 squared), Gemm", [8], (g, x) => g.gemm(g.pow(g.gemm(x, 8, 8), 4), 8, 4)),
  model("pow-2-plus-4", "operator", "x^2 + x^4 (Pow 2, Pow 4, Add)", [8], (g, x) => g.node("Add", [g.pow(x, 2), g.pow(x, 4)])),
  model("identity", "operator", "x * 1.0 twice: a plan of depth 0", [8], (g, x) => g.node("Mul", [g.node("Mul", [x, g.weights([], 0, [1])]), g.weights([], 0, [1])])),
  model("pruned-unit", "operator", "hidden unit with no incoming weight (bias only), squared", [16], (g, x) => g.gemm(g.square(g.gemm(x, 16, 8, prunedRows(16, 8, 3))), 8, 4)),
  model("relu-small", "operator", "Gemm, Relu, Gemm", [16], (g, x) => g.gemm(relu(g, g.gemm(x, 16, 16)), 16, 4)),
  model("sigmoid", "operator", "Gemm, Sigmoid, Gemm", [16], (g, x) => g.gemm(g.node("Sigmoid", [g.gemm(x, 16, 16)]), 16, 4)),
  model("wide-gemm", "operator", "Gemm 8,000 -> 4 (an input wider than 7,070 features)", [8000], (g, x) => g.gemm(x, 8000, 4)),
  model("large-inputs", "operator", "Gemm 8 -> 3 on inputs up to 20,000", [8], (g, x) => g.gemm(x, 8, 3), { data: "seeded", inputRange: [0, 20_000] }),
  // Complete networks.
  model("mlp-relu", "network", "MLP 784 -> 128 -> 64 -> 10, ReLU", [784], (g, x) => g.gemm(relu(g, g.gemm(relu(g, g.gemm(x, 784, 128)), 128, 64)), 64, 10), mnist),
  model("mlp-square", "network", "MLP 784 -> 128 -> 10, square", [784], (g, x) => g.gemm(g.square(g.gemm(x, 784, 128)), 128, 10), mnist),
  model("lenet5-square", "network", "LeNet-5, square activations, average pooling", MNIST_IMAGE, lenet5(square), mnist),
  model("lenet5-relu", "network", "LeNet-5, ReLU, average pooling", MNIST_IMAGE, lenet5(relu), mnist),
  model(
    "mobilenet-block",
    "network",
    "Conv 3x3 stride 2, depthwise 3x3, pointwise 1x1, global pool, Gemm (square activations)",
    MNIST_IMAGE,
    (g, x) => {
      x = g.square(g.conv(x, 1, 16, 3, { stride: 2, pad: 1 }));
      x = g.square(g.conv(x, 16, 16, 3, { pad: 1, group: 16 }));
      x = g.conv(x, 16, 32, 1);
      return g.gemm(g.flatten(g.node("GlobalAveragePool", [x])), 32, 10);
    },
    mnist,
  ),
  model("mobilefacenet-tail", "network", "depthwise 7x7 on 320x7x7, pointwise 320 -> 128 (input 15,680 wide)", [320, 7, 7], (g, x) => g.flatten(g.conv(g.conv(x, 320, 320, 7, { group: 320 }), 320, 128, 1))),
  shipped("mnist-logreg", "the trainer's Gemm 784 -> 10, Softmax", [784]),
  shipped("mnist-cryptonets", "the trainer's CryptoNets-like network", MNIST_IMAGE),
];

export function zooModel(name: string): ZooModel {
  const found = ZOO.find((m) => m.name === name);
  if (!found) throw new Error(`no zoo model "${name}"; the zoo has ${ZOO.map((m) => m.name).join(", ")}`);
  return found;
}
