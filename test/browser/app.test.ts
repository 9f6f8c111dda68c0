/**
 * The dApp as a person meets it: `npm start` (the real script, as a child process) serves
 * app/, and headless Chromium shows every demo listing read from the local chain, then the
 * audit page re-checks the market in the browser and finds every check held; after one wei the
 * events do not explain lands in the market, its re-run fails the conservation check and shows
 * it first. Ctrl-C (SIGINT) then stops the app, the worker and the chain, and the process exits 0.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createPublicClient, createWalletClient, formatEther, http, toHex, type Address } from "viem";
import { modelMarketAbi, modelRegistryAbi } from "@modelbazaar/sdk/abis";
import { browserUnavailable, launchChromium } from "../../scripts/lib/browser/chromium.ts";
import { DEMO_MODELS } from "../../scripts/lib/demoListings.ts";
import { rpc, startLocalStack } from "./localStack.ts";

describe("the dApp served by npm start", { skip: browserUnavailable() }, () => {
  it("lists every demo model from the chain, audits the market in the browser, then stops cleanly on Ctrl-C", { timeout: 300_000 }, async () => {
    const stack = await startLocalStack();
    const { appUrl, rpcUrl } = stack;
    try {
      assert.match(stack.output(), new RegExp(`dApp\\s+${appUrl.replaceAll(".", "\\.")}`));

      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        await page.goto(appUrl);
        const rows = page.getByTestId("listing");
        await rows.nth(DEMO_MODELS.length - 1).waitFor({ timeout: 180_000 });
        assert.equal(await rows.count(), DEMO_MODELS.length);
        const text = await page.locator("table").innerText();
        for (const model of DEMO_MODELS) assert.ok(text.includes(model), `${model} is not on the page:\n${text}`);
        assert.match(text, /5 ETH/);
        assert.match(text, /active/);

        await page.getByRole("navigation").getByRole("link", { name: "Audit" }).click();
        const summary = page.getByTestId("audit-summary");
        await summary.or(page.getByRole("alert")).waitFor({ timeout: 120_000 });
        const verdict = (await summary.count()) > 0 ? await summary.innerText() : "no summary";
        const checks = /^(\d+) checks, all held$/.exec(verdict);
        assert.ok(checks, `the audit did not hold: ${verdict}\n${await page.locator("main").innerText()}`);
        assert.ok(Number(checks[1]) > 0, verdict);
        const audited = page.getByRole("region", { name: /^Listings/ }).getByRole("row");
        assert.equal(await audited.count(), DEMO_MODELS.length + 1); // the header, then one row per listing
        const auditedRows = await Promise.all(DEMO_MODELS.map((_, i) => audited.nth(i + 1).innerText()));
        auditedRows.forEach((row, i) => assert.match(row, new RegExp(`^${i + 1}\\s.*\\tactive\\t.*5 ETH`)));
        for (const model of DEMO_MODELS) assert.ok(auditedRows.some((row) => row.includes(model)), `${model} is not among the audited listings:\n${auditedRows.join("\n")}`);

        // One wei forced into the market (as a self-destructing contract can) belongs to no one:
        // the re-run still holds every check and names it as unowned. The market already holds
        // the escrow of the demo's seeded purchases (scripts/lib/demoPurchases.ts).
        const marketAddress = await page.locator("main p code").first().innerText();
        const client = createPublicClient({ transport: http(rpcUrl) });
        const escrowed = await client.getBalance({ address: marketAddress as Address });
        await rpc(rpcUrl, "hardhat_setBalance", [marketAddress, toHex(escrowed + 1n)]);
        await page.getByRole("button", { name: "Re-run" }).click();
        await page.getByText("Unowned (forced in, belongs to no one): 0.000000000000000001 ETH in the market").waitFor({ timeout: 120_000 });
        assert.equal(await summary.innerText(), `${checks[1]} checks, all held`);

        // A test-drive's deposit held, then one wei less in the market than it holds: the re-run
        // must fail the conservation check and say so first.
        const [opener] = (await rpc(rpcUrl, "eth_accounts", [])) as Address[];
        const market = { address: marketAddress as Address, abi: modelMarketAbi } as const;
        const registry = await client.readContract({ ...market, functionName: "registry" });
        const [, , policy] = await client.readContract({ address: registry, abi: modelRegistryAbi, functionName: "testTerms", args: [1n] });
        const [deposit, fee] = await client.readContract({ ...market, functionName: "testPrice", args: [1n, policy.minSamples] });
        const wallet = createWalletClient({ account: opener!, transport: http(rpcUrl) });
        const hash = await wallet.writeContract({ ...market, chain: null, functionName: "openTest", args: [1n, toHex(7n, { size: 32 }), policy.minSamples], value: deposit + fee });
        await client.waitForTransactionReceipt({ hash });
        const held = escrowed + deposit + fee;
        await rpc(rpcUrl, "hardhat_setBalance", [marketAddress, toHex(held - 1n)]);
        await page.getByRole("button", { name: "Re-run" }).click();
        await summary.filter({ hasText: /checks failed/ }).waitFor({ timeout: 120_000 });
        assert.match(await summary.innerText(), /^1 of \d+ checks failed$/);
        const failed = await page.getByRole("region", { name: "Failed checks" }).innerText();
        assert.match(failed, new RegExp(`funds\\.conserved \\[market\\]: balance ${formatEther(held - 1n).replace(".", "\\.")} ETH < held ${formatEther(held).replace(".", "\\.")} ETH \\+ owed 0 ETH`));
      } finally {
        await browser.close();
      }
    } catch (error) {
      await stack.stop();
      throw error;
    }
    assert.equal(await stack.stop(), 0, stack.output());
  });
});
