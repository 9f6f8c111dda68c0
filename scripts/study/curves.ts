/**
 * The study's measurements: one curve per (victim, attack, query source, defence setting),
 * the surrogate's fidelity and accuracy at each query budget, and how many queries a curve
 * needs to reach a fidelity.
 */
import type { ModelName } from "../train/modelSpecs.ts";
import type { QuerySource } from "./querySources.ts";

export interface CurvePoint {
  readonly queries: number;
  /** Test-drives of the listing's maxSamples these queries take. */
  readonly testDrives: number;
  /** Agreement with the victim's top-1 on the test split (0..1). */
  readonly fidelity: number;
  /** The surrogate's accuracy on the test split (0..1). */
  readonly accuracy: number;
  /** Equation solving only: the largest |recovered − true| weight. */
  readonly parameterError?: number;
}

export interface Curve {
  readonly victim: ModelName;
  readonly attack: "equation solving" | "knockoff";
  readonly source: QuerySource;
  /** A DefenceSetting id. */
  readonly setting: string;
  readonly points: readonly CurvePoint[];
}

/**
 * The queries needed to reach `fidelity`, bracketed by the measured budgets: more than
 * `atLeast − 1` (the largest budget measured below it, or 0) and at most `atMost` (the first
 * budget that reached it; undefined when none did, so `atLeast` is then only a lower bound).
 */
export interface QueriesNeeded {
  readonly atLeast: number;
  readonly atMost: number | undefined;
}

export function queriesToReach(points: readonly CurvePoint[], fidelity: number): QueriesNeeded {
  const sorted = [...points].sort((a, b) => a.queries - b.queries);
  const reached = sorted.findIndex((p) => p.fidelity >= fidelity);
  if (reached < 0) return { atLeast: (sorted.at(-1)?.queries ?? 0) + 1, atMost: undefined };
  return { atLeast: (reached === 0 ? 0 : sorted[reached - 1]!.queries) + 1, atMost: sorted[reached]!.queries };
}
