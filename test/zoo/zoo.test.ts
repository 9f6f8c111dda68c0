/**
 * The project's model zoo (scripts/zoo/): every model is a valid ONNX graph onnxruntime runs
 * on its declared sample shape, the bytes depend on the seed alone, one case runs end to end
 * through a real encryption and evaluation, and the report shows refusals and deadlines in the
 * seller's words rather than hiding them.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FLOAT, runModel } from "../../scripts/lib/onnxGraph.ts";
import { runZooCase, type ZooRow } from "../../scripts/zoo/zooCase.ts";
import { ZOO, zooModel } from "../../scripts/zoo/zooModels.ts";
import { renderZooMarkdown, type ZooReport } from "../../scripts/zoo/zooReport.ts";

const report = (entries: ZooReport["entries"]): ZooReport => ({ date: "2026-12-07T00:00:00Z", node: "v24", cpus: 2, loadAverage: { before: 1, after: 1 }, deadlineMinutes: 15, maxUploadGib: 2, entries });

describe("the model zoo", () => {
  it("names every model once and covers the operators and networks issue #14 lists", () => {
    const names = ZOO.map((m) => m.name);
    assert.equal(new Set(names).size, names.length);
    for (const required of ["lenet5-square", "lenet5-relu", "mobilenet-block", "mlp-relu", "conv-depthwise", "conv-grouped", "conv-pointwise", "pad-zero", "identity", "pruned-unit", "wide-gemm", "large-inputs"]) {
      assert.ok(names.includes(required), `the zoo lacks ${required}`);
    }
    assert.throws(() => zooModel("no-such-model"), /no zoo model "no-such-model"; the zoo has gemm, /);
  });

  it("builds every model as ONNX that onnxruntime runs, the same bytes from the same seed", async () => {
    for (const model of ZOO.filter((m) => m.family !== "shipped")) {
      const bytes = model.build();
      assert.deepEqual(model.build(), bytes, `${model.name} is not deterministic`);
      const width = model.sampleShape.reduce((n, d) => n * d, 1);
      const scores = await runModel(bytes, model.inputName, new Float64Array(2 * width).fill(0.5), [2, ...model.sampleShape], FLOAT);
      assert.ok(scores.length >= 2 && scores.length % 2 === 0, `${model.name} gave ${scores.length} scores for 2 samples`);
      assert.ok(scores.every(Number.isFinite), `${model.name} gave a non-finite score`);
    }
  });

  it("runs a case end to end: compiled, encrypted as a full batch, evaluated in its own process, agreeing with onnxruntime", async () => {
    const row = await runZooCase("gemm", 2 ** 30);
    assert.equal(row.compile.status, "compiled");
    assert.equal(row.he?.status, "ran");
    if (row.he?.status !== "ran") return;
    assert.equal(row.he.agreement, 1);
    assert.ok(row.he.maxAbsError < 1e-3, `CKKS error ${row.he.maxAbsError}`);
    assert.equal(row.he.samples, row.he.polyModulusDegree / 2, "one full batch: every slot used");
    assert.ok(row.he.evaluationPeakRssMB > 0);
  });

  it("skips the encrypted run, saying why, when one batch would upload more than allowed", async () => {
    const row = await runZooCase("gemm", 1024);
    assert.equal(row.he?.status, "skipped");
    assert.match(row.he?.status === "skipped" ? row.he.reason : "", /one batch uploads 0\.0 GiB \(16 ciphertexts, one per input feature\)/);
  });

  it("reports refusals, failures and deadlines in full below the table", () => {
    const refused: ZooRow = { name: "wide", family: "operator", covers: "a wide Gemm", compile: { seconds: 0.5, status: "refused", message: "the dense map | is too large" } };
    const markdown = renderZooMarkdown(
      report([
        { row: refused, seconds: 1 },
        { model: { name: "lenet", family: "network", covers: "LeNet-5" }, seconds: 900, ended: "stopped at the 15-minute deadline" },
      ]),
    );
    assert.match(markdown, /\| wide \| operator \| a wide Gemm \| 0\.5 \|.*\*\*refused\*\* \(below\) \|/);
    assert.match(markdown, /\| lenet \| network \| LeNet-5 \|.*\*\*stopped at the 15-minute deadline\*\* \|/);
    assert.match(markdown, /- \*\*wide\*\*, refused at compile time: the dense map \\\| is too large/);
  });
});
