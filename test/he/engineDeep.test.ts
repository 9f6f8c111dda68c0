/**
 * Plans deeper than N = 16,384's modulus budget (438 bits at 128-bit security): parameters
 * move to N = 32,768 (881 bits, the homomorphicencryption.org bound SEAL enforces) and the
 * engine evaluates them there; beyond that, the refusal says how deep the plan is and how
 * deep a plan may be.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { BuyerSession, chooseParameters, denseLinearLayer, evaluatePlanPlain, isHeError, MAX_BITS_128, summarizePlan, type HePlan } from "@modelbazaar/sdk/he";
import { evaluateUpload } from "../../offchain-worker/src/he/engine/evaluateUpload.ts";
import { createEngineRuntime, type EngineRuntime } from "../../offchain-worker/src/he/engine/runtime.ts";
import { planOf, randomFeatures } from "./planFixtures.ts";

/** `depth` rotations of the plane (orthogonal 2x2 layers with a small bias): values stay near their input's size. */
function rotations(depth: number): HePlan {
  const layers = Array.from({ length: depth }, (_, k) => {
    const angle = 0.3 + 0.1 * k;
    const [c, s] = [Math.cos(angle), Math.sin(angle)];
    return denseLinearLayer([`rotate${k}`], 2, 2, [c, -s, s, c], Float64Array.of(0.01 * k, -0.01 * k));
  });
  return planOf(layers, 4);
}

describe("HE engine: plans beyond N = 16,384", () => {
  let runtime: EngineRuntime;
  before(async () => {
    runtime = await createEngineRuntime();
  });
  after(() => runtime.delete());

  it("a depth-14 plan gets N = 32,768 within 881 bits and is evaluated there within 1e-3 of the plain plan", async () => {
    const plan = rotations(14);
    const parameters = chooseParameters(summarizePlan(plan));
    assert.equal(parameters.polyModulusDegree, 32_768);
    assert.ok(parameters.coeffModulusBits.reduce((a, b) => a + b, 0) <= MAX_BITS_128[32_768]!);
    assert.equal(MAX_BITS_128[32_768], 881);
    const samples = 50;
    const features = randomFeatures(3, samples, 2);
    const session = await BuyerSession.create(summarizePlan(plan));
    try {
      assert.equal(session.he.parameters.polyModulusDegree, 32_768, "SEAL accepts the chain at 128-bit security");
      const decrypted = session.decryptResult(evaluateUpload(runtime, plan, session.encryptTestSet(features, samples), { paidSamples: samples }));
      for (let s = 0; s < samples; ++s) {
        const plain = evaluatePlanPlain(plan, features.subarray(2 * s, 2 * s + 2));
        for (let j = 0; j < 2; ++j) assert.ok(Math.abs(decrypted.scores[2 * s + j]! - plain[j]!) < 1e-3, `sample ${s} score ${j}`);
      }
    } finally {
      session.delete();
    }
  });

  it("a plan too deep for N = 32,768 is refused with its depth and the deepest that fits", () => {
    assert.throws(
      () => chooseParameters(summarizePlan(rotations(34))),
      (error: unknown) => isHeError(error) && error.code === "no-parameters" && /depth 34/.test(error.message) && /at most depth 31\b/.test(error.message) && /reduce the depth by 3/.test(error.message),
    );
  });
});
