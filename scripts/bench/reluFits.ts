/**
 * For bench:relu: the approximation families the compiler could use for one Relu layer,
 * compared on that layer's real inputs at the levels each costs. Each is fitted on half of the
 * inputs (every other one) and scored, by root-mean-square error, on the other half:
 * - one polynomial of degree 2 (1 level), 3 (2 levels) and 4 (2 levels: x^4 = (x^2)^2; the
 *   engine's monomials layer stops at x^3), each the best of the compiler's four fit methods;
 * - the composite p(q(x)) of two degree-2 polynomials (3 levels: q's square, the linear layer
 *   that forms q, p's square), fitted by alternating least squares for p and damped
 *   Gauss-Newton for q, starting from the best degree-2 fit.
 */
import { FIT_METHODS, calibratedRange, evaluatePolynomial, fitPolynomial, solve, weightedLeastSquares } from "../../offchain-worker/src/he/compiler/polynomialFit.ts";
import { RANGE_MARGIN } from "../../offchain-worker/src/he/compiler/activationFit.ts";

/** Held-out root-mean-square error and the levels it costs, per approximation family. */
export interface ReluFitComparison {
  readonly inputs: number;
  readonly range: readonly [number, number];
  readonly families: readonly { readonly family: string; readonly levels: number; readonly rmsError: number }[];
}

const MAX_POINTS = 20_000;
const COMPOSITE_ROUNDS = 40;

const relu = (x: number): number => Math.max(0, x);

function rms(approximation: (x: number) => number, xs: Float64Array): number {
  let squares = 0;
  for (const x of xs) squares += (approximation(x) - relu(x)) ** 2;
  return Math.sqrt(squares / xs.length);
}

/** The best single polynomial of `degree` over the fit half, by its error on the score half. */
function bestSingle(degree: number, range: [number, number], fitHalf: Float64Array, scoreHalf: Float64Array): number {
  return Math.min(...FIT_METHODS.map((method) => {
    const { coefficients } = fitPolynomial(relu, range, degree, method, fitHalf);
    return rms((x) => evaluatePolynomial(coefficients, x), scoreHalf);
  }));
}

/** p(q(t)) with t = (x - mid) / half, both of degree 2, fitted on `fitHalf`. */
function composite(range: [number, number], fitHalf: Float64Array): (x: number) => number {
  const mid = (range[0] + range[1]) / 2;
  const half = (range[1] - range[0]) / 2;
  const ts = fitHalf.map((x) => (x - mid) / half);
  const ys = fitHalf.map(relu);
  let q = weightedLeastSquares(ts, ys, undefined, 2);
  let p = [0, 1, 0];
  let damping = 1e-3;
  const loss = (qc: readonly number[], pc: readonly number[]) => ts.reduce((sum, t, i) => sum + (evaluatePolynomial(pc, evaluatePolynomial(qc, t)) - ys[i]!) ** 2, 0);
  for (let round = 0; round < COMPOSITE_ROUNDS; ++round) {
    p = weightedLeastSquares(ts.map((t) => evaluatePolynomial(q, t)), ys, undefined, 2);
    // Gauss-Newton on q: d p(q(t)) / d q_j = p'(q(t)) t^j.
    const gram = [0, 1, 2].map(() => [0, 0, 0]);
    const rhs = [0, 0, 0];
    ts.forEach((t, i) => {
      const u = evaluatePolynomial(q, t);
      const slope = p[1]! + 2 * p[2]! * u;
      const residual = evaluatePolynomial(p, u) - ys[i]!;
      const jacobian = [slope, slope * t, slope * t * t];
      for (let a = 0; a < 3; ++a) {
        rhs[a]! -= jacobian[a]! * residual;
        for (let b = 0; b < 3; ++b) gram[a]![b]! += jacobian[a]! * jacobian[b]!;
      }
    });
    for (let a = 0; a < 3; ++a) gram[a]![a]! *= 1 + damping;
    const step = solve(gram, rhs);
    const candidate = q.map((c, j) => c + step[j]!);
    if (loss(candidate, p) < loss(q, p)) {
      q = candidate;
      damping /= 3;
    } else {
      damping *= 10;
    }
  }
  return (x: number) => evaluatePolynomial(p, evaluatePolynomial(q, (x - mid) / half));
}

export function compareReluFits(inputs: Float64Array): ReluFitComparison {
  const stride = Math.max(1, Math.floor(inputs.length / MAX_POINTS));
  const thinned = inputs.filter((_, i) => i % stride === 0);
  const fitHalf = thinned.filter((_, i) => i % 2 === 0);
  const scoreHalf = thinned.filter((_, i) => i % 2 === 1);
  let min = Infinity;
  let max = -Infinity;
  for (const x of inputs) {
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  const range = calibratedRange(min, max, RANGE_MARGIN);
  return {
    inputs: inputs.length,
    range,
    families: [
      { family: "degree 2", levels: 1, rmsError: bestSingle(2, range, fitHalf, scoreHalf) },
      { family: "degree 3", levels: 2, rmsError: bestSingle(3, range, fitHalf, scoreHalf) },
      { family: "degree 4 (not in the engine)", levels: 2, rmsError: bestSingle(4, range, fitHalf, scoreHalf) },
      { family: "composite 2∘2", levels: 3, rmsError: rms(composite(range, fitHalf), scoreHalf) },
    ],
  };
}
