/**
 * The agreement an HE-ready plan must reach with the original model (argmax, on the seller's
 * calibration samples or synthetic ones) before anyone pays for a test-drive on it: `bazaar
 * model check` stops below it, and the worker refuses to serve such a model (ckksEvaluator.ts).
 */
import type { CompileReport } from "./compiler/index.ts";

/** The agreement a check passes with by default: a plan that changes more than one answer in ten is not the seller's model. */
export const DEFAULT_MIN_AGREEMENT = 0.9;

/** The HE-ready plan agrees with the original model less often than the check requires. */
export class LowAgreementError extends Error {
  override readonly name = "LowAgreementError";
  /** The compile report with its comparison, for the seller to see which layer loses accuracy. */
  readonly report: CompileReport;

  constructor(message: string, report: CompileReport) {
    super(message);
    this.report = report;
  }
}

/** Throws LowAgreementError, with what to change, when the plan's argmax agreement is below `minAgreement`. */
export function requireAgreement(report: CompileReport, minAgreement: number): void {
  const comparison = report.comparison;
  if (comparison === undefined || comparison.argmaxAgreement >= minAgreement) return;
  const percent = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const synthetic = report.calibration.source === "synthetic";
  const approximated = report.nodes.filter((n) => n.fate === "approximated");
  const quadratic = report.layers.some((l) => l.fit !== undefined && l.outputSize < 3 * l.inputSize);
  const names = approximated.map((n) => `${n.opType} ${n.name}`).join(", ");
  const advice = [
    ...(synthetic ? ["give real calibration data (--calibration, samples like your buyers' test sets), which the activations are fitted on"] : []),
    ...(quadratic ? [`give the approximations of ${names} more depth (--degree 3: one more level each)`] : []),
    ...(approximated.length > 0 ? [`retrain with square activations (x * x) in place of ${names}: CKKS evaluates them exactly`] : []),
  ];
  throw new LowAgreementError(
    `the HE-ready plan agrees with the original model on ${percent(comparison.argmaxAgreement)} of ${comparison.samples} ${synthetic ? "synthetic" : "calibration"} samples, below the required ${percent(minAgreement)}` +
      (advice.length > 0 ? `: ${advice.join("; ")}` : ""),
    report,
  );
}
