/**
 * The buyer's `dataCommitment` (posted at `openTest`) and the input of the dispute circuit
 * (circuits/dispute.circom), which recomputes the same commitment in-circuit.
 *
 * The commitment does not depend on the circuit size N: the buyer commits before anyone knows
 * which circuit will prove the dispute.
 *
 *   h0      = Poseidon(COMMITMENT_DOMAIN, featuresDigest, n, salt)
 *   words   = labels packed LABELS_PER_WORD to a field element, LABEL_BITS bits each, least
 *             significant first; a last partial word is zero-filled
 *   commit  = the last state of poseidonChain(h0, words) (poseidonChain.ts)
 *
 * `featuresDigest` is featuresDigest.ts's digest of the quantized features. For listings with
 * few features the feature circuit recomputes it from the features (and checks their ranges);
 * for the others the circuit takes it as given (docs/ZK.md).
 *
 * Poseidon is circomlib's (poseidon-lite computes the same function). This module owns the
 * constants; the circuit repeats them and test/circuits/dispute.test.ts checks both agree.
 */
import { poseidon4 } from "poseidon-lite/poseidon4";
import { packDisputeContext, type DisputeContextFields } from "./disputeContext.ts";
import { WORDS_PER_BLOCK, asciiDomain, packLanes, poseidonChain } from "./poseidonChain.ts";

/** The BN254 scalar field: every signal of the circuit lives in it. */
export const SNARK_SCALAR_FIELD = 0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001n;
/** Bits per packed label: `classCount` is a uint16, so every valid label fits. */
export const LABEL_BITS = 16;
/** Labels per field element (15 * 16 = 240 bits, below the 254-bit field). */
export const LABELS_PER_WORD = 15;
/** Labels per Poseidon block. */
export const LABELS_PER_BLOCK = LABELS_PER_WORD * WORDS_PER_BLOCK;
/** Domain separator of the chain's start: the ASCII bytes of the tag below, big-endian. */
export const COMMITMENT_DOMAIN_TAG = "ModelBazaar.dataCommitment.v1";
export const COMMITMENT_DOMAIN = asciiDomain(COMMITMENT_DOMAIN_TAG);

/** What the buyer commits to. */
export interface CommittedTestSet {
  /** A field element committing the quantized features (taken as given by the circuit). */
  featuresDigest: bigint;
  /** One label per sample, each an integer in [0, 2^16). */
  labels: readonly number[];
  /** A random field element; keep it secret until the dispute. */
  salt: bigint;
}

function requireField(name: string, value: bigint): void {
  if (value < 0n || value >= SNARK_SCALAR_FIELD) throw new RangeError(`${name} must be a BN254 field element`);
}

function requireLabels(name: string, values: readonly number[], below: number): void {
  values.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0 || v >= below) throw new RangeError(`${name}[${i}] = ${v} is not in [0, ${below})`);
  });
}

/** Packs labels LABELS_PER_WORD to a field element, least significant first. */
export function packLabels(labels: readonly number[]): bigint[] {
  requireLabels("labels", labels, 1 << LABEL_BITS);
  return packLanes(labels, LABEL_BITS, LABELS_PER_WORD);
}

/** The chain state after each block: index 0 is h0, index b + 1 the state after block b. */
export function commitmentChain({ featuresDigest, labels, salt }: CommittedTestSet): bigint[] {
  requireField("featuresDigest", featuresDigest);
  requireField("salt", salt);
  if (labels.length < 1 || labels.length >= 2 ** 32) throw new RangeError("a test set has 1 to 2^32 - 1 samples");
  return poseidonChain(poseidon4([COMMITMENT_DOMAIN, featuresDigest, BigInt(labels.length), salt]), packLabels(labels));
}

/** The `dataCommitment` of a test set, as posted at `openTest` (a field element). */
export function dataCommitment(set: CommittedTestSet): bigint {
  const chain = commitmentChain(set);
  return chain[chain.length - 1]!;
}

/** Everything the buyer feeds the dispute prover. */
export interface DisputeWitnessSource extends CommittedTestSet {
  /**
   * The buyer's decrypted predictions, one per label: non-negative integers. A prediction that
   * is not a valid class (>= `fields.classCount`) is accepted and counts as wrong.
   */
  predictions: readonly number[];
  /** The test-drive's dispute context; `sampleCount` must equal `labels.length`. */
  fields: DisputeContextFields;
  /** The 128-bit binding tag (`bindingTag` of disputeContext.ts). */
  tag: bigint;
}

/** The input signals both dispute circuits share, as decimal strings (snarkjs's input JSON). */
export interface DisputeCircuitSignals {
  context: string;
  dataCommitment: string;
  claimedAccuracyBps: string;
  sampleCount: string;
  classCount: string;
  featureBits: string;
  featureCount: string;
  tag: string;
  labels: string[];
  predictions: string[];
  salt: string;
  [signal: string]: string | string[];
}

/** The input of a digest-only circuit (dispute_<N>): the features digest is taken as given. */
export interface DigestDisputeCircuitInput extends DisputeCircuitSignals {
  featuresDigest: string;
}

/**
 * The input of a feature circuit (dispute_<N>_f<F>, featureCircuitInput.ts): the quantized
 * features, N x F sample-major and flattened (circom flattens multi-dimensional inputs).
 */
export interface FeatureDisputeCircuitInput extends DisputeCircuitSignals {
  features: string[];
}

/** What the dispute prover takes: the input of either kind of circuit. */
export type DisputeCircuitInput = DigestDisputeCircuitInput | FeatureDisputeCircuitInput;

/** The number of samples a test set has which its labels and predictions got right. */
export function correctCount(labels: readonly number[], predictions: readonly number[]): number {
  return labels.reduce((count, label, i) => count + (label === predictions[i] ? 1 : 0), 0);
}

/**
 * Builds the input of the digest-only dispute circuit of size `circuitSize` (N), zero-padding
 * labels and predictions to N. Throws when the witness could not satisfy the circuit for a reason the
 * inputs show (sizes, ranges); the accuracy bound is checked by the circuit itself.
 */
export function disputeCircuitInput(source: DisputeWitnessSource, circuitSize: number): DigestDisputeCircuitInput {
  const { labels, predictions, fields, tag } = source;
  const n = labels.length;
  if (fields.sampleCount !== n) throw new RangeError(`sampleCount ${fields.sampleCount} != ${n} labels`);
  if (predictions.length !== n) throw new RangeError(`${predictions.length} predictions for ${n} labels`);
  if (n < 1 || n > circuitSize) throw new RangeError(`${n} samples do not fit a circuit of ${circuitSize}`);
  if (!Number.isInteger(fields.classCount) || fields.classCount < 2) throw new RangeError(`classCount ${fields.classCount} < 2`);
  requireLabels("labels", labels, fields.classCount);
  requireLabels("predictions", predictions, Number.MAX_SAFE_INTEGER);
  const pad = (values: readonly number[]): string[] =>
    Array.from({ length: circuitSize }, (_, i) => String(i < n ? values[i]! : 0));
  return {
    context: packDisputeContext(fields, tag).toString(),
    dataCommitment: dataCommitment(source).toString(),
    claimedAccuracyBps: String(fields.claimedAccuracyBps),
    sampleCount: String(fields.sampleCount),
    classCount: String(fields.classCount),
    featureBits: String(fields.featureBits),
    featureCount: String(fields.featureCount),
    tag: tag.toString(),
    labels: pad(labels),
    predictions: pad(predictions),
    featuresDigest: source.featuresDigest.toString(),
    salt: source.salt.toString(),
  };
}
