/**
 * The worker's Prometheus metrics (GET /metrics, offchain-worker/src/metrics/) on the real
 * contracts and a real worker: a test-drive moves the jobs accepted and done, the evaluation
 * histogram of its listing, the upload bytes and the receipts sent and mined; a refused upload
 * moves the rejects of its error code; a queued job shows in the queue depth while a gated
 * evaluation holds the only thread; an RPC outage moves the chain RPC errors; and no buyer
 * address, test id or key ever appears in the text.
 */
import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { LocalAccount } from "viem";
import type { WorkerHandle } from "../../offchain-worker/src/startWorker.ts";
import { standInUpload } from "./fixtures/standInEvaluator.ts";
import { controlledRpc } from "./rpcFaults.ts";
import { getJson, waitForStatus, workerFixture } from "./workerFixture.ts";

/** The samples of a scrape: `name{labels}` → value. */
async function scrape(worker: WorkerHandle): Promise<{ text: string; value: (series: string) => number }> {
  const response = await fetch(`${worker.url}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^text\/plain/);
  const text = await response.text();
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^(\S+)\s+(\S+)$/.exec(line);
    if (match && !line.startsWith("#")) samples.set(match[1]!, Number(match[2]));
  }
  return { text, value: (series) => samples.get(series) ?? 0 };
}

describe("worker metrics", async () => {
  const f = await workerFixture();
  const rpc = controlledRpc(f.m.connection.provider);
  const gateFile = join(f.dataDir, "gate");
  let worker: WorkerHandle;
  let buyer: LocalAccount;

  before(async () => {
    worker = await f.start({ transport: rpc.transport, gateFile });
    buyer = await f.newBuyer();
  });
  after(() => worker.close());

  it("counts a test-drive: job accepted and done, its evaluation time, its bytes, its receipt sent and mined", async () => {
    await writeFile(gateFile, "open");
    const before = await scrape(worker);
    const testId = await f.openTest(buyer, 50);
    const body = standInUpload(50);
    assert.equal((await f.upload(worker, testId, body, buyer)).status, 202);
    await waitForStatus(worker, testId, (s) => s.receipt?.status === "mined");

    const now = await scrape(worker);
    const moved = (series: string) => now.value(series) - before.value(series);
    assert.equal(moved('modelbazaar_worker_jobs_total{outcome="accepted"}'), 1);
    assert.equal(moved('modelbazaar_worker_jobs_total{outcome="done"}'), 1);
    assert.equal(moved('modelbazaar_worker_jobs_total{outcome="failed"}'), 0);
    assert.equal(moved(`modelbazaar_worker_evaluation_seconds_count{listing="${f.listingId}"}`), 1);
    assert.ok(moved(`modelbazaar_worker_evaluation_seconds_sum{listing="${f.listingId}"}`) > 0);
    assert.equal(moved('modelbazaar_worker_upload_bytes_total{kind="evaluation"}'), body.length);
    assert.equal(moved('modelbazaar_worker_receipts_total{outcome="sent"}'), 1);
    assert.equal(moved('modelbazaar_worker_receipts_total{outcome="mined"}'), 1);
    assert.equal(now.value('modelbazaar_worker_jobs{state="queued"}'), 0);
    assert.equal(now.value('modelbazaar_worker_jobs{state="running"}'), 0);
    assert.ok(now.value("modelbazaar_worker_process_resident_memory_bytes") > 0, "the process's own metrics are there");
    for (const secret of [buyer.address.slice(2), f.workerKey.slice(2)]) assert.ok(!now.text.toLowerCase().includes(secret.toLowerCase()), `/metrics shows ${secret}`);
    const labels = new Set([...now.text.matchAll(/[{,](\w+)="/g)].map((m) => m[1]));
    assert.deepEqual([...labels].filter((l) => !["outcome", "state", "listing", "le", "kind", "code", "status", "method", "version", "major", "minor", "patch", "space", "type", "quantile"].includes(l!)), [], "only bounded, public labels");
  });

  it("counts refused uploads by their error code, and serves nothing beyond the counts", async () => {
    const mallory = await f.newBuyer();
    const testId = await f.openTest(buyer, 50);
    const before = await scrape(worker);
    const body = standInUpload(50);
    assert.equal((await f.upload(worker, testId, body, mallory)).status, 401);
    assert.equal((await f.upload(worker, testId, new Uint8Array(128 * 1024), buyer)).status, 413);
    assert.equal((await f.upload(worker, testId, body, mallory)).status, 401);
    const now = await scrape(worker);
    assert.equal(now.value('modelbazaar_worker_rejects_total{code="wrong_signer",status="401"}') - before.value('modelbazaar_worker_rejects_total{code="wrong_signer",status="401"}'), 2);
    assert.equal(now.value('modelbazaar_worker_rejects_total{code="upload_too_large",status="413"}') - before.value('modelbazaar_worker_rejects_total{code="upload_too_large",status="413"}'), 1);
    assert.equal(now.value('modelbazaar_worker_upload_bytes_total{kind="evaluation"}'), before.value('modelbazaar_worker_upload_bytes_total{kind="evaluation"}'), "refused bytes are not counted as received");
    assert.ok(!now.text.toLowerCase().includes(mallory.address.slice(2).toLowerCase()));
  });

  it("shows a job waiting for the thread as queue depth, and a running one", async () => {
    await rm(gateFile, { force: true }); // the stand-in evaluator waits for this file
    const [first, second] = [await f.openTest(buyer, 50), await f.openTest(buyer, 50)];
    assert.equal((await f.upload(worker, first, standInUpload(50), buyer)).status, 202);
    await waitForStatus(worker, first, (s) => s.job?.status === "running");
    assert.equal((await f.upload(worker, second, standInUpload(50), buyer)).status, 202);
    const held = await scrape(worker);
    assert.equal(held.value('modelbazaar_worker_jobs{state="running"}'), 1);
    assert.equal(held.value('modelbazaar_worker_jobs{state="queued"}'), 1);
    // The second job reaches the thread pool once the runner has re-checked its test on-chain.
    const deadline = Date.now() + 60_000;
    let depth = held.value("modelbazaar_worker_queue_depth");
    while (depth !== 2 && Date.now() < deadline) {
      await delay(25);
      depth = (await scrape(worker)).value("modelbazaar_worker_queue_depth");
    }
    assert.equal(depth, 2, "one waiting and one on the thread");
    await writeFile(gateFile, "open");
    for (const testId of [first, second]) await waitForStatus(worker, testId, (s) => s.receipt?.status === "mined");
    assert.equal((await scrape(worker)).value("modelbazaar_worker_queue_depth"), 0);
  });

  it("counts chain RPC errors while the RPC is down", async () => {
    const series = 'modelbazaar_worker_chain_rpc_errors_total{method="eth_blockNumber",kind="unreachable"}';
    const before = (await scrape(worker)).value(series);
    rpc.down = true;
    try {
      assert.equal((await getJson(worker, "/health")).status, 503);
    } finally {
      rpc.down = false;
    }
    assert.ok((await scrape(worker)).value(series) > before, "the failed health probe's read is counted");
  });
});
