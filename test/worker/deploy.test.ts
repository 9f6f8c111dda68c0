/**
 * The worker's deployment files (offchain-worker/deploy/), checked as far as this machine allows
 * (no image can be built here: no registry for a base image): the systemd unit passes
 * `systemd-analyze verify` (inside a scratch root, so nothing is installed on the host) and keeps
 * its restart policy and hardening; the Dockerfile copies only paths that exist and that the
 * .dockerignore lets through, runs the worker's entry point as a non-root user with the state
 * directory as a volume, and probes /health with healthcheck.ts, which the test runs against a
 * live worker (exit 0) and against one whose chain is down (exit 1).
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { DEFAULTS, RPC_URL_ENV, SIGNER_KEY_ENV } from "../../offchain-worker/src/config.ts";
import { SIGNER_KEYSTORE_ENV, SIGNER_KEYSTORE_PASSWORD_FILE_ENV } from "../../offchain-worker/src/signerKeySource.ts";
import type { WorkerHandle } from "../../offchain-worker/src/startWorker.ts";
import { controlledRpc } from "./rpcFaults.ts";
import { workerFixture } from "./workerFixture.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DEPLOY = join(ROOT, "offchain-worker/deploy");
const UNIT = readFileSync(join(DEPLOY, "modelbazaar-worker.service"), "utf8");
const DOCKERFILE = readFileSync(join(DEPLOY, "Dockerfile"), "utf8");
const STATE_DIR = "/var/lib/modelbazaar";

/** The unit's `Key=value` settings (comments and sections dropped), every value of a repeated key. */
function unitSettings(text: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (match) settings.set(match[1]!, [...(settings.get(match[1]!) ?? []), match[2]!]);
  }
  return settings;
}

/** The Dockerfile's instructions, continuation lines joined. */
function dockerInstructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(" ") };
    });
}

/** `systemd-analyze verify` of `unit` inside a scratch root holding the host's units and a stand-in for the ExecStart binary; its output. */
function verifyUnit(unit: string): { status: number | null; output: string } {
  const root = mkdtempSync(join(tmpdir(), "modelbazaar-unit-"));
  const exec = unitSettings(unit).get("ExecStart")![0]!.split(/\s+/)[0]!;
  mkdirSync(join(root, exec, ".."), { recursive: true });
  writeFileSync(join(root, exec), "#!/bin/sh\n");
  chmodSync(join(root, exec), 0o755);
  cpSync("/usr/lib/systemd/system", join(root, "usr/lib/systemd/system"), { recursive: true });
  mkdirSync(join(root, "etc/systemd/system"), { recursive: true });
  writeFileSync(join(root, "etc/systemd/system/modelbazaar-worker.service"), unit);
  const run = spawnSync("systemd-analyze", ["verify", `--root=${root}`, "modelbazaar-worker.service"], { encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

const hasSystemdAnalyze = spawnSync("systemd-analyze", ["--version"]).status === 0;

describe("the worker's systemd unit", () => {
  it("passes systemd-analyze verify without a warning, and a typo would not", { skip: hasSystemdAnalyze ? false : "systemd-analyze is not installed (apt-get install systemd)" }, () => {
    assert.deepEqual(verifyUnit(UNIT), { status: 0, output: "" });
    assert.match(verifyUnit(UNIT.replace("Restart=on-failure", "Restrt=on-failure")).output, /Unknown key 'Restrt'/);
    assert.match(verifyUnit(UNIT.replace("ProtectSystem=strict", "ProtectSystem=strcit")).output, /protect system value/);
  });

  it("restarts on failure, runs the worker's entry point as its own user, hardened, writing only its state directory", () => {
    const s = unitSettings(UNIT);
    const one = (key: string) => s.get(key)?.[0];
    assert.equal(one("Restart"), "on-failure");
    assert.equal(one("User"), "modelbazaar");
    for (const [key, value] of [["NoNewPrivileges", "yes"], ["ProtectSystem", "strict"], ["PrivateTmp", "yes"], ["ProtectHome", "yes"]] as const) assert.equal(one(key), value, key);
    assert.equal(one("ReadWritePaths"), STATE_DIR);
    assert.equal(`/var/lib/${one("StateDirectory")}`, STATE_DIR);
    assert.equal(s.get("MemoryDenyWriteExecute"), undefined, "V8 and WebAssembly need W+X pages");
    assert.equal(one("EnvironmentFile"), "/etc/modelbazaar/worker.env");
    assert.ok(s.get("Environment")!.includes(`${SIGNER_KEYSTORE_PASSWORD_FILE_ENV}=%d/worker-key-password`));
    const [node, script] = one("ExecStart")!.split(/\s+/);
    assert.equal(node, `${one("WorkingDirectory")}/node_modules/.bin/node`);
    assert.ok(existsSync(join(ROOT, script!)), `${script} is not in the repository`);
  });

  it("names in its environment example only variables the worker reads", () => {
    const example = readFileSync(join(DEPLOY, "worker.env.example"), "utf8");
    const named = [...example.matchAll(/^#?\s*(MODELBAZAAR_[A-Z_]+)=/gm)].map((m) => m[1]);
    assert.deepEqual(new Set(named), new Set([RPC_URL_ENV, SIGNER_KEYSTORE_ENV, SIGNER_KEYSTORE_PASSWORD_FILE_ENV, SIGNER_KEY_ENV]));
  });
});

describe("the worker's Dockerfile", () => {
  const instructions = dockerInstructions(DOCKERFILE);
  const all = (op: string) => instructions.filter((i) => i.op === op).map((i) => i.args);

  it("copies only what exists and what the .dockerignore lets through", () => {
    const ignored = readFileSync(join(ROOT, ".dockerignore"), "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
    const sources = all("COPY").filter((args) => !args.startsWith("--from")).flatMap((args) => args.split(/\s+/).slice(0, -1));
    assert.ok(sources.length >= 5);
    for (const source of sources) {
      assert.ok(existsSync(join(ROOT, source)), `COPY ${source}: no such path`);
      assert.ok(!ignored.some((pattern) => source === pattern || source.startsWith(`${pattern}/`)), `COPY ${source} is excluded by .dockerignore`);
    }
    for (const needed of ["sdk", "offchain-worker", "circuits/artifacts"]) assert.ok(sources.includes(needed), `the image lacks ${needed}`);
  });

  it("runs the worker's entry point on the project's Node 24 as a non-root user, with the state directory as a volume and /health as its health check", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
    assert.match(pkg.devDependencies.node!, /^24\./, "the node package the image installs is Node 24");
    assert.equal(all("USER").at(-1), "modelbazaar");
    assert.deepEqual(all("VOLUME"), [`["${STATE_DIR}"]`]);
    assert.deepEqual(all("EXPOSE"), [String(DEFAULTS.port)]);
    const cmd = all("CMD").at(-1)!;
    assert.match(cmd, /node_modules\/\.bin\/node offchain-worker\/src\/main\.ts --config/);
    assert.ok(existsSync(join(ROOT, "offchain-worker/src/main.ts")));
    const health = all("HEALTHCHECK")[0]!;
    assert.match(health, /offchain-worker\/deploy\/healthcheck\.ts/);
    assert.ok(existsSync(join(DEPLOY, "healthcheck.ts")));
    assert.match(all("ENV").join(" "), new RegExp(`MODELBAZAAR_HEALTH_URL=http://127\\.0\\.0\\.1:${DEFAULTS.port}/health`));
  });
});

describe("the container's health probe (healthcheck.ts)", async () => {
  const f = await workerFixture();
  const rpc = controlledRpc(f.m.connection.provider);
  let worker: WorkerHandle;
  before(async () => {
    worker = await f.start({ transport: rpc.transport });
  });
  after(() => worker.close());

  /** Runs the probe as a child process (asynchronously: the worker answering it runs in this process). */
  const probe = async () => {
    const child = spawn(process.execPath, [join(DEPLOY, "healthcheck.ts")], { env: { ...process.env, MODELBAZAAR_HEALTH_URL: `${worker.url}/health` } });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const [status] = (await once(child, "exit")) as [number | null];
    return { status, stderr };
  };

  it("exits 0 while the worker serves, and 1 with the reason while its chain is down", async () => {
    assert.deepEqual(await probe(), { status: 0, stderr: "" });
    rpc.down = true;
    try {
      const down = await probe();
      assert.equal(down.status, 1);
      assert.match(down.stderr, /answered 503: .*the chain cannot be read/);
    } finally {
      rpc.down = false;
    }
  });
});
