/**
 * The `RefundDisputes.Config` a market is deployed with (contracts/interfaces/IRefundDisputes.sol):
 * which verifiers prove the v2 refund, opening and contest statements, and the three dispute
 * windows. Shared by the deployment module, the benchmarks and the tests.
 */
import type { Address } from "viem";
import { PlanFamily, type PlanFamilyCode } from "@modelbazaar/sdk/disputes";

/** Default dispute windows (seconds): a day to contest, a day to open, a day to prove (docs/DISPUTES.md §7). */
export const DEFAULT_DISPUTE_WINDOWS = { contestWindow: 86_400, openWindow: 86_400, proveWindow: 86_400 } as const;

export interface SampleCircuits {
  maxSamples: number;
  refundVerifier: Address;
  openVerifier: Address;
}

export interface ContestCircuit {
  family: PlanFamilyCode;
  features: number;
  classes: number;
  verifier: Address;
}

export interface DisputesConfig {
  sampleCircuits: SampleCircuits[];
  contestCircuits: ContestCircuit[];
  contestWindow: number;
  openWindow: number;
  proveWindow: number;
}

/**
 * A configuration whose every circuit is the stand-in `verifier` (contracts/mocks/
 * AnySignalsVerifier.sol, for tests of the contracts alone): sample circuits of 256 and 65,535
 * samples (every test set the registry allows), contest circuits Linear(4, 3), Linear(784, 10) and SquareMlp(4, 3).
 */
export function standInDisputesConfig(verifier: Address, windows: Partial<typeof DEFAULT_DISPUTE_WINDOWS> = {}): DisputesConfig {
  return {
    sampleCircuits: [
      { maxSamples: 256, refundVerifier: verifier, openVerifier: verifier },
      { maxSamples: 65_535, refundVerifier: verifier, openVerifier: verifier },
    ],
    contestCircuits: [
      { family: PlanFamily.Linear, features: 4, classes: 3, verifier },
      { family: PlanFamily.Linear, features: 784, classes: 10, verifier },
      { family: PlanFamily.SquareMlp, features: 4, classes: 3, verifier },
    ],
    ...DEFAULT_DISPUTE_WINDOWS,
    ...windows,
  };
}
