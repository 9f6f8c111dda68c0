/**
 * How good a stolen copy is: its fidelity (the share of samples on which it predicts what the
 * victim predicts) and its accuracy (the share it gets right), both on the task's test split.
 */

/** Share of positions where `a` and `b` hold the same class. */
export function agreement(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) throw new RangeError(`Agreement needs two non-empty label lists of one length, got ${a.length} and ${b.length}.`);
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}
