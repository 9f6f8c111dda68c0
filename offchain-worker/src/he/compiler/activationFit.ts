/**
 * Chooses the polynomial that replaces one Relu, Sigmoid or Tanh layer: every fit method of
 * polynomialFit.ts is tried over the calibrated range (the observed inputs widened by a
 * margin), fitted on half of the calibration samples' inputs to the layer and scored on the
 * other half (root-mean-square error: what a trained network meets, mostly near 0, not a
 * uniform input); the winner is refitted on all of them. Its held-out errors and every
 * candidate's are reported with it.
 */
import { ACTIVATION_FUNCTIONS, calibratedRange, evaluatePolynomial, FIT_METHODS, fitPolynomial, type ApproximatedOp, type FitMethod, type PolynomialFit } from "./polynomialFit.ts";

/** Fraction of the observed input width added on each side of the fitted range. */
export const RANGE_MARGIN = 0.1;

/** Inputs used to fit and to score (a deterministic stride through the calibration values beyond this). */
const MAX_SCORED_INPUTS = 100_000;

/** A fit's error on the calibration inputs. */
export interface CalibrationError {
  readonly method: FitMethod;
  /** sqrt(mean (f(x) - p(x))^2) over the calibration inputs. */
  readonly rmsError: number;
  /** Largest |f(x) - p(x)| over the calibration inputs. */
  readonly maxError: number;
}

/** The chosen method's error on held-out calibration inputs, and every candidate's (in FIT_METHODS order). */
export interface FitReport extends CalibrationError {
  readonly candidates: readonly CalibrationError[];
}

export interface ActivationFit extends PolynomialFit {
  readonly report: FitReport;
}

/** At most MAX_SCORED_INPUTS of the values, spread evenly over them. */
function thinned(values: Float64Array): Float64Array {
  if (values.length <= MAX_SCORED_INPUTS) return values;
  const stride = values.length / MAX_SCORED_INPUTS;
  return Float64Array.from({ length: MAX_SCORED_INPUTS }, (_, i) => values[Math.floor(i * stride)]!);
}

/** The inputs of even and odd samples (both halves are all inputs when there is a single sample). */
function halves(values: Float64Array, size: number): [Float64Array, Float64Array] {
  const samples = values.length / size;
  if (samples < 2) return [values, values];
  const pick = (parity: number): Float64Array => {
    const out = new Float64Array(Math.floor((samples + 1 - parity) / 2) * size);
    for (let s = parity, o = 0; s < samples; s += 2, o += size) out.set(values.subarray(s * size, (s + 1) * size), o);
    return out;
  };
  return [pick(0), pick(1)];
}

function errorOn(f: (x: number) => number, fit: PolynomialFit, inputs: Float64Array): CalibrationError {
  let squares = 0;
  let max = 0;
  for (const x of inputs) {
    const e = Math.abs(f(x) - evaluatePolynomial(fit.coefficients, x));
    squares += e * e;
    max = Math.max(max, e);
  }
  return { method: fit.method, rmsError: Math.sqrt(squares / inputs.length), maxError: max };
}

/**
 * The best polynomial of `degree` for `op` on the inputs the calibration samples feed it.
 * @param values row-major samples x `size` (the layer's width)
 * @param range the observed [min, max] of `values`
 */
export function fitActivation(op: ApproximatedOp, values: Float64Array, size: number, range: readonly [number, number], degree: number, methods: readonly FitMethod[] = FIT_METHODS): ActivationFit {
  const f = ACTIVATION_FUNCTIONS[op];
  const fitted = calibratedRange(range[0], range[1], RANGE_MARGIN);
  const [fitHalf, scoreHalf] = halves(values, size).map(thinned) as [Float64Array, Float64Array];
  const candidates = methods.map((method) => errorOn(f, fitPolynomial(f, fitted, degree, method, fitHalf), scoreHalf));
  const best = candidates.reduce((a, b) => (b.rmsError < a.rmsError ? b : a), candidates[0]!);
  if (best === undefined) throw new RangeError("no fit method given");
  return { ...fitPolynomial(f, fitted, degree, best.method, thinned(values)), report: { ...best, candidates } };
}
