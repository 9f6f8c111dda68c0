/**
 * Hand-made HE plans for the engine and client tests (until the compiler's ONNX plans are
 * used): random linear layers and square activations, seeded so failures reproduce, and the
 * byte comparison of result containers.
 */
import assert from "node:assert/strict";
import { denseLinearLayer, denseWeights, layerDepth, type HePlan, type LinearLayer, type MonomialsLayer, type PlanLayer } from "@modelbazaar/sdk/he";
import { seededRandom } from "../helpers/seededRandom.ts";

export function randomLinear(random: () => number, inputSize: number, outputSize: number, weightRange = 1, density = 1): LinearLayer {
  const weights = Float64Array.from({ length: inputSize * outputSize }, () => (random() < density ? (2 * random() - 1) * weightRange : 0));
  const bias = Float64Array.from({ length: outputSize }, () => 2 * random() - 1);
  return denseLinearLayer([`dense${inputSize}x${outputSize}`], inputSize, outputSize, weights, bias);
}

export function squares(inputSize: number, degree: 2 | 3 = 2): MonomialsLayer {
  return { kind: "monomials", source: ["act"], inputSize, degree, activation: { op: degree === 2 ? "Square" : "Pow" } };
}

export function planOf(layers: PlanLayer[], maxMagnitude: number): HePlan {
  const last = layers[layers.length - 1]!;
  return {
    version: 1,
    inputSize: layers[0]!.inputSize,
    outputSize: last.kind === "linear" ? last.outputSize : last.inputSize * last.degree,
    layers,
    depth: layers.reduce((sum, layer) => sum + layerDepth(layer), 0),
    maxMagnitude,
  };
}

/** A logistic-regression plan: one dense layer. */
export function logisticPlan(seed: number, inputSize: number, classes: number, weightRange = 1): HePlan {
  return planOf([randomLinear(seededRandom(seed), inputSize, classes, weightRange)], inputSize * weightRange + 1);
}

/** dense -> square -> dense (the first weights scaled so hidden values stay near 1). */
export function squareNetPlan(seed: number, inputSize: number, hidden: number, classes: number): HePlan {
  const random = seededRandom(seed);
  return planOf(
    [randomLinear(random, inputSize, hidden, 1 / Math.sqrt(inputSize)), squares(hidden), randomLinear(random, 2 * hidden, classes, 1 / Math.sqrt(hidden))],
    16,
  );
}

/** Row-major features in [0, 1). */
export function randomFeatures(seed: number, samples: number, inputSize: number): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: samples * inputSize }, () => random());
}

/** Output j reads inputs [2j, 2j + width): a 1-D convolution with stride 2, weights in +-range. */
export function banded(random: () => number, outputs: number, width: number, range: number): LinearLayer {
  const inputSize = 2 * (outputs - 1) + width;
  const weights = new Float64Array(outputs * inputSize);
  for (let j = 0; j < outputs; ++j) for (let t = 0; t < width; ++t) weights[j * inputSize + 2 * j + t] = (2 * random() - 1) * range;
  const bias = Float64Array.from({ length: outputs }, () => 2 * random() - 1);
  return denseLinearLayer(["banded"], inputSize, outputs, weights, bias);
}

/** A dense layer on the squares (second half) of a monomials layer's [x, x^2]. */
export function onSquares(random: () => number, hidden: number, outputs: number, range: number): LinearLayer {
  const layer = randomLinear(random, hidden, outputs, range);
  const dense = denseWeights(layer);
  const weights = new Float64Array(outputs * 2 * hidden);
  for (let j = 0; j < outputs; ++j) weights.set(dense.subarray(j * hidden, (j + 1) * hidden), j * 2 * hidden + hidden);
  return denseLinearLayer(["on squares"], 2 * hidden, outputs, weights, layer.bias);
}

/** Asserts equal bytes (assert.deepEqual's diff of two megabyte arrays would exhaust the memory). */
export function assertSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  assert.equal(actual.length, expected.length, "result length");
  const first = actual.findIndex((byte, k) => byte !== expected[k]);
  assert.equal(first, -1, `the results differ from byte ${first} on`);
}
