/**
 * The worker scaled out (issue #12): one HTTP front and evaluation nodes as real processes
 * (`main.ts --role evaluator`) on a BullMQ queue in a real Redis (Debian's redis-server,
 * started by the test), with the real CKKS evaluator on the trained Iris model (held at a gate
 * where a test must act in the middle of an evaluation) and the real contracts on Hardhat's
 * chain. Two nodes serve test-drives whose decrypted scores agree with
 * onnxruntime, one receipt each; a node killed with SIGKILL in the middle of an evaluation
 * loses the job to the other node, which finishes it, and the chain still holds one receipt; a
 * node paused past its lock loses the job likewise, and its late completion is refused;
 * a front closed with jobs on the queue picks them up when it starts again; and a front whose
 * Redis is down at start waits for it with backoff, or gives up with a sentence.
 */
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as ort from "onnxruntime-node";
import { keccak256, type Hex, type LocalAccount } from "viem";
import type { WorkerHandle } from "../../offchain-worker/src/startWorker.ts";
import type { QueueConfig } from "../../offchain-worker/src/queue/queueConfig.ts";
import { loadIris } from "../../scripts/lib/datasets/iris.ts";
import { BuyerSession, agreement, argmax, type HePlanSummary } from "@modelbazaar/sdk/he";
import { freePort } from "../../scripts/lib/freePort.ts";
import { REDIS_MISSING, redisPassword, startRedisServer, type RedisServer } from "../helpers/redisServer.ts";
import { evaluating, spawnEvaluationNode, type EvaluationNodeProcess } from "./evaluationNodeProcess.ts";
import { getJson, logCapture, MODEL_ID, waitForStatus, workerFixture } from "./workerFixture.ts";

const MODEL = new URL("../../models/iris-logreg.onnx", import.meta.url).pathname;
const GATED_CKKS_EVALUATOR = new URL("./fixtures/gatedCkksEvaluator.ts", import.meta.url).pathname;
/** Short locks, so a dead node's job moves on within seconds (a live node renews at half of it). */
const QUEUE_TIMINGS = { lockDurationMs: 6_000, stalledIntervalMs: 1_000 } as const;

describe("the worker scaled out: a front and evaluation nodes on BullMQ + Redis", { skip: REDIS_MISSING, timeout: 600_000 }, async () => {
  const f = await workerFixture();
  const { test: iris } = loadIris();
  const session = { current: undefined as BuyerSession | undefined };
  let redis: RedisServer;
  let queue: QueueConfig;
  let front: WorkerHandle;
  let configPath: string;
  const nodes: EvaluationNodeProcess[] = [];
  /** The real CKKS evaluator, each evaluation held until the gate file exists (fixtures/gatedCkksEvaluator.ts). */
  const gate = join(f.dataDir, "gate");
  const EVALUATOR = { module: GATED_CKKS_EVALUATOR, settings: { models: { [MODEL_ID]: { onnx: MODEL } }, gateFile: gate } };
  const openGate = () => writeFileSync(gate, "");
  const closeGate = () => rmSync(gate, { force: true });

  before(async () => {
    openGate();
    redis = await startRedisServer();
    queue = { redisUrl: redis.url, ...QUEUE_TIMINGS };
    configPath = join(f.dataDir, "worker.json");
    await writeFile(configPath, JSON.stringify({ queue: { ...QUEUE_TIMINGS }, dataDir: "data", threads: 1, evaluator: EVALUATOR, listings: [{ listingId: Number(f.listingId), modelId: MODEL_ID }] }));
    front = await startFront();
  });
  after(async () => {
    session.current?.delete();
    await front?.close();
    for (const node of nodes) await node.kill("SIGKILL");
    await redis?.stop();
  });

  function startFront(): Promise<WorkerHandle> {
    return f.start({ uploadLimitBytes: 32 * 2 ** 20, evaluator: EVALUATOR, queue });
  }

  async function startNode(name: string): Promise<EvaluationNodeProcess> {
    const node = await spawnEvaluationNode(configPath, name, { MODELBAZAAR_REDIS_URL: redis.url });
    nodes.push(node);
    return node;
  }

  async function buyerSession(): Promise<BuyerSession> {
    if (session.current) return session.current;
    const listings = await getJson(front, "/listings");
    const served = (listings.json.listings as { listingId: string; plan: HePlanSummary }[]).find((l) => BigInt(l.listingId) === f.listingId)!;
    session.current = await BuyerSession.create(served.plan);
    return session.current;
  }

  /** Opens a test-drive of the Iris test set and uploads it to the front; returns the test and job ids. */
  async function uploadIris(buyer: LocalAccount): Promise<{ testId: bigint; jobId: string }> {
    const testId = await f.openTest(buyer, iris.sampleCount);
    const accepted = await f.upload(front, testId, (await buyerSession()).encryptTestSet(iris.features, iris.sampleCount), buyer);
    assert.equal(accepted.status, 202, JSON.stringify(accepted.json));
    return { testId, jobId: accepted.json.jobId as string };
  }

  /** Waits for the receipt, then checks: the served result decrypts to onnxruntime's predictions, and the chain holds exactly one receipt, of its hash. */
  async function assertServedOnce(testId: bigint): Promise<void> {
    await waitForStatus(front, testId, (s) => s.receipt?.status === "mined", 120_000);
    const response = await fetch(`${front.url}/tests/${testId}/result`);
    assert.equal(response.status, 200);
    const result = new Uint8Array(await response.arrayBuffer());
    const decrypted = (await buyerSession()).decryptResult(result);
    const plain = await onnxScores(iris.features, iris.sampleCount);
    const he = argmax(decrypted.scores, decrypted.outputs);
    assert.ok(agreement(he, argmax(plain, decrypted.outputs)) >= 0.995, "HE and onnxruntime agree");
    const receipts = await f.receiptsOf(testId);
    assert.equal(receipts.length, 1, `test ${testId} has ${receipts.length} receipts`);
    assert.equal(receipts[0]!.args.resultHash as Hex, keccak256(result));
  }

  it("serves test-drives on two evaluation nodes with results that match onnxruntime and one receipt each", async () => {
    await Promise.all([startNode("node-a"), startNode("node-b")]);
    const buyer = await f.newBuyer();
    const uploads = [await uploadIris(buyer), await uploadIris(buyer)];
    for (const { testId } of uploads) await assertServedOnce(testId);
    for (const { jobId } of uploads) assert.ok(nodes.some((n) => n.lines.some(evaluating(jobId))), `job ${jobId} was evaluated by a node`);
  });

  it("a node killed (SIGKILL) in the middle of an evaluation loses the job to another node; the chain holds one receipt", async () => {
    const buyer = await f.newBuyer();
    closeGate();
    const { testId, jobId } = await uploadIris(buyer);
    const live = nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
    const started = await Promise.any(live.map((n) => n.waitFor(evaluating(jobId)).then(() => n)));
    await started.kill("SIGKILL");
    const survivor = live.find((n) => n !== started)!;
    await survivor.waitFor(evaluating(jobId));
    openGate();
    await assertServedOnce(testId);
    assert.ok(!started.lines.some((line) => line.msg === "evaluated" && line.jobId === jobId), "the killed node never finished the job");
  });

  it("a node paused (SIGSTOP) past its lock loses the job; when it resumes and finishes, its completion is refused: one receipt, the result served unchanged", async () => {
    await startNode("node-d");
    const buyer = await f.newBuyer();
    closeGate();
    const { testId, jobId } = await uploadIris(buyer);
    const live = nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
    const paused = await Promise.any(live.map((n) => n.waitFor(evaluating(jobId)).then(() => n)));
    paused.child.kill("SIGSTOP");
    try {
      await live.find((n) => n !== paused)!.waitFor(evaluating(jobId));
      openGate();
      await assertServedOnce(testId);
    } finally {
      paused.child.kill("SIGCONT");
    }
    const served = await waitForStatus(front, testId, () => true);
    await paused.waitFor((line) => line.msg === "evaluated" && line.jobId === jobId);
    await paused.kill("SIGTERM"); // returns once it exited: a stopping node first settles the job it holds, so its completion was tried
    assert.equal((await f.receiptsOf(testId)).length, 1, "the late node's result added no receipt");
    assert.deepEqual((await waitForStatus(front, testId, () => true)).receipt, served.receipt, "the served result and its receipt are unchanged");
    assert.ok(paused.lines.some((line) => line.msg === "Redis error" || (line.msg === "job failed" && line.jobId === jobId)), "BullMQ refused the late completion");
  });

  it("a front closed with jobs on the queue finishes them when it starts again, one receipt each", async () => {
    for (const node of nodes) await node.kill("SIGTERM");
    const buyer = await f.newBuyer();
    const uploads = [await uploadIris(buyer), await uploadIris(buyer)];
    for (const { testId } of uploads) assert.equal((await waitForStatus(front, testId, () => true)).job?.status, "queued");
    await front.close();
    front = await startFront();
    assert.equal(front.resumedJobs, 2);
    await startNode("node-c");
    for (const { testId } of uploads) await assertServedOnce(testId);
  });

  it("a front whose Redis is down at start retries with backoff and starts once Redis is up, or gives up with a sentence", async () => {
    const [port, password] = [await freePort(), redisPassword()];
    const down = { redisUrl: `redis://:${password}@127.0.0.1:${port}`, startTimeoutMs: 1_500 };
    await assert.rejects(f.start({ evaluator: EVALUATOR, queue: down, dataDir: join(f.dataDir, "no-redis") }), /cannot reach Redis after \d+ attempts over \d+ s \(.*ECONNREFUSED.*\); check "queue\.redisUrl"/);

    const log = logCapture();
    const retried = new Promise<void>((resolve) => {
      log.write = (line) => {
        log.lines.push(line);
        if (line.includes("cannot reach Redis at start; retrying")) resolve();
        return true;
      };
    });
    const starting = f.start({ evaluator: EVALUATOR, queue: { ...down, startTimeoutMs: 60_000 }, dataDir: join(f.dataDir, "late-redis"), logLevel: "warn", logDestination: log });
    await retried;
    const late = await startRedisServer({ port, password });
    try {
      const worker = await starting;
      await worker.close();
    } finally {
      await late.stop();
    }
  });
});

/** onnxruntime-node's class scores for row-major Iris samples. */
async function onnxScores(features: Float64Array, samples: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(readFileSync(MODEL));
  const input = new ort.Tensor("float32", Float32Array.from(features), [samples, 4]);
  const output = await session.run({ [session.inputNames[0]!]: input });
  return output[session.outputNames[0]!]!.data as Float32Array;
}
