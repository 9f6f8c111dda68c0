/**
 * What a suspect model's answers on a secret trigger set prove: how many of the chosen labels
 * it reproduces, and the one-sided binomial p-value of matching that many by chance
 * (binomialTest.ts). A small p-value says the model was trained on the trigger set (or derived
 * from one that was); a large one says nothing either way.
 */
import { binomialUpperTail } from "./binomialTest.ts";

export interface TriggerEvidence {
  readonly triggers: number;
  readonly matches: number;
  /** matches / triggers. */
  readonly accuracy: number;
  /** The probability of one match by chance: 1 / classCount. */
  readonly chance: number;
  readonly pValue: number;
}

/** What predictedClasses gives a row with a NaN or infinite score: no class, so it matches no label. */
export const NO_CLASS = -1;

/**
 * The index of the highest score of each row of `scores` (row-major, `classCount` per row), or
 * NO_CLASS for a row with a score that is not finite: such a row has no argmax, and counting it
 * as class 0 would let triggers that overflow every model (NaN inputs, say) labelled 0 "match" any suspect.
 */
export function predictedClasses(scores: ArrayLike<number>, classCount: number): Int16Array {
  const rows = scores.length / classCount;
  if (!Number.isInteger(rows)) throw new RangeError(`${scores.length} scores are not whole rows of ${classCount} classes`);
  const out = new Int16Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 0; c < classCount && best !== NO_CLASS; c++) {
      const score = scores[r * classCount + c]!;
      if (!Number.isFinite(score)) best = NO_CLASS;
      else if (score > scores[r * classCount + best]!) best = c;
    }
    out[r] = best;
  }
  return out;
}

export function triggerEvidence(predicted: ArrayLike<number>, labels: ArrayLike<number>, classCount: number): TriggerEvidence {
  if (predicted.length !== labels.length) throw new RangeError(`${predicted.length} predictions for ${labels.length} trigger labels`);
  let matches = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) matches++;
  const chance = 1 / classCount;
  return { triggers: labels.length, matches, accuracy: labels.length === 0 ? 0 : matches / labels.length, chance, pValue: binomialUpperTail(matches, labels.length, chance) };
}
