/**
 * Labels as data scientists write them (sdk/src/listings/classLabels.ts): class indices or the
 * class names of the listing's model card, in any case and quoted or not, one kind per file;
 * every refusal a sentence with the hint a person needs. And the listing's metadata document
 * (sdk/src/listings/listingMetadata.ts): the fields clients read, checked against the task and
 * the listing's metadata hash.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { keccak256, toHex, zeroHash } from "viem";
import {
  ClassLabelError,
  classIndices,
  labelText,
  checkMetadataAgainstTask,
  listingDisplayName,
  ListingMetadataError,
  metadataHashProblem,
  metadataHttpUrl,
  parseListingMetadata,
  checkTaskAgainstModel,
  ModelFitError,
} from "@modelbazaar/sdk/listings";
import { readModelShape } from "../../scripts/lib/modelShape.ts";
import { buildModel, tensor } from "../../scripts/lib/onnxGraph.ts";

const IRIS = { classCount: 3, classNames: ["setosa", "versicolor", "virginica"], listing: "listing 1" };

describe("class labels", () => {
  it("reads class names (any case, quoted or not) and class indices (2 or 2.0) to the same indices", () => {
    assert.deepEqual(classIndices(["setosa", " Versicolor", '"VIRGINICA"', "'setosa'"], IRIS), [0, 1, 2, 0]);
    assert.deepEqual(classIndices(["0", "1", "2.0", " 2 "], IRIS), [0, 1, 2, 2]);
    assert.deepEqual(classIndices(["0", "2"], { classCount: 3 }), [0, 2], "indices need no names");
    // MNIST's names are its indices: either reading gives the same classes.
    const digits = Array.from({ length: 10 }, (_, i) => String(i));
    assert.deepEqual(classIndices(["7", "0", "9"], { classCount: 10, classNames: digits }), [7, 0, 9]);
    assert.equal(labelText(' "setosa" '), "setosa");
  });

  it("refuses, with the hint a person needs, a name the listing does not have, names without a model card, mixed and ambiguous columns", () => {
    const where = (i: number) => `iris.csv, line ${i + 2}`;
    const cases: [string[], Parameters<typeof classIndices>[1], RegExp][] = [
      [["setosa", "Iris-virginica"], { ...IRIS, where }, /^iris\.csv, line 3: the label "Iris-virginica" is neither a class index \(0 to 2\) nor a class name of listing 1 \(setosa, versicolor, virginica\)$/],
      [["setosa"], { classCount: 3, listing: "listing 4" }, /^sample 1: the label "setosa" is not a class index \(0 to 2\), and listing 4 names no classes \(its model card gives no class names\): write each label as its class index$/],
      [["setosa"], { classCount: 3, listing: "listing 4", namesMissing: "its model card cannot be read: no file x.json" }, /listing 4 names no classes \(its model card cannot be read: no file x\.json\)/],
      [["0", "3"], { ...IRIS, where }, /^iris\.csv, line 3 has label 3, but listing 1's classes are 0 to 2 \(setosa, versicolor, virginica\)$/],
      [["setosa", "2"], { ...IRIS, where }, /^the labels mix class names \(iris\.csv, line 2: "setosa"\) and class indices \(iris\.csv, line 3: "2"\): write them all one way$/],
      [["1", "2"], { classCount: 3, classNames: ["1", "2", "3"] }, /^sample 1: the label "1" is both the name of class 0 and the class index 1 of the listing, so the labels are ambiguous/],
      [["0", ""], IRIS, /^sample 2 has no label: give the class index \(0 to 2\) or the class name in the last column$/],
    ];
    for (const [labels, context, sentence] of cases) {
      assert.throws(() => classIndices(labels, context), (e: Error) => e instanceof ClassLabelError && sentence.test(e.message), String(sentence));
    }
  });
});

describe("listing metadata documents", () => {
  const card = readFileSync(new URL("../../models/iris-logreg.json", import.meta.url));

  it("reads the fields clients use from a model card and checks them against the task", () => {
    const metadata = parseListingMetadata(JSON.parse(card.toString("utf8")), "iris-logreg.json");
    assert.deepEqual([metadata.name, metadata.classNames, metadata.featureCount, metadata.classCount], ["iris-logreg", ["setosa", "versicolor", "virginica"], 4, 3]);
    checkMetadataAgainstTask(metadata, { featureCount: 4, classCount: 3 });
    assert.throws(() => checkMetadataAgainstTask(metadata, { featureCount: 4, classCount: 4 }, "card.json"), /^ListingMetadataError: card\.json names 3 classes \(setosa, versicolor, virginica\), but the task has 4$/);
    assert.throws(() => checkMetadataAgainstTask({ featureCount: 5 }, { featureCount: 4, classCount: 3 }, "card.json"), /card\.json says "featureCount": 5, but the task has 4 features/);
    assert.equal(listingDisplayName("models/iris-logreg.json"), "iris-logreg");
    assert.equal(listingDisplayName("ipfs://bafy/whatever.json", metadata), "iris-logreg");
  });

  it("refuses malformed documents with a sentence naming the field", () => {
    const bad: [unknown, RegExp][] = [
      [[], /card must be a JSON object/],
      [{ name: "" }, /card: "name" must be a non-empty string/],
      [{ classNames: ["only"] }, /card: "classNames" must be an array of at least two class names/],
      [{ classNames: ["cat", 3] }, /card: "classNames"\[1\] must be a non-empty string, not 3/],
      [{ classNames: ["Cat", "dog", "cat"] }, /card: "classNames"\[2\] \("cat"\) repeats class 0's name/],
      [{ classCount: 1 }, /card: "classCount" must be an integer of at least 2/],
    ];
    for (const [json, sentence] of bad) assert.throws(() => parseListingMetadata(json, "card"), (e: Error) => e instanceof ListingMetadataError && sentence.test(e.message), String(sentence));
  });

  it("trusts a document only when it has the listing's metadata hash; fetches http(s) and, through a gateway, ipfs", () => {
    assert.equal(metadataHashProblem(card, keccak256(card)), undefined);
    assert.equal(metadataHashProblem(card, zeroHash), undefined, "a listing without a hash pins nothing");
    assert.match(metadataHashProblem(card, keccak256(toHex("another card")))!, /^its keccak256 is 0x[0-9a-f]{64}, but the listing's metadata hash is 0x[0-9a-f]{64}: it is not the document the seller listed$/);
    assert.equal(metadataHttpUrl("https://example.org/card.json")?.href, "https://example.org/card.json");
    assert.equal(metadataHttpUrl("ipfs://bafyabc/card.json", { ipfsGateway: "https://ipfs.io" })?.href, "https://ipfs.io/ipfs/bafyabc/card.json");
    assert.equal(metadataHttpUrl("ipfs://bafyabc"), undefined);
    assert.equal(metadataHttpUrl("models/iris-logreg.json"), undefined);
  });
});

describe("a listing's task against its ONNX model", () => {
  it("reads the input's features and the output's classes, declared or run, and refuses a task that contradicts them", async () => {
    const iris = await readModelShape(readFileSync(new URL("../../models/iris-logreg.onnx", import.meta.url)), "iris-logreg.onnx");
    assert.deepEqual([iris.featureCount, iris.outputCount, iris.input.shape, iris.output.shape], [4, 3, ["batch", 4], ["batch", 3]]);
    const cryptonets = await readModelShape(readFileSync(new URL("../../models/mnist-cryptonets.onnx", import.meta.url)), "cryptonets.onnx");
    assert.deepEqual([cryptonets.featureCount, cryptonets.outputCount], [784, 10]);
    // An output whose shape is not declared: the model is run on one sample to count its scores.
    const undeclared = buildModel({
      input: { name: "x", dims: ["batch", 2] },
      output: { name: "y" },
      initializers: [tensor("w", [2, 5], Array.from({ length: 10 }, (_, i) => i / 10))],
      nodes: [{ op: "MatMul", inputs: ["x", "w"], outputs: ["y"] }],
    });
    const shape = await readModelShape(undeclared, "undeclared.onnx");
    assert.deepEqual([shape.featureCount, shape.outputCount], [2, 5]);

    const names = { terms: "terms.json", model: "iris-logreg.onnx" };
    checkTaskAgainstModel({ featureCount: 4, classCount: 3 }, iris, names);
    assert.throws(() => checkTaskAgainstModel({ featureCount: 5, classCount: 3 }, iris, names), (e: Error) => e instanceof ModelFitError && /"task\.featureCount" is 5, but iris-logreg\.onnx takes 4 features per sample/.test(e.message));
    assert.throws(() => checkTaskAgainstModel({ featureCount: 4, classCount: 2 }, iris, names), /"task\.classCount" is 2, but iris-logreg\.onnx gives 3 class scores per sample \(output "probabilities", shape \[batch, 3\]\)/);
    await assert.rejects(readModelShape(new Uint8Array([1, 2, 3]), "junk.onnx"), /junk\.onnx is not an ONNX model onnxruntime can load/);
  });
});
