/**
 * Softmax, the softmax cross-entropy loss and its gradient, argmax predictions and accuracy
 * in basis points (rounded down, so a claimed accuracy never overstates what was measured).
 */
import type { Dataset } from "../lib/datasets/dataset.ts";

/** Row-wise softmax of `rows x classCount` scores. */
export function softmax(scores: ArrayLike<number>, classCount: number): Float64Array {
  const out = new Float64Array(scores.length);
  for (let r = 0; r < scores.length / classCount; r++) {
    let max = -Infinity;
    for (let c = 0; c < classCount; c++) max = Math.max(max, scores[r * classCount + c]!);
    let sum = 0;
    for (let c = 0; c < classCount; c++) sum += out[r * classCount + c] = Math.exp(scores[r * classCount + c]! - max);
    for (let c = 0; c < classCount; c++) out[r * classCount + c]! /= sum;
  }
  return out;
}

/** Mean cross-entropy of a batch and its gradient with respect to the logits. */
export function softmaxCrossEntropy(logits: Float64Array, labels: Uint8Array, classCount: number): { loss: number; grad: Float64Array } {
  const batch = labels.length;
  const grad = softmax(logits, classCount);
  let loss = 0;
  for (let r = 0; r < batch; r++) {
    const at = r * classCount + labels[r]!;
    loss -= Math.log(Math.max(grad[at]!, 1e-300));
    grad[at]! -= 1;
  }
  for (let i = 0; i < grad.length; i++) grad[i]! /= batch;
  return { loss: loss / batch, grad };
}

/** The index of the largest score of each row (the first one on a tie). */
export function argmax(scores: ArrayLike<number>, classCount: number): Uint8Array {
  const out = new Uint8Array(scores.length / classCount);
  for (let r = 0; r < out.length; r++) {
    let best = 0;
    for (let c = 1; c < classCount; c++) if (scores[r * classCount + c]! > scores[r * classCount + best]!) best = c;
    out[r] = best;
  }
  return out;
}

/** floor(10,000 * correct / samples). */
export function accuracyBps(scores: ArrayLike<number>, dataset: Dataset): number {
  const predicted = argmax(scores, dataset.classCount);
  const correct = predicted.reduce((n, label, i) => n + (label === dataset.labels[i] ? 1 : 0), 0);
  return Math.floor((correct * 10_000) / dataset.sampleCount);
}
