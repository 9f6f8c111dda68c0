/**
 * A seller's journey in real Chromium against `npm start`, with the seller's dev key injected
 * as an EIP-6963 wallet, on the dashboard (#/sell): a model file above the page's 32 MiB cap is
 * refused from its size before it is read, a listable one is decoded in a Web Worker; a terms
 * file that contradicts the ONNX model is refused with `bazaar list`'s sentence before any transaction; the model is listed
 * from its ONNX file with terms typed into the form (under them, the extraction policy
 * suggestion says the typed fee does not make extraction cost more than the price, and the
 * listing goes ahead: the chain then holds a listing with those terms and the file's Merkle root); it is repriced (the chain holds the new price; the same
 * price again is refused in `bazaar listing`'s words with nothing sent), switched to auctions
 * and back to a fixed price (the chain holds each sale mode; a zero price is refused with nothing
 * sent), paused and resumed; a buyer
 * test-drives it and the seller's worker records its receipt (through viem, as the worker
 * would), the dispute window passes, and the dashboard shows the test-drive served and the fee's
 * credit named by its source, collects the forfeited deposit (the chain pays it to the seller)
 * and withdraws the credit (the ledger is emptied and the balance moves by what it held, less gas). axe-core finds nothing
 * serious at desktop width and at 390 px (light and dark), where nothing scrolls sideways;
 * screenshots go to docs/screenshots/sell-dashboard-*.png. Last, the listing is delisted from
 * its row after a second click, and the chain holds it delisted.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { createPublicClient, createWalletClient, defineChain, formatEther, http, parseEther, parseEventLogs, type Address, type Hash } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { LISTING_STATUSES, readListing } from "@modelbazaar/sdk/actions";
import { modelMarketAbi, modelRegistryAbi } from "@modelbazaar/sdk/abis";
import { ChunkTree, toChunks } from "@modelbazaar/sdk/delivery";
import { browserUnavailable, launchChromium } from "../../scripts/lib/browser/chromium.ts";
import { devAccountKey } from "../../scripts/lib/demoListings.ts";
import { injectTestWallet, TEST_WALLET_NAME } from "./injectedWallet.ts";
import { axeViolations, dismissToasts, watchErrors } from "./pageChecks.ts";
import { newTestContext, ROOT, rpc, startLocalStack } from "./localStack.ts";

const SCREENSHOTS = join(ROOT, "docs", "screenshots");
const MODEL = readFileSync(join(ROOT, "models", "iris-logreg.onnx"));
const SAMPLES = 20;

/** Waits for a success toast, failing at once with the page's sentence if an error toast appears instead. */
async function transacted(page: Page): Promise<void> {
  const outcome = await Promise.race([
    page.getByTestId("toast-success").last().waitFor({ timeout: 180_000 }).then(() => "done" as const),
    page.getByTestId("toast-error").last().waitFor({ timeout: 180_000 }).then(() => "failed" as const),
  ]);
  if (outcome === "failed") assert.fail(`the page says: ${await page.getByTestId("toast-error").last().innerText()}`);
  await dismissToasts(page);
}

describe("a seller lists a model, reprices it and withdraws its earnings, in Chromium", { skip: browserUnavailable() }, () => {
  it("refuses contradicting terms with the CLI's sentence, lists from an ONNX file, reprices, collects and withdraws, and the chain holds each step", { timeout: 600_000 }, async () => {
    const stack = await startLocalStack();
    const browser = await launchChromium();
    const errors: string[] = [];
    try {
      const deployment = JSON.parse(readFileSync(join(ROOT, "deployments", "31337.json"), "utf8")) as { market: Address; registry: Address; startBlock: string };
      const chain = defineChain({ id: 31337, name: "Local chain", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [stack.rpcUrl] } } });
      const publicClient = createPublicClient({ chain, transport: http(stack.rpcUrl) });
      const workerUrl = stack.workerUrl;
      const workerSigner = privateKeyToAccount(devAccountKey(3));
      const context = await newTestContext(browser, { viewport: { width: 1280, height: 900 }, colorScheme: "light", deviceScaleFactor: 1 });
      watchErrors(context, errors);
      const wallet = await injectTestWallet(context, { privateKey: devAccountKey(1), chain, rpcUrl: stack.rpcUrl });
      const page = await context.newPage();
      const gasOf = async (hash: Hash) => {
        const receipt = await publicClient.getTransactionReceipt({ hash });
        return receipt.gasUsed * receipt.effectiveGasPrice;
      };

      await page.goto(`${stack.appUrl}/#/sell`);
      await page.getByRole("heading", { name: "Sell", level: 1 }).waitFor({ timeout: 180_000 });
      await page.getByRole("button", { name: "Connect wallet" }).first().click();
      const dialog = page.getByRole("dialog", { name: "Connect a wallet" });
      await dialog.getByRole("button", { name: TEST_WALLET_NAME }).click();
      await dialog.waitFor({ state: "hidden" });
      await page.getByTestId("wrong-network").getByRole("button", { name: "Switch network" }).click();
      await page.getByTestId("wrong-network").waitFor({ state: "hidden" });
      // The seeded market's listings are this seller's, each with its worker's status.
      await page.getByTestId("seller-listing").nth(3).waitFor({ timeout: 180_000 });
      await page.getByTestId("worker-status").filter({ hasText: /up\s+serves it: 4 inputs, 3 scores/ }).first().waitFor({ timeout: 180_000 });
      const listingsBefore = await publicClient.readContract({ address: deployment.registry, abi: modelRegistryAbi, functionName: "listingCount" });

      // The model from its file; a terms file that contradicts it is refused in bazaar list's words, before any transaction.
      // A model file above the page's cap is refused from its size, before it is read; a listable one is decoded in a Web Worker.
      const huge = join(mkdtempSync(join(tmpdir(), "bazaar-sell-")), "huge.onnx");
      writeFileSync(huge, "");
      truncateSync(huge, 40 * 2 ** 20); // sparse: 40 MiB of zeros on no disk
      await page.getByLabel("The model (ONNX file)").setInputFiles(huge);
      await page.getByTestId("model-signature").filter({ hasText: "huge.onnx is 40 MiB: this page reads models of up to 32 MiB; list a larger one with `bazaar list huge.onnx --terms <terms.json>`" }).waitFor();
      const [reader] = await Promise.all([
        page.waitForEvent("worker"),
        page.getByLabel("The model (ONNX file)").setInputFiles({ name: "iris-logreg.onnx", mimeType: "application/octet-stream", buffer: MODEL }),
      ]);
      assert.match(reader.url(), /modelShapeWorker/, "the ONNX file is decoded off the main thread");
      await page.getByTestId("model-signature").filter({ hasText: 'iris-logreg.onnx: 4 features per sample (input "input"), 3 class scores (output "probabilities").' }).waitFor();
      const example = JSON.parse(readFileSync(join(ROOT, "docs", "examples", "listing-terms.json"), "utf8")) as { task: { featureCount: number } };
      await page.getByLabel("Upload a terms file (JSON)").check();
      await page.getByLabel(/^Terms file/).setInputFiles({ name: "wrong-terms.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify({ ...example, task: { ...example.task, featureCount: 5 } })) });
      const sentCalls = wallet.calls.filter((m) => m === "eth_sendTransaction").length;
      await page.getByRole("button", { name: "Check the terms against the model" }).click();
      assert.equal(
        await page.getByTestId("listing-check-error").innerText(),
        'wrong-terms.json: "task.featureCount" is 5, but iris-logreg.onnx takes 4 features per sample (input "input", shape [batch, 4]): a buyer\'s test set of 5 features could never be evaluated; set it to 4',
      );
      assert.ok(await page.getByRole("button", { name: "List the model" }).isDisabled(), "nothing can be listed from refused terms");
      assert.equal(wallet.calls.filter((m) => m === "eth_sendTransaction").length, sentCalls, "no transaction was sent");
      assert.equal(await publicClient.readContract({ address: deployment.registry, abi: modelRegistryAbi, functionName: "listingCount" }), listingsBefore);

      // The terms typed into the form: checked against the model and its card, then listed.
      await page.getByLabel("Fill in the form").check();
      assert.equal(await page.getByLabel("Features per sample").inputValue(), "4", "the form starts from the model's signature");
      const typed: Record<string, string> = {
        "Claimed accuracy (basis points)": "9000",
        "Deposit per test-drive (ETH)": "0.5",
        "Fee per extra sample (ETH)": "0.001",
        "Free samples": "0",
        "Largest test set": "100",
        "Dispute window (seconds)": "3600",
        "Price (ETH)": "2",
        "Worker URL": workerUrl,
        "Worker signer address": workerSigner.address,
        "Model card URI": "models/iris-logreg.json",
      };
      for (const [label, value] of Object.entries(typed)) await page.getByLabel(label, { exact: true }).fill(value);
      // The extraction policy suggestion under the fields (advice: the listing goes ahead below).
      await page
        .getByTestId("extraction-hint")
        .filter({ hasText: /under these terms they cost [\d.]+ ETH in \d+ test-drives? \(gas aside\), less than the price of 2 ETH: the terms do not meet the suggestion/ })
        .filter({ hasText: /suggested: fee per extra sample at least [\d.]+ ETH/ })
        .waitFor({ timeout: 20_000 });
      await page.getByRole("button", { name: "Check the terms against the model" }).click();
      await page.getByTestId("listing-check-ok").filter({ hasText: "The terms fit iris-logreg.onnx: 4 features, 3 classes (setosa, versicolor, virginica); for 2 ETH" }).waitFor({ timeout: 20_000 });
      assert.deepEqual(await axeViolations(page), [], "the dashboard with the checked form");
      await page.getByRole("button", { name: "List the model" }).click();
      await transacted(page);
      const listingId = listingsBefore + 1n;
      assert.match(await page.getByTestId("listing-created").innerText(), new RegExp(`Listed as listing #${listingId}\\.`));
      const listed = await readListing(publicClient, deployment, listingId);
      assert.equal(listed.seller, wallet.address);
      assert.equal(listed.terms.modelRoot, ChunkTree.fromChunks(toChunks(MODEL)).root);
      assert.equal(listed.terms.modelSize, BigInt(MODEL.length));
      assert.deepEqual(listed.terms.task, { featureCount: 4, classCount: 3, scaleBits: 8, featureBits: 12 });
      assert.equal(listed.terms.claimedAccuracyBps, 9000);
      assert.deepEqual(listed.terms.testPolicy, { deposit: parseEther("0.5"), feePerExtraSample: parseEther("0.001"), freeSamples: 0, minSamples: 10, maxSamples: 100, serviceWindow: 3600, disputeWindow: 3600 });
      assert.deepEqual([listed.offer.saleMode, listed.offer.price, listed.offer.workerEndpoint, listed.offer.workerSigner, listed.offer.metadataURI], [0, parseEther("2"), workerUrl, workerSigner.address, "models/iris-logreg.json"]);
      assert.equal(listed.terms.disputePolicy.planCommitment, `0x${"00".repeat(32)}`, "a listing made in the browser commits no plan");

      // Repriced from its row: the chain holds the new price.
      const row = page.getByTestId("seller-listing").filter({ has: page.getByTestId("seller-listing-id").filter({ hasText: `#${listingId} ` }) });
      await row.waitFor({ timeout: 180_000 });
      await row.getByLabel(`New price of listing #${listingId} in ETH`).fill("1.5");
      await row.getByRole("button", { name: "Reprice" }).click();
      await transacted(page);
      assert.equal((await readListing(publicClient, deployment, listingId)).offer.price, parseEther("1.5"));
      await row.getByTestId("seller-listing-price").filter({ hasText: "1.5 ETH" }).waitFor({ timeout: 180_000 });
      // A change the registry would refuse is refused on the page, in bazaar listing's words, with nothing sent.
      const beforeRefusal = wallet.calls.filter((m) => m === "eth_sendTransaction").length;
      await row.getByLabel(`New price of listing #${listingId} in ETH`).fill("1.5");
      await row.getByRole("button", { name: "Reprice" }).click();
      assert.equal(await row.getByTestId("listing-refusal").innerText(), `listing ${listingId} already costs 1.5 ETH`);
      assert.equal(wallet.calls.filter((m) => m === "eth_sendTransaction").length, beforeRefusal);
      // Switched to auctions from its row, then back to a fixed price: the chain holds each sale mode.
      await row.getByRole("button", { name: "Sell by auction instead" }).click();
      await transacted(page);
      assert.equal((await readListing(publicClient, deployment, listingId)).offer.saleMode, 1);
      await row.getByTestId("seller-listing-price").filter({ hasText: "auction" }).waitFor({ timeout: 180_000 });
      await row.getByLabel(`Fixed price of listing #${listingId} in ETH`).fill("0");
      await row.getByRole("button", { name: "Sell at this price" }).click();
      assert.equal(await row.getByTestId("listing-refusal").innerText(), "the new price must be more than 0 ETH");
      assert.equal(wallet.calls.filter((m) => m === "eth_sendTransaction").length, beforeRefusal + 1);
      await row.getByLabel(`Fixed price of listing #${listingId} in ETH`).fill("1.5");
      await row.getByRole("button", { name: "Sell at this price" }).click();
      await transacted(page);
      const backToFixed = await readListing(publicClient, deployment, listingId);
      assert.deepEqual([backToFixed.offer.saleMode, backToFixed.offer.price], [0, parseEther("1.5")]);
      await row.getByTestId("seller-listing-price").filter({ hasText: "1.5 ETH" }).waitFor({ timeout: 180_000 });
      // Paused, then resumed: the chain holds each status.
      await row.getByRole("button", { name: "Pause" }).click();
      await transacted(page);
      assert.equal(LISTING_STATUSES[(await readListing(publicClient, deployment, listingId)).status], "paused");
      await row.getByRole("button", { name: "Resume" }).click({ timeout: 30_000 });
      await transacted(page);
      assert.equal(LISTING_STATUSES[(await readListing(publicClient, deployment, listingId)).status], "active");
      await row.getByRole("button", { name: "Pause" }).waitFor({ timeout: 180_000 });
      // The worker answers its health, and says it does not serve the new listing yet (its config names the listings it serves).
      await row.getByTestId("worker-status").filter({ hasText: `does not serve listing ${listingId}` }).waitFor({ timeout: 180_000 });

      // A buyer test-drives it; the seller's worker records its receipt; the dispute window passes.
      const buyer = createWalletClient({ account: privateKeyToAccount(devAccountKey(2)), chain, transport: http(stack.rpcUrl) });
      const [deposit, fee] = await publicClient.readContract({ address: deployment.market, abi: modelMarketAbi, functionName: "testPrice", args: [listingId, SAMPLES] });
      assert.deepEqual([deposit, fee], [parseEther("0.5"), parseEther("0.02")]);
      const opened = await publicClient.waitForTransactionReceipt({
        hash: await buyer.writeContract({ address: deployment.market, abi: modelMarketAbi, functionName: "openTest", args: [listingId, `0x${"00".repeat(31)}09`, SAMPLES], value: deposit + fee }),
      });
      const testId = parseEventLogs({ abi: modelMarketAbi, logs: opened.logs, eventName: "TestOpened" })[0]!.args.testId;
      const worker = createWalletClient({ account: workerSigner, chain, transport: http(stack.rpcUrl) });
      await publicClient.waitForTransactionReceipt({ hash: await worker.writeContract({ address: deployment.market, abi: modelMarketAbi, functionName: "recordReceipt", args: [testId, `0x${"ab".repeat(32)}`] }) });
      await rpc(stack.rpcUrl, "evm_increaseTime", [3601]);
      await rpc(stack.rpcUrl, "evm_mine", []);
      await row.getByTestId("seller-listing-served").filter({ hasText: "1 of 1" }).waitFor({ timeout: 180_000 });

      // The dashboard collects the forfeited deposit (paid straight to the seller who asks), names the fee's credit by its source, and withdraws it.
      const earnings = page.getByRole("region", { name: "Earnings" });
      const owed = await publicClient.readContract({ address: deployment.market, abi: modelMarketAbi, functionName: "owed", args: [wallet.address] });
      assert.equal(owed, fee, "the receipt credited the fee to the seller");
      await earnings.getByTestId("earnings-owed").filter({ hasText: `${formatEther(owed)} ETH` }).waitFor({ timeout: 180_000 });
      assert.match(await earnings.getByTestId("earnings-credits").innerText(), new RegExp(`^fee for test-drive ${testId}\\s+0\\.02 ETH$`));
      const beforeCollect = await publicClient.getBalance({ address: wallet.address });
      const collectFrom = await publicClient.getBlockNumber();
      await earnings.getByRole("button", { name: `Collect the forfeited deposit of test-drive ${testId}` }).click({ timeout: 60_000 });
      await transacted(page);
      const [closed] = await publicClient.getContractEvents({ address: deployment.market, abi: modelMarketAbi, eventName: "TestClosed", args: { testId }, fromBlock: collectFrom + 1n, strict: true });
      assert.equal(closed?.args.toSeller, deposit);
      assert.equal(await publicClient.getBalance({ address: wallet.address }), beforeCollect + deposit - (await gasOf(closed.transactionHash)), "the deposit was paid to the seller");
      await earnings.getByTestId("earnings-collectable").waitFor({ state: "detached", timeout: 180_000 });
      assert.deepEqual(await axeViolations(page), [], "the dashboard with earnings");
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(SCREENSHOTS, "sell-dashboard-desktop-light.png"), fullPage: true });

      const balanceBefore = await publicClient.getBalance({ address: wallet.address });
      const blockBefore = await publicClient.getBlockNumber();
      await earnings.getByRole("button", { name: `Withdraw ${formatEther(owed)} ETH` }).click();
      await transacted(page);
      assert.equal(await publicClient.readContract({ address: deployment.market, abi: modelMarketAbi, functionName: "owed", args: [wallet.address] }), 0n);
      const [withdrawn] = await publicClient.getContractEvents({ address: deployment.market, abi: modelMarketAbi, eventName: "PaymentWithdrawn", args: { payee: wallet.address }, fromBlock: blockBefore + 1n, strict: true });
      assert.equal(withdrawn?.args.amount, owed);
      assert.equal(await publicClient.getBalance({ address: wallet.address }), balanceBefore + owed - (await gasOf(withdrawn.transactionHash)), "the balance moved by the withdrawal, less its gas");
      await earnings.getByRole("button", { name: "Nothing to withdraw" }).waitFor({ timeout: 180_000 });

      await page.setViewportSize({ width: 390, height: 844 });
      const overflow = await page.evaluate(() => ({
        by: document.documentElement.scrollWidth - window.innerWidth,
        widest: Array.from(document.querySelectorAll("main *")).filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).slice(-3).map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
      }));
      assert.equal(overflow.by, 0, `the dashboard scrolls sideways at 390 px: ${overflow.widest.join(" | ")}`);
      assert.deepEqual(await axeViolations(page), [], "the dashboard at 390 px");
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(SCREENSHOTS, "sell-dashboard-mobile-light.png"), fullPage: true });
      await page.emulateMedia({ colorScheme: "dark" });
      await page.waitForFunction(() => document.getAnimations().length === 0); // the theme's colour transitions have ended
      assert.deepEqual(await axeViolations(page), [], "the dashboard at 390 px, dark");
      await page.screenshot({ path: join(SCREENSHOTS, "sell-dashboard-mobile-dark.png"), fullPage: true });

      // Delisted for good from its row, after a second click: the chain holds it delisted.
      await row.getByRole("button", { name: "Delist…" }).click();
      assert.equal(LISTING_STATUSES[(await readListing(publicClient, deployment, listingId)).status], "active", "the first click only asks");
      await row.getByRole("button", { name: `Delist #${listingId} for good` }).click();
      await transacted(page);
      assert.equal(LISTING_STATUSES[(await readListing(publicClient, deployment, listingId)).status], "delisted");
      await row.getByText("delisted for good").waitFor({ timeout: 180_000 });
      assert.deepEqual(errors, []);
      await context.close();
    } finally {
      await browser.close();
      assert.equal(await stack.stop(), 0, stack.output());
    }
  });
});
