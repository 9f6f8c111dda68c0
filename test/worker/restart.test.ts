/**
 * Restart safety of the worker service (offchain-worker/src) on Hardhat's in-process chain
 * with the real contracts and the stand-in evaluator: a worker closed while one job runs and
 * another waits, started again on the same data directory, finishes both and records exactly
 * one receipt each; a receipt transaction sent before a shutdown and mined while the worker
 * was down is adopted, not sent again; and a job whose service window passes during the
 * evaluation fails with that reason and records nothing.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keccak256, type LocalAccount } from "viem";
import type { WorkerHandle } from "../../offchain-worker/src/startWorker.ts";
import { TEST_STATUS } from "../helpers/market.ts";
import { standInResult, standInUpload } from "./fixtures/standInEvaluator.ts";
import { getJson, MODEL_ID, waitForStatus, workerFixture } from "./workerFixture.ts";

describe("worker restart safety", async () => {
  const f = await workerFixture();
  const buyer: LocalAccount = await f.newBuyer();
  const provider = f.m.connection.provider;

  async function resultOf(worker: WorkerHandle, testId: bigint): Promise<Uint8Array> {
    const response = await fetch(`${worker.url}/tests/${testId}/result`);
    assert.equal(response.status, 200);
    return new Uint8Array(await response.arrayBuffer());
  }

  it("finishes a running and a queued job after a restart, with exactly one receipt each", async () => {
    const slow = await f.start({ delayMs: 3_000 });
    const [first, second] = [await f.openTest(buyer, 30), await f.openTest(buyer, 40)];
    const bodies = new Map([[first, standInUpload(30)], [second, standInUpload(40)]]);
    for (const [testId, body] of bodies) assert.equal((await f.upload(slow, testId, body, buyer)).status, 202);
    await waitForStatus(slow, first, (s) => s.job?.status === "running");
    assert.equal((await waitForStatus(slow, second, () => true)).job?.status, "queued");
    const again = await f.upload(slow, first, bodies.get(first)!, buyer);
    assert.equal(again.status, 409);
    assert.equal(again.json.error, "job_exists");
    await slow.close();
    assert.equal((await f.receiptsOf(first)).length, 0);

    const restarted = await f.start();
    try {
      assert.equal(restarted.resumedJobs, 2);
      for (const [testId, body] of bodies) {
        const done = await waitForStatus(restarted, testId, (s) => s.receipt?.status === "mined");
        const result = await resultOf(restarted, testId);
        assert.deepEqual(result, standInResult(MODEL_ID, body === bodies.get(first) ? 30 : 40, body));
        const events = await f.receiptsOf(testId);
        assert.equal(events.length, 1);
        assert.equal(events[0]!.args.resultHash, keccak256(result));
        assert.equal(done.receipt?.resultHash, keccak256(result));
      }
    } finally {
      await restarted.close();
    }
  });

  it("adopts a receipt transaction that was mined while the worker was down", async () => {
    const worker = await f.start();
    const testId = await f.openTest(buyer, 20);
    await provider.request({ method: "evm_setAutomine", params: [false] });
    try {
      assert.equal((await f.upload(worker, testId, standInUpload(20), buyer)).status, 202);
      const sent = await waitForStatus(worker, testId, (s) => s.receipt?.status === "sent");
      await worker.close();
      await provider.request({ method: "evm_mine", params: [] });
      const restarted = await f.start();
      try {
        const mined = await waitForStatus(restarted, testId, (s) => s.receipt?.status === "mined");
        assert.equal(mined.receipt?.txHash, sent.receipt?.txHash);
        assert.equal((await f.receiptsOf(testId)).length, 1);
      } finally {
        await restarted.close();
      }
    } finally {
      await provider.request({ method: "evm_setAutomine", params: [true] });
    }
  });

  it("fails a job whose service window passes before the receipt, and records nothing", async () => {
    const worker = await f.start({ delayMs: 1_500 });
    try {
      const testId = await f.openTest(buyer, 20);
      assert.equal((await f.upload(worker, testId, standInUpload(20), buyer)).status, 202);
      await waitForStatus(worker, testId, (s) => s.job?.status === "running");
      await f.m.networkHelpers.time.increase(3_601);
      const failed = await waitForStatus(worker, testId, (s) => s.job?.status === "failed");
      assert.match(failed.job!.error!, /service window of test \d+ passed before the receipt was recorded/);
      assert.equal(failed.receipt?.status, "failed");
      const result = await getJson(worker, `/tests/${testId}/result`);
      assert.equal(result.status, 409);
      assert.equal(result.json.error, "job_failed");
      assert.equal((await f.receiptsOf(testId)).length, 0);
      assert.equal(await f.c.market.read.testStatus([testId]), TEST_STATUS.Unserved);
    } finally {
      await worker.close();
    }
  });
});
