/**
 * The `dataCommitment` C_D a buyer posts at `openTest` (docs/DISPUTES.md §3): the labels
 * chained after a start that binds the features root D, the sample count and the salt, under
 * its own domain (".v2": the retired v1 commitment bound a features digest instead).
 *
 *   h0     = Poseidon(DOMAIN_DATA_V2, D, n, salt)
 *   words  = the labels packed LABELS_PER_WORD (15) to a field element, LABEL_BITS (16) bits
 *            each, least significant first; a last partial word is zero-filled
 *   C_D    = the last state of poseidonChain(h0, words) (poseidonChain.ts)
 *
 * D (`featuresRoot`) is the Merkle root of the per-sample digests (featuresRoot.ts); the refund
 * circuit (circuits/refund.circom) takes it as given. This module owns DOMAIN_DATA_V2;
 * circuits/commitmentsV2.circom repeats it and test/circuits/refund.test.ts checks both agree.
 */
import { poseidon4 } from "poseidon-lite/poseidon4";
import { requireFieldElement } from "./fieldElement.ts";
import { asciiDomain, packLanes, poseidonChain } from "./poseidonChain.ts";

/** Bits per packed label: `classCount` is a uint16, so every valid label fits. */
export const LABEL_BITS = 16;
/** Labels per field element (15 * 16 = 240 bits, below the 254-bit field). */
export const LABELS_PER_WORD = 15;

/** Packs labels LABELS_PER_WORD to a field element, least significant first. */
export function packLabels(labels: readonly number[]): bigint[] {
  labels.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0 || v >= 2 ** LABEL_BITS) throw new RangeError(`labels[${i}] = ${v} is not in [0, ${2 ** LABEL_BITS})`);
  });
  return packLanes(labels, LABEL_BITS, LABELS_PER_WORD);
}

/** Domain of the label commitment's start: the ASCII bytes of the tag, big-endian. */
export const DOMAIN_DATA_V2_TAG = "ModelBazaar.dataCommitment.v2";
export const DOMAIN_DATA_V2 = asciiDomain(DOMAIN_DATA_V2_TAG);

/** What a buyer commits to at `openTest`. */
export interface CommittedTestSetV2 {
  /** D, the features root of the test set's per-sample digests (a field element). */
  featuresRoot: bigint;
  /** One label per sample, each an integer in [0, 2^16); 1 to 2^32 - 1 of them. */
  labels: readonly number[];
  /** The master salt (a field element); keep it secret. */
  salt: bigint;
}

/** The chain states of C_D: index 0 is h0, index b + 1 the state after block b. */
export function dataCommitmentV2Chain({ featuresRoot, labels, salt }: CommittedTestSetV2): bigint[] {
  requireFieldElement("featuresRoot", featuresRoot);
  requireFieldElement("salt", salt);
  if (labels.length < 1 || labels.length >= 2 ** 32) {
    throw new RangeError(`a test set has 1 to 2^32 - 1 samples, got ${labels.length} labels`);
  }
  return poseidonChain(poseidon4([DOMAIN_DATA_V2, featuresRoot, BigInt(labels.length), salt]), packLabels(labels));
}

/** C_D v2, the `dataCommitment` a v2 test-drive posts at `openTest` (a field element). */
export function dataCommitmentV2(set: CommittedTestSetV2): bigint {
  const chain = dataCommitmentV2Chain(set);
  return chain[chain.length - 1]!;
}
