/**
 * The `worker start` entry (offchain-worker/src/main.ts) as a real child process: it reads a
 * JSON config file and the signer key from the environment, talks JSON-RPC over HTTP (here to
 * Hardhat's in-process chain, bridged onto 127.0.0.1), serves /health, and exits 0 on
 * SIGTERM; started while the RPC is down it waits for it, and no line of its log holds the RPC
 * URL's secrets (userinfo, path and query), though every chain failure names the URL; it signs with an encrypted key file opened with a password file just as well; without
 * a key, or with a wrong password, it refuses to start with a sentence.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import { once } from "node:events";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SIGNER_KEY_ENV } from "../../offchain-worker/src/config.ts";
import { SIGNER_KEYSTORE_ENV, SIGNER_KEYSTORE_PASSWORD_ENV, SIGNER_KEYSTORE_PASSWORD_FILE_ENV } from "../../offchain-worker/src/signerKeySource.ts";
import { encryptKeystore } from "@modelbazaar/sdk/node";
import { MODEL_ID, workerFixture } from "./workerFixture.ts";
import { LOG_DIR_ENV } from "../../offchain-worker/src/logging.ts";
import { recordSuiteSecrets } from "../../scripts/test/logRedaction.ts";

const MAIN = new URL("../../offchain-worker/src/main.ts", import.meta.url).pathname;
const STAND_IN = new URL("./fixtures/standInEvaluator.ts", import.meta.url).pathname;

/** Serves an EIP-1193 provider as JSON-RPC over HTTP, on any path; while `down`, every request gets a 503. */
async function bridge(provider: { request(args: { method: string; params?: unknown }): Promise<unknown> }): Promise<{ url: string; server: Server; down: boolean }> {
  const answer = async (call: { id: unknown; method: string; params?: unknown }) => {
    try {
      return { jsonrpc: "2.0", id: call.id, result: await provider.request({ method: call.method, params: call.params }) };
    } catch (error) {
      const e = error as { code?: number; message?: string; data?: unknown };
      return { jsonrpc: "2.0", id: call.id, error: { code: e.code ?? -32603, message: e.message ?? String(error), data: e.data } };
    }
  };
  const server = createServer(async (req, res) => {
    if (state.down) return res.writeHead(503).end("the test took the RPC down");
    let text = "";
    for await (const chunk of req) text += chunk;
    const body = JSON.parse(text) as Parameters<typeof answer>[0] | Parameters<typeof answer>[0][];
    const reply = Array.isArray(body) ? await Promise.all(body.map(answer)) : await answer(body);
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(reply, (_k, v: unknown) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v)));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the bridge has no port");
  const state = { url: `http://127.0.0.1:${address.port}`, server, down: false };
  return state;
}

describe("worker start (main.ts)", async () => {
  const f = await workerFixture();
  let rpc: { url: string; server: Server; down: boolean };
  let configPath: string;

  before(async () => {
    rpc = await bridge(f.m.connection.provider);
    configPath = join(f.dataDir, "worker.json");
    await writeFile(
      configPath,
      JSON.stringify({
        rpcUrl: rpc.url,
        market: f.c.market.address,
        registry: f.c.registry.address,
        dataDir: "data",
        port: 0,
        threads: 1,
        logLevel: false,
        listings: [{ listingId: Number(f.listingId), modelId: MODEL_ID }],
        evaluator: { module: STAND_IN },
      }),
    );
  });
  after(() => new Promise<void>((resolve) => rpc.server.close(() => resolve())));

  function run(env: Record<string, string>, config = configPath) {
    // The suite's log folder is passed on, so the child's log is checked with every other worker's.
    const logDir = process.env[LOG_DIR_ENV] ? { [LOG_DIR_ENV]: process.env[LOG_DIR_ENV] } : {};
    const child = spawn(process.execPath, [MAIN, "--config", config], { env: { PATH: process.env.PATH ?? "", ...logDir, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    return { child, output: () => output };
  }

  /** Starts the worker with `env`, checks /health names the signer, stops it with SIGTERM. */
  async function startAndStop(env: Record<string, string>): Promise<void> {
    const { child, output } = run(env);
    const deadline = Date.now() + 30_000;
    let url: string | undefined;
    while (!url && Date.now() < deadline && child.exitCode === null) {
      url = /listening on (http:\/\/\S+)/.exec(output())?.[1];
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(url, `the worker did not start:\n${output()}`);
    const health = (await (await fetch(`${url}/health`)).json()) as { worker: string; chainId: number };
    assert.equal(health.worker, f.workerAddress);
    assert.equal(health.chainId, f.context.chainId);
    child.kill("SIGTERM");
    const [code] = (await once(child, "exit")) as [number | null];
    assert.equal(code, 0, output());
  }

  it("starts, serves /health and stops cleanly on SIGTERM", () => startAndStop({ [SIGNER_KEY_ENV]: f.workerKey }));

  it("signs with an encrypted key file opened with a password file, and refuses a wrong password", async () => {
    const keyFile = join(f.dataDir, "worker-key.json");
    const passwordFile = join(f.dataDir, "worker-key.password");
    await writeFile(keyFile, JSON.stringify(await encryptKeystore(f.workerKey, "unattended", { scryptN: 2 ** 12 })));
    await writeFile(passwordFile, "unattended\n");
    recordSuiteSecrets({ "main test: the keystore password": "unattended" });
    await startAndStop({ [SIGNER_KEYSTORE_ENV]: keyFile, [SIGNER_KEYSTORE_PASSWORD_FILE_ENV]: passwordFile });
    for (const [env, message] of [
      [{ [SIGNER_KEYSTORE_ENV]: keyFile, [SIGNER_KEYSTORE_PASSWORD_ENV]: "wrong" }, /worker-key\.json: wrong password for the key file/],
      [{ [SIGNER_KEYSTORE_ENV]: keyFile }, /MODELBAZAAR_WORKER_KEYSTORE needs its password: set MODELBAZAAR_WORKER_KEYSTORE_PASSWORD_FILE/],
      [{ [SIGNER_KEYSTORE_ENV]: keyFile, [SIGNER_KEYSTORE_PASSWORD_FILE_ENV]: join(f.dataDir, "absent") }, /cannot read the password file named by MODELBAZAAR_WORKER_KEYSTORE_PASSWORD_FILE, .*absent/],
    ] as const) {
      const { child, output } = run(env);
      const [code] = (await once(child, "exit")) as [number | null];
      assert.equal(code, 1, output());
      assert.match(output(), /^worker start failed: /);
      assert.match(output(), message);
    }
  });

  it("waits for an RPC that is down at start, and never writes the RPC URL's secrets to its log", async () => {
    const userinfo = { user: "rpcuser42", password: "UserinfoSecret77" };
    const secrets = ["0123456789abcdefPATHKEY", "QUERYSECRET987654", userinfo.user, userinfo.password, btoa(`${userinfo.user}:${userinfo.password}`)];
    recordSuiteSecrets({ "main test: the RPC URL's path key": secrets[0]!, "main test: the RPC URL's query key": secrets[1]!, "main test: the RPC URL's password": userinfo.password, "main test: the RPC URL's Basic authorization": secrets[4]! });
    const config = join(f.dataDir, "worker-secret-rpc.json");
    const base = JSON.parse(await readFile(configPath, "utf8")) as Record<string, unknown>;
    const rpcUrl = rpc.url.replace("http://", `http://${userinfo.user}:${userinfo.password}@`);
    await writeFile(config, JSON.stringify({ ...base, rpcUrl: `${rpcUrl}/v3/${secrets[0]}?apikey=${secrets[1]}`, dataDir: "data-secret", logLevel: "info", pollIntervalMs: 100 }));
    rpc.down = true;
    const { child, output } = run({ [SIGNER_KEY_ENV]: f.workerKey }, config);
    const until = async (pattern: RegExp) => {
      for (const deadline = Date.now() + 30_000; !pattern.test(output()) && Date.now() < deadline && child.exitCode === null; ) await new Promise((r) => setTimeout(r, 100));
      assert.match(output(), pattern);
    };
    try {
      await until(/cannot reach the chain's RPC at start; retrying[\s\S]*cannot reach the chain's RPC at start; retrying/);
      rpc.down = false;
      await until(/listening on http:\/\/\S+/);
      const url = /listening on (http:\/\/\S+)/.exec(output())![1]!;
      rpc.down = true; // every chain read now fails, and viem names the URL in every error
      await until(/chain watcher poll failed/);
      const health = await fetch(`${url}/health`);
      assert.equal(health.status, 503);
      const body = await health.text();
      for (const secret of secrets) assert.ok(!body.includes(secret), "/health leaks the RPC URL");
      rpc.down = false;
    } finally {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
    assert.match(output(), /\[redacted\]/, "the URL was logged, redacted");
    for (const secret of secrets) assert.ok(!output().includes(secret), `the log holds ${secret}:
${output()}`);
  });

  it("refuses to start without the signer key in the environment", async () => {
    const { child, output } = run({});
    const [code] = (await once(child, "exit")) as [number | null];
    assert.equal(code, 1);
    assert.match(output(), new RegExp(`set ${SIGNER_KEY_ENV}`));
  });
});
