/**
 * A contested refund in real Chromium against `npm start` with contestable demo listings: the
 * buyer's test-drive falls below the claim (a third of its labels moved to the next class), the
 * browser proves and claims the refund; the seller contests through viem (staking its bond with
 * a secret); the page follows the dispute to "contested" (axe-core clean, nothing scrolling
 * sideways at 390 px, dark; its steps photographed), and the buyer opens the drawn samples,
 * proven in a Web Worker from what the browser kept. The chain then holds the opening (phase
 * Opened, SamplesOpened from the buyer, whose Open proof RefundDisputes verified). The clock is
 * moved past the seller's prove window and the page closes the dispute: the buyer's ledger
 * credit grows by the refund, its bond and the seller's.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { bytesToHex, createPublicClient, createWalletClient, defineChain, http, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { readDispute } from "@modelbazaar/sdk/actions";
import { modelMarketAbi, refundDisputesAbi } from "@modelbazaar/sdk/abis";
import { browserUnavailable, launchChromium } from "../../scripts/lib/browser/chromium.ts";
import { devAccountKey } from "../../scripts/lib/demoListings.ts";
import { connectTestWallet, injectTestWallet } from "./injectedWallet.ts";
import { axeViolations, dismissToasts, sidewaysOverflow, watchErrors } from "./pageChecks.ts";
import { newTestContext, ROOT, rpc, startLocalStack } from "./localStack.ts";
import { irisCsv, keptTestDrive, openModelPage, pickTestSet, runTestDriveToReport, settled } from "./testDriveJourney.ts";

const SAMPLES = 60;
const SELLER = 1;

describe("a contested refund answered from the browser, in Chromium", { skip: browserUnavailable() }, () => {
  it("claims a refund, is contested by the seller, opens the drawn samples by proof, and closes the dispute as the winner", { timeout: 1_200_000 }, async () => {
    const stack = await startLocalStack({ contestable: true });
    const browser = await launchChromium();
    const errors: string[] = [];
    try {
      const deployment = JSON.parse(readFileSync(join(ROOT, "deployments", "31337.json"), "utf8")) as { market: Address };
      const chain = defineChain({ id: 31337, name: "Local chain", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [stack.rpcUrl] } } });
      const publicClient = createPublicClient({ chain, transport: http(stack.rpcUrl) });
      const seller = createWalletClient({ account: privateKeyToAccount(devAccountKey(SELLER)), chain, transport: http(stack.rpcUrl) });
      const context = await newTestContext(browser, { viewport: { width: 1280, height: 900 }, colorScheme: "light", deviceScaleFactor: 1 });
      watchErrors(context, errors);
      const wallet = await injectTestWallet(context, { privateKey: devAccountKey(2), chain, rpcUrl: stack.rpcUrl });
      const page = await context.newPage();

      // The test-drive to its report, and the refund proven and claimed in the browser.
      await openModelPage(page, stack.appUrl);
      await connectTestWallet(page);
      const { csv } = irisCsv(SAMPLES, { mislabelledEvery: 3 });
      await pickTestSet(page, { name: "iris-mislabelled.csv", csv, samples: SAMPLES });
      await runTestDriveToReport(page, SAMPLES);
      await page.getByRole("button", { name: "Claim refund by proof" }).click();
      await settled(page, "dispute-phase", "claim-error", 600_000);
      const testId = BigInt((await keptTestDrive(page))!.testId);
      const claimed = await readDispute(publicClient, { market: deployment.market, testId });
      assert.equal(claimed.phase, "Claimed");

      // The seller contests, staking its bond with a secret.
      const sellerSecret = bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
      const contested = await seller.writeContract({ address: claimed.disputes, abi: refundDisputesAbi, functionName: "contest", args: [testId, sellerSecret], value: claimed.sellerBond });
      assert.equal((await publicClient.waitForTransactionReceipt({ hash: contested })).status, "success");
      await page.getByTestId("dispute-phase").filter({ hasText: "contested" }).waitFor({ timeout: 180_000 });
      assert.deepEqual(await axeViolations(page), [], "the model page with a contested refund");
      await page.setViewportSize({ width: 390, height: 844 });
      const overflow = await sidewaysOverflow(page);
      assert.equal(overflow.by, 0, `the contested refund scrolls sideways at 390 px: ${overflow.widest.join(" | ")}`);
      await page.emulateMedia({ colorScheme: "dark" });
      await page.waitForFunction(() => document.getAnimations().length === 0); // the theme's colour transitions have ended
      assert.deepEqual(await axeViolations(page), [], "the model page with a contested refund, at 390 px, dark");
      await dismissToasts(page);
      await page.getByTestId("dispute-steps").screenshot({ path: join(ROOT, "docs", "screenshots", "model-contested-mobile-dark.png") });
      await page.emulateMedia({ colorScheme: "light" });
      await page.setViewportSize({ width: 1280, height: 900 });

      // The buyer opens the drawn samples, proven in the browser from the kept test-drive.
      const openedFrom = await publicClient.getBlockNumber();
      await page.getByRole("button", { name: "Open the drawn samples" }).click();
      await page.getByTestId("proving").waitFor({ timeout: 180_000 });
      await Promise.race([
        page.getByTestId("dispute-phase").filter({ hasText: "samples opened" }).waitFor({ timeout: 600_000 }),
        page.getByTestId("claim-error").waitFor({ timeout: 600_000 }).then(async () => assert.fail(`the page says: ${await page.getByTestId("claim-error").innerText()}`)),
      ]);
      const opened = await readDispute(publicClient, { market: deployment.market, testId });
      assert.equal(opened.phase, "Opened", "RefundDisputes verified the Open proof and moved on");
      const events = await publicClient.getContractEvents({ address: opened.disputes, abi: refundDisputesAbi, eventName: "SamplesOpened", args: { testId }, fromBlock: openedFrom });
      assert.equal(events.length, 1);
      const openTx = await publicClient.getTransaction({ hash: events[0]!.transactionHash });
      assert.equal(openTx.from.toLowerCase(), wallet.address.toLowerCase(), "the buyer opened the samples");

      // Past the seller's prove window, the page closes the dispute: the buyer wins the seller's bond.
      const owedBefore = await publicClient.readContract({ address: deployment.market, abi: modelMarketAbi, functionName: "owed", args: [wallet.address] });
      const proveWindow = await publicClient.readContract({ address: opened.disputes, abi: refundDisputesAbi, functionName: "proveWindow" });
      await rpc(stack.rpcUrl, "evm_increaseTime", [Number(proveWindow) + 1]);
      await rpc(stack.rpcUrl, "evm_mine", []);
      await page.getByRole("button", { name: /Close the dispute \(refund/ }).click();
      await page.getByTestId("dispute-phase").filter({ hasText: "refunded" }).waitFor({ timeout: 120_000 });
      const closed = await readDispute(publicClient, { market: deployment.market, testId });
      assert.equal(closed.phase, "BuyerWon");
      const owedAfter = await publicClient.readContract({ address: deployment.market, abi: modelMarketAbi, functionName: "owed", args: [wallet.address] });
      assert.equal(owedAfter - owedBefore, opened.refund + opened.buyerBond + opened.sellerBond);
      assert.deepEqual(errors, []);
      await context.close();
    } finally {
      await browser.close();
      assert.equal(await stack.stop(), 0, stack.output());
    }
  });
});
