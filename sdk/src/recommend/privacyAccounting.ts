/**
 * Privacy accounting of the Gaussian mechanism by Rényi differential privacy (Mironov 2017):
 * the Gaussian mechanism of noise multiplier σ (noise σ·C for sensitivity C) is (α, α/(2σ²))-RDP;
 * Poisson-subsampled at rate q its RDP is that of Mironov, Talwar and Zhang (2019), computed
 * exactly for integer and fractional orders as TF-Privacy's `compute_rdp` does; RDP composes
 * by addition over rounds; and (α, r)-RDP gives (r + log(1/δ)/(α − 1), δ)-DP, minimized over
 * the orders. `calibrateNoise` inverts it: the smallest σ that keeps ε at a target.
 */

/** TF-Privacy's default orders: 1.1, 1.2, …, 10.9, then 12 to 63. */
export const DEFAULT_ORDERS: readonly number[] = [...Array.from({ length: 99 }, (_, x) => 1 + (x + 1) / 10), ...Array.from({ length: 52 }, (_, k) => 12 + k)];

/** RDP of order α of the Gaussian mechanism with noise multiplier σ: α/(2σ²). */
export function gaussianRdp(order: number, noiseMultiplier: number): number {
  return order / (2 * noiseMultiplier * noiseMultiplier);
}

/** RDP of order α of the Gaussian mechanism Poisson-subsampled at rate q (one step). */
export function subsampledGaussianRdp(order: number, noiseMultiplier: number, samplingRate: number): number {
  if (!(samplingRate >= 0 && samplingRate <= 1)) throw new RangeError(`a sampling rate is in [0, 1], got ${samplingRate}`);
  if (!(noiseMultiplier > 0)) return samplingRate === 0 ? 0 : Infinity;
  if (!(order > 1)) throw new RangeError(`an RDP order is above 1, got ${order}`);
  if (samplingRate === 0) return 0;
  if (samplingRate === 1) return gaussianRdp(order, noiseMultiplier);
  const logA = Number.isInteger(order) ? logAInteger(order, noiseMultiplier, samplingRate) : logAFractional(order, noiseMultiplier, samplingRate);
  return logA / (order - 1);
}

/** (ε, optimal order) of an RDP curve at δ: ε = min over α of rdp(α) + log(1/δ)/(α − 1). */
export function rdpToEpsilon(orders: readonly number[], rdp: readonly number[], delta: number): { epsilon: number; order: number } {
  if (!(delta > 0 && delta < 1)) throw new RangeError(`δ is in (0, 1), got ${delta}`);
  let best = { epsilon: Infinity, order: NaN };
  orders.forEach((order, k) => {
    const epsilon = rdp[k]! + Math.log(1 / delta) / (order - 1);
    if (epsilon < best.epsilon) best = { epsilon, order };
  });
  return best;
}

export interface PrivacyParameters {
  /** σ: noise standard deviation over the clipping norm. */
  readonly noiseMultiplier: number;
  /** Probability that a given user's update is in a round (1: every round, or no amplification). */
  readonly samplingRate: number;
  /** Rounds composed. */
  readonly rounds: number;
  readonly delta: number;
  readonly orders?: readonly number[];
}

/** (ε, δ) after `rounds` rounds of the (subsampled) Gaussian mechanism. */
export function gaussianEpsilon(parameters: PrivacyParameters): { epsilon: number; order: number } {
  const orders = parameters.orders ?? DEFAULT_ORDERS;
  const rdp = orders.map((order) => parameters.rounds * subsampledGaussianRdp(order, parameters.noiseMultiplier, parameters.samplingRate));
  return rdpToEpsilon(orders, rdp, parameters.delta);
}

/** The smallest σ (to 0.1%) whose ε after the rounds is at most `epsilon`. */
export function calibrateNoise(epsilon: number, parameters: Omit<PrivacyParameters, "noiseMultiplier">): number {
  if (!(epsilon > 0)) throw new RangeError(`a target ε is positive, got ${epsilon}`);
  const spent = (noiseMultiplier: number) => gaussianEpsilon({ ...parameters, noiseMultiplier }).epsilon;
  let low = 1e-3;
  let high = 1;
  while (spent(high) > epsilon) high *= 2;
  while (high - low > 1e-3 * high) {
    const middle = (low + high) / 2;
    if (spent(middle) > epsilon) low = middle;
    else high = middle;
  }
  return high;
}

// log A_α of Mironov, Talwar and Zhang (2019), Section 3.3: A_α = E_{z~μ0}[(μ(z)/μ0(z))^α]
// for μ = (1 − q)μ0 + qμ1, μ0 = N(0, σ²), μ1 = N(1, σ²).

function logAInteger(order: number, sigma: number, q: number): number {
  let logA = -Infinity;
  let logBinomial = 0;
  for (let i = 0; i <= order; i++) {
    if (i > 0) logBinomial += Math.log((order - i + 1) / i);
    const term = logBinomial + i * Math.log(q) + (order - i) * Math.log(1 - q) + (i * i - i) / (2 * sigma * sigma);
    logA = logAdd(logA, term);
  }
  return logA;
}

function logAFractional(order: number, sigma: number, q: number): number {
  let logA0 = -Infinity;
  let logA1 = -Infinity;
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  let coefficient = 1; // binom(α, i), computed incrementally (its sign alternates past i > α)
  for (let i = 0; ; i++) {
    if (i > 0) coefficient *= (order - i + 1) / i;
    const logCoefficient = Math.log(Math.abs(coefficient));
    const j = order - i;
    const logT0 = logCoefficient + i * Math.log(q) + j * Math.log(1 - q);
    const logT1 = logCoefficient + j * Math.log(q) + i * Math.log(1 - q);
    const logE0 = Math.log(0.5) + logErfc((i - z0) / (Math.SQRT2 * sigma));
    const logE1 = Math.log(0.5) + logErfc((z0 - j) / (Math.SQRT2 * sigma));
    const logS0 = logT0 + (i * i - i) / (2 * sigma * sigma) + logE0;
    const logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
    if (coefficient > 0) {
      logA0 = logAdd(logA0, logS0);
      logA1 = logAdd(logA1, logS1);
    } else {
      logA0 = logSub(logA0, logS0);
      logA1 = logSub(logA1, logS1);
    }
    if (Math.max(logS0, logS1) < -30) break;
  }
  return logAdd(logA0, logA1);
}

function logAdd(a: number, b: number): number {
  const high = Math.max(a, b);
  if (high === -Infinity) return -Infinity;
  return high + Math.log(Math.exp(a - high) + Math.exp(b - high));
}

function logSub(a: number, b: number): number {
  if (b === -Infinity) return a;
  if (!(a > b)) throw new RangeError("the RDP series left its domain (log of a negative number)");
  return a + Math.log1p(-Math.exp(b - a));
}

/** log erfc(x) to about 1e-14, for x of any size (a series near 0, Laplace's continued fraction beyond). */
function logErfc(x: number): number {
  if (x < 0) return Math.log(2 - Math.exp(logErfc(-x)));
  if (x < 1.5) {
    // erf(x) = 2/√π Σ (−1)ⁿ x^(2n+1) / (n! (2n+1))
    let term = x;
    let sum = x;
    for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return Math.log1p((-2 / Math.sqrt(Math.PI)) * sum);
  }
  // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated by modified Lentz.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return -x * x - 0.5 * Math.log(Math.PI) - Math.log(f);
}
