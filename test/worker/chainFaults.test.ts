/**
 * The worker and its chain (issue #12, findings 4, 5 and 7), on Hardhat's in-process chains
 * behind an RPC the test takes down and brings back (rpcFaults.ts): a worker started while the
 * RPC is down waits for it with backoff and then serves, and gives up with a sentence after
 * `chainStartTimeoutMs`; /health answers 503 naming the chain or the database when either
 * fails (the API's own reads failing); and a data directory bound to one chain refuses to
 * serve another with the same addresses (a reset chain, contracts redeployed).
 */
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, it } from "node:test";
import { WorkerClient, WorkerClientError } from "@modelbazaar/sdk/worker";
import { controlledRpc } from "./rpcFaults.ts";
import { getJson, logCapture, waitForStatus, workerFixture } from "./workerFixture.ts";

describe("worker and its chain", async () => {
  const f = await workerFixture();
  const freshDir = () => mkdtemp(join(tmpdir(), "modelbazaar-worker-"));

  it("waits at start for an RPC that is down, with backoff, then serves", async () => {
    const rpc = controlledRpc(f.m.connection.provider);
    const log = logCapture();
    rpc.down = true;
    const starting = f.start({ transport: rpc.transport, dataDir: await freshDir(), logLevel: "info", logDestination: log });
    const retries = () => log.lines.filter((line) => line.includes("cannot reach the chain's RPC at start; retrying")).length;
    for (const deadline = Date.now() + 20_000; retries() < 2 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    assert.ok(retries() >= 2, `no retries logged:\n${log.lines.join("")}`);
    rpc.down = false;
    const worker = await starting;
    try {
      assert.equal((await getJson(worker, "/health")).status, 200);
    } finally {
      await worker.close();
    }
  });

  it("gives up at start after chainStartTimeoutMs, with a sentence", async () => {
    const rpc = controlledRpc(f.m.connection.provider);
    rpc.down = true;
    await assert.rejects(f.start({ transport: rpc.transport, dataDir: await freshDir(), chainStartTimeoutMs: 1_500 }), /cannot reach the chain's RPC after \d+ attempts over \d+ s .*check "rpcUrl"/);
  });

  it("answers /health with 503 naming the chain or the database when either fails", async () => {
    const rpc = controlledRpc(f.m.connection.provider);
    const dataDir = await freshDir();
    const worker = await f.start({ transport: rpc.transport, dataDir });
    try {
      assert.equal((await getJson(worker, "/health")).status, 200);
      rpc.down = true;
      const chainDown = await getJson(worker, "/health");
      assert.equal(chainDown.status, 503);
      assert.equal(chainDown.json.database, "ok");
      assert.match(chainDown.json.chain as string, /the chain cannot be read/);
      // The SDK's client (the seller's dashboard) reads the 503 as an answer, with the sentence.
      const client = new WorkerClient(worker.url);
      const unavailable = await client.health();
      assert.equal(unavailable.status, "unavailable");
      assert.equal(unavailable.problems.length, 1);
      assert.match(unavailable.problems[0]!, /^the chain cannot be read/);
      rpc.down = false;
      assert.equal((await getJson(worker, "/health")).status, 200);
      const healthy = await client.health();
      assert.deepEqual([healthy.status, healthy.problems, healthy.chainId], ["ok", [], f.context.chainId]);

      // The API's reads now fail (a damaged database): /health says so too.
      const db = new DatabaseSync(join(dataDir, "worker.sqlite"));
      db.exec("DROP TABLE receipts; DROP TABLE jobs");
      db.close();
      assert.equal((await getJson(worker, "/tests/1")).status, 500);
      const broken = await getJson(worker, "/health");
      assert.equal(broken.status, 503);
      assert.match(broken.json.database as string, /the database cannot be read: no such table/);
      assert.equal(broken.json.chain, "ok");
      assert.match((await client.health()).problems.join(), /^the database cannot be read: no such table/);
    } finally {
      await worker.close();
    }
    // A worker that is not there is a failure with its sentence, not an answer.
    await assert.rejects(new WorkerClient(worker.url).health(), (error: unknown) => error instanceof WorkerClientError && error.code === "unreachable" && /does not answer/.test(error.message));
  });

  it("refuses to serve another chain than its data directory's, saying how to start fresh", async () => {
    // The worker serves a test-drive, so its watcher has scanned (and checkpointed) the chain.
    const worker = await f.start();
    try {
      const buyer = await f.newBuyer();
      const testId = await f.openTest(buyer, 20);
      await waitForStatus(worker, testId, (status) => status.test !== null);
    } finally {
      await worker.close();
    }
    // A new chain, the same contracts deployed at the same addresses: a reset development chain.
    const reset = await workerFixture();
    assert.equal(reset.c.market.address, f.c.market.address, "the reset chain has the same addresses");
    const started = reset.start({ dataDir: f.dataDir });
    const refusal = await started.then(
      async (unexpected) => {
        await unexpected.close();
        return undefined;
      },
      (error: Error) => error,
    );
    assert.ok(refusal, "the worker started on the reset chain");
    assert.equal(refusal.name, "ChainMismatchError");
    assert.match(refusal.message, new RegExp(`the data directory ${f.dataDir} holds the state of another chain than the RPC serves \\(`));
    assert.match(refusal.message, /start the worker with a new "dataDir"/);
    const again = await f.start();
    await again.close();
  });
});
