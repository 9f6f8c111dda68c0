/**
 * How fast a seller's worker evaluates a listing's model, as it publishes in GET /listings
 * (`evaluation`): the wall seconds one full batch takes on its machine, with what that
 * figure rests on. The worker prices a batch when first asked (SEAL's and the residue kernel's
 * operations timed in CPU time on its machine, times the plan's counted operations, at the share of a core it got
 * while timing: offchain-worker/src/he/engine/batchEstimate.ts). A batch costs the same however
 * few samples it holds, and a job's batches run one after another.
 *
 * The figure comes from the seller's machine: a buyer reads it as the seller's forecast, not a
 * promise (a busy worker is slower, and jobs queue). {parseEvaluationSpeed} accepts only a
 * well-formed one, so a worker that publishes nonsense reads as one that publishes nothing.
 */

export interface EvaluationSpeed {
  /** Wall seconds of the worker's part of one full batch (loading, the layers, finishing). */
  readonly secondsPerBatch: number;
  /** CPU seconds of the same, whatever the load. */
  readonly cpuSecondsPerBatch: number;
  /** Samples a batch holds (CKKS slots). */
  readonly samplesPerBatch: number;
  /** When the worker measured it (ISO 8601). */
  readonly measuredAt: string;
}

/** The worker's `evaluation` field, or undefined when it is absent or not well-formed. */
export function parseEvaluationSpeed(value: unknown): EvaluationSpeed | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { secondsPerBatch, cpuSecondsPerBatch, samplesPerBatch, measuredAt } = value as Record<string, unknown>;
  const positive = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x) && x > 0;
  if (!positive(secondsPerBatch) || !positive(cpuSecondsPerBatch) || !positive(samplesPerBatch) || !Number.isInteger(samplesPerBatch)) return undefined;
  if (typeof measuredAt !== "string" || Number.isNaN(Date.parse(measuredAt))) return undefined;
  return { secondsPerBatch, cpuSecondsPerBatch, samplesPerBatch, measuredAt };
}
