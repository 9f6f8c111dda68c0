/**
 * `bazaar audit` against a Hardhat node started by the test (over HTTP, with its own
 * deployment record, so no other stack's record is read), after a small session on the
 * shipped verifiers (a test-drive refunded unserved, a purchase delivered and completed).
 * Once as a user runs it, a child process: a table per flow and "N checks, all held", exit 0.
 * Then in-process through runCli (a child costs 10-20 s of start-up on this shared machine):
 * --json gives the same report; after the market's balance is tampered with, the failing
 * check is listed and the exit code is 1; a malformed option is one sentence and exit 1.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { network } from "hardhat";
import { keccak256, toHex, type Hex } from "viem";
import { runCli } from "../../scripts/cli/bazaar.ts";
import { startLocalNode, type LocalNode } from "../../scripts/lib/localNode.ts";
import type { Deployment } from "@modelbazaar/sdk/client";
import { POLICY, WINDOWS, connectMarket } from "../helpers/market.ts";
import { deployShippedMarket } from "../helpers/shippedMarket.ts";
import { freePort } from "../../scripts/lib/freePort.ts";
import { runBazaar } from "../helpers/runBazaar.ts";

/** Runs the CLI in this process, capturing what it prints. */
async function bazaarInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...parts: unknown[]) => void out.push(parts.join(" "));
  console.error = (...parts: unknown[]) => void err.push(parts.join(" "));
  try {
    const code = await runCli(args);
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
  } finally {
    Object.assign(console, { log, error });
  }
}

describe("bazaar audit", { timeout: 180_000 }, () => {
  let node: LocalNode;
  let record: string;
  let rpc: string;
  let market: Hex;
  let request: (method: string, params: unknown[]) => Promise<unknown>;

  before(async () => {
    node = await startLocalNode(await freePort());
    rpc = node.url;
    const builders = await connectMarket(); // terms, offers and deliveries (the same dev accounts as the node's)
    const { viem, networkHelpers, provider } = await network.create({ network: "localhost", override: { url: rpc } });
    request = (method, params) => provider.request({ method, params });
    const [deployer, seller, buyer] = await viem.getWalletClients();
    const c = await deployShippedMarket(viem, deployer!.account.address);
    market = c.market.address;
    await c.registry.write.list([builders.terms(), builders.offer()], { account: seller!.account });
    await c.market.write.openTest([1n, toHex(BigInt(keccak256(toHex("test set"))) >> 8n, { size: 32 }), 20], { account: buyer!.account, value: POLICY.deposit });
    await c.market.write.buy([1n, 0n, builders.offer().price], { account: buyer!.account, value: builders.offer().price });
    const d = builders.delivery();
    await c.market.write.commitDelivery([1n, d.ciphertextRoot, d.keyHash], { account: seller!.account });
    await c.market.write.acceptDelivery([1n], { account: buyer!.account });
    await c.market.write.revealKey([1n, d.ciphertextRoot, d.key], { account: seller!.account });
    await networkHelpers.time.increase(Math.max(WINDOWS.complaint, POLICY.serviceWindow));
    await c.market.write.refundUnserved([1n], { account: buyer!.account });
    await c.market.write.completePurchase([1n], { account: buyer!.account }); // the seller's payment is credited
    const dir = mkdtempSync(join(tmpdir(), "bazaar-audit-"));
    record = join(dir, "deployment.json");
    const json: Record<keyof Deployment, string | number> = { ...c.deployment, startBlock: c.deployment.startBlock.toString() };
    writeFileSync(record, JSON.stringify(json));
  });
  after(async () => node?.stop());

  it("prints a table per flow and exits 0 when every check held; --json gives the same report", async () => {
    const text = await runBazaar(["audit", "--rpc", rpc, "--deployment", record]);
    assert.equal(text.code, 0, text.stderr + text.stdout);
    assert.match(text.stdout, /^Audit of market 0x[0-9a-fA-F]{40} on chain 31337, blocks \d+\.\.\d+/);
    for (const section of ["Listings (1)", "Test-drives (1)", "Refund disputes: none", "Auctions: none", "Purchases (1)"]) assert.ok(text.stdout.includes(section), section);
    // States in the words `bazaar status` and the dApp use; amounts in ETH with the unit, never wei.
    assert.match(text.stdout, /\bunserved\b/);
    assert.match(text.stdout, /\bcompleted\b/);
    assert.match(text.stdout, /Purchases \(1\)\n.*\n {2}1 +1 +0x[0-9a-fA-F]{6}…[0-9a-fA-F]{4} +[\d.]+ ETH +0 ETH /);
    assert.doesNotMatch(text.stdout.split("\n").slice(1).join("\n"), /\b\d{7,}\b/, "no amount in wei");
    assert.match(text.stdout, /\n\d+ checks, all held\n?$/);

    const json = await bazaarInProcess(["--json", "audit", "--rpc", rpc, "--deployment", record, "--block-range", "3"]);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as { ok: boolean; findings: { check: string; ok: boolean }[]; funds: { marketBalance: string; owed: string }; purchases: { price: string; state: string }[] };
    assert.equal(report.ok, true);
    assert.match(report.purchases[0]!.price, /^\d{16,}$/, "--json gives wei as a decimal string");
    assert.equal(report.purchases[0]!.state, "completed");
    assert.ok(report.findings.some((f) => f.check === "verifier.dispute-key"));
    assert.equal(report.funds.marketBalance, report.funds.owed, "only the seller's credit is left");
  });

  it("refuses a malformed option in one sentence", async () => {
    const badBlock = await bazaarInProcess(["audit", "--rpc", rpc, "--deployment", record, "--from-block", "soon"]);
    assert.equal(badBlock.code, 1);
    assert.match(badBlock.stderr, /^bazaar: --from-block must be a block number, not "soon"$/);
  });

  it("lists the failing check and exits 1 when the market's balance is below held + owed", async () => {
    const balance = BigInt((await request("eth_getBalance", [market, "latest"])) as string);
    await request("hardhat_setBalance", [market, toHex(balance - 7n)]);
    const r = await bazaarInProcess(["audit", "--rpc", rpc, "--deployment", record]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Failed checks:\n {2}✗ funds\.conserved \[market\]: balance [\d.]+ ETH < held 0 ETH \+ owed [\d.]+ ETH/);
    assert.match(r.stderr, /^bazaar: the audit failed: 1 of \d+ checks failed \(funds\.conserved\)$/);
  });

  it("passes, naming the unowned ether, when ether was forced into the market", async () => {
    const balance = BigInt((await request("eth_getBalance", [market, "latest"])) as string);
    await request("hardhat_setBalance", [market, toHex(balance + 14n)]); // the test above took 7 wei away
    const r = await bazaarInProcess(["audit", "--rpc", rpc, "--deployment", record]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /0\.000000000000000007 ETH unowned in the market and 0 ETH in the registry \(forced in\)/);
  });
});
