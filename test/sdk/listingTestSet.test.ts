/**
 * A buyer's CSV read and checked against a listing by the SDK (labelledCsv.ts,
 * listingTestSet.ts), as `bazaar test-drive` and the dApp both do: the sentences name the file,
 * the line and the listing; class names and indices both work; a good file is quantized and
 * committed exactly as prepareTestSet does with the same salt.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { listingTestSet, commitTestSet, TestSetError } from "@modelbazaar/sdk/actions";
import { LabelledCsvError, parseLabelledCsv } from "@modelbazaar/sdk/testDrives";

const TASK = { featureCount: 2, classCount: 3, scaleBits: 8, featureBits: 12 } as const;
const NAMES = ["setosa", "versicolor", "virginica"];
const set = (csv: string, extra: Partial<Parameters<typeof listingTestSet>[0]> = {}) =>
  listingTestSet({ samples: parseLabelledCsv(csv, "data.csv"), listingId: 3n, task: TASK, classNames: NAMES, source: "data.csv", ...extra });

describe("a buyer's CSV against a listing", () => {
  it("reads class names and indices, quantizes and commits", () => {
    const byName = set("a,b,label\n1.5,2.25,Setosa\n0.5,-1,virginica\n");
    const byIndex = set("a,b,label\n1.5,2.25,0\n0.5,-1,2\n");
    assert.deepEqual(byName.labels, [0, 2]);
    assert.deepEqual(byIndex.labels, byName.labels);
    assert.deepEqual(byName.quantized, byIndex.quantized);
    assert.deepEqual(byName.quantized[0], [2048 + 384, 2048 + 576]);
    assert.equal(commitTestSet(byName.quantized, byName.labels, byName.salt, TASK).dataCommitment, byName.dataCommitment);
    assert.notEqual(byName.salt, byIndex.salt, "every test set gets a fresh salt");
    assert.equal(set("a,b,label\n1,1,0\n2,2,1\n3,3,2\n", { take: 2 }).sampleCount, 2);
  });

  it("refuses with a sentence naming the file, the line and the listing", () => {
    const refusals: [string, RegExp | string, typeof LabelledCsvError | typeof TestSetError][] = [
      ["a,b,label\n", "data.csv has no samples (expected a header line, then one sample per line)", LabelledCsvError],
      ["a,b,label\n1,2,0\n1,x,0\n", 'data.csv, line 3, column 2: "x" is not a number', LabelledCsvError],
      ["a,b,label\n1,2,0\n1,2\n", "data.csv, line 3: 2 columns, expected 3", LabelledCsvError],
      ["a,b\n1,2\n", "data.csv has 2 columns: the 2 features listing 3's model takes, but no label column after them (a class index or class name per sample)", TestSetError],
      ["a,b,c,label\n1,2,3,0\n", "data.csv: the test set has 3 features per sample (then its label), but listing 3's model takes 2", TestSetError],
      ["a,b,label\n1,2,3\n", /^data\.csv, line 2 has label 3, but listing 3's classes are 0 to 2 \(setosa, versicolor, virginica\)$/, TestSetError],
      ["a,b,label\n1,2,rose\n", 'data.csv, line 2: the label "rose" is neither a class index (0 to 2) nor a class name of listing 3 (setosa, versicolor, virginica)', TestSetError],
      ["a,b,label\n100,2,0\n", /^data\.csv: the test set does not fit the listing's encoding: /, TestSetError],
    ];
    for (const [csv, message, type] of refusals) {
      assert.throws(() => set(csv), (error: Error) => {
        assert.ok(error instanceof type, `${error.name}: ${error.message}`);
        if (typeof message === "string") assert.equal(error.message, message);
        else assert.match(error.message, message);
        return true;
      });
    }
  });
});
