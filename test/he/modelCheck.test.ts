/**
 * `checkModel`'s progress and estimate (offchain-worker/src/he/modelCheck.ts) on the shipped
 * Iris models: the stages arrive in the order they run, the estimate (every step of the batch
 * priced, the sizes computed from the plan alone) arrives before the measurement starts and
 * its sizes are the measured ones, byte for byte; `measure: false` still estimates; a file
 * that is not ONNX stops after the compile stage; a model no polynomial of the depth budget
 * approximates (a Relu triangle wave) stops after the comparison with onnxruntime, saying
 * its agreement and what to change. Each step's wall time is its CPU time at
 * the measured share of a core (operationCosts.ts). No assertion on wall time: estimates are
 * compared with counts and sizes, never with a clock (docs/HE.md §1 gives measured ratios).
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { MalformedModelError } from "../../offchain-worker/src/he/compiler/index.ts";
import { checkModel, LowAgreementError, type ModelCheckProgress } from "../../offchain-worker/src/he/modelCheck.ts";
import { buildModel, tensor } from "../helpers/onnxBuilder.ts";

const model = (name: string): string => new URL(`../../models/${name}.onnx`, import.meta.url).pathname;

const TEETH = 9;

/**
 * x [N, 1] -> Relu(x - k), k = 0..8 -> scores [tri(x) - 1/2, 0], where tri = relu(x) - 2 relu(x - 1)
 * + 2 relu(x - 2) - ... is a triangle wave between 0 and 1: the class flips every half unit, which
 * no polynomial of degree 2 or 3 per unit, summed, follows over [0, 8].
 */
function triangleWave(): Uint8Array {
  const w2 = Array.from({ length: 2 * TEETH }, (_, i) => (i >= TEETH ? 0 : i === 0 ? 1 : 2 * (-1) ** i));
  return buildModel({
    input: { name: "x", dims: ["batch", 1] },
    output: { name: "y" },
    initializers: [
      tensor("W1", [TEETH, 1], new Array<number>(TEETH).fill(1)),
      tensor("b1", [TEETH], Array.from({ length: TEETH }, (_, k) => -k)),
      tensor("W2", [2, TEETH], w2),
      tensor("b2", [2], [-0.5, 0]),
    ],
    nodes: [
      { op: "Gemm", inputs: ["x", "W1", "b1"], outputs: ["h"], attributes: { transB: 1 } },
      { op: "Relu", inputs: ["h"], outputs: ["a"], name: "teeth" },
      { op: "Gemm", inputs: ["a", "W2", "b2"], outputs: ["y"], attributes: { transB: 1 } },
    ],
  });
}

async function checked(name: string, measure = true) {
  const events: ModelCheckProgress[] = [];
  const result = await checkModel(model(name), { measure, onProgress: (event) => events.push(event) });
  return { result, events };
}

describe("model check: progress and estimate", { timeout: 120_000 }, () => {
  it("reports every stage in order, the estimate before the measured batch, and the estimate's sizes are the measured ones", async () => {
    const { result, events } = await checked("iris-square-mlp");
    const stages = events.map((e) => e.stage);
    assert.deepEqual(stages, ["compile", "calibration", "keys", "costs", "estimate", "encrypt", "evaluate", "evaluate", "evaluate", "evaluate", "evaluate", "decrypt"]);
    const elapsed = events.map((e) => e.elapsedMs);
    assert.deepEqual(elapsed, [...elapsed].sort((a, b) => a - b), "elapsed time never goes back");

    const { estimate, measurement } = result;
    assert.ok(measurement);
    assert.deepEqual(
      estimate.steps.map((s) => s.step),
      ["encrypt", "load", "linear 0", "monomials 1", "linear 2", "finish", "decrypt"],
      "the buyer's steps around evaluateUpload's own",
    );
    assert.ok(estimate.steps.every((s) => s.seconds >= 0) && estimate.totalSeconds > 0);
    assert.ok(estimate.cpuShare > 0 && estimate.cpuShare <= 1, `a share of one core: ${estimate.cpuShare}`);
    for (const s of estimate.steps) assert.equal(s.seconds, s.cpuSeconds / estimate.cpuShare, `${s.step}: wall = CPU / share`);
    assert.equal(estimate.cpuSeconds, estimate.steps.reduce((sum, s) => sum + s.cpuSeconds, 0));
    assert.ok(measurement.cpuSeconds > 0, "the measured batch reports its CPU time beside its wall time");
    assert.equal(estimate.evaluateSeconds, estimate.steps.filter((s) => s.side === "worker").reduce((sum, s) => sum + s.seconds, 0));
    assert.match(estimate.steps.find((s) => s.step === "linear 0")!.description, /linear 4 -> 8, 32 products/);
    assert.deepEqual(
      [estimate.samples, estimate.uploadBytes, estimate.relinKeyBytes, estimate.resultBytes],
      [measurement.samples, measurement.uploadBytes, measurement.relinKeyBytes, measurement.resultBytes],
    );

    const steps = events.flatMap((e) => (e.stage === "encrypt" || e.stage === "evaluate" || e.stage === "decrypt" ? [e] : []));
    assert.deepEqual(
      steps.map((e) => [e.index, e.steps]),
      estimate.steps.map((_, i) => [i + 1, estimate.steps.length]),
      "each measured step is announced as step i of n, with its share of the estimate",
    );
    assert.deepEqual(
      steps.map((e) => e.estimateSeconds),
      estimate.steps.map((s) => s.seconds),
    );
  });

  it("estimates without measuring, and a linear model needs no relinearization keys", async () => {
    const { result, events } = await checked("iris-logreg", false);
    assert.deepEqual(events.map((e) => e.stage), ["compile", "calibration", "keys", "costs", "estimate"]);
    assert.equal(result.measurement, undefined);
    assert.equal(result.estimate.relinKeyBytes, 0);
    assert.equal(result.estimate.samples, result.parameters.slots);
    assert.ok(result.estimate.uploadBytes > result.estimate.resultBytes, "4 features in, 3 scores out (seeded inputs, scores at the last level)");
  });

  it("stops after the comparison when the plan agrees with the original model on fewer samples than required, saying what to change", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "model-check-")), "triangle-wave.onnx");
    writeFileSync(path, triangleWave());
    const calibration = Float64Array.from({ length: 200 }, (_, s) => (8 * (s + 0.5)) / 200);
    for (const polynomialDegree of [2, 3] as const) {
      const events: ModelCheckProgress[] = [];
      const error = await checkModel(path, { calibration, polynomialDegree, onProgress: (event) => events.push(event) }).then(
        () => assert.fail("the check passed"),
        (e: unknown) => e,
      );
      assert.ok(error instanceof LowAgreementError, String(error));
      assert.match(error.message, /^the HE-ready plan agrees with the original model on \d+\.\d% of 200 calibration samples, below the required 90\.0%: /);
      assert.match(error.message, /retrain with square activations \(x \* x\) in place of Relu teeth: CKKS evaluates them exactly$/);
      assert.equal(/--degree 3/.test(error.message), polynomialDegree === 2, "more depth is advised only where there is some to give");
      assert.doesNotMatch(error.message, /real calibration data/, "the seller gave real samples");
      assert.ok(error.report.comparison!.argmaxAgreement < 0.9);
      assert.deepEqual(events.map((e) => e.stage), ["compile", "calibration"], "nothing priced or measured");
    }
    const synthetic = await checkModel(path, { measure: false }).catch((e: unknown) => e);
    assert.ok(synthetic instanceof LowAgreementError);
    assert.match(synthetic.message, /of 128 synthetic samples, .*: give real calibration data \(--calibration/);
    const lenient = await checkModel(path, { calibration, minAgreement: 0, measure: false });
    assert.ok(lenient.report.comparison!.argmaxAgreement < 0.9, "a threshold of 0 lets it through, agreement stated");
  });

  it("stops after the compile stage when the file is not an ONNX model", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "model-check-")), "not-a-model.onnx");
    writeFileSync(path, "these bytes are not protobuf");
    const events: ModelCheckProgress[] = [];
    await assert.rejects(checkModel(path, { onProgress: (event) => events.push(event) }), MalformedModelError);
    assert.deepEqual(events.map((e) => e.stage), ["compile"]);
  });
});
