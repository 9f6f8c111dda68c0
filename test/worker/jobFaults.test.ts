/**
 * Faults after an evaluation (issue #12, findings 3 and 8), with the stand-in evaluator held
 * at a gate so the test decides when a job finishes: a result the disk refuses (its final name
 * taken by a directory, as a full disk refuses a write) is retried with backoff, with the
 * reason on GET /tests/:id, and served with one receipt once the disk takes it; a result that
 * can never be stored fails the job with a reason the buyer can act on; neither leaves a
 * `.partial` file; and a start sweeps what a crash left behind.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { LocalAccount } from "viem";
import type { WorkerHandle } from "../../offchain-worker/src/startWorker.ts";
import { standInUpload } from "./fixtures/standInEvaluator.ts";
import { waitForStatus, workerFixture } from "./workerFixture.ts";

describe("worker job faults", async () => {
  const f = await workerFixture();
  const gate = join(f.dataDir, "gate");
  const blobs = (dir: string) => join(f.dataDir, "blobs", dir);
  const partials = () => readdirSync(blobs("results")).filter((name) => name.endsWith(".partial"));
  let worker: WorkerHandle;
  let buyer: LocalAccount;

  before(async () => {
    worker = await f.start({ gateFile: gate, retryDelayMs: 200 });
    buyer = await f.newBuyer();
  });
  after(() => worker.close());

  /** Uploads for a new test while the gate is shut, takes the result's final name, then opens the gate. */
  async function evaluateWithBlockedResult(samples: number): Promise<{ testId: bigint; blocker: string }> {
    rmSync(gate, { force: true });
    const testId = await f.openTest(buyer, samples);
    const accepted = await f.upload(worker, testId, standInUpload(samples), buyer);
    assert.equal(accepted.status, 202, JSON.stringify(accepted.json));
    const blocker = join(blobs("results"), `${accepted.json.jobId as string}.bin`);
    mkdirSync(blocker);
    writeFileSync(gate, "");
    return { testId, blocker };
  }

  it("retries a result the disk refused, saying so, and serves it with one receipt once the disk takes it", async () => {
    const { testId, blocker } = await evaluateWithBlockedResult(30);
    const retrying = await waitForStatus(worker, testId, (s) => /could not store the result/.test(s.job?.error ?? ""));
    assert.equal(retrying.job?.status, "running");
    assert.match(retrying.job!.error!, /attempt \d of 5, trying again/);
    assert.deepEqual(partials(), [], "the failed write left no partial file");
    rmSync(blocker, { recursive: true });
    const done = await waitForStatus(worker, testId, (s) => s.receipt?.status === "mined");
    assert.equal(done.job?.status, "done");
    assert.equal(done.job?.error, null);
    assert.equal((await f.receiptsOf(testId)).length, 1);
  });

  it("fails a job whose result can never be stored, with the buyer's remedy in the reason, and keeps no file", async () => {
    const { testId, blocker } = await evaluateWithBlockedResult(20);
    const failed = await waitForStatus(worker, testId, (s) => s.job?.status === "failed");
    assert.match(failed.job!.error!, /could not store the result .* after 5 attempts; no receipt will be recorded, so the buyer may reclaim deposit and fee once the service window/);
    assert.deepEqual(partials(), []);
    assert.deepEqual(readdirSync(blobs("uploads")), [], "the failed job's upload is removed");
    assert.equal((await f.receiptsOf(testId)).length, 0);
    rmSync(blocker, { recursive: true });
  });

  it("sweeps at start what a crash left: half-received and orphaned uploads, partial results and deliveries", async () => {
    await worker.close();
    const leftovers = [join(blobs("incoming"), "half"), join(blobs("uploads"), "orphan.bin"), join(blobs("results"), "job.bin.partial"), join(blobs("deliveries"), "7.bin.partial")];
    for (const path of leftovers) writeFileSync(path, "left by a crash");
    const kept = join(blobs("results"), "kept.bin");
    writeFileSync(kept, "a finished result");
    worker = await f.start({ gateFile: gate, retryDelayMs: 200 });
    for (const path of leftovers) assert.ok(!existsSync(path), `${path} was swept`);
    assert.ok(existsSync(kept), "finished results are kept");
  });
});
