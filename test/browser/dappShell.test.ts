/**
 * The dApp's shell in real Chromium against `npm start`: a wallet injected through EIP-6963
 * (test/browser/injectedWallet.ts) connects through the connect dialog, is asked to switch
 * from chain 1 to the local chain, shows the chain's balance and ledger credit, and withdraws
 * it through the transaction-lifecycle hook (after one rejected signature, which gets its own
 * sentence); the dev wallet connects with a chosen dev account and switches accounts; the theme
 * follows the OS until toggled and the choice survives a reload. Every page passes axe-core
 * (no serious or critical violation) in both themes, at desktop width and at 390 px (where
 * nothing may scroll sideways), with no console error anywhere, and each is photographed into
 * docs/screenshots/. A production build keeps snarkjs, node-seal and the dispute circuits'
 * verification keys out of the listings page's first load (how many bytes that first load is, is a benchmark's number: `npm run bench:app`).
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createPublicClient, createWalletClient, defineChain, formatEther, http, parseEventLogs, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { Browser, Page } from "playwright-core";
import { modelMarketAbi, modelRegistryAbi } from "@modelbazaar/sdk/abis";
import { buildApp, heavyLibrariesIn } from "../../scripts/lib/appBuild.ts";
import { appDefine } from "../../scripts/lib/appServer.ts";
import { browserUnavailable, launchChromium } from "../../scripts/lib/browser/chromium.ts";
import { DEMO_MODELS, devAccountKey } from "../../scripts/lib/demoListings.ts";
import { injectTestWallet, TEST_WALLET_NAME } from "./injectedWallet.ts";
import { axeViolations, watchErrors } from "./pageChecks.ts";
import { newTestContext, ROOT, rpc, startLocalStack, type LocalStack } from "./localStack.ts";

const SCREENSHOTS = join(ROOT, "docs", "screenshots");
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const THEMES = ["light", "dark"] as const;

/** Waits until a page has drawn its data (or said why not): no spinner left in <main>. */
async function settle(page: Page): Promise<void> {
  await page.locator("main").waitFor({ timeout: 180_000 });
  await page.waitForFunction(() => document.querySelectorAll("main .loading").length === 0 && !document.querySelector("main [role=status]"), undefined, { timeout: 120_000 });
  await page.waitForTimeout(300);
}

describe("the dApp's shell and wallets in Chromium", { skip: browserUnavailable() }, () => {
  let stack: LocalStack;
  let browser: Browser;
  const errors: string[] = [];

  before(async () => {
    stack = await startLocalStack();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    const code = await stack?.stop();
    assert.equal(code, 0, stack?.output());
  });

  it("connects an EIP-6963 wallet, switches its network, shows its balance and credit, and withdraws through the transaction hook", { timeout: 300_000 }, async () => {
    const deployment = JSON.parse(readFileSync(join(ROOT, "deployments", "31337.json"), "utf8")) as { market: Address; registry: Address };
    const chain = defineChain({ id: 31337, name: "Local chain", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [stack.rpcUrl] } } });
    const publicClient = createPublicClient({ chain, transport: http(stack.rpcUrl) });
    const context = await newTestContext(browser, { viewport: DESKTOP, colorScheme: "light" });
    watchErrors(context, errors);
    const buyerKey = devAccountKey(2);
    const wallet = await injectTestWallet(context, { privateKey: buyerKey, chain, rpcUrl: stack.rpcUrl });
    const page = await context.newPage();
    await page.goto(stack.appUrl);
    await page.getByTestId("listing").nth(DEMO_MODELS.length - 1).waitFor({ timeout: 180_000 });

    await page.getByRole("button", { name: "Connect wallet" }).click();
    const dialog = page.getByRole("dialog", { name: "Connect a wallet" });
    await dialog.waitFor();
    assert.deepEqual(await axeViolations(page), [], "the connect dialog");
    await page.screenshot({ path: join(SCREENSHOTS, "connect-desktop-light.png") });
    await dialog.getByRole("button", { name: TEST_WALLET_NAME }).click();
    await dialog.waitFor({ state: "hidden" });

    // The wallet started on chain 1: the banner asks to switch, and switching clears it.
    const banner = page.getByTestId("wrong-network");
    await banner.waitFor();
    assert.match(await banner.innerText(), /chain 1\b.*Local chain \(chain id 31337\)/s);
    await banner.getByRole("button", { name: "Switch network" }).click();
    await banner.waitFor({ state: "hidden" });

    // The balance shown is the chain's, to the wei.
    await page.getByTestId("account-button").click();
    const shownBalance = page.getByTestId("account-balance");
    const expectBalance = async () => {
      const balance = await publicClient.getBalance({ address: wallet.address });
      await page.waitForFunction(([text]) => document.querySelector("[data-testid=account-balance]")?.textContent === text, [`${formatEther(balance)} ETH`], { timeout: 20_000 });
    };
    await expectBalance();
    assert.equal(await page.getByTestId("account-owed").innerText(), "0 ETH");
    assert.ok(await page.getByRole("button", { name: "Nothing to withdraw" }).isDisabled());

    // Credit in the ledger the honest way: a test-drive the worker never served is refunded to its buyer.
    const listing = await publicClient.readContract({ address: deployment.registry, abi: modelRegistryAbi, functionName: "getListing", args: [1n] });
    const policy = listing.terms.testPolicy;
    const samples = policy.minSamples;
    const fee = samples > policy.freeSamples ? BigInt(samples - policy.freeSamples) * policy.feePerExtraSample : 0n;
    const buyer = createWalletClient({ account: privateKeyToAccount(buyerKey), chain, transport: http(stack.rpcUrl) });
    const opened = await buyer.writeContract({ address: deployment.market, abi: modelMarketAbi, functionName: "openTest", args: [1n, `0x${"00".repeat(31)}07`, samples], value: policy.deposit + fee });
    const [openedEvent] = parseEventLogs({ abi: modelMarketAbi, logs: (await publicClient.waitForTransactionReceipt({ hash: opened })).logs, eventName: "TestOpened" });
    const testId = openedEvent!.args.testId;
    await rpc(stack.rpcUrl, "evm_increaseTime", [policy.serviceWindow + 1]);
    const anyone = createWalletClient({ account: privateKeyToAccount(devAccountKey(0)), chain, transport: http(stack.rpcUrl) });
    const refunded = await anyone.writeContract({ address: deployment.market, abi: modelMarketAbi, functionName: "refundUnserved", args: [testId] });
    await publicClient.waitForTransactionReceipt({ hash: refunded });
    const owed = await publicClient.readContract({ address: deployment.market, abi: modelMarketAbi, functionName: "owed", args: [wallet.address] });
    assert.equal(owed, policy.deposit + fee);

    // The page picks it up with the next blocks, without a reload.
    const withdraw = page.getByRole("button", { name: `Withdraw ${formatEther(owed)} ETH` });
    await withdraw.waitFor({ timeout: 20_000 });
    assert.equal(await page.getByTestId("account-owed").innerText(), `${formatEther(owed)} ETH`);

    // A person who says no in the wallet is told so in one sentence, and nothing moves.
    wallet.rejectNextTransaction();
    await withdraw.click();
    const rejected = page.getByTestId("toast-error").filter({ hasText: "You rejected the request in your wallet; nothing was sent." });
    await rejected.waitFor({ timeout: 20_000 });
    assert.equal(await publicClient.readContract({ address: deployment.market, abi: modelMarketAbi, functionName: "owed", args: [wallet.address] }), owed);

    // Then yes: simulated, sent by the wallet, mined, and the ledger and balance follow.
    const sentBefore = wallet.calls.filter((m) => m === "eth_sendTransaction").length;
    await withdraw.click();
    await page.getByTestId("toast-success").filter({ hasText: /Done in block \d+/ }).waitFor({ timeout: 180_000 });
    assert.equal(wallet.calls.filter((m) => m === "eth_sendTransaction").length, sentBefore + 1);
    assert.equal(await publicClient.readContract({ address: deployment.market, abi: modelMarketAbi, functionName: "owed", args: [wallet.address] }), 0n);
    await page.getByRole("button", { name: "Nothing to withdraw" }).waitFor({ timeout: 20_000 });
    await expectBalance();
    assert.ok(await shownBalance.isVisible());
    await context.close();
  });

  it("connects the dev wallet with a chosen dev account and switches accounts from the account menu", { timeout: 600_000 }, async () => {
    const context = await newTestContext(browser, { viewport: DESKTOP });
    watchErrors(context, errors);
    const page = await context.newPage();
    await page.goto(stack.appUrl);
    await page.getByRole("button", { name: "Connect wallet" }).click();
    const dialog = page.getByRole("dialog", { name: "Connect a wallet" });
    assert.match(await dialog.innerText(), /development only/);
    assert.match(await dialog.innerText(), /No browser wallet found/);
    const bidder = privateKeyToAccount(devAccountKey(4)).address;
    await dialog.getByLabel("Account").selectOption(bidder);
    await dialog.getByRole("button", { name: "Connect dev wallet" }).click();
    const accountButton = page.getByTestId("account-button");
    await accountButton.filter({ hasText: `${bidder.slice(0, 6)}…${bidder.slice(-4)}` }).waitFor();
    await accountButton.click();
    const publicClient = createPublicClient({ transport: http(stack.rpcUrl) });
    const balance = await publicClient.getBalance({ address: bidder });
    assert.equal(await page.getByTestId("account-balance").innerText(), `${formatEther(balance)} ETH`);

    const other = privateKeyToAccount(devAccountKey(5)).address;
    await page.getByRole("region", { name: "Account" }).getByLabel(/Dev account/).selectOption(other);
    await accountButton.filter({ hasText: `${other.slice(0, 6)}…${other.slice(-4)}` }).waitFor();
    // A reload reconnects the same dev account, as a wallet remembers a site.
    await page.reload();
    await accountButton.filter({ hasText: `${other.slice(0, 6)}…${other.slice(-4)}` }).waitFor({ timeout: 20_000 });
    await context.close();
  });

  it("finds a model: promoted first, then by words of its name, task, price, claim and sale mode", { timeout: 600_000 }, async () => {
    const deployment = JSON.parse(readFileSync(join(ROOT, "deployments", "31337.json"), "utf8")) as { registry: Address };
    const chain = defineChain({ id: 31337, name: "Local chain", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [stack.rpcUrl] } } });
    const publicClient = createPublicClient({ chain, transport: http(stack.rpcUrl) });
    const promoter = createWalletClient({ account: privateKeyToAccount(devAccountKey(0)), chain, transport: http(stack.rpcUrl) });
    const mnist = BigInt(DEMO_MODELS.indexOf("mnist-logreg") + 1);
    const promotion = await promoter.writeContract({ address: deployment.registry, abi: modelRegistryAbi, functionName: "promote", args: [mnist], value: 10n ** 16n });
    await publicClient.waitForTransactionReceipt({ hash: promotion });

    const context = await newTestContext(browser, { viewport: DESKTOP, colorScheme: "light" });
    watchErrors(context, errors);
    const page = await context.newPage();
    await page.goto(stack.appUrl);
    const rows = page.getByTestId("listing");
    await rows.nth(DEMO_MODELS.length - 1).waitFor({ timeout: 180_000 });
    const names = async () => (await rows.allInnerTexts()).map((text) => DEMO_MODELS.find((model) => text.includes(model)));
    assert.deepEqual(await names(), ["mnist-logreg", "mnist-cryptonets", "iris-square-mlp", "iris-logreg"], "the promoted listing first, then the newest");

    const expect = async (want: readonly string[]) => {
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="listing"]').length === n, want.length, { timeout: 180_000 });
      assert.deepEqual(await names(), want);
    };
    await page.getByTestId("filter-text").fill("IRIS");
    await expect(["iris-square-mlp", "iris-logreg"]);
    await page.getByTestId("filter-text").fill("");
    await page.getByTestId("filter-task").selectOption({ label: "784 features → 10 classes" });
    await expect(["mnist-logreg", "mnist-cryptonets"]);
    await page.getByTestId("filter-task").selectOption({ label: "any task" });
    await page.getByTestId("filter-price").fill("4.99");
    await expect([]);
    await page.getByText("No listing matches").waitFor();
    await page.getByTestId("filter-price").fill("");
    await page.getByTestId("filter-sale").selectOption("auction");
    await expect([]);
    await page.getByTestId("filter-sale").selectOption("any");
    await expect(["mnist-logreg", "mnist-cryptonets", "iris-square-mlp", "iris-logreg"]);
    assert.deepEqual(await axeViolations(page), [], "the listings page with its filters");
    await context.close();
  });

  it("follows the OS theme until toggled, and keeps the choice across reloads", { timeout: 300_000 }, async () => {
    const context = await newTestContext(browser, { viewport: DESKTOP, colorScheme: "dark" });
    watchErrors(context, errors);
    const page = await context.newPage();
    await page.goto(stack.appUrl);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const toggle = page.getByTestId("theme-toggle");
    await page.getByRole("button", { name: "Switch to light theme" }).waitFor();
    const dark = await background();
    await page.emulateMedia({ colorScheme: "light" });
    await page.getByRole("button", { name: "Switch to dark theme" }).waitFor();
    const light = await background();
    assert.notEqual(dark, light);
    await toggle.click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
    assert.equal(await background(), dark);
    await page.reload();
    await toggle.waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
    assert.equal(await background(), dark, "the pinned theme wins over the OS's light preference");
    await context.close();
  });

  it("passes axe-core on every page in both themes, at desktop width and at 390 px, and photographs each", { timeout: 600_000 }, async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const failures: string[] = [];
    for (const [size, viewport] of [["desktop", DESKTOP], ["mobile", PHONE]] as const) {
      for (const theme of THEMES) {
        const context = await newTestContext(browser, { viewport, colorScheme: theme, deviceScaleFactor: 1 });
        watchErrors(context, errors);
        const page = await context.newPage();
        await page.goto(stack.appUrl);
        const links = await page.getByRole("navigation", { name: "Pages" }).getByRole("link").evaluateAll((as) => as.map((a) => ({ name: a.textContent ?? "", href: a.getAttribute("href") ?? "" })));
        assert.ok(links.length >= 2, JSON.stringify(links));
        for (const link of links) {
          await page.goto(`${stack.appUrl}/${link.href}`);
          await settle(page);
          const slug = link.href.replace(/^#\/?/, "").replaceAll("/", "-") || "listings";
          for (const violation of await axeViolations(page)) failures.push(`${slug} ${size} ${theme}: ${violation}`);
          if (size === "mobile") {
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
            if (overflow > 0) failures.push(`${slug} at 390 px scrolls sideways by ${overflow} px`);
          }
          await page.screenshot({ path: join(SCREENSHOTS, `${slug}-${size}-${theme}.png`), fullPage: true });
        }
        if (size === "mobile" && theme === "light") {
          // The connect flow works at 390 px too.
          await page.goto(stack.appUrl);
          await page.getByRole("button", { name: "Connect wallet" }).click();
          await page.getByRole("dialog", { name: "Connect a wallet" }).getByRole("button", { name: "Connect dev wallet" }).click();
          await page.getByTestId("account-button").click();
          await page.getByTestId("account-balance").filter({ hasText: /\d ETH$/ }).waitFor();
          for (const violation of await axeViolations(page)) failures.push(`account menu mobile: ${violation}`);
          await page.screenshot({ path: join(SCREENSHOTS, "account-mobile-light.png") });
        }
        await context.close();
      }
    }
    assert.deepEqual(failures, []);
    assert.deepEqual(errors, [], "no console errors on any page");
  });

});

describe("the dApp's production build", () => {
  it("keeps snarkjs, node-seal and the verification keys out of the listings page's first load", { timeout: 180_000 }, async () => {
    const outDir = mkdtempSync(join(tmpdir(), "modelbazaar-app-"));
    try {
      const deployment = { chainId: 31337, registry: `0x${"11".repeat(20)}`, market: `0x${"22".repeat(20)}`, startBlock: "0" };
      await buildApp({ outDir, define: appDefine({ rpcUrl: "http://127.0.0.1:8545", deployment }) });
      const html = readFileSync(join(outDir, "index.html"), "utf8");
      const entries = [...html.matchAll(/<script[^>]+src="\/(assets\/[^"]+\.js)"/g), ...html.matchAll(/<link rel="modulepreload"[^>]+href="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
      assert.ok(entries.length > 0, html);
      const text = entries.map((file) => readFileSync(join(outDir, file), "utf8")).join("\n");
      assert.doesNotMatch(text, /Download the React DevTools/, "React's development build is in the first load");
      assert.deepEqual(heavyLibrariesIn(text), [], "snarkjs and node-seal are not in the first load");
      // A Groth16 verification key's field: the audit page's chunks hold the checked-in keys, the first load none.
      assert.equal(/vk_alpha_1/.test(text), false, "the verification keys are in the first load");
      const everyChunk = readdirSync(join(outDir, "assets")).filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(outDir, "assets", f), "utf8")).join("\n");
      assert.deepEqual(heavyLibrariesIn(everyChunk), ["snarkjs", "node-seal"], "the signatures find both libraries in the pages that load them");
      assert.ok(readdirSync(join(outDir, "assets")).some((f) => f.startsWith("AuditPage")), "the audit page is a chunk of its own");
      assert.equal(/vk_alpha_1/.test(everyChunk), true, "the keys are built in, in a chunk loaded on demand");
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
