/**
 * Polynomial fits of Relu, Sigmoid and Tanh over an input range, by one of four methods:
 *
 * - `least-squares`: uniformly weighted over the range (minimises the mean squared error of a
 *   uniform input);
 * - `chebyshev`: interpolation at the Chebyshev nodes of the range (near-minimax, exact at
 *   degree + 1 points);
 * - `minimax`: the smallest largest error over the range, by Lawson's iteratively reweighted
 *   least squares;
 * - `data-weighted`: least squares on the inputs actually seen (calibration data), which puts
 *   the accuracy where the inputs are (most of them near 0 for a trained Relu network).
 *
 * Fits are computed in the scaled variable t = (x - mid) / half on [-1, 1] (well conditioned),
 * then expanded back into coefficients of x so the next linear layer can absorb them. The
 * maximum error is measured on a fine grid of the range.
 */

export type ApproximatedOp = "Relu" | "Sigmoid" | "Tanh";

export const ACTIVATION_FUNCTIONS: Readonly<Record<ApproximatedOp, (x: number) => number>> = {
  Relu: (x) => Math.max(0, x),
  Sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  Tanh: (x) => Math.tanh(x),
};

export const FIT_METHODS = ["least-squares", "chebyshev", "minimax", "data-weighted"] as const;
export type FitMethod = (typeof FIT_METHODS)[number];

export interface PolynomialFit {
  /** c0..cd, in powers of x. */
  readonly coefficients: number[];
  readonly range: [number, number];
  /** Largest |f(x) - p(x)| over the range. */
  readonly maxError: number;
  readonly method: FitMethod;
}

const FIT_POINTS = 2_001;
const ERROR_POINTS = 20_001;
const MINIMAX_ITERATIONS = 60;

/** Solves a small dense system by Gaussian elimination with partial pivoting. */
export function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  for (let col = 0; col < n; ++col) {
    let pivot = col;
    for (let r = col + 1; r < n; ++r) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    [b[col], b[pivot]] = [b[pivot]!, b[col]!];
    for (let r = col + 1; r < n; ++r) {
      const f = a[r]![col]! / a[col]![col]!;
      for (let c = col; c < n; ++c) a[r]![c]! -= f * a[col]![c]!;
      b[r]! -= f * b[col]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; --r) {
    let s = b[r]!;
    for (let c = r + 1; c < n; ++c) s -= a[r]![c]! * x[c]!;
    x[r] = s / a[r]![r]!;
  }
  return x;
}

/** Coefficients of sum_k a_k ((x - mid)/half)^k in powers of x. */
function expandScaled(a: readonly number[], mid: number, half: number): number[] {
  const out = new Array<number>(a.length).fill(0);
  for (let k = 0; k < a.length; ++k) {
    // ((x - mid)/half)^k = half^-k * sum_j C(k,j) x^j (-mid)^(k-j)
    let binom = 1;
    for (let j = 0; j <= k; ++j) {
      out[j]! += (a[k]! * binom * (-mid) ** (k - j)) / half ** k;
      binom = (binom * (k - j)) / (j + 1);
    }
  }
  return out;
}

export function evaluatePolynomial(coefficients: readonly number[], x: number): number {
  let y = 0;
  for (let k = coefficients.length - 1; k >= 0; --k) y = y * x + coefficients[k]!;
  return y;
}

/** Coefficients (in t) of the polynomial minimising sum_i w_i (y_i - p(t_i))^2. */
export function weightedLeastSquares(ts: ArrayLike<number>, ys: ArrayLike<number>, weights: ArrayLike<number> | undefined, degree: number): number[] {
  const size = degree + 1;
  const gram = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  const rhs = new Array<number>(size).fill(0);
  const powers = new Array<number>(size);
  for (let p = 0; p < ts.length; ++p) {
    const w = weights === undefined ? 1 : weights[p]!;
    if (w === 0) continue;
    let power = 1;
    for (let k = 0; k < size; ++k) {
      powers[k] = power;
      power *= ts[p]!;
    }
    for (let i = 0; i < size; ++i) {
      rhs[i]! += w * powers[i]! * ys[p]!;
      for (let j = 0; j < size; ++j) gram[i]![j]! += w * powers[i]! * powers[j]!;
    }
  }
  return solve(gram, rhs);
}

function uniformGrid(): Float64Array {
  return Float64Array.from({ length: FIT_POINTS }, (_, p) => -1 + (2 * p) / (FIT_POINTS - 1));
}

/** Lawson's algorithm: reweighting each point by its error converges to the minimax fit on the grid. */
function minimax(ts: Float64Array, ys: Float64Array, degree: number): number[] {
  const weights = new Float64Array(ts.length).fill(1 / ts.length);
  let a = weightedLeastSquares(ts, ys, weights, degree);
  for (let iteration = 0; iteration < MINIMAX_ITERATIONS; ++iteration) {
    let total = 0;
    for (let p = 0; p < ts.length; ++p) {
      weights[p]! *= Math.abs(ys[p]! - evaluatePolynomial(a, ts[p]!));
      total += weights[p]!;
    }
    if (!(total > 0)) break;
    for (let p = 0; p < ts.length; ++p) weights[p]! /= total;
    a = weightedLeastSquares(ts, ys, weights, degree);
  }
  return a;
}

/** Interpolation at the degree + 1 Chebyshev nodes of [-1, 1]. */
function chebyshev(g: (t: number) => number, degree: number): number[] {
  const nodes = Array.from({ length: degree + 1 }, (_, k) => Math.cos(((2 * k + 1) * Math.PI) / (2 * (degree + 1))));
  return weightedLeastSquares(nodes, nodes.map(g), undefined, degree);
}

/**
 * Fits `f` over `range` by `method`; `data-weighted` needs the inputs to weight by (points
 * outside the range are clamped to it).
 */
export function fitPolynomial(
  f: (x: number) => number,
  range: readonly [number, number],
  degree: number,
  method: FitMethod = "least-squares",
  inputs?: ArrayLike<number>,
): PolynomialFit {
  const [lo, hi] = range;
  const mid = (lo + hi) / 2;
  const half = (hi - lo) / 2;
  const g = (t: number): number => f(mid + half * t);
  let a: number[];
  if (method === "chebyshev") {
    a = chebyshev(g, degree);
  } else if (method === "data-weighted") {
    if (inputs === undefined || inputs.length === 0) throw new RangeError("a data-weighted fit needs the inputs it is weighted by");
    const ts = Float64Array.from(inputs, (x) => Math.min(1, Math.max(-1, (x - mid) / half)));
    a = weightedLeastSquares(ts, ts.map(g), undefined, degree);
  } else {
    const ts = uniformGrid();
    const ys = ts.map(g);
    a = method === "minimax" ? minimax(ts, ys, degree) : weightedLeastSquares(ts, ys, undefined, degree);
  }
  const coefficients = expandScaled(a, mid, half);
  let maxError = 0;
  for (let p = 0; p < ERROR_POINTS; ++p) {
    const x = lo + ((hi - lo) * p) / (ERROR_POINTS - 1);
    maxError = Math.max(maxError, Math.abs(f(x) - evaluatePolynomial(coefficients, x)));
  }
  return { coefficients, range: [lo, hi], maxError, method };
}

/** Widens an observed [min, max] by a margin on each side, so slightly unseen inputs stay in range. */
export function calibratedRange(min: number, max: number, margin: number): [number, number] {
  const width = max - min;
  if (!(width > 1e-12)) return [min - 1, max + 1];
  return [min - margin * width, max + margin * width];
}
