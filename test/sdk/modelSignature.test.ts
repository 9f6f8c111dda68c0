/**
 * A model's signature read from its ONNX protobuf alone (sdk/src/listings/onnxSignature.ts, what
 * the dApp's create form reads in the browser) against onnxruntime-node's reading (what `bazaar
 * list` reads): the same features and class scores for every model the project ships and every
 * foreign fixture, the same refusals in the same words, and, where only running the model
 * tells its class count, a refusal naming the CLI command that runs it. Then the whole check
 * before listing (prepareListing) gives the same sentence with either reader.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import onnxProto from "onnx-proto";
import { declaredModelShape, fixedModelShape, isListingRefusal, ModelShapeError, prepareListing, readOnnxSignature, type ModelShape } from "@modelbazaar/sdk/listings";
import { readModelShape } from "../../scripts/lib/modelShape.ts";
import { buildModel, FLOAT, INT64, tensor } from "../../scripts/lib/onnxGraph.ts";

const ROOT = new URL("../../", import.meta.url);
const MODELS = ["models/", "test/fixtures/onnx/"].flatMap((dir) => readdirSync(new URL(dir, ROOT)).filter((f) => f.endsWith(".onnx")).map((f) => `${dir}${f}`));
const RUN_IT = { runIt: "list it with `bazaar list`" };
const inBrowser = (bytes: Uint8Array, source: string): ModelShape => fixedModelShape(readOnnxSignature(bytes, source), source, RUN_IT);

/** The refusal's message, or "accepted". */
async function outcome(read: () => unknown): Promise<string> {
  try {
    await read();
    return "accepted";
  } catch (error) {
    assert.ok(error instanceof ModelShapeError, `not a ModelShapeError: ${String(error)}`);
    return error.message;
  }
}

describe("a model's signature from its ONNX file, without running it", () => {
  it("reads the same input and features as onnxruntime for every shipped model and fixture, and the same class count where the output declares it", async () => {
    assert.ok(MODELS.length >= 10, MODELS.join());
    let declared = 0;
    for (const path of MODELS) {
      const bytes = readFileSync(new URL(path, ROOT));
      const byRuntime = await readModelShape(bytes, path);
      const bySignature = declaredModelShape(readOnnxSignature(bytes, path), path);
      assert.deepEqual([bySignature.input, bySignature.featureCount], [byRuntime.input, byRuntime.featureCount], path);
      if (bySignature.outputCount !== undefined) {
        declared++;
        assert.equal(bySignature.outputCount, byRuntime.outputCount, path);
        assert.deepEqual(inBrowser(bytes, path), byRuntime, path);
      }
    }
    assert.ok(declared >= 8, "most models declare their output");
  });

  it("leaves out initializers listed as graph inputs (older exporters), as onnxruntime does", async () => {
    const built = onnxProto.onnx.ModelProto.decode(buildModel({ input: { name: "x", dims: ["batch", 2], type: FLOAT }, output: { name: "y", type: FLOAT }, initializers: [tensor("w", [2, 3], [1, 2, 3, 4, 5, 6], FLOAT)], nodes: [{ op: "MatMul", inputs: ["x", "w"], outputs: ["y"] }] }));
    // IR version 3 required every initializer to be a graph input too: the weights appear as an input.
    built.graph!.input!.push({ name: "w", type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimValue: 2 }, { dimValue: 3 }] } } } });
    const withWeightsAsInputs = onnxProto.onnx.ModelProto.encode(built).finish();
    assert.equal(onnxProto.onnx.ModelProto.decode(withWeightsAsInputs).graph!.input!.length, 2);
    assert.deepEqual(readOnnxSignature(withWeightsAsInputs, "old.onnx").inputs.map((i) => i.name), ["x"]);
    assert.equal((await readModelShape(withWeightsAsInputs, "old.onnx")).featureCount, 2, "onnxruntime leaves them out too");
  });

  it("refuses what onnxruntime's reading refuses, in the same words, and sends an undeclared output to the CLI", async () => {
    const undeclared = buildModel({ input: { name: "x", dims: ["batch", 2] }, output: { name: "y" }, initializers: [tensor("w", [2, 5], Array.from({ length: 10 }, (_, i) => i / 10))], nodes: [{ op: "MatMul", inputs: ["x", "w"], outputs: ["y"] }] });
    assert.equal((await readModelShape(undeclared, "undeclared.onnx")).outputCount, 5, "onnxruntime runs it");
    assert.equal(await outcome(() => inBrowser(undeclared, "undeclared.onnx")), 'undeclared.onnx\'s output "y" declares no fixed shape ([]), so its class count is known only by running it; list it with `bazaar list`');

    const twoInputs = buildModel({ input: { name: "a", dims: ["batch", 2] }, extraInputs: ["b"], output: { name: "y" }, nodes: [{ op: "Add", inputs: ["a", "b"], outputs: ["y"] }] });
    const integers = buildModel({ input: { name: "ids", dims: ["batch", 2], type: INT64 }, output: { name: "y", type: INT64 }, nodes: [{ op: "Identity", inputs: ["ids"], outputs: ["y"] }] });
    const unbatched = buildModel({ input: { name: "x", dims: [4] }, output: { name: "y" }, nodes: [{ op: "Identity", inputs: ["x"], outputs: ["y"] }] });
    for (const [name, bytes, refusal] of [
      ["two-inputs.onnx", twoInputs, /has 2 inputs \(a, b\); a listed model takes one tensor of features/],
      ["integers.onnx", integers, /input "ids" is a int64 tensor; a listed model takes a float tensor/],
      ["unbatched.onnx", unbatched, /input "x" has shape \[4\]; a listed model takes a batch of samples of fixed size/],
    ] as const) {
      const byRuntime = await outcome(() => readModelShape(bytes, name));
      assert.match(byRuntime, refusal, name);
      assert.equal(await outcome(() => inBrowser(bytes, name)), byRuntime, name);
    }
    assert.match(await outcome(() => inBrowser(new Uint8Array([1, 2, 3]), "junk.onnx")), /^junk\.onnx is not an ONNX model/);
  });

  it("refuses terms that contradict the model with the same sentence whichever reader prepareListing is given", async () => {
    const model = { bytes: readFileSync(new URL("models/iris-logreg.onnx", ROOT)), source: "iris-logreg.onnx" };
    const example = JSON.parse(readFileSync(new URL("docs/examples/listing-terms.json", ROOT), "utf8")) as { task: object };
    const terms = { text: JSON.stringify({ ...example, task: { ...example.task, classCount: 4 } }), source: "terms.json" };
    const readCard = () => Promise.resolve({ problem: "not read in this test" });
    const sentences: string[] = [];
    for (const readShape of [readModelShape, inBrowser]) {
      await assert.rejects(prepareListing({ terms, model, readShape, readCard }), (error: unknown) => isListingRefusal(error) && sentences.push(error.message) > 0);
    }
    assert.equal(sentences[0], sentences[1]);
    assert.match(sentences[0]!, /^terms\.json: "task\.classCount" is 4, but iris-logreg\.onnx gives 3 class scores per sample/);
  });
});
