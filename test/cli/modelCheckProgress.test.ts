/**
 * `bazaar model check` as a user runs it (a child process): progress on stderr, one line per
 * stage with the time elapsed, the estimate of the measured batch before that batch starts;
 * stdout holds only the report, or JSON that parses (with the estimate in it). No assertion
 * on wall time.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runBazaar, type CliResult } from "../helpers/runBazaar.ts";

const MODEL = new URL("../../models/iris-square-mlp.onnx", import.meta.url).pathname;

/** `bazaar <args>`, which must exit 0. */
async function succeedingBazaar(args: string[]): Promise<CliResult> {
  const run = await runBazaar(args);
  assert.equal(run.code, 0, run.stderr);
  return run;
}

describe("bazaar model check: progress and estimate", { timeout: 240_000 }, () => {
  it("--json: stdout parses and carries the estimate; stderr shows every stage, the estimate before the first measured step", async () => {
    const { stdout, stderr } = await succeedingBazaar(["--json", "model", "check", MODEL]);
    const result = JSON.parse(stdout) as { estimate: { uploadBytes: number; steps: { step: string }[] }; measurement: { uploadBytes: number } };
    assert.equal(result.estimate.uploadBytes, result.measurement.uploadBytes);
    const lines = stderr.trim().split("\n");
    assert.ok(lines.every((line) => /^\[\d+\.\d s\] /.test(line)), stderr);
    const order = [/decoding .*iris-square-mlp\.onnx/, /compiling node 1 of \d+: /, /comparing the HE-ready plan with onnxruntime on 128 synthetic samples/, /generating the CKKS keys \(N = 8192/, /timing SEAL's operations/, /estimate for one batch of 4096 samples on this machine: about .* s of CPU at the \d+% of a core this check got while timing.* upload 1\.5 MiB/, /step 1 of 7: encrypting one batch of 4096 samples \(4 ciphertexts\), about /, /step 4 of 7: evaluating: monomials 1/, /step 7 of 7: decrypting the scores/];
    const positions = order.map((pattern) => lines.findIndex((line) => pattern.test(line)));
    assert.ok(positions.every((p) => p >= 0), stderr);
    assert.deepEqual(positions, [...positions].sort((a, b) => a - b), stderr);
  });

  it("text: the report prints the estimate beside the measurement; --no-measure keeps the estimate and skips the batch", async () => {
    const { stdout, stderr } = await succeedingBazaar(["model", "check", MODEL, "--no-measure"]);
    assert.match(stdout, /estimate for one batch of 4096 samples on this machine: about/);
    assert.doesNotMatch(stdout, /measured on one batch/);
    const measured = await succeedingBazaar(["model", "check", MODEL]);
    assert.match(measured.stdout, /measured on one batch of 4096 samples: .* \(\d+\.\d+ s of CPU; estimated \d+\.\d+ s\)/, "the report compares the batch's CPU time with the estimate's");
    assert.doesNotMatch(stderr, /step \d+ of/);
    const help = await succeedingBazaar(["model", "check", "--help"]);
    assert.match(help.stdout, /Progress goes to stderr/);
  });
});
