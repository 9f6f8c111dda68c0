/**
 * The worker's config file reader (offchain-worker/src/config.ts): addresses from a
 * deployment record, paths resolved against the config file, the signer key taken from the
 * environment only, and a clear ConfigError for each thing that is missing or malformed.
 */
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ConfigError, readConfigFile, RPC_URL_ENV, SIGNER_KEY_ENV } from "../../offchain-worker/src/config.ts";

const KEY = `0x${"11".repeat(32)}`;
const MARKET = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const REGISTRY = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";

async function configFile(config: Record<string, unknown>): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), "worker-config-"));
  await writeFile(join(dir, "deployment.json"), JSON.stringify({ chainId: 31337, market: MARKET, registry: REGISTRY, startBlock: "7" }));
  const path = join(dir, "worker.json");
  await writeFile(path, JSON.stringify(config));
  return { dir, path };
}

const valid = {
  rpcUrl: "http://127.0.0.1:8545",
  deployment: "deployment.json",
  dataDir: "data",
  port: 9000,
  listings: [{ listingId: 1, modelId: "mnist-lr" }, { listingId: "2", modelId: "iris-nn" }],
  evaluator: { module: "engine.ts", settings: { threads: 2 } },
};

describe("worker config file", () => {
  it("takes the RPC URL from MODELBAZAAR_RPC_URL when set, else from the file, and needs one of them", async () => {
    const { path } = await configFile(valid);
    assert.equal(readConfigFile(path, KEY, { [RPC_URL_ENV]: "https://rpc.example/v3/KEY" }).rpcUrl, "https://rpc.example/v3/KEY");
    assert.equal(readConfigFile(path, KEY, {}).rpcUrl, valid.rpcUrl);
    const { path: noUrl } = await configFile({ ...valid, rpcUrl: undefined });
    assert.equal(readConfigFile(noUrl, KEY, { [RPC_URL_ENV]: "http://127.0.0.1:8545" }).rpcUrl, "http://127.0.0.1:8545");
    assert.throws(() => readConfigFile(noUrl, KEY, {}), (e: Error) => e instanceof ConfigError && /"rpcUrl" must be a non-empty string/.test(e.message));
  });

  it("reads addresses from the deployment record and resolves paths against the file", async () => {
    const { dir, path } = await configFile(valid);
    const config = readConfigFile(path, KEY);
    assert.equal(config.market, MARKET);
    assert.equal(config.registry, REGISTRY);
    assert.equal(config.startBlock, 7n);
    assert.equal(config.dataDir, join(dir, "data"));
    assert.equal(config.evaluator.module, join(dir, "engine.ts"));
    assert.deepEqual(config.evaluator.settings, { threads: 2 });
    assert.deepEqual(config.listings, [{ listingId: 1n, modelId: "mnist-lr" }, { listingId: 2n, modelId: "iris-nn" }]);
    assert.equal(config.port, 9000);
    assert.equal(config.signerKey, KEY);
  });

  it("explicit addresses win over the deployment record", async () => {
    const other = "0x0000000000000000000000000000000000000001";
    const { path } = await configFile({ ...valid, market: other });
    assert.equal(readConfigFile(path, KEY).market, other);
  });

  it("refuses a missing or malformed signer key, naming the environment variable", async () => {
    const { path } = await configFile(valid);
    assert.throws(() => readConfigFile(path, undefined), (e: Error) => e instanceof ConfigError && e.message.includes(SIGNER_KEY_ENV));
    assert.throws(() => readConfigFile(path, "0x1234"), ConfigError);
  });

  it("refuses missing listings, a bad address, a missing evaluator and unreadable files", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...valid, listings: [] }, /"listings" must be a non-empty array/],
      [{ ...valid, listings: [{ listingId: 1 }] }, /listings\[0\] needs a listingId/],
      [{ ...valid, deployment: undefined, market: "0x12", registry: REGISTRY }, /"market" must be an address/],
      [{ ...valid, evaluator: {} }, /"evaluator.module"/],
      [{ ...valid, port: "80" }, /"port" must be a number/],
      [{ ...valid, deployment: "missing.json" }, /cannot read the deployment record/],
    ];
    for (const [config, message] of cases) {
      const { path } = await configFile(config);
      assert.throws(() => readConfigFile(path, KEY), (e: Error) => e instanceof ConfigError && message.test(e.message), message.source);
    }
    assert.throws(() => readConfigFile("/nonexistent/worker.json", KEY), /cannot read the config file/);
  });

  it("reads a listing's plan salt from its file and its contest switch; refuses a missing or malformed salt file", async () => {
    const { dir } = await configFile(valid);
    await writeFile(join(dir, "iris.salt"), "0x0badc0ffee\n");
    await writeFile(join(dir, "bad.salt"), "not hex\n");
    const listings = [{ listingId: 1, modelId: "iris", planSaltFile: join(dir, "iris.salt") }, { listingId: 2, modelId: "mnist", contest: false }];
    const { path } = await configFile({ ...valid, listings, contestThresholdBps: 2_500 });
    const { listings: read, contestThresholdBps } = readConfigFile(path, KEY);
    assert.deepEqual(read, [{ listingId: 1n, modelId: "iris", planSalt: 0x0badc0ffeen }, { listingId: 2n, modelId: "mnist", contest: false }]);
    assert.equal(contestThresholdBps, 2_500);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ listingId: 1, modelId: "iris", planSaltFile: join(dir, "missing.salt") }, /cannot read listings\[0\]\.planSaltFile/],
      [{ listingId: 1, modelId: "iris", planSaltFile: join(dir, "bad.salt") }, /listings\[0\]\.planSaltFile .* must hold the plan salt as 0x-hex \(`bazaar model plan-salt` writes it\)/],
      [{ listingId: 1, modelId: "iris", contest: "no" }, /listings\[0\]\.contest must be true or false/],
    ];
    for (const [listing, message] of cases) {
      const bad = await configFile({ ...valid, listings: [listing] });
      assert.throws(() => readConfigFile(bad.path, KEY), (e: Error) => e instanceof ConfigError && message.test(e.message), message.source);
    }
  });

  it("reads a listing's per-buyer copies, and refuses copies that are not buyer -> model id", async () => {
    const buyer = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    const { path } = await configFile({ ...valid, listings: [{ listingId: 1, modelId: "iris", copies: { [buyer]: "iris-copy-1" } }] });
    assert.deepEqual(readConfigFile(path, KEY).listings, [{ listingId: 1n, modelId: "iris", copies: { [buyer]: "iris-copy-1" } }]);
    for (const copies of [["iris-copy-1"], { [buyer]: 7 }, { [buyer]: "" }, "iris-copy-1"]) {
      const bad = await configFile({ ...valid, listings: [{ listingId: 1, modelId: "iris", copies }] });
      assert.throws(() => readConfigFile(bad.path, KEY), (e: Error) => e instanceof ConfigError && /listings\[0\]\.copies must be an object naming, for each buyer address, the model id of its copy/.test(e.message), JSON.stringify(copies));
    }
  });
});
