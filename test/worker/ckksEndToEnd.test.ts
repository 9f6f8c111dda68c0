/**
 * The test-drive's evaluation end to end with every real part: the trained Iris model
 * (models/iris-logreg.onnx) compiled to an HE plan, the worker service with the CKKS
 * evaluator (offchain-worker/src/he/ckksEvaluator.ts) in a worker thread, a buyer who opens
 * the test on Hardhat's chain, encrypts its held-out set with node-seal, uploads it with an
 * EIP-712 authorization, and decrypts the scores. The decrypted predictions must agree with
 * onnxruntime-node on the same model, and the receipt on-chain must hash the result served.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import * as ort from "onnxruntime-node";
import { keccak256, type Hex } from "viem";
import { RESULT_HEADERS, WorkerClient } from "@modelbazaar/sdk/worker";
import type { WorkerHandle } from "../../offchain-worker/src/startWorker.ts";
import { loadIris } from "../../scripts/lib/datasets/iris.ts";
import { BuyerSession, agreement, argmax, type HePlanSummary, slotCount, chooseParameters } from "@modelbazaar/sdk/he";
import { MODEL_ID, getJson, waitForStatus, workerFixture } from "./workerFixture.ts";

const MODEL = new URL("../../models/iris-logreg.onnx", import.meta.url);
const CKKS_EVALUATOR = new URL("../../offchain-worker/src/he/ckksEvaluator.ts", import.meta.url).href;

/** onnxruntime-node's class scores for row-major Iris samples. */
async function onnxScores(features: Float64Array, samples: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(readFileSync(MODEL));
  const input = new ort.Tensor("float32", Float32Array.from(features), [samples, 4]);
  const output = await session.run({ [session.inputNames[0]!]: input });
  return output[session.outputNames[0]!]!.data as Float32Array;
}

describe("CKKS test-drive through the worker service (Iris logistic regression)", async () => {
  const f = await workerFixture();
  let worker: WorkerHandle;

  before(async () => {
    worker = await f.start({
      uploadLimitBytes: 32 * 2 ** 20,
      evaluator: { module: CKKS_EVALUATOR, settings: { models: { [MODEL_ID]: { onnx: MODEL.pathname } } } },
    });
  });
  after(() => worker?.close());

  it("returns encrypted scores whose decryption matches onnxruntime, and records their hash on-chain", async () => {
    const { test } = loadIris();
    const samples = test.sampleCount;
    const listings = await getJson(worker, "/listings");
    const served = (listings.json.listings as { listingId: string; plan: HePlanSummary }[]).find((l) => BigInt(l.listingId) === f.listingId);
    assert.ok(served, `listing ${f.listingId} is not in ${JSON.stringify(listings.json)}`);

    const buyer = await f.newBuyer();
    const testId = await f.openTest(buyer, samples);
    const session = await BuyerSession.create(served.plan);
    try {
      const upload = session.encryptTestSet(test.features, samples);
      const accepted = await f.upload(worker, testId, upload, buyer);
      assert.equal(accepted.status, 202, JSON.stringify(accepted.json));
      await waitForStatus(worker, testId, (s) => s.receipt?.status === "mined", 60_000);

      const response = await fetch(`${worker.url}/tests/${testId}/result`);
      assert.equal(response.status, 200);
      const result = new Uint8Array(await response.arrayBuffer());
      const decrypted = session.decryptResult(result);
      assert.equal(decrypted.samples, samples);

      const plain = await onnxScores(test.features, samples);
      const he = argmax(decrypted.scores, decrypted.outputs);
      const reference = argmax(plain, decrypted.outputs);
      assert.ok(agreement(he, reference) >= 0.995, `HE and onnxruntime agree on ${agreement(he, reference)} of the samples`);

      const resultHash = keccak256(result);
      assert.equal(response.headers.get(RESULT_HEADERS.resultHash), resultHash);
      const receipts = await f.receiptsOf(testId);
      assert.equal(receipts.length, 1);
      assert.equal(receipts[0]!.args.resultHash as Hex, resultHash);
    } finally {
      session.delete();
    }
  });

  it("publishes how fast it evaluates a batch of each listing's model, measured once, and the SDK reads it", async () => {
    const { served } = await new WorkerClient(worker.url).listing(f.listingId);
    const speed = served.evaluation;
    assert.ok(speed, "the CKKS evaluator publishes its speed");
    assert.equal(speed.samplesPerBatch, slotCount(chooseParameters(served.plan)));
    assert.ok(speed.secondsPerBatch >= speed.cpuSecondsPerBatch && speed.cpuSecondsPerBatch > 0, JSON.stringify(speed));
    const again = await new WorkerClient(worker.url).listing(f.listingId);
    assert.deepEqual(again.served.evaluation, speed, "measured once, then served from memory");
  });

  it("refuses an upload made for other encryption parameters with 422 and a sentence", async () => {
    const buyer = await f.newBuyer();
    const testId = await f.openTest(buyer, 10);
    const other = await BuyerSession.create({ inputSize: 4, outputSize: 3, depth: 3, maxMagnitude: 30 });
    try {
      const response = await f.upload(worker, testId, other.encryptTestSet(new Float64Array(40), 10), buyer);
      assert.equal(response.status, 422, JSON.stringify(response.json));
      assert.match(String(response.json.message), /parameters/i);
    } finally {
      other.delete();
    }
  });
});
