/**
 * Progress of a dispute proof, for a progress bar in the dApp or the CLI.
 *
 * snarkjs reports nothing but debug lines to an optional logger; this module turns the lines
 * its Groth16 prover prints at each phase (witness, QAP, FFTs, the five multi-exponentiations)
 * into an ordered stage and a fraction of the whole. The weights are the phases' shares of a
 * proof measured on the 1,024-sample circuit (multi-exponentiations dominate).
 */
import type { Logger } from "snarkjs";

export type ProvingStage = "download" | "witness" | "qap" | "fft" | "multiexp" | "done";

export interface ProvingProgress {
  readonly stage: ProvingStage;
  /** 0..1 of the whole proof (download included when the prover fetches its artifacts). */
  readonly fraction: number;
  /** What snarkjs is doing, e.g. "multiexp B2". */
  readonly detail: string;
}

export type ProgressListener = (progress: ProvingProgress) => void;

/** Phase lines in the order snarkjs's groth16 prover prints them, with the fraction reached. */
const MILESTONES: readonly (readonly [prefix: string, stage: ProvingStage, fraction: number])[] = [
  ["Reading Wtns", "qap", 0.3],
  ["Building ABC", "qap", 0.32],
  ["IFFT_A", "fft", 0.36],
  ["FFT_C", "fft", 0.44],
  ["Join ABC", "fft", 0.46],
  ["Reading A Points", "multiexp", 0.5],
  ["Reading B1 Points", "multiexp", 0.6],
  ["Reading B2 Points", "multiexp", 0.68],
  ["Reading C Points", "multiexp", 0.82],
  ["Reading H Points", "multiexp", 0.88],
];

/** The fraction reached when the witness starts; download progress fills the range below it. */
export const WITNESS_START = 0.1;

/**
 * A logger for snarkjs that reports each phase once, never moving backwards. Unknown lines are
 * ignored, so a snarkjs upgrade that renames a phase degrades to coarser progress, not errors.
 */
export function progressLogger(listener: ProgressListener): Logger {
  let reached = WITNESS_START;
  const report = (stage: ProvingStage, fraction: number, detail: string): void => {
    if (fraction < reached) return;
    reached = fraction;
    listener({ stage, fraction, detail });
  };
  const ignore = (): void => {};
  return {
    debug(message: string) {
      const hit = MILESTONES.find(([prefix]) => message.startsWith(prefix));
      if (hit) report(hit[1], hit[2], message);
    },
    log: ignore,
    info: ignore,
    warn: ignore,
    error: ignore,
  };
}
