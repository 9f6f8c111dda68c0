/**
 * A buyer's labelled test set (as labelledCsv.ts read it) checked against a listing and made
 * ready to commit: its feature columns against the listing's task, its labels as class indices
 * or the class names of the listing's model card (../listings/classLabels.ts), then quantized
 * and committed (prepareTestSet.ts). Every refusal is a TestSetError whose sentence names the
 * file (`source`), the line and the listing: `bazaar test-drive` and the dApp print the same one.
 */
import { ClassLabelError, classIndices } from "../listings/classLabels.ts";
import type { CsvSamples } from "../testDrives/labelledCsv.ts";
import { prepareTestSet, TestSetError, type ListingTask, type PreparedTestSet } from "./prepareTestSet.ts";

export interface ListingTestSetParameters {
  readonly samples: CsvSamples;
  /** Use only the first `take` samples (default all; at most samples.sampleCount). */
  readonly take?: number;
  readonly listingId: bigint;
  readonly task: ListingTask;
  /** The class names of the listing's model card, when it has a trusted one. */
  readonly classNames?: readonly string[];
  /** Why the listing has no class names (the card's problem), for the refusal's hint. */
  readonly namesMissing?: string;
  /** How refusals name the file, e.g. its path or name. */
  readonly source: string;
}

/** Throws TestSetError (a sentence) when the samples do not fit the listing. */
export function listingTestSet({ samples, take = samples.sampleCount, listingId, task, classNames, namesMissing, source }: ListingTestSetParameters): PreparedTestSet {
  if (samples.featureCount + 1 === task.featureCount) {
    throw new TestSetError(`${source} has ${task.featureCount} columns: the ${task.featureCount} features listing ${listingId}'s model takes, but no label column after them (a class index or class name per sample)`);
  }
  if (samples.featureCount !== task.featureCount) {
    throw new TestSetError(`${source}: the test set has ${samples.featureCount} features per sample (then its label), but listing ${listingId}'s model takes ${task.featureCount}`);
  }
  let labels: number[];
  try {
    labels = classIndices(samples.labels.slice(0, take), {
      classCount: task.classCount,
      classNames,
      namesMissing,
      listing: `listing ${listingId}`,
      where: (i) => `${source}, line ${samples.lines[i]}`,
    });
  } catch (error) {
    if (error instanceof ClassLabelError) throw new TestSetError(error.message);
    throw error;
  }
  try {
    return prepareTestSet({
      features: samples.features.subarray(0, take * samples.featureCount),
      labels,
      featureCount: samples.featureCount,
      task: { featureCount: task.featureCount, classCount: task.classCount, scaleBits: task.scaleBits, featureBits: task.featureBits },
    });
  } catch (error) {
    if (error instanceof TestSetError) throw new TestSetError(`${source}: ${error.message}`);
    throw error;
  }
}
