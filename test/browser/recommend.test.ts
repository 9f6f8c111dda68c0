/**
 * "Recommended for you" in real Chromium against `npm start` (no aggregator injected into the
 * app yet, so a cold start): a buyer connects the dev wallet, opens a model's page (a browse,
 * kept in this browser only), and back on the listings page sees the Recommended section with
 * the cold start said so, a why-line on every pick, the listing someone promoted marked
 * "Promoted" in its slot, and the privacy panel: the browse counted as kept on this device, no
 * ε spent, participation off and unavailable without an aggregator, and "Clear my local history"
 * emptying what is kept. axe finds no serious or critical violation, and no console error occurs.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createPublicClient, createWalletClient, defineChain, http, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { Browser } from "playwright-core";
import { modelRegistryAbi } from "@modelbazaar/sdk/abis";
import { browserUnavailable, launchChromium } from "../../scripts/lib/browser/chromium.ts";
import { DEMO_MODELS, devAccountKey } from "../../scripts/lib/demoListings.ts";
import { axeViolations, watchErrors } from "./pageChecks.ts";
import { newTestContext, ROOT, startLocalStack, type LocalStack } from "./localStack.ts";

describe("recommendations in the dApp", { skip: browserUnavailable() }, () => {
  let stack: LocalStack;
  let browser: Browser;
  const errors: string[] = [];
  before(async () => {
    stack = await startLocalStack();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("shows a cold-start Recommended section with why-lines and a Promoted pick, and a privacy panel that clears the local history", { timeout: 600_000 }, async () => {
    const deployment = JSON.parse(readFileSync(join(ROOT, "deployments", "31337.json"), "utf8")) as { registry: Address };
    const chain = defineChain({ id: 31337, name: "Local chain", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [stack.rpcUrl] } } });
    const promoted = BigInt(DEMO_MODELS.indexOf("mnist-cryptonets") + 1);
    const promoter = createWalletClient({ account: privateKeyToAccount(devAccountKey(0)), chain, transport: http(stack.rpcUrl) });
    const promotion = await promoter.writeContract({ address: deployment.registry, abi: modelRegistryAbi, functionName: "promote", args: [promoted], value: 10n ** 16n });
    await createPublicClient({ chain, transport: http(stack.rpcUrl) }).waitForTransactionReceipt({ hash: promotion });

    const context = await newTestContext(browser, { viewport: { width: 1280, height: 900 } });
    watchErrors(context, errors);
    const page = await context.newPage();
    await page.goto(stack.appUrl);
    await page.getByRole("button", { name: "Connect wallet" }).click();
    const dialog = page.getByRole("dialog", { name: "Connect a wallet" });
    const buyer = privateKeyToAccount(devAccountKey(5)).address;
    await dialog.getByLabel("Account").selectOption(buyer);
    await dialog.getByRole("button", { name: "Connect dev wallet" }).click();
    await page.getByTestId("account-button").filter({ hasText: `${buyer.slice(0, 6)}…${buyer.slice(-4)}` }).waitFor();

    const recommended = page.getByRole("region", { name: "Recommended for you" });
    const picks = recommended.getByTestId("recommendation");
    await picks.nth(DEMO_MODELS.length - 1).waitFor({ timeout: 120_000 });
    const privacy = page.getByRole("region", { name: "Your privacy" });
    assert.match(await privacy.innerText(), /\(0 kept\)/);

    // A browse: the model's page opened while connected.
    await recommended.getByRole("link", { name: DEMO_MODELS[1] }).click();
    await page.getByRole("link", { name: "All listings" }).click({ timeout: 60_000 });
    await picks.nth(DEMO_MODELS.length - 1).waitFor({ timeout: 120_000 });

    assert.match(await recommended.getByTestId("cold-start").innerText(), /^Cold start: no recommendation aggregator is configured, so these are ranked by public on-chain signals/);
    const rows = await picks.allInnerTexts();
    assert.equal(rows.length, DEMO_MODELS.length);
    assert.match(rows[2]!, new RegExp(`^${DEMO_MODELS[3]}\\s+#4\\s*Promoted`), `the promoted slot: ${rows.join(" | ")}`);
    assert.ok(rows.filter((row) => /Promoted/.test(row)).length === 1, rows.join(" | "));
    for (const why of await recommended.getByTestId("why").allInnerTexts()) assert.ok(why.length > 0, "every pick says why");
    assert.match(await privacy.innerText(), /Stays on this device:.*\(1 kept\)/);
    assert.match(await privacy.getByTestId("epsilon").innerText(), /^Privacy spent in \d{4}-\d\d: ε = 0\.00 over 0 rounds \(δ = 0\.00001; at most ε = 8 a month\)\.?$/);
    const participate = privacy.getByRole("checkbox", { name: "Help improve recommendations (send noised updates)" });
    assert.equal(await participate.isChecked(), false, "participation is off by default");
    assert.equal(await participate.isDisabled(), true, "nothing to take part in without an aggregator");
    assert.deepEqual(await axeViolations(page), [], "the listings page with recommendations");

    await privacy.getByRole("button", { name: "Clear my local history" }).click();
    await privacy.getByText("(0 kept)").waitFor();
    const kept = await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith("modelbazaar.recommend.")));
    assert.deepEqual(kept, []);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
