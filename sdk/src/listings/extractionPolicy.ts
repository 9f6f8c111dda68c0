/**
 * The listing policy suggestion: test-drive terms and worker output noise under which
 * extracting the model to 90 % fidelity through test-drives costs more than its price, read off
 * the extraction study's measured curves (extractionCurves.json, written by
 * `npm run study:extraction`; docs/studies/extraction.md). No study runs here.
 *
 * Rule. Take the perturbation sigma with the most queries to 90 % fidelity among those that
 * add at most `maxHonestCostPoints` to an honest buyer's accuracy estimate at the largest
 * measured test size; with Q those queries (the measured lower bound, so never more than the
 * attacker needed), a fee F with F·Q > price and a deposit D ≥ F·freeSamples make every
 * test-drive cost at least F per sample whichever way it ends (extractionCost.ts), so Q queries
 * cost more than the price. The cap keeps one test-drive below Q. The seller's own terms are
 * judged by the same arithmetic: `meets` says whether Q queries under them cost more than the price.
 * A model the study did not measure gets the most extractable studied model's numbers.
 */
import curvesJson from "./extractionCurves.json" with { type: "json" };
import { extractionCost, type ExtractionCost, type ExtractionTestPolicy } from "./extractionCost.ts";

export interface ExtractionCurveSetting {
  readonly perturbationSigma: number;
  /** Queries the best measured attack needed at least to reach 90 % fidelity. */
  readonly queriesFor90: number;
  /** Test size (as a decimal string) -> RMS points this setting adds to an honest buyer's accuracy estimate. */
  readonly honestAddedRmsPoints: Readonly<Record<string, number>>;
}

export interface ExtractionCurves {
  readonly source: string;
  readonly date: string;
  readonly models: readonly { readonly name: string; readonly featureCount: number; readonly classCount: number; readonly settings: readonly ExtractionCurveSetting[] }[];
}

/** The curves the study measured on the shipped models. */
export const EXTRACTION_CURVES: ExtractionCurves = curvesJson;

/** Honest buyers' cost the suggestion accepts by default: 1 point of RMS at the largest measured test size. */
export const DEFAULT_MAX_HONEST_COST_POINTS = 1;

export interface PolicySuggestionInput {
  /** The model card's name (a studied model's own curves are used when it is one). */
  readonly modelName?: string;
  /** The fixed price, wei. */
  readonly price: bigint;
  readonly testPolicy: ExtractionTestPolicy;
  readonly maxHonestCostPoints?: number;
}

export interface ListingPolicySuggestion {
  /** Which measurements the suggestion rests on, as a sentence. */
  readonly basis: string;
  /** The worker's `perturbationSigma` to configure. */
  readonly perturbationSigma: number;
  /** What it adds to an honest buyer's estimate (RMS points) at `honestTestSize` samples. */
  readonly honestCostPoints: number;
  readonly honestTestSize: number;
  readonly queriesFor90: number;
  /** Lowest fee per extra sample (wei) of three significant digits with fee · queriesFor90 > price. */
  readonly feePerExtraSample: bigint;
  /** Lowest deposit (wei) that keeps a walk-away at least as dear per sample: fee · freeSamples, or the seller's own if higher. */
  readonly deposit: bigint;
  /** Largest test-drive that stays below queriesFor90 (not below minSamples). */
  readonly maxSamples: number;
  /** What queriesFor90 queries cost under the seller's own terms. */
  readonly costUnderTerms: ExtractionCost;
  /** Whether that exceeds the price. */
  readonly meets: boolean;
}

/** A suggestion that cannot be made: no price, or curves without measurements. */
export class ExtractionPolicyError extends Error {
  override readonly name = "ExtractionPolicyError";
}

export function suggestListingPolicy(input: PolicySuggestionInput, curves: ExtractionCurves = EXTRACTION_CURVES): ListingPolicySuggestion {
  const { price, testPolicy } = input;
  if (price <= 0n) throw new ExtractionPolicyError("A policy suggestion needs the listing's fixed price (above 0): an auction has none to compare the extraction cost with.");
  const maxHonest = input.maxHonestCostPoints ?? DEFAULT_MAX_HONEST_COST_POINTS;
  if (!(maxHonest >= 0)) throw new ExtractionPolicyError(`The honest buyers' cost bound must be a number of points >= 0, got ${maxHonest}.`);
  const own = curves.models.find((m) => m.name === input.modelName);
  const candidates = own ? [own] : curves.models;
  if (candidates.length === 0 || candidates.some((m) => m.settings.length === 0)) throw new ExtractionPolicyError(`The extraction curves (${curves.source}) hold no measurements: run npm run study:extraction.`);
  const options = sigmaOptions(candidates);
  const acceptable = options.filter((o) => o.honestPoints <= maxHonest);
  if (acceptable.length === 0) throw new ExtractionPolicyError(`No measured perturbation costs honest buyers ${maxHonest} points or less (${curves.source}).`);
  const chosen = acceptable.reduce((best, o) => (o.queries > best.queries ? o : best));
  const fee = roundUpToSignificant(price / BigInt(chosen.queries) + 1n, FEE_DIGITS);
  const deposit = fee * BigInt(testPolicy.freeSamples) > testPolicy.deposit ? fee * BigInt(testPolicy.freeSamples) : testPolicy.deposit;
  const costUnderTerms = extractionCost(testPolicy, chosen.queries);
  return {
    basis: own
      ? `measured on ${own.name} (${curves.source}, ${curves.date})`
      : `${input.modelName ? `${input.modelName} was not studied` : "no model name"}: the most extractable of the studied models (${curves.models.map((m) => m.name).join(", ")}; ${curves.source})`,
    perturbationSigma: chosen.sigma,
    honestCostPoints: chosen.honestPoints,
    honestTestSize: chosen.honestTestSize,
    queriesFor90: chosen.queries,
    feePerExtraSample: fee,
    deposit,
    maxSamples: Math.max(testPolicy.minSamples, Math.min(testPolicy.maxSamples, chosen.queries - 1)),
    costUnderTerms,
    meets: costUnderTerms.wei > price,
  };
}

/** Significant digits of the suggested fee (a seller types it). */
const FEE_DIGITS = 3;

/** The smallest number of `digits` significant digits at or above `value` (> 0). */
function roundUpToSignificant(value: bigint, digits: number): bigint {
  const step = 10n ** BigInt(Math.max(0, value.toString().length - digits));
  return ((value + step - 1n) / step) * step;
}

interface SigmaOption {
  readonly sigma: number;
  /** The fewest queries to 90 % over the candidates and their settings of this sigma. */
  readonly queries: number;
  /** The largest added RMS at the largest measured test size. */
  readonly honestPoints: number;
  readonly honestTestSize: number;
}

function sigmaOptions(models: ExtractionCurves["models"]): SigmaOption[] {
  const sigmas = [...new Set(models.flatMap((m) => m.settings.map((s) => s.perturbationSigma)))];
  return sigmas
    .filter((sigma) => models.every((m) => m.settings.some((s) => s.perturbationSigma === sigma)))
    .map((sigma) => {
      const settings = models.flatMap((m) => m.settings.filter((s) => s.perturbationSigma === sigma));
      const queries = Math.min(...settings.map((s) => s.queriesFor90));
      if (!(Number.isSafeInteger(queries) && queries >= 1)) throw new ExtractionPolicyError(`The curves give ${queries} queries to 90 % fidelity at sigma ${sigma}: not a count.`);
      const sizes = settings.flatMap((s) => Object.keys(s.honestAddedRmsPoints).map(Number));
      const honestTestSize = sizes.length ? Math.max(...sizes) : 0;
      const honestPoints = Math.max(0, ...settings.map((s) => s.honestAddedRmsPoints[String(honestTestSize)] ?? (sigma === 0 ? 0 : Infinity)));
      return { sigma, queries, honestPoints, honestTestSize };
    });
}
