/**
 * `checkModel`'s progress and estimate (offchain-worker/src/he/modelCheck.ts) on the shipped
 * Iris models: the stages arrive in the order they run, the estimate (every step of the batch
 * priced, the sizes computed from the plan alone) arrives before the measurement starts and
 * its sizes are the measured ones, byte for byte; `measure: false` still estimates; a file
 * that is not ONNX stops after the compile stage. Each step's wall time is its CPU time at
 * the measured share of a core (operationCosts.ts). No assertion on wall time: estimates are
 * compared with counts and sizes, never with a clock (docs/HE.md §1 gives measured ratios).
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { MalformedModelError } from "../../offchain-worker/src/he/compiler/index.ts";
import { checkModel, type ModelCheckProgress } from "../../offchain-worker/src/he/modelCheck.ts";

const model = (name: string): string => new URL(`../../models/${name}.onnx`, import.meta.url).pathname;

async function checked(name: string, measure = true) {
  const events: ModelCheckProgress[] = [];
  const result = await checkModel(model(name), { measure, onProgress: (event) => events.push(event) });
  return { result, events };
}

describe("model check: progress and estimate", { timeout: 120_000 }, () => {
  it("reports every stage in order, the estimate before the measured batch, and the estimate's sizes are the measured ones", async () => {
    const { result, events } = await checked("iris-square-mlp");
    const stages = events.map((e) => e.stage);
    assert.deepEqual(stages, ["compile", "keys", "costs", "estimate", "encrypt", "evaluate", "evaluate", "evaluate", "evaluate", "evaluate", "decrypt"]);
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
    assert.deepEqual(events.map((e) => e.stage), ["compile", "keys", "costs", "estimate"]);
    assert.equal(result.measurement, undefined);
    assert.equal(result.estimate.relinKeyBytes, 0);
    assert.equal(result.estimate.samples, result.parameters.slots);
    assert.ok(result.estimate.uploadBytes > result.estimate.resultBytes, "4 features in, 3 scores out (seeded inputs, scores at the last level)");
  });

  it("stops after the compile stage when the file is not an ONNX model", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "model-check-")), "not-a-model.onnx");
    writeFileSync(path, "these bytes are not protobuf");
    const events: ModelCheckProgress[] = [];
    await assert.rejects(checkModel(path, { onProgress: (event) => events.push(event) }), MalformedModelError);
    assert.deepEqual(events.map((e) => e.stage), ["compile"]);
  });
});
