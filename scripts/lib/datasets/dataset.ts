/**
 * The labelled data sets the trainer, the tests, the benchmarks and the demo share: a typed,
 * validated container (row-major features, one class label per sample) and the seeded,
 * stratified train/test split every loader uses, so a split is the same on every machine.
 */
import { SeededRng } from "./seededRng.ts";

export interface Dataset {
  /** Row-major: sample `s`, feature `f` is `features[s * featureCount + f]`. */
  readonly features: Float64Array;
  /** One class index in [0, classCount) per sample. */
  readonly labels: Uint8Array;
  readonly featureCount: number;
  readonly classCount: number;
  readonly sampleCount: number;
}

export type DatasetName = "iris" | "mnist";

/** A held-out split of one data set, with what a model's input and card need to know. */
export interface DatasetSplit {
  readonly name: DatasetName;
  readonly train: Dataset;
  readonly test: Dataset;
  /** The seed of the split (the same seed gives the same samples in the same order). */
  readonly seed: number;
  /** Fraction of each class that went to the test set. */
  readonly testFraction: number;
  readonly classNames: readonly string[];
  /** Shape of one sample as the model's input takes it, without the batch dimension. */
  readonly sampleShape: readonly number[];
  /** Buyers quantize features to integers as round(x * 2^inputScaleBits). */
  readonly inputScaleBits: number;
}

/** A data set whose arrays do not fit together, or a split that cannot be made. */
export class DatasetError extends Error {
  override readonly name = "DatasetError";
}

/** Checks that the arrays fit together and every label is a class index. */
export function makeDataset(features: Float64Array, labels: Uint8Array, featureCount: number, classCount: number): Dataset {
  if (!Number.isInteger(featureCount) || featureCount < 1) {
    throw new DatasetError(`A data set needs at least one feature per sample, got featureCount ${featureCount}.`);
  }
  if (!Number.isInteger(classCount) || classCount < 2 || classCount > 256) {
    throw new DatasetError(`A classification data set needs 2 to 256 classes, got ${classCount}.`);
  }
  const sampleCount = labels.length;
  if (features.length !== sampleCount * featureCount) {
    throw new DatasetError(
      `${sampleCount} labels need ${sampleCount * featureCount} feature values (${featureCount} per sample), got ${features.length}.`,
    );
  }
  const badLabel = labels.findIndex((label) => label >= classCount);
  if (badLabel >= 0) {
    throw new DatasetError(`Sample ${badLabel} has label ${labels[badLabel]}, outside the ${classCount} classes.`);
  }
  for (let i = 0; i < features.length; i++) {
    if (!Number.isFinite(features[i]!)) {
      throw new DatasetError(`Sample ${Math.floor(i / featureCount)} has a non-finite feature ${i % featureCount}.`);
    }
  }
  return { features, labels, featureCount, classCount, sampleCount };
}

/** The samples at `indices`, in that order. */
export function selectSamples(dataset: Dataset, indices: ArrayLike<number>): Dataset {
  const { featureCount } = dataset;
  const features = new Float64Array(indices.length * featureCount);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const s = indices[i]!;
    features.set(dataset.features.subarray(s * featureCount, (s + 1) * featureCount), i * featureCount);
    labels[i] = dataset.labels[s]!;
  }
  return { features, labels, featureCount, classCount: dataset.classCount, sampleCount: indices.length };
}

/**
 * Puts round(testFraction * n_c) samples of every class c in the test set and the rest in the
 * training set, both shuffled, so that any prefix of either is a fair mix of classes.
 */
export function stratifiedSplit(dataset: Dataset, testFraction: number, seed: number): { train: Dataset; test: Dataset } {
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new DatasetError(`The test fraction must be strictly between 0 and 1, got ${testFraction}.`);
  }
  const rng = new SeededRng(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (let c = 0; c < dataset.classCount; c++) {
    const ofClass = Uint32Array.from(indicesOfClass(dataset.labels, c));
    rng.shuffle(ofClass);
    const testCount = Math.round(testFraction * ofClass.length);
    test.push(...ofClass.subarray(0, testCount));
    train.push(...ofClass.subarray(testCount));
  }
  if (train.length === 0 || test.length === 0) {
    throw new DatasetError(`Splitting ${dataset.sampleCount} samples at ${testFraction} leaves one side empty.`);
  }
  return {
    train: selectSamples(dataset, rng.shuffle(Uint32Array.from(train))),
    test: selectSamples(dataset, rng.shuffle(Uint32Array.from(test))),
  };
}

function indicesOfClass(labels: Uint8Array, classIndex: number): number[] {
  const indices: number[] = [];
  labels.forEach((label, i) => {
    if (label === classIndex) indices.push(i);
  });
  return indices;
}
