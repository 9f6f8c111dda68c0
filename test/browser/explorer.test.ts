/**
 * The explorer as a person meets it, against `npm start` (the real script, random ports): two
 * dev accounts act from Node with viem (a test-drive opened with its deposit and fee, a
 * promotion), then headless Chromium shows them in #/explorer with the amounts the chain holds,
 * the test-drive's timeline links to its transaction, and #/tx decodes the call (openTest and
 * its arguments), its status, gas and value, and the event it emitted. A promotion sent while
 * the page is open appears without a reload; the account page lists the buyer's activity and
 * the debug page reads the contracts' views.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { createPublicClient, createWalletClient, defineChain, formatEther, http, parseEther, parseEventLogs, toHex, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { browserUnavailable, launchChromium } from "../../scripts/lib/browser/chromium.ts";
import { devAccountKey } from "../../scripts/lib/demoListings.ts";
import { modelMarketAbi, modelRegistryAbi } from "@modelbazaar/sdk/abis";
import { startLocalStack } from "./localStack.ts";

const SAMPLES = 120;
const eth = (wei: bigint) => `${formatEther(wei)} ETH`;

/** `npm start` on random ports, with the addresses of the contracts it deployed. */
async function startStack() {
  const stack = await startLocalStack({ timeoutMs: 120_000 });
  const address = (label: string) => new RegExp(`${label}\\s+(0x[0-9a-fA-F]{40})`).exec(stack.output())![1] as Address;
  return { ...stack, registry: address("ModelRegistry"), market: address("ModelMarket") };
}

/** The text of the first row of a table of `testid` rows that contains `text`. */
async function rowWith(page: Page, testId: string, text: string | RegExp): Promise<string> {
  const row = page.getByTestId(testId).filter({ hasText: text }).first();
  await row.waitFor({ timeout: 180_000 });
  return row.innerText();
}

describe("the explorer served by npm start", { skip: browserUnavailable() }, () => {
  it("shows transactions sent from Node with the chain's amounts, decodes them, and follows new blocks", { timeout: 600_000 }, async () => {
    const stack = await startStack();
    try {
      const chain = defineChain({ id: 31337, name: "local", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [stack.rpcUrl] } } });
      const publicClient = createPublicClient({ chain, transport: http(stack.rpcUrl) });
      const buyer = createWalletClient({ chain, transport: http(stack.rpcUrl), account: privateKeyToAccount(devAccountKey(2)) });
      const promoter = createWalletClient({ chain, transport: http(stack.rpcUrl), account: privateKeyToAccount(devAccountKey(6)) });

      // A test-drive of listing 1 (deposit + fee as the contract prices them) and a promotion of listing 2.
      const [deposit, fee] = await publicClient.readContract({ address: stack.market, abi: modelMarketAbi, functionName: "testPrice", args: [1n, SAMPLES] });
      assert.ok(fee > 0n, "120 samples pay a fee beyond the free ones");
      const commitment = toHex(123_456_789n, { size: 32 });
      const openHash = await buyer.writeContract({ address: stack.market, abi: modelMarketAbi, functionName: "openTest", args: [1n, commitment, SAMPLES], value: deposit + fee });
      const openReceipt = await publicClient.waitForTransactionReceipt({ hash: openHash });
      const [opened] = parseEventLogs({ abi: modelMarketAbi, logs: openReceipt.logs, eventName: "TestOpened" });
      const testId = opened!.args.testId;
      const promoteHash = await promoter.writeContract({ address: stack.registry, abi: modelRegistryAbi, functionName: "promote", args: [2n], value: parseEther("0.25") });
      await publicClient.waitForTransactionReceipt({ hash: promoteHash });

      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on("pageerror", (error) => errors.push(error.message));
        await page.goto(`${stack.appUrl}/#/explorer`);

        // Recent activity: the test-drive with the chain's deposit and fee, the promotion with its amount.
        const openRow = await rowWith(page, "activity", "TestOpened");
        assert.match(openRow, new RegExp(`deposit\\s*${eth(deposit).replace(".", "\\.")}`));
        assert.match(openRow, new RegExp(`fee\\s*${eth(fee).replace(".", "\\.")}`));
        assert.match(openRow, new RegExp(`Test-drive #${testId}`));
        assert.match(openRow, /Listing #1/);
        const promoteRow = await rowWith(page, "activity", "ListingPromoted");
        assert.match(promoteRow, /amount\s*0\.25 ETH/);
        assert.match(promoteRow, /Listing #2/);
        assert.equal(await page.getByTestId("entity").filter({ hasText: /^Listing #/ }).count(), 4, "the four demo listings");

        // The filter by kind, then the test-drive's timeline.
        await page.getByRole("navigation", { name: "Filter by kind" }).getByRole("link", { name: /^Test-drives/ }).click();
        await page.waitForURL(/#\/explorer\/test$/);
        await page.getByTestId("entity").getByRole("link", { name: `Test-drive #${testId}` }).click();
        await page.waitForURL(new RegExp(`#/explorer/test/${testId}$`));
        await page.getByRole("heading", { name: `Test-drive #${testId}` }).waitFor();
        const entry = page.getByTestId("timeline-entry").first();
        const entryText = await entry.innerText();
        assert.match(entryText, /TestOpened/);
        assert.match(entryText, new RegExp(`deposit\\s*${eth(deposit).replace(".", "\\.")}`));
        assert.ok(entryText.includes(buyer.account.address.slice(0, 6)), entryText);

        // Its transaction, decoded.
        await entry.getByTestId("tx-link").first().click();
        await page.waitForURL(new RegExp(`#/tx/${openHash}$`));
        await page.getByTestId("tx-function").waitFor({ timeout: 180_000 });
        assert.equal(await page.getByTestId("tx-function").innerText(), "market.openTest(listingId, dataCommitment, sampleCount)");
        const args = await page.getByTestId("tx-args").innerText();
        assert.match(args, /listingId\s+1\b/);
        assert.match(args, new RegExp(`dataCommitment\\s+${commitment}`));
        assert.match(args, new RegExp(`sampleCount\\s+${SAMPLES}\\b`));
        assert.equal(await page.getByTestId("tx-status").innerText(), openReceipt.status);
        assert.equal(await page.getByTestId("tx-value").innerText(), eth(deposit + fee));
        assert.ok((await page.getByTestId("tx-gas").innerText()).startsWith(openReceipt.gasUsed.toLocaleString("en-US")));
        const events = await page.getByTestId("timeline-entry").allInnerTexts();
        assert.equal(events.length, openReceipt.logs.length);
        assert.match(events[0]!, /TestOpened/);

        // A promotion sent while the explorer is open appears without a reload.
        await page.goto(`${stack.appUrl}/#/explorer/listing/2`);
        await page.getByTestId("timeline-entry").filter({ hasText: "ListingPromoted" }).first().waitFor({ timeout: 180_000 });
        const before = await page.getByTestId("timeline-entry").count();
        const again = await promoter.writeContract({ address: stack.registry, abi: modelRegistryAbi, functionName: "promote", args: [2n], value: parseEther("0.5") });
        await publicClient.waitForTransactionReceipt({ hash: again });
        await page.getByTestId("timeline-entry").nth(before).waitFor({ timeout: 180_000 });
        const latest = await page.getByTestId("timeline-entry").nth(before).innerText();
        assert.match(latest, /ListingPromoted/);
        assert.match(latest, /amount\s*0\.5 ETH/);
        assert.match(latest, /totalPaid\s*0\.75 ETH/);

        // The buyer's account page.
        await page.goto(`${stack.appUrl}/#/address/${buyer.account.address}`);
        const buyerRow = await rowWith(page, "activity", "TestOpened");
        assert.match(buyerRow, new RegExp(`Test-drive #${testId}`));
        const balance = await publicClient.getBalance({ address: buyer.account.address });
        await page.getByTestId("balance").filter({ hasText: "ETH" }).waitFor();
        assert.equal(await page.getByTestId("balance").innerText(), eth(balance));

        // The debug page reads the contracts' views.
        await page.goto(`${stack.appUrl}/#/debug`);
        const testPrice = page.getByTestId("read-testPrice");
        await testPrice.getByRole("textbox").nth(0).fill("1");
        await testPrice.getByRole("textbox").nth(1).fill(String(SAMPLES));
        await testPrice.getByRole("button", { name: "Read" }).click();
        const priced = await testPrice.getByTestId("read-result").innerText();
        assert.ok(priced.includes(eth(deposit)) && priced.includes(eth(fee)), priced);
        await page.getByRole("tab", { name: "ModelRegistry" }).click();
        await page.getByTestId("read-listingCount").getByTestId("read-result").filter({ hasText: "4" }).waitFor();
        assert.deepEqual(errors, []);
      } finally {
        await browser.close();
      }
    } finally {
      assert.equal(await stack.stop(), 0, stack.output());
    }
  });
});
