/**
 * The checked-in models (models/*.onnx and their cards) against onnxruntime-node: each file
 * matches its card's hash, loads, has the graph the card and the brief describe (input
 * "input" with a dynamic batch, opset 13, Gemm transB=1, square as Mul or Pow, Softmax on the
 * logistic regressions), gives the trainer's own forward pass on the held-out split (the
 * network rebuilt from the file's initializers), and reaches the card's test accuracy.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import * as ort from "onnxruntime-node";
import onnxProto from "onnx-proto";
import type { Dataset } from "../../scripts/lib/datasets/dataset.ts";
import { fitStandardization } from "../../scripts/lib/datasets/standardization.ts";
import { SeededRng } from "../../scripts/lib/datasets/seededRng.ts";
import { accuracyBps, softmax } from "../../scripts/train/metrics.ts";
import { sha256Hex, type ModelCard } from "../../scripts/train/modelCard.ts";
import { MODEL_NAMES, modelSpec } from "../../scripts/train/modelSpecs.ts";
import type { Network } from "../../scripts/train/network.ts";
import { loadSplit } from "../../scripts/train/trainModel.ts";

const { onnx } = onnxProto;
type OnnxGraph = onnxProto.onnx.IGraphProto;
type OnnxTensor = onnxProto.onnx.ITensorProto;

/**
 * Largest gap between float32 onnxruntime and the float64 forward pass (on the same float32
 * weights), as a fraction of the sample's largest score (at least 1): float32 rounding grows
 * with the magnitudes summed, and the CryptoNets-like logits reach a few hundred.
 */
const TOLERANCE = 1e-5;

function worstScaledError(actual: Float32Array, expected: Float64Array, classCount: number): number {
  let worst = 0;
  for (let row = 0; row < expected.length; row += classCount) {
    const scores = expected.subarray(row, row + classCount);
    const scale = Math.max(1, ...scores.map(Math.abs));
    scores.forEach((e, c) => (worst = Math.max(worst, Math.abs(actual[row + c]! - e) / scale)));
  }
  return worst;
}

function tensorValues(tensor: OnnxTensor | undefined): Float64Array {
  assert.ok(tensor, "the initializer is in the file");
  if (tensor.rawData && tensor.rawData.length > 0) {
    const view = new DataView(tensor.rawData.buffer, tensor.rawData.byteOffset, tensor.rawData.byteLength);
    return Float64Array.from({ length: tensor.rawData.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
  }
  return Float64Array.from(tensor.floatData ?? []);
}

/** The trainer's network for `card`, with every parameter taken from the file's initializers. */
function networkFromFile(card: ModelCard, graph: OnnxGraph, train: Dataset): Network {
  const spec = modelSpec(card.name);
  const network = spec.build(loadSplit(spec.dataset), new SeededRng(0));
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name, t]));
  for (const p of network.parameters) {
    const tensor = initializers.get(p.name);
    assert.ok(tensor, `initializer ${p.name} is in the file`);
    assert.deepEqual((tensor.dims ?? []).map(Number), [...p.shape], `${p.name} has the trainer's shape`);
    p.value.set(tensorValues(tensor));
  }
  if (network.standardize) {
    const { mean, std } = fitStandardization(train);
    assert.deepEqual(tensorValues(initializers.get("scaler.mean")!), mean);
    assert.deepEqual(tensorValues(initializers.get("scaler.std")!), std);
  }
  return network;
}

async function runOrt(session: ort.InferenceSession, card: ModelCard, test: Dataset): Promise<Float32Array> {
  const shape = [test.sampleCount, ...card.input.shape.slice(1).map(Number)];
  const feeds = { [card.input.name]: new ort.Tensor("float32", Float32Array.from(test.features), shape) };
  const output = (await session.run(feeds))[card.output.name];
  assert.ok(output, `output ${card.output.name} exists`);
  assert.deepEqual(output.dims, [test.sampleCount, card.classCount]);
  return output.data as Float32Array;
}

for (const name of MODEL_NAMES) {
  describe(`model ${name}`, async () => {
    const bytes = await readFile(`models/${name}.onnx`);
    const card = JSON.parse(await readFile(`models/${name}.json`, "utf8")) as ModelCard;
    const model = onnx.ModelProto.decode(bytes);
    const graph = model.graph!;
    const nodes = graph.node ?? [];
    const ops = nodes.map((n) => n.opType);
    const split = loadSplit(card.dataset);

    it("matches its card's hash, size and split", () => {
      assert.equal(sha256Hex(bytes), card.onnx.sha256);
      assert.equal(bytes.length, card.onnx.bytes);
      assert.equal(card.split.testSize, split.test.sampleCount);
      assert.equal(card.split.trainSize, split.train.sampleCount);
      assert.equal(card.featureCount, split.test.featureCount);
      assert.equal(card.input.scale, 2 ** card.input.scaleBits);
    });

    it("is opset 13, IR 8, with a dynamic batch dimension on input and output", () => {
      assert.equal(Number(model.irVersion), 8);
      assert.deepEqual(model.opsetImport.map((o) => [o.domain, Number(o.version)]), [["", 13]]);
      const [input, ...otherInputs] = graph.input ?? [];
      assert.equal(otherInputs.length, 0);
      assert.equal(input?.name, "input");
      assert.equal(input?.type?.tensorType?.shape?.dim?.[0]?.dimParam, "batch");
      assert.equal(graph.output?.[0]?.type?.tensorType?.shape?.dim?.[0]?.dimParam, "batch");
    });

    it("writes its layers as exporters do", () => {
      for (const gemm of nodes.filter((n) => n.opType === "Gemm")) {
        assert.equal(Number(gemm.attribute?.find((a) => a.name === "transB")?.i), 1);
      }
      const expected: Record<string, string[]> = {
        "iris-logreg": ["Sub", "Div", "Gemm", "Softmax"],
        "iris-square-mlp": ["Sub", "Div", "Gemm", "Mul", "Gemm"],
        "mnist-logreg": ["Gemm", "Softmax"],
        "mnist-cryptonets": ["Conv", "Constant", "Pow", "Flatten", "Gemm", "Constant", "Pow", "Gemm"],
      };
      assert.deepEqual(ops, expected[name]);
      const mul = nodes.find((n) => n.opType === "Mul");
      if (mul) assert.equal(mul.input?.[0], mul.input?.[1], "the square is Mul(x, x)");
    });

    it("gives the trainer's forward pass on the held-out split", async () => {
      const session = await ort.InferenceSession.create(bytes);
      assert.deepEqual(session.inputNames, [card.input.name]);
      const network = networkFromFile(card, graph, split.train);
      const logits = network.scores(split.test);
      const expected = card.output.kind === "probabilities" ? softmax(logits, card.classCount) : logits;
      const actual = await runOrt(session, card, split.test);
      const worst = worstScaledError(actual, expected, card.classCount);
      assert.ok(worst <= TOLERANCE, `worst error ${worst} of the sample's largest score`);
      assert.equal(accuracyBps(logits, split.test), card.testAccuracyBps);
    });

    it("reaches the card's test accuracy under onnxruntime", async () => {
      const session = await ort.InferenceSession.create(bytes);
      assert.equal(accuracyBps(await runOrt(session, card, split.test), split.test), card.testAccuracyBps);
    });

    it("refuses a batch with the wrong feature count", async () => {
      const session = await ort.InferenceSession.create(bytes);
      const shape = [1, ...card.input.shape.slice(2).map(Number), card.featureCount === 4 ? 5 : 27];
      const tensor = new ort.Tensor("float32", new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
      await assert.rejects(session.run({ [card.input.name]: tensor }));
      assert.throws(() => networkFromFile(card, graph, split.train).forward(new Float64Array(card.featureCount + 1), 1), /takes \d+ features per sample/);
    });
  });
}
