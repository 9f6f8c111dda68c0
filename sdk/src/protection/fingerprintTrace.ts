/**
 * Tracing a suspect model to a buyer of the seller's ledger, from what is known of the suspect:
 * its predictions on every buyer's keyed triggers (black-box) or its weights (white-box). The
 * model is run by the caller (onnxruntime in the CLI, the trainer's network in the studies).
 */
import type { Address } from "viem";
import { accusedBuyers, buyerTriggerSet, fingerprintSigns, normalUpperTail, whiteBoxScore, type BuyerScore } from "./fingerprint.ts";
import type { FingerprintLedger } from "./fingerprintLedger.ts";
import { triggerEvidence } from "./triggerEvidence.ts";
import type { WatermarkReveal } from "./watermarkReveal.ts";

export interface MarkTrace {
  /** Per buyer: the p-value and the statistic (trigger matches, or the white-box z). */
  readonly scores: readonly (BuyerScore & { readonly statistic: number })[];
  /** Buyers below the threshold, most certain first; empty: the trace names no one. */
  readonly accused: readonly Address[];
}

/** Every buyer's trigger set, in ledger order. */
export function ledgerTriggerSets(ledger: FingerprintLedger): WatermarkReveal[] {
  return ledger.buyers.map((buyer) => buyerTriggerSet(ledger, buyer));
}

/** The trigger sets' inputs, concatenated: what the suspect must be run on. */
export function concatenatedInputs(sets: readonly WatermarkReveal[]): Float32Array {
  const inputs = new Float32Array(sets.reduce((n, s) => n + s.inputs.length, 0));
  let at = 0;
  for (const set of sets) {
    inputs.set(set.inputs, at);
    at += set.inputs.length;
  }
  return inputs;
}

/** The black-box trace from the suspect's predicted classes on concatenatedInputs(sets), sets = ledgerTriggerSets(ledger). */
export function blackBoxTrace(ledger: FingerprintLedger, sets: readonly WatermarkReveal[], predicted: Int16Array): MarkTrace {
  const scores = ledger.buyers.map((buyer, i) => {
    const evidence = triggerEvidence(predicted.subarray(i * ledger.triggers, (i + 1) * ledger.triggers), sets[i]!.labels, ledger.classCount);
    return { buyer, pValue: evidence.pValue, statistic: evidence.matches };
  });
  return { scores, accused: accusedBuyers(scores).map((s) => s.buyer) };
}

/** The white-box trace; a suspect whose weights do not have the base's shape is no copy of it (no scores). */
export function whiteBoxTrace(ledger: FingerprintLedger, suspectWeights: ArrayLike<number>, baseWeights: ArrayLike<number>): MarkTrace {
  if (suspectWeights.length !== baseWeights.length) return { scores: [], accused: [] };
  const scores = ledger.buyers.map((buyer) => {
    const z = whiteBoxScore(suspectWeights, baseWeights, fingerprintSigns(ledger.secret, buyer, baseWeights.length));
    return { buyer, pValue: normalUpperTail(z), statistic: z };
  });
  return { scores, accused: accusedBuyers(scores).map((s) => s.buyer) };
}
