/**
 * The engine's bounded memory (evaluateUpload.ts, ciphertextStore.ts, residueLinear.ts's
 * passes): a plan evaluated with a memory budget far too small for its values (every value
 * spilled to a file, every kernel pass one output) gives the same result bytes as with the
 * default budget, on the kernel and on SEAL's products, and the spill file's directory is
 * gone after the evaluation, whether it succeeded or threw. The CKKS evaluator passes its
 * `memoryBudgetMiB` and `spillDirectory` settings on.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { BuyerSession, summarizePlan, type HePlan } from "@modelbazaar/sdk/he";
import { createEvaluator } from "../../offchain-worker/src/he/ckksEvaluator.ts";
import { evaluateUpload } from "../../offchain-worker/src/he/engine/evaluateUpload.ts";
import { createEngineRuntime, type EngineRuntime } from "../../offchain-worker/src/he/engine/runtime.ts";
import { seededRandom } from "../helpers/seededRandom.ts";
import { assertSameBytes, banded, onSquares, planOf, randomFeatures, squares } from "./planFixtures.ts";

/** banded 40 -> 19 fused with its square, a dense layer on the squares -> 6 (fused), a dense layer on those squares -> 3 (lazy). */
function network(): HePlan {
  const random = seededRandom(3);
  return planOf([banded(random, 19, 4, 0.5), squares(19), onSquares(random, 19, 6, 0.3), squares(6), onSquares(random, 6, 3, 0.5)], 16);
}

describe("HE engine: bounded memory", () => {
  let residues: EngineRuntime;
  let seal: EngineRuntime;
  let spillDirectory: string;
  before(async () => {
    residues = await createEngineRuntime();
    seal = await createEngineRuntime({ linearKernel: "seal" });
    spillDirectory = mkdtempSync(join(tmpdir(), "engine-memory-test-"));
  });
  after(() => {
    residues.delete();
    seal.delete();
    rmSync(spillDirectory, { recursive: true, force: true });
  });

  it("gives the unbounded result bytes with a one-byte budget (all values spilled, one output per kernel pass), and removes the spill file", async () => {
    const plan = network();
    const session = await BuyerSession.create(summarizePlan(plan));
    const samples = 40;
    const upload = session.encryptTestSet(randomFeatures(4, samples, plan.inputSize), samples);
    const unbounded = evaluateUpload(residues, plan, upload, { paidSamples: samples - 3 });
    for (const runtime of [residues, seal]) {
      const seenDuring: string[][] = [];
      const bounded = evaluateUpload(runtime, plan, upload, {
        paidSamples: samples - 3,
        memoryBudgetBytes: 1,
        spillDirectory,
        onStep: () => seenDuring.push(readdirSync(spillDirectory)),
      });
      assertSameBytes(bounded, unbounded);
      assert.ok(seenDuring.some((entries) => entries.length === 1), "the values were spilled to a file while the layers ran");
      assert.deepEqual(readdirSync(spillDirectory), [], "the spill file is removed after the evaluation");
    }
    session.delete();
  });

  it("removes the spill file when the evaluation throws", async () => {
    const plan = network();
    const session = await BuyerSession.create(summarizePlan(plan));
    const upload = session.encryptTestSet(randomFeatures(5, 10, plan.inputSize), 10);
    const failure = new Error("stopped after the values were spilled");
    assert.throws(
      () =>
        evaluateUpload(residues, plan, upload, {
          paidSamples: 10,
          memoryBudgetBytes: 1,
          spillDirectory,
          onStep: (step) => {
            if (step === "linear 2") {
              assert.equal(readdirSync(spillDirectory).length, 1, "spilled before the failure");
              throw failure;
            }
          },
        }),
      (error) => error === failure,
    );
    assert.deepEqual(readdirSync(spillDirectory), []);
    // The runtime stays usable.
    assert.ok(session.decryptResult(evaluateUpload(residues, plan, upload, { paidSamples: 10 })).scores.length > 0);
    session.delete();
  });

  it("fails with one sentence naming the spill directory when the disk takes no more (a file-size limit), and leaves nothing behind", async () => {
    const fixture = new URL("./fixtures/spillUnderFileLimit.ts", import.meta.url).pathname;
    // 64 blocks of 512 bytes: the limit a full disk would be, far below the values the plan spills.
    const { stdout } = await promisify(execFile)("sh", ["-c", `ulimit -f 64 && exec "${process.execPath}" "${fixture}" "${spillDirectory}"`]);
    assert.match(stdout, /^cannot spill ciphertexts to .*modelbazaar-spill-\w+.*(wrote \d+ of \d+ bytes|EFBIG).*: free space there, point spillDirectory elsewhere or raise memoryBudgetMiB\n$/);
    assert.deepEqual(readdirSync(spillDirectory), [], "the spill file is removed after the failure");
  });

  it("takes its budget and spill directory from the CKKS evaluator's settings, and refuses a budget that is not a positive number of MiB", async () => {
    const models = { iris: { onnx: "models/iris-logreg.onnx" } };
    await assert.rejects(createEvaluator({ modelIds: ["iris"], settings: { models, memoryBudgetMiB: 0 } }), /"memoryBudgetMiB" must be a positive number of MiB, got 0/);
    await assert.rejects(createEvaluator({ modelIds: ["iris"], settings: { models, spillDirectory: 3 } }), /"spillDirectory" must be a path, got 3/);
    const bounded = await createEvaluator({ modelIds: ["iris"], settings: { models, memoryBudgetMiB: 1 / 1024, spillDirectory } });
    const unbounded = await createEvaluator({ modelIds: ["iris"], settings: { models } });
    const session = await BuyerSession.create(bounded.describe("iris").plan);
    const upload = session.encryptTestSet(randomFeatures(6, 30, 4), 30);
    session.delete();
    const job = { jobId: "j", testId: 1n, listingId: 1n, modelId: "iris", paidSamples: 30, upload };
    assertSameBytes(await bounded.evaluate(job), await unbounded.evaluate(job));
    assert.deepEqual(readdirSync(spillDirectory), []);
    // The settings reach the engine: with a spill directory that does not exist, the spill fails.
    const missing = await createEvaluator({ modelIds: ["iris"], settings: { models, memoryBudgetMiB: 1 / 1024, spillDirectory: join(spillDirectory, "missing") } });
    await assert.rejects(missing.evaluate(job), /ENOENT/);
  });
});
