/**
 * Hand-made HE plans for the engine and client tests (until the compiler's ONNX plans are
 * used): random linear layers and square activations, seeded so failures reproduce.
 */
import { denseLinearLayer, layerDepth, type HePlan, type LinearLayer, type MonomialsLayer, type PlanLayer } from "@modelbazaar/sdk/he";
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
