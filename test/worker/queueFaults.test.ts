/**
 * A scaled-out worker's queue under faults (issue #12 review): a front and evaluation node
 * processes on a real redis-server (with a password and an fsynced append-only file, started
 * by the test), the stand-in evaluator held at a gate, the real contracts on Hardhat's chain.
 * Redis loses a waiting job (FLUSHALL): the front puts it back from its disk copy, served once;
 * Redis is killed mid-evaluation and comes back with its data (a lost, regained connection) or
 * empty (as without persistence): the job is served once; a job the front gives up leaves
 * nothing in Redis, and every upload in Redis expires; a full queue refuses uploads with 503
 * and Retry-After; Redis out of memory delays the job instead of failing it; a job evaluated
 * while its front was down records the node's evaluation time; a job that keeps losing its
 * node fails with a reason the buyer reads.
 */
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { keccak256, type Hex, type LocalAccount } from "viem";
import type { Redis } from "ioredis";
import { signUpload } from "@modelbazaar/sdk/worker";
import type { WorkerHandle } from "../../offchain-worker/src/startWorker.ts";
import type { QueueConfig } from "../../offchain-worker/src/queue/queueConfig.ts";
import { REDIS_MISSING, startRedisServer, type RedisServer } from "../helpers/redisServer.ts";
import { evaluating, spawnEvaluationNode, type EvaluationNodeProcess, type NodeLogLine } from "./evaluationNodeProcess.ts";
import { standInResult, standInUpload } from "./fixtures/standInEvaluator.ts";
import { getJson, MODEL_ID, waitForStatus, workerFixture } from "./workerFixture.ts";

const STAND_IN = new URL("./fixtures/standInEvaluator.ts", import.meta.url).pathname;
const SAMPLES = 50;
const UPLOAD_TTL_SECONDS = 3_600;
/** Short locks and checks, so a lost node or a lost job is noticed within a second or two. */
const QUEUE_TIMINGS = { lockDurationMs: 3_000, stalledIntervalMs: 500, maxStalledCount: 1, checkIntervalMs: 300, uploadTtlSeconds: UPLOAD_TTL_SECONDS, maxQueuedJobs: 2 } as const;
const QUEUE_NAME = "modelbazaar-evaluations";
/** A stranded job fails its test instead of holding the suite. */
const EACH = { timeout: 120_000 };

/** A log destination that keeps its JSON lines and resolves waits on them. */
function watchedLog() {
  const lines: Record<string, unknown>[] = [];
  const waiters = new Set<{ match: (line: Record<string, unknown>) => boolean; resolve: () => void }>();
  return {
    lines,
    write(text: string) {
      const line = JSON.parse(text) as Record<string, unknown>;
      lines.push(line);
      for (const waiter of waiters) if (waiter.match(line)) (waiters.delete(waiter), waiter.resolve());
      return true;
    },
    /** Resolves on the first line (logged already or to come) `match` accepts. */
    waitFor(match: (line: Record<string, unknown>) => boolean): Promise<void> {
      if (lines.some(match)) return Promise.resolve();
      return new Promise((resolve) => waiters.add({ match, resolve }));
    },
  };
}

describe("a scaled-out worker's queue under faults", { skip: REDIS_MISSING, timeout: 600_000 }, async () => {
  const f = await workerFixture();
  const gate = join(f.dataDir, "gate");
  const openGate = () => writeFileSync(gate, "");
  const closeGate = () => rmSync(gate, { force: true });
  const log = watchedLog();
  const nodes: EvaluationNodeProcess[] = [];
  let redis: RedisServer;
  let client: Redis;
  let queue: QueueConfig;
  let front: WorkerHandle;
  let configPath: string;

  before(async () => {
    openGate();
    redis = await startRedisServer({ persistent: true });
    client = redis.client();
    queue = { redisUrl: redis.url, ...QUEUE_TIMINGS };
    configPath = join(f.dataDir, "worker.json");
    const listings = [{ listingId: Number(f.listingId), modelId: MODEL_ID }];
    await writeFile(configPath, JSON.stringify({ queue: QUEUE_TIMINGS, dataDir: "data", threads: 1, logLevel: "info", evaluator: { module: STAND_IN, settings: { gateFile: gate } }, listings }));
    front = await startFront();
  });
  after(async () => {
    await front?.close();
    for (const node of nodes) await node.kill("SIGKILL");
    client?.disconnect();
    await redis?.stop();
  });

  function startFront(): Promise<WorkerHandle> {
    return f.start({ queue, gateFile: gate, logLevel: "info", logDestination: log });
  }

  async function startNode(name: string): Promise<EvaluationNodeProcess> {
    const node = await spawnEvaluationNode(configPath, name, { MODELBAZAAR_REDIS_URL: redis.url });
    nodes.push(node);
    return node;
  }

  const live = () => nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
  async function stopNodes(): Promise<void> {
    for (const node of live()) await node.kill("SIGTERM");
  }

  /** Opens a test-drive and uploads to the front; returns the test, the job and the upload. */
  async function upload(buyer: LocalAccount): Promise<{ testId: bigint; jobId: string; body: Uint8Array }> {
    const testId = await f.openTest(buyer, SAMPLES);
    const body = standInUpload(SAMPLES, new Uint8Array(64).map((_, i) => i ^ Number(testId)));
    const accepted = await f.upload(front, testId, body, buyer);
    assert.equal(accepted.status, 202, JSON.stringify(accepted.json));
    return { testId, jobId: accepted.json.jobId as string, body };
  }

  /** Waits for the receipt, then checks the served result is the evaluation of `body` and the chain holds exactly one receipt, of its hash. */
  async function assertServedOnce(testId: bigint, body: Uint8Array): Promise<void> {
    await waitForStatus(front, testId, (s) => s.receipt?.status === "mined", 60_000);
    const response = await fetch(`${front.url}/tests/${testId}/result`);
    assert.equal(response.status, 200);
    const result = new Uint8Array(await response.arrayBuffer());
    assert.deepEqual(result, standInResult(MODEL_ID, SAMPLES, body));
    const receipts = await f.receiptsOf(testId);
    assert.equal(receipts.length, 1, `test ${testId} has ${receipts.length} receipts`);
    assert.equal(receipts[0]!.args.resultHash as Hex, keccak256(result));
  }

  /** Resolves once `check()` holds (the front puts an accepted job on the queue after its chain check). */
  async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
    for (const deadline = Date.now() + 30_000; !(await check()); ) {
      if (Date.now() > deadline) throw new Error(`${what} did not happen within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Every key of this queue in Redis that names `jobId` (its BullMQ entry, its upload, its results). */
  const keysOf = async (jobId: string) => (await client.keys(`*${jobId}*`)).sort();
  const jobOnQueue = async (jobId: string) => (await client.exists(`bull:${QUEUE_NAME}:${jobId}`)) === 1;
  const uploadKey = (jobId: string) => `modelbazaar:${QUEUE_NAME}:upload:${jobId}`;
  const frontSaw = (msg: string, jobId: string) => log.waitFor((line) => line.msg === msg && line.jobId === jobId);

  it("puts back a waiting job Redis lost (FLUSHALL) from the front's copy of the upload, and serves it once", EACH, async () => {
    const buyer = await f.newBuyer();
    const { testId, jobId, body } = await upload(buyer);
    await eventually(() => jobOnQueue(jobId), "the job reaching the queue");
    await client.flushall();
    await frontSaw("Redis lost this job (restarted without persistence, flushed or failed over); putting it back", jobId);
    await eventually(() => jobOnQueue(jobId), "the front putting the job back");
    await startNode("node-a");
    await assertServedOnce(testId, body);
  });

  it("a Redis killed mid-evaluation that comes back with its data: connections lost and regained, the job served once, every error in the node's log", EACH, async () => {
    const buyer = await f.newBuyer();
    closeGate();
    const { testId, jobId, body } = await upload(buyer);
    const [node] = live();
    await node!.waitFor(evaluating(jobId));
    await redis.kill();
    await Promise.all([node!.waitFor((line) => line.msg === "Redis error"), log.waitFor((line) => line.msg === "Redis error")]);
    await redis.start();
    openGate();
    await assertServedOnce(testId, body);
    assert.equal(node!.stderr(), "", "nothing went to the console");
  });

  it("a Redis that comes back empty mid-evaluation (as without persistence): the job is put back and served once", EACH, async () => {
    const buyer = await f.newBuyer();
    closeGate();
    const { testId, jobId, body } = await upload(buyer);
    const [node] = live();
    await node!.waitFor(evaluating(jobId));
    await client.flushall();
    await redis.start(); // kill -9 and start: the append-only file replays the FLUSHALL
    await frontSaw("Redis lost this job (restarted without persistence, flushed or failed over); putting it back", jobId);
    openGate();
    await assertServedOnce(testId, body);
  });

  it("keeps an upload in Redis no longer than uploadTtlSeconds, and leaves nothing there of a job the front gives up", EACH, async () => {
    await stopNodes();
    const buyer = await f.newBuyer();
    const { testId, jobId } = await upload(buyer);
    await eventually(() => jobOnQueue(jobId), "the job reaching the queue");
    const ttl = await client.ttl(uploadKey(jobId));
    assert.ok(ttl > 0 && ttl <= UPLOAD_TTL_SECONDS, `the upload expires (TTL ${ttl} s)`);
    await front.close();
    await f.m.networkHelpers.time.increase(3_601); // the service window passes: the test no longer awaits a receipt
    front = await startFront();
    const failed = await waitForStatus(front, testId, (s) => s.job?.status === "failed");
    assert.match(failed.job!.error!, /no longer awaits a receipt/);
    assert.deepEqual(await keysOf(jobId), [], "nothing of the failed job is left in Redis");
  });

  it("refuses uploads with 503 and Retry-After while the queue is full, before reading them, and takes them once there is room", EACH, async () => {
    const buyer = await f.newBuyer();
    const queued = [await upload(buyer), await upload(buyer)];
    for (const { jobId } of queued) await eventually(() => jobOnQueue(jobId), "the job reaching the queue");
    const testId = await f.openTest(buyer, SAMPLES);
    const body = standInUpload(SAMPLES);
    const headers = await signUpload(buyer, f.context, testId, body);
    const refused = await fetch(`${front.url}/tests/${testId}/evaluations`, { method: "POST", body: new Uint8Array(body), headers: { "content-type": "application/octet-stream", ...headers } });
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get("retry-after"), "30");
    const json = (await refused.json()) as { error: string; message: string };
    assert.equal(json.error, "queue_full");
    assert.match(json.message, /evaluation queue holds 2 jobs, its limit is 2/);
    await startNode("node-b");
    for (const { testId: served, body: uploaded } of queued) await assertServedOnce(served, uploaded);
    assert.equal((await f.upload(front, testId, body, buyer)).status, 202, "taken once there is room");
    await assertServedOnce(testId, body);
  });

  it("retries when Redis is out of memory instead of failing the job", EACH, async () => {
    const buyer = await f.newBuyer();
    await client.config("SET", "maxmemory", "1");
    try {
      const { testId, jobId, body } = await upload(buyer);
      await frontSaw("Redis refused a command for this job; retrying", jobId);
      assert.match(JSON.stringify(log.lines.find((l) => l.jobId === jobId && l.msg === "Redis refused a command for this job; retrying")), /OOM/);
      await client.config("SET", "maxmemory", "0");
      await assertServedOnce(testId, body);
    } finally {
      await client.config("SET", "maxmemory", "0");
    }
  });

  it("records the node's evaluation time for a job evaluated while its front was down, not the front's uptime", EACH, async () => {
    await stopNodes();
    const buyer = await f.newBuyer();
    const { testId, jobId, body } = await upload(buyer);
    await eventually(() => jobOnQueue(jobId), "the job reaching the queue");
    await front.close();
    const node = await startNode("node-c");
    const evaluated = await node.waitFor((line: NodeLogLine) => line.msg === "evaluated" && line.jobId === jobId);
    front = await startFront();
    await assertServedOnce(testId, body);
    const metrics = await (await fetch(`${front.url}/metrics`)).text();
    const sample = (name: string) => Number(new RegExp(`^modelbazaar_worker_evaluation_seconds_${name}\\{listing="${f.listingId}"\\} (\\S+)$`, "m").exec(metrics)?.[1]);
    assert.equal(sample("count"), 1, "this front took one evaluation");
    assert.equal(sample("sum"), (evaluated.evaluationMs as number) / 1000, "it is recorded with the node's time");
  });

  it("fails a job that lost its node more than maxStalledCount times, with a reason the buyer reads", EACH, async () => {
    const buyer = await f.newBuyer();
    closeGate();
    await stopNodes();
    const { testId, jobId } = await upload(buyer);
    for (const name of ["node-d", "node-e"]) {
      const node = await startNode(name);
      await node.waitFor(evaluating(jobId));
      await node.kill("SIGKILL");
    }
    await startNode("node-f"); // its stalled-job check finds the job lost a second time
    const failed = await waitForStatus(front, testId, (s) => s.job?.status === "failed", 60_000);
    assert.match(failed.job!.error!, /evaluation failed: .*stalled more than allowable limit/);
    const result = await getJson(front, `/tests/${testId}/result`);
    assert.equal(result.status, 409);
    assert.equal(result.json.error, "job_failed");
    assert.deepEqual(await keysOf(jobId), [], "nothing of the failed job is left in Redis");
    openGate();
  });
});
