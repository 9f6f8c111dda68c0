/**
 * sdk/src/he/wireSizes.ts against real traffic: the upload BuyerSession builds and the result
 * the engine returns, byte for byte, for a linear plan (no keys) over two batches and a plan
 * with a square (relinearization keys, a longer chain); a partly filled batch costs a whole one.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { compileModel } from "../../offchain-worker/src/he/compiler/index.ts";
import { evaluateUpload } from "../../offchain-worker/src/he/engine/evaluateUpload.ts";
import { createEngineRuntime } from "../../offchain-worker/src/he/engine/runtime.ts";
import { BuyerSession, summarizePlan, testDriveTraffic } from "@modelbazaar/sdk/he";

const planOf = (name: string) => compileModel(readFileSync(new URL(`../../models/${name}.onnx`, import.meta.url))).plan;

describe("test-drive traffic from the plan summary", { timeout: 120_000 }, () => {
  for (const [name, extra] of [["iris-logreg", 1], ["iris-square-mlp", 0]] as const) {
    it(`${name}: upload, keys and result sizes are the real ones`, async () => {
      const plan = planOf(name);
      const summary = summarizePlan(plan);
      const session = await BuyerSession.create(summary);
      const runtime = await createEngineRuntime();
      try {
        const samples = session.he.slots + extra;
        const traffic = testDriveTraffic(summary, samples);
        const upload = session.encryptTestSet(new Float64Array(samples * plan.inputSize).fill(0.25), samples);
        const result = evaluateUpload(runtime, plan, upload, { paidSamples: samples });
        assert.deepEqual(
          [traffic.uploadBytes, traffic.relinKeyBytes, traffic.resultBytes, traffic.batches, traffic.ciphertexts],
          [upload.byteLength, session.relinearizationKeys().byteLength, result.byteLength, 1 + extra, (1 + extra) * plan.inputSize],
        );
        assert.equal(testDriveTraffic(summary, 1).uploadBytes, testDriveTraffic(summary, session.he.slots).uploadBytes, "one sample uploads a whole batch");
      } finally {
        session.delete();
        runtime.delete();
      }
    });
  }
});
