/**
 * The study's two configurations: the full one (`npm run study:extraction`, about ten minutes
 * on two cores) and the small one (`--small`, seconds: what the tests run).
 */
import { parseEther } from "viem";
import { DEMO_POLICY } from "../lib/demoListings.ts";
import type { ExtractionTestPolicy } from "@modelbazaar/sdk/listings";
import type { QuerySource } from "./querySources.ts";

export interface StudyConfig {
  readonly small: boolean;
  /** perturbationSigma values measured (absolute, in score units: the logits' RMS is 6 to 40). */
  readonly noiseSigmas: readonly number[];
  /** The per-test cap setting's maxSamples. */
  readonly capSamples: number;
  readonly equationVictims: readonly ("iris-logreg" | "mnist-logreg")[];
  readonly equationBudgets: Readonly<Record<"iris-logreg" | "mnist-logreg", readonly number[]>>;
  readonly knockoffVictims: readonly ("iris-square-mlp" | "mnist-cryptonets")[];
  readonly knockoffBudgets: Readonly<Record<"iris-square-mlp" | "mnist-cryptonets", readonly number[]>>;
  /** Sources tried without defence; every defence is measured with the task's own distribution. */
  readonly knockoffSources: readonly QuerySource[];
  /** Honest-buyer draws per (victim, setting, sample count). */
  readonly honestDraws: number;
  readonly honestSamples: readonly number[];
  /** The listing the pricing assumes. */
  readonly policy: ExtractionTestPolicy;
  readonly priceWei: bigint;
  readonly gasPriceWei: bigint;
  readonly seed: number;
}

const SHARED = {
  noiseSigmas: [0.1, 1, 5],
  capSamples: 100,
  policy: DEMO_POLICY,
  priceWei: parseEther("5"),
  gasPriceWei: 10n ** 9n * 10n,
  seed: 2016,
} as const;

export const FULL_STUDY: StudyConfig = {
  ...SHARED,
  small: false,
  equationVictims: ["iris-logreg", "mnist-logreg"],
  equationBudgets: { "iris-logreg": [2, 3, 5, 10, 30, 100, 300, 1000], "mnist-logreg": [100, 400, 785, 1500, 3000] },
  knockoffVictims: ["iris-square-mlp", "mnist-cryptonets"],
  knockoffBudgets: { "iris-square-mlp": [10, 30, 100, 300, 1000], "mnist-cryptonets": [100, 300, 1000, 3000] },
  knockoffSources: ["task", "uniform", "shuffled"],
  honestDraws: 400,
  honestSamples: [100, 1000],
};

export const SMALL_STUDY: StudyConfig = {
  ...SHARED,
  small: true,
  equationVictims: ["iris-logreg"],
  equationBudgets: { "iris-logreg": [3, 5, 30], "mnist-logreg": [] },
  knockoffVictims: ["iris-square-mlp"],
  knockoffBudgets: { "iris-square-mlp": [30, 100], "mnist-cryptonets": [] },
  knockoffSources: ["task", "uniform"],
  honestDraws: 20,
  honestSamples: [100],
};
