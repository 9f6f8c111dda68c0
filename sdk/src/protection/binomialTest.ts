/**
 * The one-sided binomial test behind every watermark and fingerprint claim: the probability
 * that a model which knows nothing of a secret trigger set matches at least `k` of its `n`
 * labels when each match has probability `p` (chance, 1 / classCount, for labels drawn
 * uniformly and independently of the model). Exact, summed in log space.
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(k)) throw new RangeError(`binomialUpperTail needs whole numbers, got k=${k}, n=${n}`);
  if (!(p > 0 && p < 1)) throw new RangeError(`binomialUpperTail needs 0 < p < 1, got ${p}`);
  if (k <= 0) return 1;
  if (k > n) return 0;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  let logTerm = logChoose(n, k) + k * logP + (n - k) * logQ;
  let sum = 0;
  const first = logTerm;
  for (let i = k; i <= n; i++) {
    sum += Math.exp(logTerm - first);
    logTerm += Math.log((n - i) / (i + 1)) + logP - logQ;
  }
  return Math.min(1, Math.exp(first) * sum);
}

function logChoose(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log((n - k + i) / i);
  return sum;
}
