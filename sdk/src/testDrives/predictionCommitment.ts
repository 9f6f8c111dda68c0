/**
 * The `predictionCommitment` C_P a buyer posts with `claimRefund` (docs/DISPUTES.md §3),
 * after decrypting its results and before any challenge: it fixes the predictions the refund
 * is graded on and that a contest may open.
 *
 *   saltP  = Poseidon(DOMAIN_PSALT, salt)               (derivedSalts.ts)
 *   h0     = Poseidon(DOMAIN_PRED, C_D, n, saltP)        C_D = dataCommitmentV2 of the test set
 *   words  = the predictions packed PREDICTIONS_PER_WORD (15) to a field element,
 *            PREDICTION_BITS (16) bits each, least significant first (last word zero-filled)
 *   C_P    = the last state of poseidonChain(h0, words)
 *
 * Absorbing C_D ties C_P to one test set; every prediction is a 16-bit class index (a
 * prediction >= classCount is allowed here and only counts as wrong in the refund; a contest
 * ends for the seller when such a prediction is opened). This module owns DOMAIN_PRED;
 * circuits/commitmentsV2.circom repeats it and test/circuits/refund.test.ts checks both agree.
 */
import { poseidon4 } from "poseidon-lite/poseidon4";
import { predictionSalt } from "./derivedSalts.ts";
import { requireFieldElement } from "./fieldElement.ts";
import { asciiDomain, packLanes, poseidonChain } from "./poseidonChain.ts";

/** Domain of the prediction commitment's start: the ASCII bytes of the tag, big-endian. */
export const DOMAIN_PRED_TAG = "ModelBazaar.predictions.v1";
export const DOMAIN_PRED = asciiDomain(DOMAIN_PRED_TAG);
/** Bits per packed prediction: a prediction is a class index below 2^16. */
export const PREDICTION_BITS = 16;
/** Predictions per field element (15 * 16 = 240 bits, below the 254-bit field). */
export const PREDICTIONS_PER_WORD = 15;

/** What a claim commits to. */
export interface CommittedPredictions {
  /** C_D v2 of the test set the predictions are for. */
  dataCommitment: bigint;
  /** One predicted class per sample, in sample order, each an integer in [0, 2^16). */
  predictions: readonly number[];
  /** The test set's master salt (saltP is derived from it). */
  salt: bigint;
}

/** Packs predictions PREDICTIONS_PER_WORD to a field element; each must be an integer in [0, 2^16). */
export function packPredictions(predictions: readonly number[]): bigint[] {
  predictions.forEach((p, i) => {
    if (!Number.isInteger(p) || p < 0 || p >= 2 ** PREDICTION_BITS) {
      throw new RangeError(`predictions[${i}] = ${p} is not a class index in [0, 2^${PREDICTION_BITS})`);
    }
  });
  return packLanes(predictions, PREDICTION_BITS, PREDICTIONS_PER_WORD);
}

/** The chain states of C_P: index 0 is h0, index b + 1 the state after block b. */
export function predictionCommitmentChain({ dataCommitment, predictions, salt }: CommittedPredictions): bigint[] {
  requireFieldElement("dataCommitment", dataCommitment);
  if (predictions.length < 1 || predictions.length >= 2 ** 32) {
    throw new RangeError(`a test set has 1 to 2^32 - 1 samples, got ${predictions.length} predictions`);
  }
  const words = packPredictions(predictions);
  const h0 = poseidon4([DOMAIN_PRED, dataCommitment, BigInt(predictions.length), predictionSalt(salt)]);
  return poseidonChain(h0, words);
}

/** C_P, the `predictionCommitment` posted with `claimRefund` (a field element). */
export function predictionCommitment(committed: CommittedPredictions): bigint {
  const chain = predictionCommitmentChain(committed);
  return chain[chain.length - 1]!;
}
