/**
 * Attack (a), equation solving (Tramèr et al. 2016): a logistic regression's plan is one linear
 * layer, so every query's scores are d+1-variable linear equations per class (the plan stops
 * before the Softmax: the buyer decrypts logits). d+1 independent queries with exact scores
 * give the weights exactly; with noisy or rounded scores the attacker solves least squares over
 * more queries; with labels only it can only fit the one-hot labels (a poor linear probe).
 */
import type { HePlan, LinearLayer } from "@modelbazaar/sdk/he";
import { argmax } from "../train/metrics.ts";
import type { ChannelAnswer } from "./channel.ts";
import { leastSquares } from "./leastSquares.ts";

/** A recovered linear model: (d+1) x k row-major, the last row the bias. */
export interface LinearModel {
  readonly inputs: number;
  readonly classes: number;
  readonly theta: Float64Array;
}

/** Tiny ridge, only below d+1 queries: keeps the normal matrix positive definite there (the minimum-norm fit). */
const UNDERDETERMINED_RIDGE = 1e-9;

/** The least-squares linear model fitting the answers to `count` queries (row-major, `inputs` features each). */
export function solveLinearModel(queries: Float64Array, count: number, inputs: number, classes: number, answer: ChannelAnswer): LinearModel {
  const p = inputs + 1;
  const a = new Float64Array(count * p);
  for (let s = 0; s < count; s++) {
    a.set(queries.subarray(s * inputs, (s + 1) * inputs), s * p);
    a[s * p + inputs] = 1;
  }
  const targets = answer.scores ?? oneHot(answer.labels, classes);
  return { inputs, classes, theta: leastSquares(a, targets, count, p, classes, count < p ? UNDERDETERMINED_RIDGE : 0) };
}

/** Top-1 predictions of a recovered model on `count` samples. */
export function predictLinear(model: LinearModel, features: Float64Array, count: number): Uint8Array {
  const { inputs, classes, theta } = model;
  const scores = new Float64Array(count * classes);
  for (let s = 0; s < count; s++) {
    for (let c = 0; c < classes; c++) {
      let sum = theta[inputs * classes + c]!;
      for (let f = 0; f < inputs; f++) sum += features[s * inputs + f]! * theta[f * classes + c]!;
      scores[s * classes + c] = sum;
    }
  }
  return argmax(scores, classes);
}

/** The victim's own weights in the same layout, to measure how exactly they were recovered. */
export function planAsLinearModel(plan: HePlan): LinearModel {
  const layer = plan.layers[0];
  if (plan.layers.length !== 1 || layer?.kind !== "linear") throw new RangeError("Equation solving targets plans of one linear layer (logistic regressions).");
  const { inputSize: inputs, outputSize: classes } = layer as LinearLayer;
  const theta = new Float64Array((inputs + 1) * classes);
  for (let c = 0; c < classes; c++) {
    for (let k = layer.rowStarts[c]!; k < layer.rowStarts[c + 1]!; k++) theta[layer.inputs[k]! * classes + c] = layer.weights[k]!;
    theta[inputs * classes + c] = layer.bias[c]!;
  }
  return { inputs, classes, theta };
}

/** Largest |difference| between two models' parameters. */
export function maxParameterError(a: LinearModel, b: LinearModel): number {
  let max = 0;
  for (let i = 0; i < a.theta.length; i++) max = Math.max(max, Math.abs(a.theta[i]! - b.theta[i]!));
  return max;
}

function oneHot(labels: Uint8Array, classes: number): Float64Array {
  const out = new Float64Array(labels.length * classes);
  labels.forEach((label, s) => (out[s * classes + label] = 1));
  return out;
}
