/**
 * The engine's fused levels (sdk/src/he/levels.ts): a linear layer followed by a square whose
 * linear half nobody reads costs one 60-bit prime instead of two. Checked against
 * evaluatePlanPlain on a CryptoNets-shaped plan (dense -> x^2 -> dense on the squares ->
 * x^2 -> dense), with the chain the buyer derives from the summary alone; plans that read
 * the linear half keep narrow levels; a plan that reads a value the engine dropped is refused.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  BuyerSession,
  denseLinearLayer,
  denseWeights,
  decodeUpload,
  isHeError,
  planRescales,
  WIDE_PRIME_BITS,
  argmax,
  agreement,
  evaluatePlanPlain,
  summarizePlan,
  type HePlan,
  type LinearLayer,
  type MonomialsLayer,
} from "@modelbazaar/sdk/he";
import { evaluateLinear, evaluateMonomials, linearSchedule } from "../../offchain-worker/src/he/engine/layers.ts";
import { evaluateUpload } from "../../offchain-worker/src/he/engine/evaluateUpload.ts";
import { createEngineRuntime, type EngineRuntime } from "../../offchain-worker/src/he/engine/runtime.ts";
import { seededRandom } from "../helpers/seededRandom.ts";
import { planOf, randomFeatures, randomLinear, squareNetPlan, squares } from "./planFixtures.ts";

/** A dense layer that reads only the squares (second half) of a monomials layer's output. */
function onSquares(random: () => number, hidden: number, outputs: number, range: number): LinearLayer {
  const dense = randomLinear(random, hidden, outputs, range);
  const onHidden = denseWeights(dense);
  const weights = new Float64Array(outputs * 2 * hidden);
  for (let j = 0; j < outputs; ++j) weights.set(onHidden.subarray(j * hidden, (j + 1) * hidden), j * 2 * hidden + hidden);
  return denseLinearLayer(dense.source, 2 * hidden, outputs, weights, dense.bias);
}

function cryptonetsLike(seed: number): HePlan {
  const random = seededRandom(seed);
  return planOf([randomLinear(random, 20, 10, 0.3), squares(10), onSquares(random, 10, 6, 0.3), squares(6), onSquares(random, 6, 3, 0.5)], 16);
}

describe("HE engine: fused linear + square levels", () => {
  let runtime: EngineRuntime;
  before(async () => {
    runtime = await createEngineRuntime();
  });
  after(() => runtime.delete());

  it("fuses only the linear layers whose square alone is read next", () => {
    assert.deepEqual(planRescales(cryptonetsLike(1)), ["wide", "wide", "narrow"]);
    assert.deepEqual(planRescales(squareNetPlan(2, 4, 3, 2)), ["narrow", "narrow", "narrow"], "the next layer reads x too");
    assert.deepEqual(planRescales(planOf([randomLinear(seededRandom(3), 4, 3), squares(3)], 4)), ["narrow", "narrow"], "squares as outputs");
    assert.deepEqual(planRescales(planOf([randomLinear(seededRandom(4), 4, 3), squares(3, 3), randomLinear(seededRandom(5), 9, 2)], 4)), ["narrow", "narrow", "narrow", "narrow"]);
  });

  it("orders a banded layer's outputs so each input is freed after its last reader", () => {
    // Outputs 0..3 read inputs {2j, 2j+1}, listed in reverse: computed in input order instead.
    const weights = new Float64Array(4 * 8);
    for (let j = 0; j < 4; ++j) weights.fill(1, (3 - j) * 8 + 2 * j, (3 - j) * 8 + 2 * j + 2);
    const { order, lastReader } = linearSchedule(denseLinearLayer([], 8, 4, weights, new Float64Array(4)));
    assert.deepEqual(order, [3, 2, 1, 0]);
    assert.deepEqual([...lastReader], [0, 0, 1, 1, 2, 2, 3, 3]);
    const dense = linearSchedule(randomLinear(seededRandom(6), 5, 3));
    assert.deepEqual(dense.order, [0, 1, 2], "a dense layer keeps its order and frees its inputs at the end");
    assert.deepEqual([...dense.lastReader], [2, 2, 2, 2, 2]);
  });

  it("evaluates a CryptoNets-shaped plan on fused levels within 5e-3 of the plain plan (narrow levels: 1-2e-3)", async () => {
    const plan = cryptonetsLike(7);
    const session = await BuyerSession.create(summarizePlan(plan));
    const bits = session.he.parameters.coeffModulusBits;
    assert.deepEqual(bits.slice(1, -1), [session.he.parameters.scaleBits, WIDE_PRIME_BITS, WIDE_PRIME_BITS], "narrow last-used prime first, wide ones last");
    const samples = 50;
    const x = randomFeatures(8, samples, plan.inputSize);
    const decrypted = session.decryptResult(evaluateUpload(runtime, plan, session.encryptTestSet(x, samples), { paidSamples: samples }));
    const plain = new Float64Array(samples * plan.outputSize);
    for (let s = 0; s < samples; ++s) plain.set(evaluatePlanPlain(plan, x.subarray(s * plan.inputSize, (s + 1) * plan.inputSize)), s * plan.outputSize);
    const error = decrypted.scores.reduce((max, value, i) => Math.max(max, Math.abs(value - plain[i]!)), 0);
    assert.ok(error <= 5e-3, `max error ${error}`);
    assert.ok(error > 0, "the scores went through CKKS");
    assert.ok(agreement(argmax(decrypted.scores, 3), argmax(plain, 3)) >= 0.98);
    session.delete();
  });

  it("refuses a layer that reads a value an earlier layer dropped", async () => {
    const plan = cryptonetsLike(9);
    const session = await BuyerSession.create(summarizePlan(plan));
    const engine = runtime.contextFor(session.he.parameters);
    const upload = session.encryptTestSet(randomFeatures(10, 3, plan.inputSize), 3);
    const fresh = decodeUpload(upload).batches[0]!.map((bytes) => {
      const ciphertext = new session.he.seal.Ciphertext();
      ciphertext.loadFromArray(session.he.context, bytes);
      return { ciphertexts: [ciphertext], level: engine.topLevel, scale: session.he.scale, size: 2 };
    });
    const keys = new session.he.seal.RelinKeys();
    keys.loadFromArray(session.he.context, session.relinearizationKeys());
    const hidden = evaluateLinear(engine, plan.layers[0] as LinearLayer, fresh, keys, true);
    const squared = evaluateMonomials(engine, plan.layers[1] as MonomialsLayer, hidden, keys, { reads: (value) => value >= 10, lazy: false });
    assert.equal(squared[0]!.ciphertexts.length, 0, "x was dropped");
    const onSquaresOnly = plan.layers[2] as LinearLayer;
    const readsX = denseLinearLayer(onSquaresOnly.source, onSquaresOnly.inputSize, onSquaresOnly.outputSize, denseWeights(onSquaresOnly).map((w, k) => (k % 20 === 0 ? 0.5 : w)), onSquaresOnly.bias);
    assert.throws(() => evaluateLinear(engine, readsX, squared, keys), (error) => isHeError(error) && error.code === "unsupported-plan" && /dropped/.test(error.message));
    for (const operand of squared) for (const ciphertext of operand.ciphertexts) ciphertext.delete();
    keys.delete();
    session.delete();
  });
});
