/**
 * Least-squares polynomial fits of Relu, Sigmoid and Tanh over a calibrated input range.
 *
 * The fit is computed in the scaled variable t = (x - mid) / half on [-1, 1] (well conditioned),
 * uniformly weighted over the range, then expanded back into coefficients of x so the next
 * linear layer can absorb them. The maximum error is measured on a fine grid of the same range.
 */

export type ApproximatedOp = "Relu" | "Sigmoid" | "Tanh";

export const ACTIVATION_FUNCTIONS: Readonly<Record<ApproximatedOp, (x: number) => number>> = {
  Relu: (x) => Math.max(0, x),
  Sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  Tanh: (x) => Math.tanh(x),
};

export interface PolynomialFit {
  /** c0..cd, in powers of x. */
  readonly coefficients: number[];
  readonly range: [number, number];
  /** Largest |f(x) - p(x)| over the range. */
  readonly maxError: number;
}

const FIT_POINTS = 2_001;
const ERROR_POINTS = 20_001;

/** Solves a small dense system by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
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

export function fitPolynomial(f: (x: number) => number, range: readonly [number, number], degree: number): PolynomialFit {
  const [lo, hi] = range;
  const mid = (lo + hi) / 2;
  const half = (hi - lo) / 2;
  const size = degree + 1;
  const gram = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  const rhs = new Array<number>(size).fill(0);
  for (let p = 0; p < FIT_POINTS; ++p) {
    const t = -1 + (2 * p) / (FIT_POINTS - 1);
    const y = f(mid + half * t);
    const powers = Array.from({ length: size }, (_, k) => t ** k);
    for (let i = 0; i < size; ++i) {
      rhs[i]! += powers[i]! * y;
      for (let j = 0; j < size; ++j) gram[i]![j]! += powers[i]! * powers[j]!;
    }
  }
  const coefficients = expandScaled(solve(gram, rhs), mid, half);
  let maxError = 0;
  for (let p = 0; p < ERROR_POINTS; ++p) {
    const x = lo + ((hi - lo) * p) / (ERROR_POINTS - 1);
    maxError = Math.max(maxError, Math.abs(f(x) - evaluatePolynomial(coefficients, x)));
  }
  return { coefficients, range: [lo, hi], maxError };
}

/** Widens an observed [min, max] by a margin on each side, so slightly unseen inputs stay in range. */
export function calibratedRange(min: number, max: number, margin: number): [number, number] {
  const width = max - min;
  if (!(width > 1e-12)) return [min - 1, max + 1];
  return [min - margin * width, max + margin * width];
}
