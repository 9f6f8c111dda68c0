/**
 * A model no low-degree polynomial approximation follows: x [N, 1] -> Relu(x - k), k = 0..8 ->
 * scores [tri(x) - 1/2, 0], where tri = relu(x) - 2 relu(x - 1) + 2 relu(x - 2) - ... is a
 * triangle wave between 0 and 1: the class flips every half unit, which no polynomial of degree
 * 2 or 3 per unit, summed, follows over [0, 8]. Its HE-ready plan agrees with onnxruntime on
 * about half the samples, so `model check` and the worker refuse it.
 */
import { buildModel, tensor } from "../../scripts/lib/onnxGraph.ts";

const TEETH = 9;

export function triangleWave(): Uint8Array {
  const w2 = Array.from({ length: 2 * TEETH }, (_, i) => (i >= TEETH ? 0 : i === 0 ? 1 : 2 * (-1) ** i));
  return buildModel({
    input: { name: "x", dims: ["batch", 1] },
    output: { name: "y" },
    initializers: [
      tensor("W1", [TEETH, 1], new Array<number>(TEETH).fill(1)),
      tensor("b1", [TEETH], Array.from({ length: TEETH }, (_, k) => -k)),
      tensor("W2", [2, TEETH], w2),
      tensor("b2", [2], [-0.5, 0]),
    ],
    nodes: [
      { op: "Gemm", inputs: ["x", "W1", "b1"], outputs: ["h"], attributes: { transB: 1 } },
      { op: "Relu", inputs: ["h"], outputs: ["a"], name: "teeth" },
      { op: "Gemm", inputs: ["a", "W2", "b2"], outputs: ["y"], attributes: { transB: 1 } },
    ],
  });
}
