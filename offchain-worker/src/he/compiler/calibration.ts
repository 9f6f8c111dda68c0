/**
 * Calibration inputs: the seller's samples (checked), or, when none are given, a deterministic
 * synthetic sample so that compiling the same model twice gives the same plan.
 */
import type { CalibrationReport } from "./report.ts";

/** Synthetic samples used when the seller gives none. */
export const SYNTHETIC_SAMPLES = 128;

/**
 * Standard normal samples, deterministic: Box-Muller over the R2 low-discrepancy sequence
 * (Roberts 2018), whose points cover the unit square evenly without any random state.
 */
function syntheticSamples(inputSize: number): Float64Array {
  const plastic = 1.324717957244746;
  const [a1, a2] = [1 / plastic, 1 / plastic ** 2];
  const out = new Float64Array(SYNTHETIC_SAMPLES * inputSize);
  for (let k = 0; k < out.length; ++k) {
    const u = 1 - ((0.5 + a1 * (k + 1)) % 1);
    const v = (0.5 + a2 * (k + 1)) % 1;
    out[k] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  return out;
}

export function calibrationSamples(inputSize: number, given: Float64Array | undefined): { samples: Float64Array; report: CalibrationReport } {
  if (given === undefined) {
    return {
      samples: syntheticSamples(inputSize),
      report: {
        source: "synthetic",
        samples: SYNTHETIC_SAMPLES,
        description: `no calibration data given: activation ranges and maxMagnitude come from ${SYNTHETIC_SAMPLES} synthetic standard-normal samples; give real samples for ranges that fit your data`,
      },
    };
  }
  if (given.length === 0 || given.length % inputSize !== 0) {
    throw new RangeError(`calibration data must hold whole samples of ${inputSize} features (row-major); got ${given.length} values`);
  }
  const bad = given.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new RangeError(`calibration value ${bad} (sample ${Math.floor(bad / inputSize)}) is not a finite number`);
  const samples = given.length / inputSize;
  return { samples: given, report: { source: "provided", samples, description: `${samples} samples provided by the seller` } };
}
