/**
 * The input of the v2 refund circuit Refund(N) (circuits/refund.circom, docs/DISPUTES.md §5.1)
 * from what the buyer holds: its test set (features root D, labels, master salt), its
 * decrypted predictions, the dispute context with the shortfall it claims, and the binding tag.
 * Public signals, in order: context (v2 packing), dataCommitment C_D, predictionCommitment C_P.
 */
import { dataCommitmentV2 } from "./dataCommitmentV2.ts";
import { packDisputeContextV2, type DisputeContextV2Fields } from "./disputeContextV2.ts";
import { requireIntegerIn } from "./fieldElement.ts";
import { provableShortfall } from "./gradedRefund.ts";
import { predictionCommitment } from "./predictionCommitment.ts";

/** The number of samples a test set has which its labels and predictions got right. */
export function correctCount(labels: readonly number[], predictions: readonly number[]): number {
  return labels.reduce((count, label, i) => count + (label === predictions[i] ? 1 : 0), 0);
}

/** Everything the refund prover takes. */
export interface RefundWitnessSource {
  /** D, the features root (taken as given by the circuit). */
  featuresRoot: bigint;
  labels: readonly number[];
  /** One class index in [0, 2^16) per label. */
  predictions: readonly number[];
  /** The master salt of the test set. */
  salt: bigint;
  /** The context fields and the claimed shortfall; `sampleCount` must equal `labels.length`. */
  fields: DisputeContextV2Fields;
  /** The 128-bit binding tag (`bindingTag` of disputeContext.ts). */
  tag: bigint;
}

/** Refund(N)'s input signals as decimal strings (snarkjs's input JSON). */
export interface RefundCircuitInput {
  context: string;
  dataCommitment: string;
  predictionCommitment: string;
  claimedAccuracyBps: string;
  sampleCount: string;
  classCount: string;
  featureBits: string;
  featureCount: string;
  tag: string;
  shortfallBps: string;
  labels: string[];
  predictions: string[];
  featuresRoot: string;
  salt: string;
  [signal: string]: string | string[];
}

/**
 * Builds Refund(N)'s input for `circuitSize` N, zero-padding labels and predictions. Throws a
 * RangeError for what the inputs show cannot fit (sizes, label and prediction ranges, field
 * widths); the shortfall bound is the circuit's to check (see `provableShortfall` and
 * `maxProvableShortfall` to choose s).
 */
export function refundCircuitInput(source: RefundWitnessSource, circuitSize: number): RefundCircuitInput {
  const { labels, predictions, fields, tag } = source;
  const n = labels.length;
  if (fields.sampleCount !== n) throw new RangeError(`sampleCount ${fields.sampleCount} != ${n} labels`);
  if (predictions.length !== n) throw new RangeError(`${predictions.length} predictions for ${n} labels`);
  if (n < 1 || n > circuitSize) throw new RangeError(`${n} samples do not fit a refund circuit of ${circuitSize}`);
  requireIntegerIn("classCount", fields.classCount, 2, 2 ** 16);
  labels.forEach((label, i) => requireIntegerIn(`labels[${i}]`, label, 0, fields.classCount));
  const context = packDisputeContextV2(fields, tag);
  const dataCommitment = dataCommitmentV2(source);
  const pad = (values: readonly number[]): string[] => Array.from({ length: circuitSize }, (_, i) => String(i < n ? values[i]! : 0));
  return {
    context: context.toString(),
    dataCommitment: dataCommitment.toString(),
    predictionCommitment: predictionCommitment({ dataCommitment, predictions, salt: source.salt }).toString(),
    claimedAccuracyBps: String(fields.claimedAccuracyBps),
    sampleCount: String(n),
    classCount: String(fields.classCount),
    featureBits: String(fields.featureBits),
    featureCount: String(fields.featureCount),
    tag: tag.toString(),
    shortfallBps: String(fields.shortfallBps),
    labels: pad(labels),
    predictions: pad(predictions),
    featuresRoot: source.featuresRoot.toString(),
    salt: source.salt.toString(),
  };
}

/** The largest shortfall this buyer's labels and predictions prove (0: none). */
export function maxProvableShortfall(source: Pick<RefundWitnessSource, "labels" | "predictions" | "fields">): number {
  return provableShortfall(correctCount(source.labels, source.predictions), source.labels.length, source.fields.claimedAccuracyBps);
}
