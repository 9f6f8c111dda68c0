/**
 * What the buyer computes from decrypted scores: predicted classes (argmax, Softmax being
 * monotone), accuracy, agreement between two predictors and the confusion matrix.
 */
import { HeError } from "./heError.ts";

/** Predicted class per sample from sample-major scores (`outputs` per sample). */
export function argmax(scores: ArrayLike<number>, outputs: number): Int32Array {
  if (outputs <= 0 || scores.length % outputs !== 0) {
    throw new HeError("invalid-argument", `${scores.length} scores are not a whole number of samples of ${outputs} outputs.`);
  }
  const predictions = new Int32Array(scores.length / outputs);
  for (let s = 0; s < predictions.length; ++s) {
    let best = 0;
    for (let j = 1; j < outputs; ++j) if (scores[s * outputs + j]! > scores[s * outputs + best]!) best = j;
    predictions[s] = best;
  }
  return predictions;
}

function sameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new HeError("invalid-argument", `Cannot compare ${a.length} predictions with ${b.length}.`);
}

/** Fraction of positions where `a` and `b` agree (accuracy when `b` holds the labels). */
export function agreement(a: ArrayLike<number>, b: ArrayLike<number>): number {
  sameLength(a, b);
  if (a.length === 0) return 0;
  let same = 0;
  for (let i = 0; i < a.length; ++i) if (a[i] === b[i]) ++same;
  return same / a.length;
}

export const accuracy = (predictions: ArrayLike<number>, labels: ArrayLike<number>): number => agreement(predictions, labels);

/** matrix[label][prediction] counts. */
export function confusionMatrix(predictions: ArrayLike<number>, labels: ArrayLike<number>, classes: number): number[][] {
  sameLength(predictions, labels);
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; ++i) {
    const label = labels[i]!;
    const predicted = predictions[i]!;
    if (!(label >= 0 && label < classes && predicted >= 0 && predicted < classes)) {
      throw new HeError("invalid-argument", `Sample ${i} has label ${label} / prediction ${predicted} outside 0..${classes - 1}.`);
    }
    matrix[label]![predicted]! += 1;
  }
  return matrix;
}
