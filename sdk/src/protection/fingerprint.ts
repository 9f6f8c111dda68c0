/**
 * Per-buyer fingerprints (docs/PROTOCOL.md §7.2): each buyer's copy carries
 *  - a white-box mark: every weight moved by `strength · rms(tensor) · s_i`, where s is a ±1
 *    sequence keyed by the seller's secret and the buyer's address;
 *  - a black-box mark: a trigger set of its own, keyed the same way, trained into the copy.
 * Tracing scores a suspect against every buyer of the seller's ledger and accuses one only when
 * its p-value is below FINGERPRINT_SIGNIFICANCE / buyers (Bonferroni), so an innocent model is
 * accused with probability at most FINGERPRINT_SIGNIFICANCE per mark.
 * White-box score: z = <w_suspect - w_base, s> / ||w_suspect - w_base||, which is N(0, 1) for
 * any weights chosen independently of s, and about sqrt(weights) for the buyer's own copy.
 */
import type { Address, Hex } from "viem";
import type { FingerprintLedger } from "./fingerprintLedger.ts";
import { keyedUniform } from "./keyedUniform.ts";
import { makeTriggerSet } from "./triggerSet.ts";
import type { WatermarkReveal } from "./watermarkReveal.ts";

/** The family-wise false-accusation bound a trace works at, per mark (white-box, black-box). */
export const FINGERPRINT_SIGNIFICANCE = 1e-3;

/** The context string of a buyer's keyed streams: what the ±1 sequence and the triggers are drawn from. */
export function fingerprintContext(buyer: Address, mark: "signs" | "triggers"): string {
  return `ModelBazaar fingerprint v1 ${mark} ${buyer.toLowerCase()}`;
}

/** The buyer's ±1 sequence over `length` weights. */
export function fingerprintSigns(secret: Hex, buyer: Address, length: number): Int8Array {
  const uniform = keyedUniform(secret, fingerprintContext(buyer, "signs"));
  return Int8Array.from({ length }, () => (uniform() < 0.5 ? -1 : 1));
}

/** The buyer's keyed trigger set (its black-box mark): every feature uniform in the ledger's range. */
export function buyerTriggerSet(ledger: FingerprintLedger, buyer: Address): WatermarkReveal {
  const low = new Float64Array(ledger.featureCount).fill(ledger.featureLow);
  const high = new Float64Array(ledger.featureCount).fill(ledger.featureHigh);
  return makeTriggerSet(ledger.triggers, { classCount: ledger.classCount, low, high }, keyedUniform(ledger.secret, fingerprintContext(buyer, "triggers")));
}

/** z = <suspect - base, signs> / ||suspect - base|| (0 when the suspect is the base itself). */
export function whiteBoxScore(suspect: ArrayLike<number>, base: ArrayLike<number>, signs: Int8Array): number {
  if (suspect.length !== base.length || signs.length !== base.length) throw new RangeError(`${suspect.length} suspect weights, ${base.length} base weights, ${signs.length} signs`);
  let dot = 0;
  let norm = 0;
  for (let i = 0; i < base.length; i++) {
    const d = suspect[i]! - base[i]!;
    dot += d * signs[i]!;
    norm += d * d;
  }
  return norm === 0 ? 0 : dot / Math.sqrt(norm);
}

/** P[Z >= z] for a standard normal Z (erfc after Numerical Recipes, relative error below 1.2e-7). */
export function normalUpperTail(z: number): number {
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const poly = -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(poly);
  return (x >= 0 ? erfc : 2 - erfc) / 2;
}

export interface BuyerScore {
  readonly buyer: Address;
  readonly pValue: number;
}

/** The buyers a trace accuses: those whose p-value is below `significance / scores.length`, most certain first. */
export function accusedBuyers(scores: readonly BuyerScore[], significance = FINGERPRINT_SIGNIFICANCE): BuyerScore[] {
  return scores.filter((s) => s.pValue < significance / scores.length).sort((a, b) => a.pValue - b.pValue);
}
