/**
 * `checkModel`'s progress and estimate (offchain-worker/src/he/modelCheck.ts) on the shipped
 * Iris models: the stages arrive in the order they run (decoding, every node compiled as
 * node i of n, parameters, keys, costs), the estimate (every step of the batch priced, the
 * sizes computed from the plan alone) arrives before the measurement starts and its sizes are
 * the measured ones, byte for byte; `measure: false` still estimates; a batch estimated over
 * the limit is skipped with a sentence unless `measure: true`; a file that is not ONNX stops
 * after the decode stage. Each step's wall time is its CPU time at the measured share of a
 * core (operationCosts.ts). No assertion on wall time: estimates are compared with counts and
 * sizes, never with a clock (docs/HE.md §1 gives measured ratios). Also the CLI's progress
 * lines, which thin the compile lines by the events' elapsed time. A model no polynomial of
 * the depth budget approximates (a Relu triangle wave) stops after the comparison with
 * onnxruntime, saying its agreement and what to change.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { MalformedModelError } from "../../offchain-worker/src/he/compiler/index.ts";
import { checkModel, type ModelCheckOptions, type ModelCheckProgress } from "../../offchain-worker/src/he/modelCheck.ts";
import { LowAgreementError } from "../../offchain-worker/src/he/planAgreement.ts";
import { COMPILE_LINE_INTERVAL_MS, modelCheckProgress } from "../../scripts/cli/modelCheckProgress.ts";
import { triangleWave } from "../helpers/triangleWave.ts";

const model = (name: string): string => new URL(`../../models/${name}.onnx`, import.meta.url).pathname;

async function checked(name: string, options: ModelCheckOptions = {}) {
  const events: ModelCheckProgress[] = [];
  const result = await checkModel(model(name), { ...options, onProgress: (event) => events.push(event) });
  return { result, events };
}

/** The stages in order, the run of compile events counted as one entry "compile x n". */
function stagesOf(events: readonly ModelCheckProgress[]): string[] {
  const stages: string[] = [];
  let compiles = 0;
  for (const event of events) {
    if (event.stage === "compile") {
      compiles += 1;
      continue;
    }
    if (compiles > 0) stages.push(`compile x ${compiles}`);
    compiles = 0;
    stages.push(event.stage);
  }
  return stages;
}

/** Every node the compiled output needs, announced as node i of n in order. */
function assertNodeCount(events: readonly ModelCheckProgress[], nodes: number): void {
  const compiles = events.flatMap((e) => (e.stage === "compile" ? [[e.index, e.count]] : []));
  assert.deepEqual(compiles, Array.from({ length: nodes }, (_, k) => [k + 1, nodes]));
}

describe("model check: progress and estimate", { timeout: 120_000 }, () => {
  it("reports every stage in order, the estimate before the measured batch, and the estimate's sizes are the measured ones", async () => {
    const { result, events } = await checked("iris-square-mlp");
    const nodes = result.report.nodes.filter((n) => n.fate !== "unused").length;
    assert.deepEqual(stagesOf(events), ["decode", `compile x ${nodes}`, "calibration", "parameters", "keys", "costs", "estimate", "encrypt", "evaluate", "evaluate", "evaluate", "evaluate", "evaluate", "decrypt"]);
    assertNodeCount(events, nodes);
    assert.equal(result.measurementSkipped, undefined, "a batch estimated well under a minute is measured by default");
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
    assert.match(estimate.steps.find((s) => s.step === "linear 0")!.description, /linear 4 -> 8, 32 products on the residue kernel/, "priced on the path the engine takes");
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
    const { result, events } = await checked("iris-logreg", { measure: false });
    const nodes = result.report.nodes.filter((n) => n.fate !== "unused").length;
    assert.deepEqual(stagesOf(events), ["decode", `compile x ${nodes}`, "calibration", "parameters", "keys", "costs", "estimate"]);
    assert.equal(result.measurement, undefined);
    assert.equal(result.measurementSkipped, undefined, "not measuring was asked for: nothing to explain");
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
      assert.deepEqual(stagesOf(events).slice(-1), ["calibration"], "nothing priced or measured");
      assert.equal(events[0]!.stage, "decode");
    }
    const synthetic = await checkModel(path, { measure: false }).catch((e: unknown) => e);
    assert.ok(synthetic instanceof LowAgreementError);
    assert.match(synthetic.message, /of 128 synthetic samples, .*: give real calibration data \(--calibration/);
    const lenient = await checkModel(path, { calibration, minAgreement: 0, measure: false });
    assert.ok(lenient.report.comparison!.argmaxAgreement < 0.9, "a threshold of 0 lets it through, agreement stated");
  });

  it("stops after decoding when the file is not an ONNX model", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "model-check-")), "not-a-model.onnx");
    writeFileSync(path, "these bytes are not protobuf");
    const events: ModelCheckProgress[] = [];
    await assert.rejects(checkModel(path, { onProgress: (event) => events.push(event) }), MalformedModelError);
    assert.deepEqual(events.map((e) => e.stage), ["decode"]);
  });

  it("skips a batch estimated over the limit with a sentence, and measures it when asked", async () => {
    const skipped = await checked("iris-logreg", { measureLimitSeconds: 0 });
    assert.equal(skipped.result.measurement, undefined);
    assert.match(skipped.result.measurementSkipped ?? "", /^one-batch measurement skipped: its estimate, about .+, is over the 0 s a check measures by default; .*--measure/);
    const last = skipped.events.at(-1);
    assert.deepEqual([last?.stage, last && "detail" in last ? last.detail : undefined], ["skip", skipped.result.measurementSkipped]);

    const forced = await checked("iris-logreg", { measureLimitSeconds: 0, measure: true });
    assert.ok(forced.result.measurement, "measure: true measures whatever the estimate");
    assert.equal(forced.result.measurementSkipped, undefined);
  });
});

describe("model check: the CLI's progress lines", () => {
  const compile = (index: number, count: number, elapsedMs: number): ModelCheckProgress => ({ stage: "compile", detail: `compiling node ${index} of ${count}`, index, count, elapsedMs });

  it("writes every stage, and of the compile lines the first, the last and one per interval of elapsed time", () => {
    const lines: string[] = [];
    const write = modelCheckProgress((line) => lines.push(line));
    write({ stage: "decode", detail: "decoding m.onnx (10 bytes)", elapsedMs: 0 });
    const step = COMPILE_LINE_INTERVAL_MS / 4;
    for (let index = 1; index <= 10; ++index) write(compile(index, 10, index * step));
    write({ stage: "parameters", detail: "choosing CKKS parameters", elapsedMs: 11 * step });
    assert.deepEqual(
      lines.map((line) => line.replace(/^\[[^\]]+\] /, "")),
      ["decoding m.onnx (10 bytes)", "compiling node 1 of 10", "compiling node 5 of 10", "compiling node 9 of 10", "compiling node 10 of 10", "choosing CKKS parameters"],
    );
  });
});
