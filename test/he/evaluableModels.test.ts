/**
 * Models whose plan the engine used to fail on after a buyer had paid (issue #14), each a tiny
 * ONNX graph written here, compiled, evaluated under CKKS (a real BuyerSession and the engine)
 * and compared with onnxruntime-node on the same samples: outputs that do not depend on the
 * input (constant and zero Pad borders, a pruned hidden unit), an identity model (no layer
 * left after folding), values above 16,384 (the scores then leave the first prime at a
 * smaller scale). Then what the engine cannot evaluate, refused at compile time with the
 * limit hit and what the seller can change: non-finite weights, an output that ignores the
 * input, magnitudes and depths beyond what 128-bit parameters hold; and the worker, which
 * compiles its served models the same way at start-up, refuses them too.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { BuyerSession, summarizePlan, type HePlan } from "@modelbazaar/sdk/he";
import { createEvaluator } from "../../offchain-worker/src/he/ckksEvaluator.ts";
import { compileModel, UnsupportedModelError } from "../../offchain-worker/src/he/compiler/index.ts";
import { evaluateUpload } from "../../offchain-worker/src/he/engine/evaluateUpload.ts";
import { createEngineRuntime, type EngineRuntime } from "../../offchain-worker/src/he/engine/runtime.ts";
import { buildModel, DOUBLE, ints, runModel, tensor, type ModelSpec } from "../../scripts/lib/onnxGraph.ts";
import { seededRandom } from "../helpers/seededRandom.ts";
import { triangleWave } from "../helpers/triangleWave.ts";

const SAMPLES = 24;

type Graph = Omit<ModelSpec, "input" | "output"> & { readonly inputDims: readonly number[] };

const onnxOf = (graph: Graph): Uint8Array => buildModel({ ...graph, input: { name: "x", dims: ["N", ...graph.inputDims], type: DOUBLE }, output: { name: "y", type: DOUBLE } });

const numel = (dims: readonly number[]): number => dims.reduce((p, d) => p * d, 1);

function uniform(count: number, seed: number, range: number): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: count }, () => (2 * random() - 1) * range);
}

/** Compiles the graph, evaluates it under CKKS on seeded samples in [-range, range], returns the decrypted and onnxruntime's outputs. */
async function heAgainstOnnxRuntime(runtime: EngineRuntime, graph: Graph, range = 1): Promise<{ plan: HePlan; he: Float64Array; ort: Float64Array }> {
  const bytes = onnxOf(graph);
  const x = uniform(SAMPLES * numel(graph.inputDims), 5, range);
  const { plan } = compileModel(bytes, { calibration: x });
  const session = await BuyerSession.create(summarizePlan(plan));
  try {
    const result = evaluateUpload(runtime, plan, session.encryptTestSet(x, SAMPLES), { paidSamples: SAMPLES });
    const he = session.decryptResult(result).scores;
    const ort = await runModel(bytes, "x", x, [SAMPLES, ...graph.inputDims]);
    assert.equal(he.length, ort.length, "as many scores as onnxruntime's outputs");
    return { plan, he, ort };
  } finally {
    session.delete();
  }
}

/** Largest |he - ort| relative to the largest |ort| (1 at least). */
function relativeError(he: Float64Array, ort: Float64Array): number {
  let error = 0;
  let largest = 1;
  ort.forEach((value, i) => {
    error = Math.max(error, Math.abs(he[i]! - value));
    largest = Math.max(largest, Math.abs(value));
  });
  return error / largest;
}

const refusal = (message: RegExp) => (error: unknown) => {
  assert.ok(error instanceof UnsupportedModelError, `expected an UnsupportedModelError, got ${String(error)}`);
  assert.match(error.message, message);
  return true;
};

const infiniteWeight = onnxOf({ inputDims: [2], initializers: [tensor("huge", [], [Infinity])], nodes: [{ op: "Mul", inputs: ["x", "huge"], outputs: ["y"], name: "times_infinity" }] });

const padGraph = (value: number): Graph => ({
  inputDims: [1, 4],
  initializers: [ints("pads", [0, 0, 2, 0, 0, 1]), tensor("value", [], [value])],
  nodes: [{ op: "Pad", inputs: ["x", "pads", "value"], outputs: ["y"], attributes: { mode: "constant" } }],
});

describe("HE evaluation of outputs that do not depend on the input, identities and large values", { timeout: 300_000 }, () => {
  let runtime: EngineRuntime;
  before(async () => {
    runtime = await createEngineRuntime();
  });
  after(() => runtime.delete());

  it("a zero and a constant Pad border, Pad being the last layer, decrypt to the pad value", async () => {
    for (const value of [0, 2.5]) {
      const { he, ort } = await heAgainstOnnxRuntime(runtime, padGraph(value));
      assert.equal(ort.length, SAMPLES * 7);
      assert.ok(relativeError(he, ort) <= 1e-3, `pad ${value}: relative error ${relativeError(he, ort)}`);
      for (let s = 0; s < SAMPLES; ++s) for (const k of [0, 1, 6]) assert.ok(Math.abs(he[s * 7 + k]! - value) <= 1e-3, `sample ${s} border ${k}: ${he[s * 7 + k]}`);
    }
  });

  it("a pruned hidden unit (no incoming weight) through a square and a dense layer", async () => {
    const w1 = uniform(3 * 4, 7, 1);
    w1.fill(0, 4, 8); // unit 1 reads nothing: its value is its bias
    const { he, ort } = await heAgainstOnnxRuntime(runtime, {
      inputDims: [4],
      initializers: [tensor("W1", [3, 4], w1), tensor("b1", [3], [0.5, -0.75, 0.25]), tensor("W2", [2, 3], uniform(6, 8, 1)), tensor("b2", [2], [0.1, -0.1])],
      nodes: [
        { op: "Gemm", inputs: ["x", "W1", "b1"], outputs: ["h"], attributes: { transB: 1 } },
        { op: "Mul", inputs: ["h", "h"], outputs: ["s"] },
        { op: "Gemm", inputs: ["s", "W2", "b2"], outputs: ["y"], attributes: { transB: 1 } },
      ],
    });
    assert.ok(relativeError(he, ort) <= 2e-3, `relative error ${relativeError(he, ort)}`);
  });

  it("an identity (x * 1.0, twice) gets parameters and evaluates", async () => {
    const { plan, he, ort } = await heAgainstOnnxRuntime(runtime, {
      inputDims: [3],
      initializers: [tensor("one", [], [1])],
      nodes: [
        { op: "Mul", inputs: ["x", "one"], outputs: ["h"] },
        { op: "Mul", inputs: ["h", "one"], outputs: ["y"] },
      ],
    });
    assert.equal(plan.depth, 1, "one identity layer: the scores need a level to leave at their own scale");
    assert.ok(relativeError(he, ort) <= 1e-4, `relative error ${relativeError(he, ort)}`);
  });

  it("a one-layer Gemm on inputs up to 20,000 compiles and agrees with onnxruntime", async () => {
    const { plan, he, ort } = await heAgainstOnnxRuntime(
      runtime,
      {
        inputDims: [5],
        initializers: [tensor("W", [3, 5], uniform(15, 9, 1)), tensor("b", [3], [100, -200, 300])],
        nodes: [{ op: "Gemm", inputs: ["x", "W", "b"], outputs: ["y"], attributes: { transB: 1 } }],
      },
      20_000,
    );
    assert.ok(plan.maxMagnitude > 16_384, `calibrated magnitude ${plan.maxMagnitude}`);
    assert.ok(relativeError(he, ort) <= 1e-4, `relative error ${relativeError(he, ort)}`);
    for (let s = 0; s < SAMPLES; ++s) {
      const best = (scores: Float64Array) => [0, 1, 2].reduce((b, k) => (scores[s * 3 + k]! > scores[s * 3 + b]! ? k : b), 0);
      assert.equal(best(he), best(ort), `sample ${s}: the same argmax`);
    }
  });
});

describe("what the engine cannot evaluate is refused at compile time", () => {
  it("a weight that is not finite (a constant holding infinity), naming its node", () => {
    assert.throws(() => compileModel(infiniteWeight), refusal(/times_infinity.*not a finite number/s));
  });

  it("an output that ignores the input (every weight 0)", () => {
    const bytes = onnxOf({
      inputDims: [2],
      initializers: [tensor("zero", [], [0]), tensor("b", [2], [1, 2])],
      nodes: [
        { op: "Mul", inputs: ["x", "zero"], outputs: ["h"] },
        { op: "Add", inputs: ["h", "b"], outputs: ["y"] },
      ],
    });
    assert.throws(() => compileModel(bytes), refusal(/does not depend on the input/));
  });

  it("magnitudes too large for the first prime: says so and what to change, not to reduce the depth", () => {
    const bytes = onnxOf({ inputDims: [2], initializers: [tensor("big", [], [1e9])], nodes: [{ op: "Mul", inputs: ["x", "big"], outputs: ["y"] }] });
    assert.throws(() => compileModel(bytes), (error: unknown) => {
      refusal(/magnitude.*2\^25.*Scale the model/s)(error);
      assert.doesNotMatch((error as Error).message, /reduce the depth/);
      return true;
    });
  });

  it("a depth beyond what 128-bit security allows at N = 32,768: says the depth and the bits it needs", () => {
    const nodes: ModelSpec["nodes"][number][] = [];
    let last = "x";
    for (let k = 0; k < 30; ++k) {
      nodes.push({ op: "Mul", inputs: [last, last], outputs: [`s${k}`] }, { op: "Mul", inputs: [`s${k}`, "tenth"], outputs: [`t${k}`] });
      last = `t${k}`;
    }
    nodes.push({ op: "Identity", inputs: [last], outputs: ["y"] });
    const bytes = onnxOf({ inputDims: [2], initializers: [tensor("tenth", [], [0.1])], nodes });
    assert.throws(() => compileModel(bytes), refusal(/depth \d+ needs a modulus chain of at least \d+ bits.*881 bits.*N = 32768/s));
  });
});

describe("the worker refuses at start-up what it could not evaluate, and reads calibration CSVs as model check does", () => {
  const dir = mkdtempSync(join(tmpdir(), "evaluable-"));
  const file = (name: string, bytes: Uint8Array | string): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const gemm = file(
    "gemm.onnx",
    onnxOf({
      inputDims: [2],
      initializers: [tensor("W", [2, 2], [1, 2, 3, 4]), tensor("b", [2], [0, 0])],
      nodes: [{ op: "Gemm", inputs: ["x", "W", "b"], outputs: ["y"], attributes: { transB: 1 } }],
    }),
  );
  const serve = (onnx: string, calibrationCsv?: string, minAgreement?: number) =>
    createEvaluator({ modelIds: ["m"], settings: { models: { m: { onnx, ...(calibrationCsv ? { calibrationCsv } : {}) } }, ...(minAgreement === undefined ? {} : { minAgreement }) } });

  it("refuses a model whose HE-ready plan agrees with it less than model check requires, unless the seller lowers minAgreement", async () => {
    const wave = file("triangle-wave.onnx", triangleWave());
    await assert.rejects(serve(wave), /cannot serve "m".*agrees with the original model on \d+\.\d% of \d+ synthetic samples, below the required 90\.0%/s);
    assert.equal((await serve(wave, undefined, 0.2)).describe("m").plan.outputSize, 2);
    await assert.rejects(serve(wave, undefined, 1.5), /"minAgreement" must be a fraction in \[0, 1\], got 1.5/);
  });

  it("refuses a model with a non-finite weight before serving it", async () => {
    await assert.rejects(serve(file("infinite.onnx", infiniteWeight)), /cannot serve "m".*times_infinity.*not a finite number/s);
  });

  it("serves a Pad model whose border is constant", async () => {
    const evaluator = await serve(file("pad.onnx", onnxOf(padGraph(0))));
    assert.equal(evaluator.describe("m").plan.outputSize, 7);
  });

  it("a calibration CSV as wide as the input has no label; one column more is a label (ignored); any other width is refused", async () => {
    const magnitude = async (csv: string) => (await serve(gemm, file(`${csv.length}.csv`, csv))).describe("m").plan.maxMagnitude;
    // Largest output on these samples: 3 * 3 + 4 * 1 = 13; a label of 99 read as a feature would raise it to 3 * 3 + 4 * 99.
    assert.equal(await magnitude("a,b\n1,1\n3,1\n"), 13);
    assert.equal(await magnitude("a,b,label\n1,1,99\n3,1,99\n"), 13);
    await assert.rejects(magnitude("a,b,c,d\n1,1,1,1\n"), /has 4 columns, but the model takes 2 features per sample: give 2 feature columns, optionally followed by one label column/);
  });
});
