/**
 * The residue kernel (engine/residueLinear.ts) against SEAL's per-weight products: on real
 * CKKS uploads, the same plan evaluated by a runtime of each kind gives the same result
 * container, byte for byte (the kernel's sums are the same integers mod q), which therefore
 * decrypts to the same scores. Covered: several batches with a masked last one, zero weights,
 * a banded layer wider than a chunk (outputs opening and closing across chunks, accumulator
 * slots reused), fused levels, a dense layer on dropped halves, and size-3 inputs (lazy
 * relinearization).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { BuyerSession, summarizePlan, type HePlan } from "@modelbazaar/sdk/he";
import { consumerOf } from "../../offchain-worker/src/he/engine/layers.ts";
import { evaluateUpload } from "../../offchain-worker/src/he/engine/evaluateUpload.ts";
import { createEngineRuntime, type EngineRuntime } from "../../offchain-worker/src/he/engine/runtime.ts";
import { seededRandom } from "../helpers/seededRandom.ts";
import { assertSameBytes, banded, onSquares, planOf, randomFeatures, randomLinear, squares } from "./planFixtures.ts";

describe("HE engine: residue kernel", () => {
  let residues: EngineRuntime;
  let seal: EngineRuntime;
  before(async () => {
    residues = await createEngineRuntime();
    seal = await createEngineRuntime({ linearKernel: "seal" });
  });
  after(() => {
    residues.delete();
    seal.delete();
  });

  /** Encrypts `samples` seeded samples for `plan`, evaluates them on both runtimes; returns both results and the session. */
  async function bothWays(plan: HePlan, samples: number, seed: number) {
    const session = await BuyerSession.create(summarizePlan(plan));
    const upload = session.encryptTestSet(randomFeatures(seed, samples, plan.inputSize), samples);
    assert.ok(residues.contextFor(session.he.parameters).kernel, "the default runtime has the kernel");
    assert.equal(seal.contextFor(session.he.parameters).kernel, undefined);
    const kernelResult = evaluateUpload(residues, plan, upload, { paidSamples: samples - 3 });
    const sealResult = evaluateUpload(seal, plan, upload, { paidSamples: samples - 3 });
    return { session, kernelResult, sealResult };
  }

  it("gives SEAL's result bytes on a sparse logistic regression over three batches (last one masked)", async () => {
    const plan = planOf([randomLinear(seededRandom(1), 40, 5, 1, 0.6)], 41);
    const { session, kernelResult, sealResult } = await bothWays(plan, 2 * 2048 + 100, 2);
    assert.equal(session.he.parameters.polyModulusDegree, 4096);
    assertSameBytes(kernelResult, sealResult);
    const scores = session.decryptResult(kernelResult).scores;
    assert.deepEqual(scores, session.decryptResult(sealResult).scores);
    assert.ok(scores.some((score) => Math.abs(score) > 0.1), "the scores are not all zero");
    session.delete();
  });

  it("gives SEAL's result bytes on a fused, banded, lazily relinearized network wider than a chunk", async () => {
    const random = seededRandom(3);
    // banded 40 -> 19 (fused with its square), dense on the 19 squares -> 6 (fused), dense on the 6 squares -> 3 (lazy: size-3 inputs).
    const plan = planOf([banded(random, 19, 4, 0.5), squares(19), onSquares(random, 19, 6, 0.3), squares(6), onSquares(random, 6, 3, 0.5)], 16);
    assert.ok(consumerOf(squares(6), plan.layers[4]).lazy, "the last layer reads size-3 squares");
    const { session, kernelResult, sealResult } = await bothWays(plan, 40, 4);
    assertSameBytes(kernelResult, sealResult);
    assert.deepEqual(session.decryptResult(kernelResult).scores, session.decryptResult(sealResult).scores);
    session.delete();
  });
});
