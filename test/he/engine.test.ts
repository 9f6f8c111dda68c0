/**
 * The seller's CKKS engine (offchain-worker/src/he/engine) end to end with the buyer's client
 * (sdk/src/he/buyerSession.ts): encrypted results against evaluatePlanPlain (plan.ts) on
 * hand-made plans, the query-cap mask, batch ranges, bad uploads (each a specific HeError,
 * the runtime usable afterwards) and WASM heap growth over repeated jobs.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  BuyerSession,
  decodeResult,
  decodeUpload,
  encodeUpload,
  isHeError,
  type HeErrorCode,
  argmax,
  agreement,
  evaluatePlanPlain,
  summarizePlan,
  type HePlan,
} from "@modelbazaar/sdk/he";
import { evaluateUpload } from "../../offchain-worker/src/he/engine/evaluateUpload.ts";
import { createEngineRuntime, type EngineRuntime } from "../../offchain-worker/src/he/engine/runtime.ts";
import { seededRandom } from "../helpers/seededRandom.ts";
import { logisticPlan, planOf, randomFeatures, randomLinear, squareNetPlan, squares } from "./planFixtures.ts";

function plainScores(plan: HePlan, features: Float64Array, samples: number): Float64Array {
  const out = new Float64Array(samples * plan.outputSize);
  for (let s = 0; s < samples; ++s) out.set(evaluatePlanPlain(plan, features.subarray(s * plan.inputSize, (s + 1) * plan.inputSize)), s * plan.outputSize);
  return out;
}

function maxAbsError(a: Float64Array, b: Float64Array): number {
  assert.equal(a.length, b.length);
  return a.reduce((max, value, i) => Math.max(max, Math.abs(value - b[i]!)), 0);
}

function expectHeError(code: HeErrorCode): (error: unknown) => boolean {
  return (error) => {
    assert.ok(isHeError(error), `expected an HeError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return true;
  };
}

/** Decrypts with the raw SEAL decryptor, slot by slot (to see masked slots too). */
function rawSlots(session: BuyerSession, result: Uint8Array, batch: number, output: number): Float64Array {
  const { seal, context, encoder } = session.he;
  const ciphertext = new seal.Ciphertext();
  ciphertext.loadFromArray(context, decodeResult(result).batches[batch]![output]!);
  const plaintext = new seal.Plaintext();
  (session as unknown as { decryptor: { decrypt(c: unknown, p: unknown): void } }).decryptor.decrypt(ciphertext, plaintext);
  const values = encoder.decodeFloat64(plaintext) as Float64Array;
  ciphertext.delete();
  plaintext.delete();
  return values;
}

describe("HE engine", () => {
  let runtime: EngineRuntime;
  const lr = logisticPlan(11, 20, 3);
  let lrSession: BuyerSession;
  const samples = 2100; // more than one N=4096 batch (2,048 slots)
  const features = randomFeatures(12, samples, lr.inputSize);
  let upload: Uint8Array;

  before(async () => {
    runtime = await createEngineRuntime();
    lrSession = await BuyerSession.create(summarizePlan(lr));
    upload = lrSession.encryptTestSet(features, samples);
  });
  after(() => {
    lrSession.delete();
    runtime.delete();
  });

  it("evaluates a logistic regression within 1e-3 of the plain plan, argmax agreement >= 99.5%", () => {
    const decrypted = lrSession.decryptResult(evaluateUpload(runtime, lr, upload, { paidSamples: samples }));
    assert.equal(decrypted.samples, samples);
    const plain = plainScores(lr, features, samples);
    assert.ok(maxAbsError(decrypted.scores, plain) <= 1e-3, `max error ${maxAbsError(decrypted.scores, plain)}`);
    assert.ok(agreement(argmax(decrypted.scores, 3), argmax(plain, 3)) >= 0.995);
  });

  it("masks every slot beyond the paid count, though the buyer filled them all", () => {
    const paid = 2048 + 37;
    const result = evaluateUpload(runtime, lr, upload, { paidSamples: paid });
    assert.equal(decodeResult(result).samples, paid);
    const plain = plainScores(lr, features, samples);
    for (let j = 0; j < lr.outputSize; ++j) {
      const slots = rawSlots(lrSession, result, 1, j);
      for (let s = 0; s < 37; ++s) assert.ok(Math.abs(slots[s]! - plain[(2048 + s) * 3 + j]!) < 1e-3);
      // The buyer filled slots 37..51 with samples, the rest with zeros (scores = bias): all must be gone.
      for (let s = 37; s < slots.length; ++s) assert.ok(Math.abs(slots[s]!) < 1e-4, `slot ${s} of output ${j} leaks ${slots[s]}`);
    }
  });

  it("skips batches beyond the paid count and evaluates a batch range on its own", () => {
    assert.equal(decodeResult(evaluateUpload(runtime, lr, upload, { paidSamples: 100 })).batches.length, 1);
    const second = evaluateUpload(runtime, lr, upload, { paidSamples: samples, batches: { first: 1, count: 1 } });
    const decoded = decodeResult(second);
    assert.equal(decoded.firstBatch, 1);
    assert.equal(decoded.samples, samples - 2048);
    const scores = lrSession.decryptResult(second).scores;
    assert.ok(maxAbsError(scores, plainScores(lr, features.subarray(2048 * lr.inputSize), samples - 2048)) <= 1e-3);
  });

  it("evaluates square and cube activations within the stated bounds (2e-3, 2e-2)", async () => {
    const random = seededRandom(21);
    const cases: [HePlan, number][] = [
      [squareNetPlan(22, 16, 8, 3), 2e-3],
      [planOf([randomLinear(random, 6, 4, 0.3), squares(4, 3), randomLinear(random, 12, 2, 0.5)], 8), 2e-2],
    ];
    for (const [plan, bound] of cases) {
      const session = await BuyerSession.create(summarizePlan(plan));
      const x = randomFeatures(23, 40, plan.inputSize);
      const scores = session.decryptResult(evaluateUpload(runtime, plan, session.encryptTestSet(x, 40), { paidSamples: 40 })).scores;
      const error = maxAbsError(scores, plainScores(plan, x, 40));
      assert.ok(error <= bound, `max error ${error} > ${bound}`);
      session.delete();
    }
  });

  it("adds perturbation noise of the requested size to the paid scores only", () => {
    const result = evaluateUpload(runtime, lr, upload, { paidSamples: 1000, perturbationSigma: 0.5 });
    const plain = plainScores(lr, features, 1000);
    const noisy = lrSession.decryptResult(result).scores;
    const deviations = noisy.map((value, i) => value - plain[i]!);
    const sd = Math.sqrt(deviations.reduce((sum, d) => sum + d * d, 0) / deviations.length);
    assert.ok(sd > 0.45 && sd < 0.55, `noise sd ${sd}`);
    assert.ok(Math.abs(rawSlots(lrSession, result, 0, 0)[1500]!) < 1e-4);
  });

  it("refuses bad uploads with specific errors and stays usable", async () => {
    const plan = logisticPlan(31, 4, 2);
    const session = await BuyerSession.create(summarizePlan(plan));
    const good = session.encryptTestSet(randomFeatures(32, 10, 4), 10);
    const run = (bytes: Uint8Array, target = plan) => () => evaluateUpload(runtime, target, bytes, { paidSamples: 10 });

    const badMagic = good.slice();
    badMagic[0] = 0x58;
    assert.throws(run(badMagic), expectHeError("bad-magic"));
    const badVersion = good.slice();
    badVersion[4] = 9;
    assert.throws(run(badVersion), expectHeError("bad-version"));
    assert.throws(run(good.subarray(0, good.length - 100)), expectHeError("truncated"));
    assert.throws(run(good.subarray(0, 20)), expectHeError("truncated"));
    // Feature count of another model.
    assert.throws(run(good, logisticPlan(33, 5, 2)), expectHeError("count-mismatch"));
    // Keys and ciphertexts made for another model's parameters (a deeper plan: N=8192).
    const other = squareNetPlan(34, 4, 3, 2);
    const otherSession = await BuyerSession.create(summarizePlan(other));
    assert.throws(run(otherSession.encryptTestSet(randomFeatures(35, 10, 4), 10)), expectHeError("parameters-mismatch"));
    // A ciphertext of the other parameters smuggled into a container claiming ours.
    const decoded = decodeUpload(good);
    const foreign = decodeUpload(otherSession.encryptTestSet(randomFeatures(35, 10, 4), 10)).batches[0]![0]!;
    const swapped = encodeUpload({ ...decoded, batches: [[foreign, ...decoded.batches[0]!.slice(1)]] });
    assert.throws(run(swapped), expectHeError("malformed-object"));
    // Corrupt ciphertext bytes.
    const corrupt = decoded.batches[0]!.map((bytes) => bytes.slice());
    corrupt[1]!.fill(0xff, 60, 200);
    assert.throws(run(encodeUpload({ ...decoded, batches: [corrupt] })), expectHeError("malformed-object"));
    // A sample count that does not match the batches (patched in place: the encoder refuses to write one).
    const miscounted = good.slice();
    const samplesOffset = 40 + 4 + 3 + decoded.parameters.coeffModulusBits.length + 4 + decoded.relinKeys.length;
    new DataView(miscounted.buffer).setUint32(samplesOffset, 5000, true);
    assert.throws(run(miscounted), expectHeError("count-mismatch"));
    // Missing relinearization keys for a plan that squares.
    const otherUpload = decodeUpload(otherSession.encryptTestSet(randomFeatures(36, 3, 4), 3));
    assert.throws(
      () => evaluateUpload(runtime, other, encodeUpload({ ...otherUpload, relinKeys: new Uint8Array(0) }), { paidSamples: 3 }),
      expectHeError("missing-keys"),
    );
    otherSession.delete();

    const scores = session.decryptResult(evaluateUpload(runtime, plan, good, { paidSamples: 10 })).scores;
    assert.equal(scores.length, 20);
    assert.throws(() => session.decryptResult(good), expectHeError("bad-magic"));
    session.delete();
  });

  it("does not grow memory over repeated jobs, failed ones included (every SEAL object deleted)", () => {
    // node-seal does not expose its heap; a WASM heap only grows, so a leak shows in the RSS.
    // One leaked job here holds >= 40 ciphertexts of 64 KB: 30 jobs would leak > 70 MB.
    const corrupt = decodeUpload(upload);
    const bad = encodeUpload({ ...corrupt, batches: corrupt.batches.map((batch, b) => batch.map((bytes, i) => (b === 1 && i === 19 ? bytes.slice(0, 90) : bytes))) });
    const job = () => {
      evaluateUpload(runtime, lr, upload, { paidSamples: samples });
      assert.throws(() => evaluateUpload(runtime, lr, bad, { paidSamples: samples }), expectHeError("malformed-object"));
    };
    for (let i = 0; i < 3; ++i) job();
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 15; ++i) job();
    const grown = process.memoryUsage().rss - before;
    assert.ok(grown < 32 * 2 ** 20, `RSS grew by ${(grown / 2 ** 20).toFixed(1)} MB over 15 jobs`);
  });
});
