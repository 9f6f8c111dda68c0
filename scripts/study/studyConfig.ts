/**
 * The study's two configurations: the full one (`npm run study:extraction`, about ten minutes
 * on two cores) and the small one (`--small`, seconds: what the tests run).
 */
import { parseEther } from "viem";
import { DEMO_POLICY } from "../lib/demoListings.ts";
import type { ExtractionTestPolicy } from "@modelbazaar/sdk/listings";
import type { ModelName } from "../train/modelSpecs.ts";
import type { QuerySource } from "./querySources.ts";

/**
 * One victim's runs: its query budgets and its attacks, each with its query sources. Every
 * defence is measured with an attack's first source; its other sources only without defence.
 * Equation solving needs a plan of one linear layer.
 */
export interface VictimRuns {
  readonly name: ModelName;
  readonly budgets: readonly number[];
  readonly attacks: readonly { readonly attack: "equation solving" | "knockoff"; readonly sources: readonly QuerySource[] }[];
}

export interface StudyConfig {
  readonly small: boolean;
  /** perturbationSigma values measured (absolute, in score units: the logits' RMS is 6 to 40). */
  readonly noiseSigmas: readonly number[];
  /** The per-test cap setting's maxSamples. */
  readonly capSamples: number;
  readonly victims: readonly VictimRuns[];
  /** Honest-buyer draws per (victim, setting, sample count). */
  readonly honestDraws: number;
  readonly honestSamples: readonly number[];
  /** The listing the pricing assumes. */
  readonly policy: ExtractionTestPolicy;
  readonly priceWei: bigint;
  readonly gasPriceWei: bigint;
  readonly seed: number;
}

/** Equation solving with uniform queries (it needs no task data). */
const EQUATIONS = { attack: "equation solving", sources: ["uniform"] } as const;
/** Knockoff with the task's own data (the strongest source). */
const KNOCKOFF_TASK = { attack: "knockoff", sources: ["task"] } as const;

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
  victims: [
    { name: "iris-logreg", budgets: [2, 3, 5, 10, 30, 100, 300, 1000], attacks: [EQUATIONS, KNOCKOFF_TASK] },
    { name: "mnist-logreg", budgets: [100, 400, 785, 1500, 3000], attacks: [EQUATIONS, KNOCKOFF_TASK] },
    { name: "iris-square-mlp", budgets: [10, 30, 100, 300, 1000], attacks: [{ attack: "knockoff", sources: ["task", "uniform", "shuffled"] }] },
    { name: "mnist-cryptonets", budgets: [100, 300, 1000, 3000], attacks: [{ attack: "knockoff", sources: ["task", "uniform", "shuffled"] }] },
  ],
  honestDraws: 400,
  honestSamples: [100, 1000],
};

export const SMALL_STUDY: StudyConfig = {
  ...SHARED,
  small: true,
  victims: [
    { name: "iris-logreg", budgets: [3, 5, 30], attacks: [EQUATIONS, KNOCKOFF_TASK] },
    { name: "iris-square-mlp", budgets: [30, 100], attacks: [{ attack: "knockoff", sources: ["task", "uniform"] }] },
  ],
  honestDraws: 20,
  honestSamples: [100],
};
