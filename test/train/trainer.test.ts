/**
 * The trainer (scripts/train): back-propagation against finite differences on a small
 * Conv-square-Gemm network, determinism (retraining the Iris models reproduces the
 * checked-in .onnx and card byte for byte, also through the CLI), and its errors: an unknown
 * model name (library and CLI) and a wrong feature count.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { loadIris } from "../../scripts/lib/datasets/iris.ts";
import { SeededRng } from "../../scripts/lib/datasets/seededRng.ts";
import { Conv2d } from "../../scripts/train/layers/conv2d.ts";
import { Dense } from "../../scripts/train/layers/dense.ts";
import { Square } from "../../scripts/train/layers/square.ts";
import { softmaxCrossEntropy } from "../../scripts/train/metrics.ts";
import { serializeCard } from "../../scripts/train/modelCard.ts";
import { modelSpec, UnknownModelError } from "../../scripts/train/modelSpecs.ts";
import { FeatureCountError, Network } from "../../scripts/train/network.ts";
import { trainModel } from "../../scripts/train/trainModel.ts";

const run = promisify(execFile);
const TRAIN_CLI = "scripts/train/train.ts";

function smallNetwork(): Network {
  const rng = new SeededRng(5);
  const conv = new Conv2d("conv", { channels: 1, side: 6, maps: 2, kernel: 3, stride: 2, padding: 1 }, rng, 1);
  return new Network([1, 6, 6], undefined, [
    conv,
    new Square(conv.outputSize, "Pow"),
    new Dense("fc1", conv.outputSize, 4, rng, 1),
    new Square(4, "Mul"),
    new Dense("fc2", 4, 3, rng, 1),
  ]);
}

describe("trainer", () => {
  describe("back-propagation", () => {
    it("matches finite differences for every parameter of a Conv-square-Gemm network", () => {
      const network = smallNetwork();
      const rng = new SeededRng(9);
      const batch = 3;
      const x = Float64Array.from({ length: batch * 36 }, () => rng.uniform());
      const labels = Uint8Array.from([0, 2, 1]);
      const loss = (): number => softmaxCrossEntropy(network.forward(x, batch), labels, 3).loss;
      network.backward(softmaxCrossEntropy(network.forward(x, batch), labels, 3).grad, batch);
      assert.equal(network.layers[0]!.kind, "conv2d");
      const h = 1e-6;
      for (const p of network.parameters) {
        for (let i = 0; i < p.value.length; i++) {
          const saved = p.value[i]!;
          p.value[i] = saved + h;
          const up = loss();
          p.value[i] = saved - h;
          const down = loss();
          p.value[i] = saved;
          const numeric = (up - down) / (2 * h);
          assert.ok(Math.abs(numeric - p.grad[i]!) < 1e-6 * Math.max(1, Math.abs(numeric)), `${p.name}[${i}]: ${p.grad[i]} vs ${numeric}`);
        }
      }
    });

    it("computes a padded, strided convolution like ONNX Conv", () => {
      const conv = new Conv2d("conv", { channels: 1, side: 4, maps: 1, kernel: 3, stride: 2, padding: 1 }, new SeededRng(1), 1);
      conv.weight.value.fill(1);
      conv.bias.value[0] = 0.5;
      const x = Float64Array.from({ length: 16 }, (_, i) => i);
      // Output 2x2; the top-left window covers rows -1..1, cols -1..1: 0+1+4+5.
      assert.deepEqual(conv.forward(x, 1), Float64Array.from([10.5, 24.5, 51.5, 90.5]));
    });
  });

  describe("determinism", () => {
    for (const name of ["iris-logreg", "iris-square-mlp"]) {
      it(`retraining ${name} reproduces the checked-in file and card byte for byte`, async () => {
        const model = trainModel(name);
        assert.deepEqual(Buffer.from(model.onnx), await readFile(`models/${name}.onnx`));
        assert.equal(serializeCard(model.card), await readFile(`models/${name}.json`, "utf8"));
        assert.ok(model.card.testAccuracyBps >= 9_000, `${name} reaches 90% (got ${model.card.testAccuracyBps} bps)`);
      });
    }

    it("the CLI writes the same model, its card and the buyer CSV", async () => {
      const out = await mkdtemp(join(tmpdir(), "train-"));
      try {
        const { stdout } = await run(process.execPath, [TRAIN_CLI, "--only", "iris-logreg", "--out", out, "--csv"]);
        assert.match(stdout, /iris-logreg: test accuracy \d+\.\d+%/);
        assert.deepEqual(await readFile(join(out, "iris-logreg.onnx")), await readFile("models/iris-logreg.onnx"));
        assert.equal(await readFile(join(out, "iris-logreg.json"), "utf8"), await readFile("models/iris-logreg.json", "utf8"));
        assert.match(await readFile(join(out, "iris-test.csv"), "utf8"), /^f0,f1,f2,f3,label\n/);
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    });
  });

  describe("bad input", () => {
    it("names the known models when asked for an unknown one", () => {
      assert.throws(() => modelSpec("mnist-resnet"), (e: unknown) => e instanceof UnknownModelError && /Unknown model "mnist-resnet". Known models: iris-logreg, iris-square-mlp, mnist-logreg, mnist-cryptonets\./.test(e.message));
      assert.throws(() => trainModel("nope"), UnknownModelError);
    });

    it("the CLI exits 1 with that message, before training anything", async () => {
      const out = await mkdtemp(join(tmpdir(), "train-"));
      try {
        await assert.rejects(run(process.execPath, [TRAIN_CLI, "--only", "iris-logreg", "--only", "nope", "--out", out]), (e: { code?: number; stderr?: string }) => {
          assert.equal(e.code, 1);
          assert.match(e.stderr ?? "", /train: Unknown model "nope"\. Known models:/);
          return true;
        });
        await assert.rejects(readFile(join(out, "iris-logreg.onnx")), /ENOENT/);
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    });

    it("refuses features of the wrong count", () => {
      const network = smallNetwork();
      assert.throws(() => network.forward(new Float64Array(35), 1), (e: unknown) => e instanceof FeatureCountError && /takes 36 features per sample; 35 values are not 1 such samples/.test(e.message));
      assert.throws(() => network.scores(loadIris().test), /takes 36 features per sample; the data set has 4/);
    });
  });
});
