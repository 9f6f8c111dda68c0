/**
 * A per-buyer copy bought in real Chromium, the copy tested being the copy delivered
 * (docs/PROTOCOL.md §7.2), against `npm start` with a wallet injected through EIP-6963. The dev
 * seller lists the Iris model again, served by a second worker started here that evaluates this
 * buyer's test-drives with the buyer's own fingerprinted copy. In the browser the buyer opens
 * that listing's model page and runs a test-drive to its report, which says it was evaluated
 * with the buyer's own copy (axe-core clean): the record the browser keeps holds the worker's CopyReceipt naming
 * the copy file's root. The buyer buys from the buy page;
 * the seller commits the copy and hands it to the second worker with `bazaar deliver --copy`.
 * On the purchase page the buyer downloads the delivery, is told it is the copy the test-drive
 * was evaluated with (axe-core clean), accepts, the worker reveals the key, the page checks
 * every chunk against the copy's committed root, saves exactly the copy's bytes and pays the
 * seller; the chain then holds the purchase completed.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, it } from "node:test";
import { parseEther, parseEventLogs } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { readPurchase } from "@modelbazaar/sdk/actions";
import { modelRegistryAbi } from "@modelbazaar/sdk/abis";
import { modelRootOf } from "@modelbazaar/sdk/delivery";
import { startWorker, type WorkerHandle } from "../../offchain-worker/src/startWorker.ts";
import { browserUnavailable, launchChromium } from "../../scripts/lib/browser/chromium.ts";
import { freePort } from "../../scripts/lib/freePort.ts";
import { demoEvaluator, demoListing, devAccountKey, modelPath } from "../../scripts/lib/demoListings.ts";
import { fingerprintedIrisCopy } from "../helpers/fingerprintedCopy.ts";
import { connectTestWallet, injectTestWallet } from "./injectedWallet.ts";
import { axeViolations, watchErrors } from "./pageChecks.ts";
import { localChainClients, newTestContext, ROOT, startLocalStack } from "./localStack.ts";
import { irisCsv, keptTestDrive, openModelPage, pickTestSet, runTestDriveToReport, settled } from "./testDriveJourney.ts";

const BAZAAR = join(ROOT, "scripts", "cli", "bazaar.ts");
/** npm start's roles (scripts/lib/devAccounts.ts): the seller, the buyer, and the second worker's signer. */
const SELLER_KEY = devAccountKey(1);
const BUYER_KEY = devAccountKey(2);
const COPY_WORKER_KEY = devAccountKey(4);
const SAMPLES = 30;

describe("a per-buyer copy test-driven, bought, verified and saved in Chromium", { skip: browserUnavailable() }, () => {
  it("keeps the worker's CopyReceipt of the buyer's copy, and the purchase delivers exactly that copy, accepted, verified against its root and paid", { timeout: 900_000 }, async () => {
    const stack = await startLocalStack();
    const browser = await launchChromium();
    const dir = mkdtempSync(join(tmpdir(), "bazaar-copy-"));
    let worker: WorkerHandle | undefined;
    const errors: string[] = [];
    try {
      const { deploymentFile, deployment, chain, publicClient, walletClient } = localChainClients(stack);
      const buyer = privateKeyToAccount(BUYER_KEY).address;

      // The seller lists Iris again, served by a second worker that evaluates this buyer's test-drives with the buyer's copy.
      const copy = fingerprintedIrisCopy(buyer);
      const copyPath = join(dir, "iris-logreg-copy.onnx");
      writeFileSync(copyPath, copy);
      const port = await freePort();
      const seller = walletClient(SELLER_KEY);
      const [terms, offer] = demoListing("iris-logreg", { workerEndpoint: `http://127.0.0.1:${port}`, workerSigner: privateKeyToAccount(COPY_WORKER_KEY).address });
      const listed = await publicClient.waitForTransactionReceipt({ hash: await seller.writeContract({ address: deployment.registry, abi: modelRegistryAbi, functionName: "list", args: [terms, offer] }) });
      const listingId = parseEventLogs({ abi: modelRegistryAbi, logs: listed.logs, eventName: "ListingCreated" })[0]!.args.listingId;
      worker = await startWorker({
        rpcUrl: stack.rpcUrl,
        market: deployment.market,
        registry: deployment.registry,
        signerKey: COPY_WORKER_KEY,
        dataDir: join(dir, "copy-worker"),
        port,
        pollIntervalMs: 250,
        threads: 1,
        corsOrigins: [stack.appUrl],
        listings: [{ listingId, modelId: "iris-logreg", copies: { [buyer]: "iris-logreg-copy" } }],
        evaluator: { ...demoEvaluator([{ listingId, modelId: "iris-logreg" }]), settings: { models: { "iris-logreg": { onnx: modelPath("iris-logreg") }, "iris-logreg-copy": { onnx: copyPath } } } },
        logLevel: false,
      });

      const context = await newTestContext(browser, { viewport: { width: 1280, height: 900 }, colorScheme: "light", deviceScaleFactor: 1 });
      watchErrors(context, errors);
      await injectTestWallet(context, { privateKey: BUYER_KEY, chain, rpcUrl: stack.rpcUrl });
      const page = await context.newPage();

      // The test-drive, evaluated with the buyer's copy: its CopyReceipt is kept with the record.
      await openModelPage(page, stack.appUrl, { listingId: Number(listingId) });
      await connectTestWallet(page);
      await pickTestSet(page, { name: "iris.csv", csv: irisCsv(SAMPLES).csv, samples: SAMPLES, listingId: Number(listingId) });
      await runTestDriveToReport(page, SAMPLES);
      const { root, size } = modelRootOf(copy);
      await settled(page, "tested-copy", "run-error", 180_000); // once the on-chain receipt checks out, the worker's CopyReceipt is checked and kept
      assert.equal(
        await page.getByTestId("tested-copy").innerText(),
        `Evaluated with your own copy of the model (root ${root}, ${size} bytes), signed by the listing's worker and kept in this browser: a purchase of this listing that delivers this copy can be accepted.`,
      );
      assert.deepEqual(await axeViolations(page), [], "the model page with a report on the buyer's copy");
      const kept = await keptTestDrive(page);
      assert.deepEqual([kept?.copyReceipt?.copyRoot, kept?.copyReceipt?.copySize], [root, size.toString()], "the kept test-drive holds the worker's receipt for the copy file");

      // Bought at the shown price; the seller commits the copy and hands it to the second worker.
      await page.goto(`${stack.appUrl}/#/buy/${listingId}`);
      await page.getByRole("button", { name: "Buy for 5 ETH" }).click();
      await page.waitForURL(/#\/purchase\/\d+$/, { timeout: 120_000 });
      const purchaseId = BigInt(page.url().match(/#\/purchase\/(\d+)$/)![1]!);
      await page.getByTestId("awaiting-delivery").waitFor({ timeout: 180_000 });
      const delivered = await promisify(execFile)(process.execPath, [BAZAAR, "deliver", String(purchaseId), copyPath, "--copy", "--rpc", stack.rpcUrl, "--deployment", deploymentFile], {
        env: { ...process.env, MODELBAZAAR_PRIVATE_KEY: SELLER_KEY, MODELBAZAAR_HOME: join(dir, "seller-home") },
        timeout: 240_000,
      });
      assert.match(delivered.stdout, new RegExp(`committed the buyer's copy for purchase ${purchaseId} .* and handed it to your worker at http://127\\.0\\.0\\.1:${port}`));

      // The buyer's page: the delivery is the tested copy, acceptable, verified against the copy's root, saved and paid.
      await page.getByRole("button", { name: "Download the delivery" }).click({ timeout: 180_000 });
      await settled(page, "ciphertext-verified", "delivery-mismatch", 120_000);
      assert.equal(
        await page.getByTestId("copy-delivery").innerText(),
        `This purchase delivers your own copy of the model, the one your test-drive was evaluated with (root ${root}).`,
      );
      assert.match(await page.getByTestId("ciphertext-verified").innerText(), /match the root of your copy committed for this purchase/);
      assert.deepEqual(await axeViolations(page), [], "the purchase page with the buyer's tested copy");
      const accept = page.getByRole("button", { name: "Accept the delivery" });
      assert.equal(await accept.isEnabled(), true, "the tested copy can be accepted");
      await accept.click();
      await settled(page, "model-verified", "delivery-error", 180_000); // the second worker reveals the key once the buyer accepts
      assert.match(await page.getByTestId("model-verified").innerText(), new RegExp(`all ${copy.length.toLocaleString("en-US")} bytes match the root of your copy committed for this purchase`));
      const [saved] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Save iris-logreg.onnx" }).click()]);
      assert.deepEqual(readFileSync(await saved.path()), Buffer.from(copy), "the saved file is the tested copy, byte for byte");
      assert.deepEqual(await axeViolations(page), [], "the purchase page with the verified copy");
      await page.getByRole("button", { name: "Pay the seller now (5 ETH)" }).click();
      await settled(page, "purchase-done", "delivery-error", 120_000);

      const completed = await readPurchase(publicClient, deployment, purchaseId);
      assert.deepEqual([completed.status, completed.purchase.buyer, completed.purchase.price], ["Completed", buyer, parseEther("5")]);
      assert.deepEqual(errors, []);
      await context.close();
    } finally {
      await worker?.close();
      await browser.close();
      assert.equal(await stack.stop(), 0, stack.output());
    }
  });
});
