/**
 * The scale-out configuration (offchain-worker/src/queue/queueConfig.ts and
 * evaluationNodeConfig.ts): no queue unless the file or MODELBAZAAR_REDIS_URL asks for one, the
 * environment's URL winning over the file's, and a sentence for every bad value; an evaluation
 * node reads the same file without a key or an RPC, and refuses to start without a Redis; and
 * `main.ts` refuses an unknown role.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readEvaluationNodeConfig } from "../../offchain-worker/src/queue/evaluationNodeConfig.ts";
import { readQueueConfig, REDIS_URL_ENV } from "../../offchain-worker/src/queue/queueConfig.ts";

const MAIN = new URL("../../offchain-worker/src/main.ts", import.meta.url).pathname;

describe("scale-out configuration", () => {
  it("has no queue unless the file or the environment asks, and the environment's URL wins", () => {
    assert.equal(readQueueConfig(undefined, {}), undefined);
    assert.deepEqual(readQueueConfig(undefined, { [REDIS_URL_ENV]: "redis://10.0.0.5:6379" }), { redisUrl: "redis://10.0.0.5:6379" });
    assert.deepEqual(readQueueConfig({ redisUrl: "redis://a:6379", name: "seller-1", maxStalledCount: 2, checkIntervalMs: 5_000, uploadTtlSeconds: 600, maxQueuedJobs: 20 }, { [REDIS_URL_ENV]: "rediss://:pw@b:6380" }), {
      redisUrl: "rediss://:pw@b:6380",
      name: "seller-1",
      maxStalledCount: 2,
      checkIntervalMs: 5_000,
      uploadTtlSeconds: 600,
      maxQueuedJobs: 20,
    });
  });

  it("refuses bad values with a sentence naming the key", () => {
    for (const [value, message] of [
      [{ redisUrl: "http://127.0.0.1:6379" }, /"queue\.redisUrl" \(or MODELBAZAAR_REDIS_URL\) must be a redis:\/\/ or rediss:\/\/ URL/],
      [{}, /"queue\.redisUrl" \(or MODELBAZAAR_REDIS_URL\) must be/],
      ["redis://x", /"queue" must be an object/],
      [{ redisUrl: "redis://x:1", name: "a b" }, /"queue\.name" must be 1 to 64 letters/],
      [{ redisUrl: "redis://x:1", lockDurationMs: 0 }, /"queue\.lockDurationMs" must be a positive integer/],
      [{ redisUrl: "redis://x:1", maxStalledCount: 1.5 }, /"queue\.maxStalledCount" must be a positive integer/],
      [{ redisUrl: "redis://x:1", checkIntervalMs: 0 }, /"queue\.checkIntervalMs" must be a positive integer/],
      [{ redisUrl: "redis://x:1", uploadTtlSeconds: -5 }, /"queue\.uploadTtlSeconds" must be a positive integer/],
      [{ redisUrl: "redis://x:1", maxQueuedJobs: "10" }, /"queue\.maxQueuedJobs" must be a positive integer/],
    ] as const) {
      assert.throws(() => readQueueConfig(value, {}), message);
    }
  });

  it("reads an evaluation node's part of the worker config, and needs a Redis", () => {
    const dir = mkdtempSync(join(tmpdir(), "modelbazaar-node-config-"));
    const path = join(dir, "worker.json");
    const base = { rpcUrl: "http://ignored", dataDir: "data", threads: 2, evaluator: { module: "./engine.ts" }, listings: [{ listingId: 1, modelId: "iris" }, { listingId: 2, modelId: "iris" }] };
    writeFileSync(path, JSON.stringify(base));
    assert.throws(() => readEvaluationNodeConfig(path, "node-1", {}), /an evaluation node needs the queue's Redis: set "queue": \{ "redisUrl": "redis:\/\/…" \} or MODELBAZAAR_REDIS_URL/);
    const config = readEvaluationNodeConfig(path, "node-1", { [REDIS_URL_ENV]: "redis://127.0.0.1:6379" });
    assert.deepEqual(config.modelIds, ["iris"]);
    assert.equal(config.threads, 2);
    assert.equal(config.evaluator.module, join(dir, "engine.ts"));
    assert.equal(config.scratchDir, join(dir, "data", "evaluation-nodes", "node-1"));
    // A node evaluates whatever model id a job carries: per-buyer copies' too.
    writeFileSync(path, JSON.stringify({ ...base, listings: [{ listingId: 1, modelId: "iris", copies: { "0x70997970C51812dc3A010C7d01b50e0d17dc79C8": "iris-copy-1" } }] }));
    assert.deepEqual(readEvaluationNodeConfig(path, "node-1", { [REDIS_URL_ENV]: "redis://127.0.0.1:6379" }).modelIds, ["iris", "iris-copy-1"]);
    assert.throws(() => readEvaluationNodeConfig(path, "../escape", { [REDIS_URL_ENV]: "redis://127.0.0.1:6379" }), /a node name must be 1 to 64 letters/);
    // "." and ".." pass a plain character check but name dataDir itself or its parent, which the node would empty.
    for (const name of [".", "..", "-rf", ".hidden"]) {
      assert.throws(() => readEvaluationNodeConfig(path, name, { [REDIS_URL_ENV]: "redis://127.0.0.1:6379" }), /starting with a letter or digit/, name);
    }
  });

  it("main.ts refuses an unknown role with its usage (exit 2)", async () => {
    const child = spawn(process.execPath, [MAIN, "--role", "judge", "--config", "x.json"], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(child, "exit")) as [number | null];
    assert.equal(code, 2);
    assert.match(output, /unknown --role "judge" \(front or evaluator\)[\s\S]*--role evaluator --config worker\.json/);
  });
});
