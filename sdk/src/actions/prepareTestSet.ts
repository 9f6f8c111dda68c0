/**
 * The buyer's first step of a test-drive, before anything touches the chain or the worker:
 * checks a labelled test set against the listing's task (feature count, class range),
 * quantizes its features with the listing's fixed-point encoding, draws a fresh salt and
 * computes the `dataCommitment` that `openTest` posts. The features the buyer then encrypts
 * are the quantized ones mapped back to reals (`encrypted`), so the model is evaluated on
 * exactly the test set the commitment (and a later dispute proof) is about.
 */
import { FeatureRangeError } from "../testDrives/featureRows.ts";
import { SNARK_SCALAR_FIELD } from "../testDrives/fieldElement.ts";
import { dataCommitmentV2 } from "../testDrives/dataCommitmentV2.ts";
import { featuresRoot } from "../testDrives/featuresRoot.ts";
import { sampleDigests } from "../testDrives/sampleOpening.ts";
import { quantizeFeatures, type FeatureEncoding } from "../testDrives/quantizeFeatures.ts";

/** The listing's task (IModelRegistry.TaskSpec). */
export interface ListingTask extends FeatureEncoding {
  classCount: number;
}

export interface PrepareTestSetParameters {
  /** Row-major real features, sampleCount x featureCount. */
  readonly features: ArrayLike<number>;
  readonly labels: ArrayLike<number>;
  readonly featureCount: number;
  readonly task: ListingTask;
  /** Use this salt instead of a fresh one (tests only: a salt must never be reused). */
  readonly salt?: bigint;
}

export interface PreparedTestSet {
  readonly sampleCount: number;
  /** The quantized features (samples x featureCount), what the commitment binds. */
  readonly quantized: number[][];
  /** Row-major reals the quantized values stand for: what the buyer encrypts. */
  readonly encrypted: Float64Array;
  readonly labels: number[];
  readonly salt: bigint;
  /** D, the Merkle root of the per-sample digests (docs/DISPUTES.md §3). */
  readonly featuresRoot: bigint;
  /** C_D v2, what `openTest` posts and the v2 refund proves against. */
  readonly dataCommitment: bigint;
}

/** The test set does not fit the listing (its sentence names the sample and what is wrong). */
export class TestSetError extends Error {
  override readonly name = "TestSetError";
}

/** A uniformly random BN254 field element below 2^248 (31 random bytes). */
export function randomSalt(): bigint {
  const bytes = crypto.getRandomValues(new Uint8Array(31));
  return bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n) % SNARK_SCALAR_FIELD;
}

/** The real value a quantized feature stands for: (q - 2^(featureBits-1)) / 2^scaleBits. */
export function dequantizeFeature(q: number, { featureBits, scaleBits }: FeatureEncoding): number {
  return (q - 2 ** (featureBits - 1)) / 2 ** scaleBits;
}

/** The (v2) commitment of a quantized test set: the one place the buyer's commitment is computed. */
export function commitTestSet(quantized: number[][], labels: number[], salt: bigint, task: ListingTask): { featuresRoot: bigint; dataCommitment: bigint } {
  const root = featuresRoot(sampleDigests({ features: quantized, shape: task, salt }));
  return { featuresRoot: root, dataCommitment: dataCommitmentV2({ featuresRoot: root, labels, salt }) };
}

function checkShape({ features, labels, featureCount, task }: PrepareTestSetParameters): number {
  if (featureCount !== task.featureCount) {
    throw new TestSetError(`the test set has ${featureCount} features per sample, but the listing's model takes ${task.featureCount}`);
  }
  const samples = labels.length;
  if (samples < 1) throw new TestSetError("the test set has no samples");
  if (features.length !== samples * featureCount) throw new TestSetError(`${features.length} feature values do not make ${samples} samples of ${featureCount}`);
  for (let i = 0; i < samples; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= task.classCount) {
      throw new TestSetError(`sample ${i + 1} has label ${label}, but the listing's classes are 0 to ${task.classCount - 1}`);
    }
  }
  return samples;
}

/**
 * Checks, quantizes and commits a labelled test set for a listing. Throws a TestSetError
 * (a sentence) when it does not fit the listing.
 *
 * @example
 * const set = prepareTestSet({ features, labels, featureCount: 4, task: listing.terms.task });
 * await market.write.openTest([listingId, toHex(set.dataCommitment, { size: 32 }), set.sampleCount], { value });
 */
export function prepareTestSet(parameters: PrepareTestSetParameters): PreparedTestSet {
  const sampleCount = checkShape(parameters);
  const { features, featureCount, task } = parameters;
  const rows = Array.from({ length: sampleCount }, (_, s) => Array.from({ length: featureCount }, (_, f) => features[s * featureCount + f]!));
  let quantized: number[][];
  try {
    quantized = quantizeFeatures(rows, task);
  } catch (error) {
    if (error instanceof FeatureRangeError) throw new TestSetError(`the test set does not fit the listing's encoding: ${error.message}`);
    throw error;
  }
  const labels = Array.from(parameters.labels);
  const salt = parameters.salt ?? randomSalt();
  const encrypted = Float64Array.from(quantized.flat(), (q) => dequantizeFeature(q, task));
  return { sampleCount, quantized, encrypted, labels, salt, ...commitTestSet(quantized, labels, salt, task) };
}
