/**
 * Review finding: a plan whose last layer is an activation (the model's output is a square)
 * with magnitudes above 16,384. The parameters size q0 for scores at 2^outputScaleBits (below
 * 2^scaleBits), but only a last *linear* layer computes them at that scale: scores left at
 * 2^scaleBits by a square overflow q0 and decrypt to garbage for the buyer.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { BuyerSession, outputScaleBits, summarizePlan } from "@modelbazaar/sdk/he";
import { compileModel } from "../../offchain-worker/src/he/compiler/index.ts";
import { evaluateUpload } from "../../offchain-worker/src/he/engine/evaluateUpload.ts";
import { createEngineRuntime, type EngineRuntime } from "../../offchain-worker/src/he/engine/runtime.ts";
import { buildModel, DOUBLE, runModel, tensor } from "../../scripts/lib/onnxGraph.ts";
import { seededRandom } from "../helpers/seededRandom.ts";

const SAMPLES = 16;

describe("scores at their own scale when the model ends with an activation", { timeout: 300_000 }, () => {
  let runtime: EngineRuntime;
  before(async () => {
    runtime = await createEngineRuntime();
  });
  after(() => runtime.delete());

  it("Gemm then [h, h^2] (the square's monomials) as the output, values up to ~5e6: decrypts to onnxruntime's scores", async () => {
    const random = seededRandom(3);
    const bytes = buildModel({
      input: { name: "x", dims: ["N", 4], type: DOUBLE },
      output: { name: "y", type: DOUBLE },
      initializers: [tensor("W", [2, 4], [0.5, -0.25, 0.75, 0.5, -0.5, 0.25, 0.5, -0.75]), tensor("b", [2], [1, -1])],
      nodes: [
        { op: "Gemm", inputs: ["x", "W", "b"], outputs: ["h"], attributes: { transB: 1 } },
        { op: "Mul", inputs: ["h", "h"], outputs: ["s"] },
        // [h, h^2]: exactly the square's monomials, so the compiler emits no linear layer after them.
        { op: "Concat", inputs: ["h", "s"], outputs: ["y"], attributes: { axis: 1 } },
      ],
    });
    const x = Float64Array.from({ length: SAMPLES * 4 }, () => (2 * random() - 1) * 1000);
    const { plan } = compileModel(bytes, { calibration: x });
    const session = await BuyerSession.create(summarizePlan(plan));
    try {
      assert.ok(outputScaleBits(session.he.parameters.scaleBits, plan.maxMagnitude) < session.he.parameters.scaleBits, "the scores get a scale of their own");
      const he = session.decryptResult(evaluateUpload(runtime, plan, session.encryptTestSet(x, SAMPLES), { paidSamples: SAMPLES })).scores;
      const ort = await runModel(bytes, "x", x, [SAMPLES, 4]);
      let error = 0;
      ort.forEach((v, i) => (error = Math.max(error, Math.abs(he[i]! - v) / Math.max(1, Math.abs(v)))));
      assert.ok(error <= 1e-3, `layers ${plan.layers.map((l) => l.kind).join(",")}: relative error ${error} (e.g. he ${he[0]} vs ${ort[0]})`);
    } finally {
      session.delete();
    }
  });
});
