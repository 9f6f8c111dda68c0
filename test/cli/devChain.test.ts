/**
 * `npm start`'s chain as a person meets it from the CLI:
 *  - its clock moves on its own (a block every 2 s with no transaction), so a deadline the CLI
 *    prints ("in 95 s") counts down between two runs of `bazaar status`;
 *  - `bazaar dev advance <duration>` moves it forward and mines, so windows of hours end at
 *    once; it is refused, before anything is sent, on a chain with another id and on a 31337
 *    chain that is not a local Hardhat one;
 *  - the CLI finds the chain without --rpc: MODELBAZAAR_RPC_PORT, the running npm start's note
 *    (with its deployment, from any directory), and the order of those rules.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CliError } from "../../scripts/cli/cliError.ts";
import { resolveEndpoint } from "../../scripts/cli/session.ts";
import { announceRunningStack, type RunningStack } from "../../scripts/lib/runningStack.ts";
import { listAuctionModel } from "../helpers/auctionListing.ts";
import { startCliStack, type CliResult, type CliStack } from "../helpers/cliStack.ts";

const SELLER = 1;
const ANYONE = 2;

function json<T>(result: CliResult): T {
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as T;
}

/** A JSON-RPC server answering eth_chainId with `chainId`, and every other method with an error; it records the methods asked. */
async function fakeChain(chainId: number): Promise<{ url: string; methods: string[]; server: Server }> {
  const methods: string[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const { id, method } = JSON.parse(body) as { id: number; method: string };
      methods.push(method);
      const answer = method === "eth_chainId" ? { result: `0x${chainId.toString(16)}` } : { error: { code: -32601, message: `the method ${method} does not exist` } };
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ jsonrpc: "2.0", id, ...answer }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`, methods, server };
}

describe("the local dev chain's clock and endpoints", { timeout: 300_000 }, () => {
  let stack: CliStack;
  let port: string;
  before(async () => {
    stack = await startCliStack({ network: "localDev" });
    port = new URL(stack.node.url).port;
  });
  after(async () => stack?.stop());

  it("mines a block every 2 s with no transaction, so a printed deadline counts down between two runs", async () => {
    const listingId = await listAuctionModel(stack, SELLER);
    const created = json<{ auctionId: string }>(await stack.bazaar(["--json", "auction", "create", String(listingId), "--kind", "first-price", "--reserve", "1", "--bidding", "100s", "--reveal", "1h"], SELLER));
    const left = async (): Promise<number> => {
      const status = await stack.bazaar(["status", "auction", created.auctionId], ANYONE);
      assert.equal(status.code, 0, status.stderr);
      const seconds = /bidding:\s+until .*, in (\d+) s/.exec(status.stdout)?.[1];
      assert.ok(seconds, status.stdout);
      return Number(seconds);
    };
    const [blockBefore, firstLeft] = [await stack.publicClient.getBlockNumber(), await left()];
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const [blockAfter, laterLeft] = [await stack.publicClient.getBlockNumber(), await left()];
    assert.ok(blockAfter >= blockBefore + 2n, `blocks ${blockBefore} → ${blockAfter} with no transaction`);
    assert.ok(laterLeft <= firstLeft - 3, `the deadline counts down: in ${firstLeft} s, then in ${laterLeft} s`);
  });

  it("bazaar dev advance ends windows of hours at once, found through MODELBAZAAR_RPC_PORT", async () => {
    const listingId = await listAuctionModel(stack, SELLER);
    const { auctionId } = json<{ auctionId: string }>(await stack.bazaar(["--json", "auction", "create", String(listingId), "--kind", "first-price", "--reserve", "1", "--bidding", "2h", "--reveal", "1d"], SELLER));
    const phase = async () => json<{ phase: string }>(await stack.bazaar(["--json", "status", "auction", auctionId], ANYONE)).phase;
    assert.equal(await phase(), "bidding");
    const before = (await stack.publicClient.getBlock()).timestamp;
    const moved = await stack.bazaar(["dev", "advance", "2h"], null, { NO_CHAIN_ARGS: "1", MODELBAZAAR_RPC_PORT: port });
    assert.equal(moved.code, 0, moved.stderr);
    assert.match(moved.stdout, new RegExp(`^moved the clock of the local chain at http://127\\.0\\.0\\.1:${port} forward by 2h \\(7200 s\\): block \\d+ is at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\n`));
    assert.ok((await stack.publicClient.getBlock()).timestamp >= before + 7_200n);
    assert.equal(await phase(), "revealing");
    const day = json<{ advancedBy: number }>(await stack.bazaar(["--json", "dev", "advance", "1d"], null, { NO_CHAIN_ARGS: "1", MODELBAZAAR_RPC_PORT: port }));
    assert.equal(day.advancedBy, 86_400);
    assert.equal(await phase(), "settleable");

    for (const [duration, sentence] of [
      ["0s", /the duration must be more than 0 s/],
      ["3000d", /the duration must be at most 366d/],
      ["3 days", /the duration must be a duration such as 90s, 10m, 2h or 3d, not "3 days"/],
    ] as const) {
      const refused = await stack.bazaar(["dev", "advance", duration], null, { NO_CHAIN_ARGS: "1", MODELBAZAAR_RPC_PORT: port });
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, sentence);
    }
  });

  it("bazaar dev advance is refused, before anything is sent, on any chain but a local Hardhat one", async () => {
    const sepolia = await fakeChain(11_155_111);
    const impostor = await fakeChain(31_337);
    try {
      const other = await stack.bazaar(["dev", "advance", "1d", "--rpc", sepolia.url], null, { NO_CHAIN_ARGS: "1" });
      assert.equal(other.code, 1);
      assert.match(other.stderr, new RegExp(`^bazaar: bazaar dev advance moves the clock of the local development chain only \\(npm start's, chain id 31337\\); ${sepolia.url.replaceAll(".", "\\.")} is chain 11155111, whose clock nobody can move\\n$`));
      const fake = await stack.bazaar(["dev", "advance", "1d", "--rpc", impostor.url], null, { NO_CHAIN_ARGS: "1" });
      assert.equal(fake.code, 1);
      assert.match(fake.stderr, /a local Hardhat chain only; chain 31337 at .* does not answer hardhat_metadata, so it is not one/);
      for (const { methods } of [sepolia, impostor]) assert.ok(!methods.some((m) => m.startsWith("evm_")), `nothing was sent: ${methods.join(", ")}`);
    } finally {
      sepolia.server.close();
      impostor.server.close();
    }
    const port = await stack.bazaar(["listings"], null, { NO_CHAIN_ARGS: "1", MODELBAZAAR_RPC_PORT: "85450" });
    assert.match(port.stderr, /^bazaar: MODELBAZAAR_RPC_PORT must be a TCP port \(1 to 65535\), not "85450"\n$/);
  });

  it("finds the running npm start by its note: its URL and its deployment, from any directory", async () => {
    const note: RunningStack = {
      pid: process.pid,
      rpcUrl: stack.node.url,
      chainId: 31_337,
      deployment: stack.deployment,
      workerUrl: "http://127.0.0.1:1",
      appUrl: "http://127.0.0.1:1",
      startedAt: new Date().toISOString(),
    };
    const withdraw = announceRunningStack(note);
    try {
      // From a directory without deployments/, with only the port: the deployment comes from the note.
      const listed = await stack.bazaar(["--json", "listings"], null, { NO_CHAIN_ARGS: "1", MODELBAZAAR_RPC_PORT: port, CWD: mkdtempSync(join(tmpdir(), "bazaar-cwd-")) });
      assert.ok(json<unknown[]>(listed).length >= 1, listed.stdout);
    } finally {
      withdraw();
    }

    const saved = { url: process.env.MODELBAZAAR_RPC_URL, port: process.env.MODELBAZAAR_RPC_PORT };
    delete process.env.MODELBAZAAR_RPC_URL;
    delete process.env.MODELBAZAAR_RPC_PORT;
    try {
      const on = (rpcUrl: string, pid = 1): RunningStack => ({ ...note, rpcUrl, pid });
      assert.deepEqual(resolveEndpoint({}, []), { url: "http://127.0.0.1:8545", foundBy: "the default" });
      const found = resolveEndpoint({}, [on("http://127.0.0.1:9545", 42)]);
      assert.equal(found.url, "http://127.0.0.1:9545", "the only running npm start, on any port");
      assert.match(found.foundBy, /the running npm start \(process 42\)/);
      assert.equal(resolveEndpoint({}, [on("http://127.0.0.1:9545"), on("http://127.0.0.1:8545")]).url, "http://127.0.0.1:8545", "of several, the one on the default port");
      assert.throws(() => resolveEndpoint({}, [on("http://127.0.0.1:9545"), on("http://127.0.0.1:9645")]), (e: unknown) => e instanceof CliError && /2 npm start stacks are running \(http:\/\/127\.0\.0\.1:9545, http:\/\/127\.0\.0\.1:9645\): pick one with MODELBAZAAR_RPC_PORT=<port> or --rpc <url>/.test(e.message));
      process.env.MODELBAZAAR_RPC_PORT = "9645";
      const byPort = resolveEndpoint({}, [on("http://127.0.0.1:9545"), on("http://127.0.0.1:9645", 7)]);
      assert.deepEqual([byPort.url, byPort.foundBy, byPort.stack?.pid], ["http://127.0.0.1:9645", "MODELBAZAAR_RPC_PORT", 7], "the port picks the stack, and its deployment");
      process.env.MODELBAZAAR_RPC_URL = "http://10.0.0.1:8545";
      assert.equal(resolveEndpoint({}, []).url, "http://10.0.0.1:8545", "MODELBAZAAR_RPC_URL wins over the port");
      assert.equal(resolveEndpoint({ rpc: "http://127.0.0.1:1" }, []).url, "http://127.0.0.1:1", "--rpc wins over everything");
    } finally {
      for (const [name, value] of [["MODELBAZAAR_RPC_URL", saved.url], ["MODELBAZAAR_RPC_PORT", saved.port]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
