/**
 * The `bazaar` CLI as a user runs it (a child process on the project's Node): `--help`
 * everywhere, `model check` on a trained model (text and --json) and on models it must
 * refuse, `worker start` without its key; every failure is one sentence and a non-zero exit.
 * Also which commands a run registers (each loads only its own modules).
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { buildProgram } from "../../scripts/cli/bazaar.ts";
import { buildModel, tensor } from "../../scripts/lib/onnxGraph.ts";
import { runBazaar } from "../helpers/runBazaar.ts";

const MODELS = new URL("../../models/", import.meta.url).pathname;

describe("bazaar CLI", () => {
  it("prints help for the program and every command", async () => {
    for (const args of [["--help"], ["model", "check", "--help"], ["worker", "start", "--help"], ["dev", "advance", "--help"]]) {
      const r = await runBazaar(args);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Usage: bazaar/);
    }
  });

  it("registers only the command it runs, and every command for the overview or an unknown name", async () => {
    const names = async (argv: string[]) => (await buildProgram(argv)).commands.map((c) => c.name());
    const all = ["account", "model", "worker", "auction", "bid", "reveal", "status", "listings", "recommend", "list", "listing", "buy", "deliver", "download", "withdraw", "audit", "test-drive", "dispute", "contest", "watermark", "trace", "dev"];
    assert.deepEqual(await names([]), all);
    assert.deepEqual(await names(["--help"]), all);
    assert.deepEqual(await names(["help", "buy"]), all);
    assert.deepEqual(await names(["lisitngs"]), all);
    assert.deepEqual(await names(["--json", "listings"]), ["listings"]);
    const status = (await buildProgram(["status", "test", "1"])).commands;
    assert.deepEqual(status.map((c) => c.name()), ["status"]);
    assert.deepEqual(status[0]!.commands.map((c) => c.name()), ["auction", "purchase", "test"]);
    const misspelt = await runBazaar(["lisitngs"]);
    assert.notEqual(misspelt.code, 0);
    assert.match(misspelt.stderr, /unknown command 'lisitngs'[\s\S]*Did you mean listings\?/);
  });

  it("model check: reports the plan, the parameters and a measured batch of a trained model", async () => {
    const text = await runBazaar(["model", "check", join(MODELS, "iris-logreg.onnx")]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /depth 1/);
    assert.match(text.stdout, /CKKS parameters \(128-bit security\): N = \d+/);
    assert.match(text.stdout, /s per 1,000 samples/);
    assert.match(text.stdout, /Softmax is left to the buyer/);

    const json = await runBazaar(["--json", "model", "check", join(MODELS, "iris-square-mlp.onnx")]);
    assert.equal(json.code, 0, json.stderr);
    const result = JSON.parse(json.stdout) as { report: { depth: number }; parameters: { slots: number }; measurement: { maxScoreError: number; relinKeyBytes: number } };
    assert.equal(result.report.depth, 3); // linear, square, linear
    assert.ok(result.parameters.slots >= 2048);
    assert.ok(result.measurement.maxScoreError < 1e-2, `score error ${result.measurement.maxScoreError}`);
    assert.ok(result.measurement.relinKeyBytes > 0, "a square activation needs relinearization keys");
  });

  it("list --help publishes the terms format; listing --help names pause, resume, reprice and delist", async () => {
    const list = await runBazaar(["list", "--help"]);
    assert.equal(list.code, 0, list.stderr);
    for (const field of ["task.featureCount", "task.classCount", "task.scaleBits", "task.featureBits", "claimedAccuracyBps", "testPolicy.deposit", "testPolicy.feePerExtraSample", "testPolicy.freeSamples", "testPolicy.minSamples", "testPolicy.maxSamples", "testPolicy.serviceWindow", "testPolicy.disputeWindow", "sale", "worker.endpoint", "worker.signer", "metadata.uri", "metadata.hash", "watermarkCommitment"]) {
      assert.match(list.stdout, new RegExp(`\\n  ${field.replace(".", "\\.")}\\s`), field);
    }
    assert.match(list.stdout, /docs\/schemas\/listing-terms\.schema\.json/);
    assert.match(list.stdout, /docs\/examples\/listing-terms\.json/);
    assert.match(list.stdout.replace(/\s+/g, " "), /checked against the ONNX model's input and output/);
    const listing = await runBazaar(["listing", "--help"]);
    assert.equal(listing.code, 0, listing.stderr);
    for (const sub of ["pause", "resume", "reprice", "delist"]) assert.match(listing.stdout, new RegExp(`\\n  ${sub} \\[options\\] <listingId>`), sub);
    const testDrive = await runBazaar(["test-drive", "--help"]);
    assert.match(testDrive.stdout.replace(/\s+/g, " "), /the label, as a class index \(0, 1, \.\.\.\) or a class name of the listing's model card/);
  });

  it("model check --calibration takes a test set as it is: a label column of indices or names, or none", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bazaar-cli-"));
    const rows = [[5.1, 3.5, 1.4, 0.2, "setosa"], [6.4, 3.2, 4.5, 1.5, "versicolor"], [6.3, 3.3, 6.0, 2.5, "virginica"], [4.9, 3.0, 1.4, 0.2, "setosa"]];
    const write = (name: string, header: string, cells: (row: (string | number)[], i: number) => (string | number)[]) => {
      const path = join(dir, name);
      writeFileSync(path, `${header}\n${rows.map((row, i) => cells(row, i).join(",")).join("\n")}\n`);
      return path;
    };
    const names = write("names.csv", "sepal_length,sepal_width,petal_length,petal_width,species", (row) => row);
    const indices = write("indices.csv", "f0,f1,f2,f3,label", (row, i) => [...row.slice(0, 4), [0, 1, 2, 0][i]!]);
    const bare = write("bare.csv", "f0,f1,f2,f3", (row) => row.slice(0, 4));
    const narrow = write("narrow.csv", "f0,f1,f2", (row) => row.slice(0, 3));
    const model = join(MODELS, "iris-logreg.onnx");
    for (const csv of [names, indices, bare]) {
      const r = await runBazaar(["--json", "model", "check", model, "--calibration", csv, "--no-measure"]);
      assert.equal(r.code, 0, `${csv}: ${r.stderr}`);
      const report = (JSON.parse(r.stdout) as { report: { calibration: { source: string; samples: number }; comparison?: { samples: number } } }).report;
      assert.deepEqual([report.calibration.source, report.calibration.samples], ["provided", 4], csv);
    }
    const wrong = await runBazaar(["model", "check", model, "--calibration", narrow, "--no-measure"]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /^bazaar: .*narrow\.csv has 3 columns, but the model takes 4 features per sample: give 4 feature columns, optionally followed by one label column\n$/);
    const help = await runBazaar(["model", "check", "--help"]);
    assert.match(help.stdout.replace(/\s+/g, " "), /optionally followed by a label column \(class index or name, ignored\)/);
  });

  it("model check: refuses a model the worker could not evaluate, naming the limit, after progress lines", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bazaar-cli-"));
    const huge = join(dir, "huge.onnx");
    writeFileSync(
      huge,
      buildModel({
        input: { name: "x", dims: ["batch", 2] },
        output: { name: "y" },
        initializers: [tensor("big", [], [1e9])],
        nodes: [{ op: "Mul", name: "times_1e9", inputs: ["x", "big"], outputs: ["y"] }],
      }),
    );
    const r = await runBazaar(["model", "check", huge]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^\[[^\]]+\] decoding .*huge\.onnx \(\d+ bytes\)\n\[[^\]]+\] compiling node 1 of 1: Mul "times_1e9"\n/);
    assert.match(r.stderr, /^bazaar: .*this limit is the values' magnitude, not the depth\. Scale the model's values down/m);
    const help = await runBazaar(["model", "check", "--help"]);
    assert.match(help.stdout.replace(/\s+/g, " "), /--measure measure the one-batch encryption\/evaluation however long its estimate/);
  });

  it("model check: names the unsupported node, and refuses missing files and bad options in one sentence", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bazaar-cli-"));
    const maxPool = join(dir, "maxpool.onnx");
    writeFileSync(
      maxPool,
      buildModel({
        input: { name: "x", dims: ["batch", 1, 4, 4] },
        output: { name: "y" },
        nodes: [{ op: "MaxPool", name: "pool1", inputs: ["x"], outputs: ["y"], attributes: { kernel_shape: [2, 2] } }],
      }),
    );
    const unsupported = await runBazaar(["model", "check", maxPool]);
    assert.equal(unsupported.code, 1);
    assert.match(unsupported.stderr, /^bazaar: [\s\S]*pool1.*MaxPool/m, "the refusal is a line of its own after the progress lines");
    assert.doesNotMatch(unsupported.stderr, /\n\s+at /, "no stack trace");

    const missing = await runBazaar(["model", "check", join(dir, "absent.onnx")]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read .*absent\.onnx: no such file/);

    const degree = await runBazaar(["model", "check", maxPool, "--degree", "5"]);
    assert.equal(degree.code, 1);
    assert.match(degree.stderr, /--degree must be 2, 3 or auto/);

    const unknown = await runBazaar(["model", "frobnicate"]);
    assert.notEqual(unknown.code, 0);
  });

  it("worker start: refuses to run without the signer key in the environment", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bazaar-cli-"));
    const config = join(dir, "worker.json");
    writeFileSync(config, JSON.stringify({ rpcUrl: "http://127.0.0.1:1", market: "0x" + "11".repeat(20), registry: "0x" + "22".repeat(20), dataDir: ".", listings: [{ listingId: 1, modelId: "m" }], evaluator: { module: "x.ts" } }));
    const r = await runBazaar(["worker", "start", "--config", config], { env: { MODELBAZAAR_WORKER_KEY: "" } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /MODELBAZAAR_WORKER_KEY/);
  });
});
