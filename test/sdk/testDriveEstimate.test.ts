/**
 * estimateTestDrive (sdk/src/testDrives/testDriveEstimate.ts): what a test-drive of N samples
 * costs in ether, upload and time, from the quoted price, the plan summary and the worker's
 * published speed; parseEvaluationSpeed (sdk/src/worker/evaluationSpeed.ts): a worker's
 * malformed speed reads as none. Sizes are wireSizes' (checked against real containers in
 * test/he/wireSizes.test.ts); here: whole batches, the wait per batch, the refusals.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther } from "viem";
import { chooseParameters, slotCount, type HePlanSummary, testDriveTraffic } from "@modelbazaar/sdk/he";
import { estimateTestDrive, TestDriveEstimateError } from "@modelbazaar/sdk/testDrives";
import { parseEvaluationSpeed, type EvaluationSpeed } from "@modelbazaar/sdk/worker";

/** The Iris square MLP's summary shape: 4 features, 3 classes, a square (N = 8192, 4,096 samples per batch). */
const plan: HePlanSummary = { inputSize: 4, outputSize: 3, depth: 3, maxMagnitude: 30 };
const slots = slotCount(chooseParameters(plan));
const speed: EvaluationSpeed = { secondsPerBatch: 2.5, cpuSecondsPerBatch: 1, samplesPerBatch: slots, measuredAt: "2026-12-01T10:00:00.000Z" };
const price = { deposit: parseEther("1"), fee: parseEther("0.003") };

describe("estimateTestDrive", () => {
  it("adds deposit and fee, sizes the upload in whole batches and waits one batch time per batch", () => {
    const samples = 2 * slots + 1;
    const estimate = estimateTestDrive({ samples, plan, ...price, speed });
    assert.equal(estimate.totalWei, parseEther("1.003"));
    assert.equal(estimate.batches, 3, "one sample past two full batches fills a third");
    assert.equal(estimate.ciphertexts, 3 * plan.inputSize);
    assert.equal(estimate.uploadBytes, testDriveTraffic(plan, samples).uploadBytes);
    assert.equal(estimate.waitSeconds, 3 * 2.5);
    const one = estimateTestDrive({ samples: 30, plan, ...price, speed });
    assert.equal(one.batches, 1);
    assert.equal(one.waitSeconds, 2.5, "30 samples cost a whole batch's time");
    assert.ok(one.uploadBytes < estimate.uploadBytes && one.uploadBytes > one.relinKeyBytes);
  });

  it("leaves the wait unknown when the worker publishes no speed", () => {
    const estimate = estimateTestDrive({ samples: 30, plan, ...price });
    assert.equal(estimate.waitSeconds, undefined);
    assert.equal(estimate.totalWei, price.deposit + price.fee);
  });

  it("refuses a sample count that is not a positive integer, negative amounts, and a speed for other batches", () => {
    for (const samples of [0, -1, 2.5, Number.NaN]) assert.throws(() => estimateTestDrive({ samples, plan, ...price }), TestDriveEstimateError);
    assert.throws(() => estimateTestDrive({ samples: 30, plan, deposit: -1n, fee: 0n }), /cannot be negative/);
    assert.throws(() => estimateTestDrive({ samples: 30, plan, ...price, speed: { ...speed, samplesPerBatch: slots / 2 } }), /batches of 2048 samples, but this plan's batches hold 4096/);
  });
});

describe("parseEvaluationSpeed", () => {
  it("accepts a well-formed speed and reads anything else as none", () => {
    assert.deepEqual(parseEvaluationSpeed({ ...speed, extra: 1 }), speed);
    for (const bad of [null, undefined, "fast", {}, { ...speed, secondsPerBatch: 0 }, { ...speed, secondsPerBatch: "2" }, { ...speed, cpuSecondsPerBatch: Number.POSITIVE_INFINITY }, { ...speed, samplesPerBatch: 1.5 }, { ...speed, measuredAt: "yesterday" }]) {
      assert.equal(parseEvaluationSpeed(bad), undefined, JSON.stringify(bad));
    }
  });
});
