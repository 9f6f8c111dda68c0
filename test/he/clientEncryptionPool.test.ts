/**
 * The buyer's encryption split over threads: BuyerSession's ciphertext ranges, packing and
 * secret-key hand-off (sdk/src/he/buyerSession.ts), and the Node pool built on them
 * (sdk/src/he/node/encryptionPool.ts). Checked against the single-thread upload: the same
 * container shape, and scores that decrypt to evaluatePlanPlain; bad ranges, counts and keys
 * are refused with specific errors.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { BuyerSession, decodeUpload, isHeError, type HeErrorCode, evaluatePlanPlain, summarizePlan } from "@modelbazaar/sdk/he";
import { EncryptionPool } from "@modelbazaar/sdk/node";
import { evaluateUpload } from "../../offchain-worker/src/he/engine/evaluateUpload.ts";
import { createEngineRuntime, type EngineRuntime } from "../../offchain-worker/src/he/engine/runtime.ts";
import { logisticPlan, randomFeatures } from "./planFixtures.ts";

const code = (expected: HeErrorCode) => (error: unknown) => isHeError(error) && error.code === expected;

describe("HE client: encryption on several threads", () => {
  const plan = logisticPlan(41, 6, 2);
  const samples = 2048 + 100; // two N=4096 batches, 12 ciphertexts: an odd split over 5 ranges
  const features = randomFeatures(42, samples, plan.inputSize);
  let session: BuyerSession;
  let runtime: EngineRuntime;

  before(async () => {
    session = await BuyerSession.create(summarizePlan(plan));
    runtime = await createEngineRuntime();
  });
  after(() => {
    session.delete();
    runtime.delete();
  });

  it("packs ciphertext ranges encrypted by sessions sharing the secret key into a valid upload", async () => {
    const twin = await BuyerSession.create(session.summary, { secretKey: session.exportSecretKey() });
    const total = session.ciphertextCount(samples);
    assert.equal(total, 12);
    const parts = [session.encryptCiphertexts(features, samples, { first: 0, count: 5 }), twin.encryptCiphertexts(features, samples, { first: 5, count: 7 })];
    twin.delete();
    const upload = session.packUpload(parts.flat(), samples);
    const scores = session.decryptResult(evaluateUpload(runtime, plan, upload, { paidSamples: samples })).scores;
    for (const s of [0, 2047, 2048, samples - 1]) {
      const plain = evaluatePlanPlain(plan, features.subarray(s * 6, (s + 1) * 6));
      for (let j = 0; j < 2; ++j) assert.ok(Math.abs(scores[s * 2 + j]! - plain[j]!) < 1e-3, `sample ${s}`);
    }
  });

  it("refuses bad ranges, ciphertext counts and secret keys", async () => {
    assert.throws(() => session.encryptCiphertexts(features, samples, { first: 10, count: 3 }), code("invalid-argument"));
    assert.throws(() => session.encryptCiphertexts(features, samples, { first: -1, count: 1 }), code("invalid-argument"));
    assert.throws(() => session.encryptCiphertexts(features, samples, { first: 0.5, count: 1 }), code("invalid-argument"));
    assert.throws(() => session.packUpload([new Uint8Array(1)], samples), code("count-mismatch"));
    await assert.rejects(BuyerSession.create(session.summary, { secretKey: Uint8Array.of(1, 2, 3) }), code("malformed-object"));
  });

  it("encrypts on a pool of threads into the same upload shape, decrypting to the plain scores", async () => {
    const pool = await EncryptionPool.start(session, 2);
    try {
      const upload = await pool.encryptTestSet(features, samples);
      const single = decodeUpload(session.encryptTestSet(features.subarray(0, 6 * 10), 10));
      const decoded = decodeUpload(upload);
      assert.equal(decoded.batches.length, 2);
      assert.equal(decoded.samples, samples);
      assert.equal(decoded.batches[1]![5]!.length, single.batches[0]![0]!.length, "seeded ciphertexts of the same size");
      const scores = session.decryptResult(evaluateUpload(runtime, plan, upload, { paidSamples: samples })).scores;
      const last = evaluatePlanPlain(plan, features.subarray((samples - 1) * 6));
      assert.ok(Math.abs(scores[2 * samples - 1]! - last[1]!) < 1e-3);
      await assert.rejects(pool.encryptTestSet(features.subarray(1), samples), code("invalid-argument"));
      const bad = features.slice();
      bad[5000] = Number.NaN;
      await assert.rejects(pool.encryptTestSet(bad, samples), code("invalid-argument"), "a thread's error comes back with its code");
    } finally {
      await pool.stop();
    }
    await assert.rejects(EncryptionPool.start(session, 0), code("invalid-argument"));
  });

  it("writes expanded (not seeded) ciphertexts on request: twice the bytes, the same scores", async () => {
    const expanded = await BuyerSession.create(session.summary, { uploadForm: "expanded" });
    const pool = await EncryptionPool.start(expanded, 2);
    try {
      const upload = await pool.encryptTestSet(features.subarray(0, 6 * 20), 20);
      const seeded = decodeUpload(session.encryptTestSet(features.subarray(0, 6 * 20), 20)).batches[0]![0]!.length;
      const size = decodeUpload(upload).batches[0]![0]!.length;
      assert.ok(size > 1.9 * seeded && size < 2.1 * seeded, `${size} vs ${seeded} bytes`);
      const scores = expanded.decryptResult(evaluateUpload(runtime, plan, upload, { paidSamples: 20 })).scores;
      const plain = evaluatePlanPlain(plan, features.subarray(19 * 6, 20 * 6));
      assert.ok(Math.abs(scores[39]! - plain[1]!) < 1e-3);
    } finally {
      await pool.stop();
      expanded.delete();
    }
  });
});
