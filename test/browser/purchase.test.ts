/**
 * A buyer's purchase journey in real Chromium against `npm start`, with a wallet injected
 * through EIP-6963. From the model page's "Buy now" to the buy page, which pins the price it
 * showed (in its address): the seller reprices behind the buyer's back, the page says so, and buying at the
 * shown price is refused by the market in a sentence; the seller puts the price back and the
 * buyer buys at it. The seller's side runs outside the browser: `bazaar deliver` commits the
 * delivery and hands it to the seller's worker. In the browser the buyer downloads the
 * ciphertext with progress, checks every chunk against the on-chain root, keeps it in the
 * browser's IndexedDB and exports it as a file; a reload brings it back from storage (checked
 * again, no second download) and the buyer accepts, waits for
 * the key the worker reveals, decrypts and verifies, saves the ONNX file (the exact listed
 * bytes) and pays the seller; the chain then holds the purchase completed and the seller
 * credited. A cheating seller (a corrupted chunk committed with the SDK and handed to the same
 * worker) is caught: the buyer's browser finds the wrong chunk after the key is revealed, one
 * click sends the complaint with its proofs, and the chain holds the purchase refunded by an
 * upheld complaint on that chunk. A per-buyer copy the buyer never test-drove is shown as such,
 * cannot be accepted, and is rejected for a refund (docs/PROTOCOL.md §7.2). "My purchases" lists the first two. axe-core at desktop and 390 px.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, it } from "node:test";
import type { Page } from "playwright-core";
import { parseEther, type Address } from "viem";
import { listingWorker, readListing, readPurchase, repriceListing } from "@modelbazaar/sdk/actions";
import { modelMarketAbi } from "@modelbazaar/sdk/abis";
import { marketContracts } from "@modelbazaar/sdk/client";
import { ChunkTree, decodeDeliveryFile, encodeDeliveryFile, encodeDeliveryPackage, prepareDelivery, toChunks } from "@modelbazaar/sdk/delivery";
import { browserUnavailable, launchChromium } from "../../scripts/lib/browser/chromium.ts";
import { devAccountKey, modelPath } from "../../scripts/lib/demoListings.ts";
import { connectTestWallet, injectTestWallet } from "./injectedWallet.ts";
import { axeViolations, dismissToasts, watchErrors } from "./pageChecks.ts";
import { localChainClients, newTestContext, ROOT, startLocalStack } from "./localStack.ts";

const SCREENSHOTS = join(ROOT, "docs", "screenshots");
const BAZAAR = join(ROOT, "scripts", "cli", "bazaar.ts");
/** npm start's roles (scripts/start.ts): the seller of every demo listing, and a buyer. */
const SELLER = 1;
const BUYER = 2;
const LISTING = 1n;
const MODEL = readFileSync(modelPath("iris-logreg"));
/** The chunk the cheating seller corrupts. */
const BAD_CHUNK = 5;

/** Waits for `done`, failing at once with the page's sentence if one of `failed` appears instead. */
async function settled(page: Page, done: string, failed: readonly string[], timeout: number): Promise<void> {
  const outcome = await Promise.race([
    page.getByTestId(done).waitFor({ timeout }).then(() => undefined),
    ...failed.map((id) => page.getByTestId(id).waitFor({ timeout }).then(() => id)),
  ]);
  if (outcome !== undefined) assert.fail(`the page says: ${await page.getByTestId(outcome).innerText()}`);
}

/** Buys listing 1 from its buy page at the price shown, returning the purchase id the page moved to. */
async function buyAtShownPrice(page: Page, appUrl: string): Promise<bigint> {
  await page.goto(`${appUrl}/#/buy/${LISTING}`);
  await page.getByRole("button", { name: "Buy for 5 ETH" }).click();
  await page.waitForURL(/#\/purchase\/\d+$/, { timeout: 120_000 });
  return BigInt(page.url().match(/#\/purchase\/(\d+)$/)![1]!);
}

describe("a purchase bought, received, verified and saved in Chromium", { skip: browserUnavailable() }, () => {
  it("buys at the shown price, downloads and verifies the delivery, saves the model and pays; a corrupted chunk is complained about in one click", { timeout: 900_000 }, async () => {
    const stack = await startLocalStack();
    const browser = await launchChromium();
    const errors: string[] = [];
    try {
      const { deploymentFile, deployment, chain, publicClient, walletClient } = localChainClients(stack);
      const sellerWallet = walletClient(devAccountKey(SELLER));
      const sellerAccount = sellerWallet.account;
      const seller = marketContracts({ publicClient, walletClient: sellerWallet, deployment });
      const mined = async (hash: Promise<`0x${string}`>) => assert.equal((await publicClient.waitForTransactionReceipt({ hash: await hash })).status, "success");
      const owedTo = (account: Address) => publicClient.readContract({ address: deployment.market, abi: modelMarketAbi, functionName: "owed", args: [account] });

      const context = await newTestContext(browser, { viewport: { width: 1280, height: 900 }, colorScheme: "light", deviceScaleFactor: 1 });
      watchErrors(context, errors);
      const wallet = await injectTestWallet(context, { privateKey: devAccountKey(BUYER), chain, rpcUrl: stack.rpcUrl });
      const page = await context.newPage();

      // From the model page to the buy page; the wallet connects and switches to the local chain.
      await page.goto(`${stack.appUrl}/#/model/${LISTING}`);
      await page.getByRole("link", { name: "Buy now" }).click();
      await page.waitForURL(/#\/buy\/1\?price=5000000000000000000$/);
      await page.getByRole("heading", { name: "Buy iris-logreg", level: 1 }).waitFor({ timeout: 180_000 });
      await connectTestWallet(page);
      const listing = await readListing(publicClient, deployment, LISTING);
      assert.equal(listing.offer.price, parseEther("5"));
      assert.equal(await page.getByTestId("price").innerText(), "5 ETH", "the price shown is the chain's");
      assert.deepEqual(await axeViolations(page), [], "the buy page");
      await page.screenshot({ path: join(SCREENSHOTS, "buy-desktop-light.png"), fullPage: true });

      // The seller raises the price while the page is open: the page says so, and the market refuses the shown price.
      await mined(repriceListing(seller.registry, LISTING, listing.offer, parseEther("6")));
      await page.getByTestId("price-changed").filter({ hasText: "The seller changed the price to 6 ETH since this page showed 5 ETH" }).waitFor({ timeout: 180_000 });
      await page.getByRole("button", { name: "Buy for 5 ETH" }).click();
      assert.equal(
        await page.getByTestId("buy-error").innerText({ timeout: 60_000 }),
        "The contract refused: The seller changed the price of listing 1 to 6 ETH; you were shown 5 ETH, so the market refused the purchase and nothing was paid.",
      );
      await mined(repriceListing(seller.registry, LISTING, listing.offer, parseEther("5")));
      await page.getByTestId("price-changed").waitFor({ state: "hidden", timeout: 180_000 });

      // The honest sale: bought at the shown price, delivered by `bazaar deliver` through the seller's worker.
      const sellerOwedBefore = await owedTo(sellerAccount.address);
      await page.getByRole("button", { name: "Buy for 5 ETH" }).click();
      await page.waitForURL(/#\/purchase\/\d+$/, { timeout: 120_000 });
      const honestId = BigInt(page.url().match(/#\/purchase\/(\d+)$/)![1]!);
      const bought = await readPurchase(publicClient, deployment, honestId);
      assert.deepEqual([bought.status, bought.purchase.buyer, bought.purchase.price], ["AwaitingDelivery", wallet.address, parseEther("5")]);
      await page.getByTestId("awaiting-delivery").waitFor({ timeout: 180_000 });

      const home = mkdtempSync(join(tmpdir(), "bazaar-seller-"));
      const delivered = await promisify(execFile)(process.execPath, [BAZAAR, "deliver", String(honestId), modelPath("iris-logreg"), "--rpc", stack.rpcUrl, "--deployment", deploymentFile], {
        env: { ...process.env, MODELBAZAAR_PRIVATE_KEY: devAccountKey(SELLER), MODELBAZAAR_HOME: home },
        timeout: 240_000,
      });
      assert.match(delivered.stdout, /and handed it to your worker at http:\/\/127\.0\.0\.1:\d+/);

      // Every progress line the page announces while downloading, as it announces it.
      await page.evaluate(() => {
        const seen: string[] = ((window as unknown as { progressSeen: string[] }).progressSeen = []);
        new MutationObserver(() => {
          const line = document.querySelector("[data-testid=download-progress] [role=status]")?.textContent;
          if (line && seen.at(-1) !== line) seen.push(line);
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      await page.getByRole("button", { name: "Download the delivery" }).click({ timeout: 60_000 });
      await settled(page, "ciphertext-verified", ["download-error", "delivery-mismatch"], 120_000);
      const progressSeen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
      const last = progressSeen.at(-1)?.match(/^Downloaded (.+) of (.+) from the seller's worker$/);
      assert.ok(last, `no download progress line in ${JSON.stringify(progressSeen)}`);
      assert.equal(last[1], last[2], "the download's progress reaches its size");
      assert.match(await page.getByTestId("ciphertext-verified").innerText(), /^All 23 chunks match the on-chain ciphertext root/);

      // The checked delivery is kept in the browser before Accept is offered, and exports as the file `bazaar download --from` reads.
      assert.match(await page.getByTestId("delivery-kept").innerText(), /^Kept in this browser's storage: a reload or a crash before you decrypt it loses nothing\./);
      const [exportedDelivery] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export the delivery" }).click()]);
      assert.equal(exportedDelivery.suggestedFilename(), `modelbazaar-delivery-31337-purchase-${honestId}.mbzdlv`);
      const exportedFile = decodeDeliveryFile(readFileSync(await exportedDelivery.path()));
      assert.deepEqual([exportedFile.purchaseId, exportedFile.modelSize, ChunkTree.fromChunks(exportedFile.ciphertext).root], [honestId, MODEL.length, (await readPurchase(publicClient, deployment, honestId)).ciphertextRoot]);

      // A reload between download and acceptance loses nothing: the delivery comes back from storage, checked again, without a second download.
      const deliveryFetches: string[] = [];
      page.on("request", (request) => {
        if (/\/purchases\/\d+\/delivery$/.test(request.url())) deliveryFetches.push(request.url());
      });
      await page.reload();
      await page.getByTestId("delivery-kept").filter({ hasText: "Restored from this browser's storage, where it was kept when you downloaded it, and checked against the chain again." }).waitFor({ timeout: 180_000 });
      assert.match(await page.getByTestId("ciphertext-verified").innerText(), /^All 23 chunks match the on-chain ciphertext root/);
      assert.equal(await page.getByRole("button", { name: "Download the delivery" }).count(), 0);
      await page.getByRole("button", { name: "Accept the delivery" }).click();
      await settled(page, "model-verified", ["bad-chunk", "delivery-error"], 180_000); // the worker reveals the key once the buyer accepts
      assert.deepEqual(deliveryFetches, [], "the restored delivery was not downloaded again");
      assert.match(await page.getByTestId("model-verified").innerText(), /all 712 bytes match the listing's model root/);
      const [saved] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Save iris-logreg.onnx" }).click()]);
      assert.equal(saved.suggestedFilename(), "iris-logreg.onnx");
      assert.deepEqual(readFileSync(await saved.path()), MODEL, "the saved file is the listed model, byte for byte");
      assert.deepEqual(await axeViolations(page), [], "the purchase page with the verified model");
      await page.screenshot({ path: join(SCREENSHOTS, "purchase-desktop-light.png"), fullPage: true });
      await page.getByRole("button", { name: "Pay the seller now (5 ETH)" }).click();
      await settled(page, "purchase-done", ["delivery-error"], 120_000);
      await page.getByRole("link", { name: "Save iris-logreg.onnx" }).waitFor(); // still offered once paid

      const completed = await readPurchase(publicClient, deployment, honestId);
      assert.equal(completed.status, "Completed");
      assert.equal((await owedTo(sellerAccount.address)) - sellerOwedBefore, parseEther("5"), "the seller is credited the price");
      assert.deepEqual(await axeViolations(page), [], "the completed purchase page");

      // A cheating seller: chunk 5 corrupted before committing, handed to the same worker.
      const cheatedId = await buyAtShownPrice(page, stack.appUrl);
      const prepared = prepareDelivery(MODEL);
      prepared.ciphertext[BAD_CHUNK]![0]! ^= 0xff;
      const badRoot = ChunkTree.fromChunks(prepared.ciphertext).root;
      await mined(seller.market.write.commitDelivery([cheatedId, badRoot, prepared.keyHash], { chain: undefined }));
      const worker = await listingWorker(publicClient, deployment, LISTING);
      const file = encodeDeliveryFile({ purchaseId: cheatedId, modelSize: MODEL.length, ciphertext: prepared.ciphertext, modelLeaves: prepared.modelLeaves });
      await worker.handOverDelivery(sellerAccount, { chainId: deployment.chainId, market: deployment.market }, cheatedId, encodeDeliveryPackage({ key: prepared.key, file }));

      await page.getByRole("button", { name: "Download the delivery" }).click({ timeout: 60_000 });
      await settled(page, "ciphertext-verified", ["download-error", "delivery-mismatch"], 120_000); // it matches its (dishonest) commitment
      await page.getByRole("button", { name: "Accept the delivery" }).click();
      await settled(page, "bad-chunk", ["model-verified", "delivery-error"], 180_000);
      assert.match(await page.getByTestId("bad-chunk").innerText(), new RegExp(`^Chunk ${BAD_CHUNK} decrypts to something other than the listed model`));
      assert.equal(await page.getByRole("link", { name: "Save iris-logreg.onnx" }).count(), 0, "a model with a wrong chunk is never offered");
      assert.deepEqual(await axeViolations(page), [], "the purchase page with a wrong chunk");
      await page.screenshot({ path: join(SCREENSHOTS, "purchase-complaint-desktop-light.png"), fullPage: true });
      const buyerBefore = await publicClient.getBalance({ address: wallet.address });
      await page.getByRole("button", { name: `Complain about chunk ${BAD_CHUNK}` }).click();
      await settled(page, "purchase-refunded", ["delivery-error"], 120_000);
      assert.match(await page.getByTestId("purchase-refunded").innerText(), /^The purchase was refunded: 5 ETH went back to you \(sent with your own transaction/);

      const refunded = await readPurchase(publicClient, deployment, cheatedId);
      assert.equal(refunded.status, "Refunded");
      // The complainer is the buyer, so the market sends the refund with its transaction (MarketLedger._release).
      const gained = (await publicClient.getBalance({ address: wallet.address })) - buyerBefore;
      assert.ok(gained > parseEther("4.99") && gained < parseEther("5"), `the whole price back, net of gas: ${gained}`);
      const [upheld] = await publicClient.getContractEvents({ address: deployment.market, abi: modelMarketAbi, eventName: "ComplaintUpheld", args: { purchaseId: cheatedId }, fromBlock: deployment.startBlock, strict: true });
      assert.equal(upheld?.args.index, BigInt(BAD_CHUNK), "the market upheld the complaint about the corrupted chunk");

      // A per-buyer copy this buyer never test-drove: the page says so, will not accept it, and rejecting refunds.
      const copyId = await buyAtShownPrice(page, stack.appUrl);
      const copy = Uint8Array.from(MODEL);
      copy[copy.length - 1]! ^= 0x01;
      const copied = prepareDelivery(copy);
      await mined(seller.market.write.commitCopyDelivery([copyId, copied.ciphertextRoot, copied.keyHash, ChunkTree.fromChunks(toChunks(copy)).root, BigInt(copy.length)], { chain: undefined }));
      const copyFile = encodeDeliveryFile({ purchaseId: copyId, modelSize: copy.length, ciphertext: copied.ciphertext, modelLeaves: copied.modelLeaves });
      await worker.handOverDelivery(sellerAccount, { chainId: deployment.chainId, market: deployment.market }, copyId, encodeDeliveryPackage({ key: copied.key, file: copyFile }));
      await page.getByRole("button", { name: "Download the delivery" }).click({ timeout: 60_000 });
      await settled(page, "ciphertext-verified", ["download-error", "delivery-mismatch"], 120_000);
      assert.match(await page.getByTestId("copy-delivery").innerText(), /delivers a per-buyer copy .* that none of your test-drives kept in this browser was evaluated with: it is not the model you tested/);
      assert.match(await page.getByTestId("ciphertext-verified").innerText(), /match the root of your copy committed for this purchase/);
      assert.equal(await page.getByRole("button", { name: "Accept the delivery" }).isDisabled(), true, "an untested copy cannot be accepted");
      assert.deepEqual(await axeViolations(page), [], "the purchase page with an untested copy");
      await page.getByRole("button", { name: "Reject the delivery" }).click();
      await settled(page, "purchase-refunded", ["delivery-error"], 120_000);
      assert.equal((await readPurchase(publicClient, deployment, copyId)).status, "Refunded");

      // My purchases: both, with where they ended.
      await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Purchases" }).click();
      const rows = page.getByTestId("my-purchase");
      await rows.filter({ hasText: `#${cheatedId}` }).filter({ hasText: "refunded" }).waitFor({ timeout: 180_000 });
      await rows.filter({ hasText: `#${honestId}` }).filter({ hasText: "completed" }).waitFor({ timeout: 180_000 });
      assert.deepEqual(await axeViolations(page), [], "my purchases");

      // The completed purchase at 390 px: nothing scrolls sideways, axe-clean.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${stack.appUrl}/#/purchase/${honestId}`);
      await page.getByTestId("purchase-done").waitFor({ timeout: 180_000 });
      await page.getByRole("link", { name: "Save iris-logreg.onnx" }).waitFor({ timeout: 60_000 }); // decrypted again from the kept delivery
      const overflow = await page.evaluate(() => ({
        by: document.documentElement.scrollWidth - window.innerWidth,
        widest: Array.from(document.querySelectorAll("main *")).filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).slice(-3).map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
      }));
      assert.equal(overflow.by, 0, `the purchase page scrolls sideways at 390 px: ${overflow.widest.join(" | ")}`);
      assert.deepEqual(await axeViolations(page), [], "the purchase page at 390 px");
      await dismissToasts(page);
      await page.screenshot({ path: join(SCREENSHOTS, "purchase-mobile-light.png"), fullPage: true });
      await page.emulateMedia({ colorScheme: "dark" });
      await page.waitForFunction(() => document.getAnimations().length === 0); // the theme's colour transitions have ended
      assert.deepEqual(await axeViolations(page), [], "the purchase page at 390 px, dark");
      await page.screenshot({ path: join(SCREENSHOTS, "purchase-mobile-dark.png"), fullPage: true });
      assert.deepEqual(errors, []);
      await context.close();
    } finally {
      await browser.close();
      assert.equal(await stack.stop(), 0, stack.output());
    }
  });
});
