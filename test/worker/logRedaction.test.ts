/**
 * The worker's log redaction (offchain-worker/src/logging.ts) through fastify's real pino logger,
 * and the suite's log check (scripts/test/logRedaction.ts) that `npm test` runs over every
 * worker log: the signer key (with and without 0x, in either case), the RPC URL's userinfo (and
 * the Basic authorization viem makes of it), path and query keys, and plan salts never reach a
 * line, however deeply nested; the logs go to MODELBAZAAR_LOG_DIR when it is set, an evaluation
 * node's too (a real process on a real password-protected redis-server), whose Redis errors go
 * there through the redacting logger and never to the console; and the check finds a secret
 * planted in a log, by label, without printing it.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { LOG_DIR_ENV } from "../../offchain-worker/src/logging.ts";
import { REDIS_MISSING, startRedisServer } from "../helpers/redisServer.ts";
import { spawnEvaluationNode } from "./evaluationNodeProcess.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import Fastify from "fastify";
import { toHex } from "viem";
import { generatePrivateKey } from "viem/accounts";
import { loggerOptions, redactor } from "../../offchain-worker/src/logging.ts";
import { findLeaks, logFiles, suiteSecrets, SUITE_SECRETS_FILE } from "../../scripts/test/logRedaction.ts";
import { devAccountKey } from "../../scripts/lib/demoListings.ts";
import { logCapture } from "./workerFixture.ts";

const SIGNER_KEY = generatePrivateKey();
const PLAN_SALT = 0x5eed5a170000000000000000000000000000000000000000000000000000042n;
const RPC_URL = "http://rpcuser42:UserinfoSecret77@127.0.0.1:8545/v3/0123456789abcdefPATHKEY?apikey=QUERYSECRET987654";
const SECRETS = [
  SIGNER_KEY,
  SIGNER_KEY.slice(2),
  SIGNER_KEY.toUpperCase().slice(2),
  "rpcuser42",
  "UserinfoSecret77",
  btoa("rpcuser42:UserinfoSecret77"),
  "0123456789abcdefPATHKEY",
  "QUERYSECRET987654",
  PLAN_SALT.toString(),
  toHex(PLAN_SALT, { size: 32 }),
];

/** Logs every secret through a fastify app's logger (messages, nested objects, an error's message, stack and cause); returns the lines. */
async function logEverySecret(logDir?: string): Promise<string[]> {
  const capture = logCapture();
  const app = Fastify({ logger: loggerOptions("info", redactor({ urls: [RPC_URL], signerKey: SIGNER_KEY, planSalts: [PLAN_SALT] }), capture, logDir) });
  await app.ready();
  for (const secret of SECRETS) {
    app.log.info(`viem says: request to ${RPC_URL} failed, key ${secret}`);
    app.log.warn({ nested: { deeper: [secret] }, err: new Error(`boom ${secret}`, { cause: new Error(`because ${secret}`) }) }, "a failure");
  }
  await app.close();
  return capture.lines;
}

describe("log redaction", () => {
  it("keeps the signer key, the RPC URL's userinfo, path and query keys and the plan salts out of every line", async () => {
    const lines = await logEverySecret();
    assert.ok(lines.length >= 2 * SECRETS.length, "every line was logged");
    assert.ok(lines.every((line) => line.includes("[redacted]")));
    for (const secret of SECRETS) {
      const leaking = lines.filter((line) => line.toLowerCase().includes(secret.toLowerCase()));
      assert.deepEqual(leaking, [], `${secret} reached the log`);
    }
    assert.ok(lines.some((line) => line.includes("http://[redacted]:[redacted]@127.0.0.1:8545[redacted]")), "the URL's origin stays readable");
  });

  it("writes a copy of every redacted line into MODELBAZAAR_LOG_DIR, even when the log is off", async () => {
    const dir = await mkdtemp(join(tmpdir(), "modelbazaar-logs-"));
    const capture = logCapture();
    const app = Fastify({ logger: loggerOptions(false, redactor({ urls: [RPC_URL], signerKey: SIGNER_KEY }), capture, dir) });
    await app.ready();
    app.log.info(`signed with ${SIGNER_KEY}`);
    await app.close();
    assert.deepEqual(capture.lines, [], "the configured destination stays silent");
    const [file] = await readdir(dir);
    const text = await readFile(join(dir, file!), "utf8");
    assert.match(text, /signed with \[redacted\]/);
    assert.ok(!text.includes(SIGNER_KEY.slice(2)));
  });

  it("the suite's check finds a secret planted in a log, by its label, and passes the redacted logs", async () => {
    const dir = await mkdtemp(join(tmpdir(), "modelbazaar-logs-"));
    await logEverySecret(dir);
    await writeFile(join(dir, SUITE_SECRETS_FILE), `a test's signer key\t${SIGNER_KEY}\nthe RPC password\tUserinfoSecret77\n`);
    assert.deepEqual(findLeaks(dir), [], "the redacted logs hold no secret");

    await writeFile(join(dir, "planted.log"), `{"msg":"ok"}\n{"msg":"key ${SIGNER_KEY.slice(2).toUpperCase()}"}\n{"msg":"dev ${devAccountKey(7)}"}\n`);
    const leaks = findLeaks(dir).map(({ file, line, label }) => ({ file: file.split("/").at(-1), line, label }));
    assert.deepEqual(leaks, [
      { file: "planted.log", line: 2, label: "a test's signer key (without 0x)" },
      { file: "planted.log", line: 3, label: "Hardhat development account #7's private key" },
      { file: "planted.log", line: 3, label: "Hardhat development account #7's private key (without 0x)" },
    ]);
    assert.ok(suiteSecrets(dir).some((s) => s.label === "the RPC password"));
  });

  it("an evaluation node writes its log into MODELBAZAAR_LOG_DIR with the Redis password redacted, its Redis errors included, nothing on the console", { skip: REDIS_MISSING }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "modelbazaar-logs-"));
    const redis = await startRedisServer();
    const configPath = join(dir, "worker.json");
    const evaluator = { module: new URL("./fixtures/standInEvaluator.ts", import.meta.url).pathname };
    await writeFile(configPath, JSON.stringify({ dataDir: "data", threads: 1, evaluator, listings: [{ listingId: 1, modelId: "iris" }] }));
    const node = await spawnEvaluationNode(configPath, "logged-node", { MODELBAZAAR_REDIS_URL: redis.url, [LOG_DIR_ENV]: dir });
    try {
      await redis.kill();
      await node.waitFor((line) => line.msg === "Redis error");
    } finally {
      await node.kill("SIGKILL");
      await redis.stop();
    }
    const text = (await Promise.all(logFiles(dir).map((file) => readFile(file, "utf8")))).join("");
    assert.match(text, /"msg":"evaluation node ready"/);
    assert.ok(text.includes(`redis://:[redacted]@127.0.0.1:${redis.port}`), "the node logs its Redis, password redacted");
    assert.match(text, /"msg":"Redis error"/);
    await writeFile(join(dir, SUITE_SECRETS_FILE), `the test Redis's password\t${redis.password}\n`);
    assert.deepEqual(findLeaks(dir), []);
    assert.equal(node.stderr(), "", "no Redis error went to the console");
  });
});
