/**
 * The defence settings the extraction study compares. Two act in the worker as shipped (the
 * per-test cap and the Gaussian output perturbation, `perturbationSigma`); two (rounding and
 * top-1) are what the seller would want but the worker cannot do under CKKS (it never sees
 * the scores; rounding or an argmax on ciphertexts would need deep comparison circuits), so
 * they are measured as if the scores were rounded or reduced to a label before the buyer
 * reads them.
 */
import { DEFAULT_PERTURBATION_SIGMA } from "../../offchain-worker/src/he/ckksEvaluator.ts";

export interface DefenceSetting {
  /** Short key used in the JSON and the tables, e.g. "noise-0.1". */
  readonly id: string;
  readonly label: string;
  /** The worker's `perturbationSigma` (offchain-worker/src/he/engine/outputs.ts). */
  readonly sigma: number;
  /** Keep this many decimals of every score (rounding defence); absent: all. */
  readonly decimals?: number;
  /** The buyer learns only each sample's top-1 class. */
  readonly top1?: boolean;
  /** Samples per test-drive; absent: the listing's maxSamples. */
  readonly maxSamplesPerTest?: number;
  /**
   * Standard deviation of the Gaussian that stands in for CKKS's decryption error (the study
   * evaluates the plan in plaintext; decrypted scores are exact to ~1e-4: docs/THREAT-MODEL.md).
   */
  readonly decryptionError?: number;
  /** Same answers as this other setting (only the price differs): the attacks are not run again. */
  readonly sameAnswersAs?: string;
}

/** What the CKKS decryption error amounts to in the study's shipped setting. */
export const CKKS_DECRYPTION_ERROR = 1e-4;

export function defenceSettings(noiseSigmas: readonly number[], capSamples: number): DefenceSetting[] {
  return [
    { id: "none", label: "none (exact scores)", sigma: 0 },
    {
      id: "shipped",
      label: `as shipped (perturbationSigma ${DEFAULT_PERTURBATION_SIGMA}, CKKS error ~${CKKS_DECRYPTION_ERROR})`,
      sigma: DEFAULT_PERTURBATION_SIGMA,
      decryptionError: CKKS_DECRYPTION_ERROR,
    },
    { id: `cap-${capSamples}`, label: `per-test cap of ${capSamples} samples`, sigma: 0, maxSamplesPerTest: capSamples, sameAnswersAs: "none" },
    ...noiseSigmas.map((sigma) => ({ id: `noise-${sigma}`, label: `output noise sigma ${sigma}`, sigma })),
    { id: "round-1", label: "scores rounded to 1 decimal", sigma: 0, decimals: 1 },
    { id: "top1", label: "top-1 label only", sigma: 0, top1: true },
  ];
}
