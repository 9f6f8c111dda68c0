/**
 * A sealed-bid auction in real Chromium against `npm start`, three people in three browser
 * contexts, each with its own wallet injected through EIP-6963: the seller (whose listing #2 is
 * first switched to auction mode through the registry) starts a second-price auction from the
 * model page; two bidders commit sealed bids from the auction page (one refused below the
 * reserve with the SDK's sentence; one whose first signature is rejected, which leaves a kept
 * secret and no bid; one with the default random pad, one with chosen collateral plus the deposit
 * of its evaluated test-drive of the listing, offered by the form), each secret
 * kept in its browser beside any earlier one and one exported as a file; that browser then
 * loses its copy, refuses an imported file whose amount does not open the chain's commitment
 * (with the SDK's sentence) and takes the exported one; the chain's clock is moved past
 * bidding, both reveal, and each page shows the other's reveal as blocks arrive; past the reveal
 * window one bidder settles, the winner reclaims its own collateral and the seller releases the
 * loser's (anyone may). Afterwards the chain is asked: the commitments are
 * the kept ones, the highest bidder won at the second price, its payment is the purchase escrow
 * for the seller (nothing credited to the seller before delivery), and the loser was credited all
 * its ether and its deposit went back to its test-drive. The explorer's auction, purchase and
 * listing timelines link to the auction, purchase and model pages. The seller never delivers:
 * past the delivery deadline the winner refunds its purchase from its page, and the price is
 * back with it. The auction page passes axe-core at desktop width and at 390 px (where
 * nothing scrolls sideways), with no console error, and is photographed into docs/screenshots/.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { createPublicClient, createWalletClient, defineChain, formatEther, http, parseEther, parseEventLogs, type Address, type Chain, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { readAuction, readPurchase } from "@modelbazaar/sdk/actions";
import { bidCommitment } from "@modelbazaar/sdk/auctions";
import { modelMarketAbi, modelRegistryAbi } from "@modelbazaar/sdk/abis";
import { browserUnavailable, launchChromium } from "../../scripts/lib/browser/chromium.ts";
import { devAccountKey } from "../../scripts/lib/demoListings.ts";
import { connectTestWallet, injectTestWallet, type TestWallet } from "./injectedWallet.ts";
import { newTestContext, ROOT, rpc, startLocalStack } from "./localStack.ts";
import { axeViolations, dismissToasts, sidewaysOverflow, watchErrors } from "./pageChecks.ts";

const SCREENSHOTS = join(ROOT, "docs", "screenshots");
const LISTING = 2n;
const SELLER = devAccountKey(1);
const BIDDERS = { high: devAccountKey(4), low: devAccountKey(5) } as const;
const RESERVE = parseEther("1");
const HIGH_BID = parseEther("3");
const LOW_BID = parseEther("2");
const LOW_COLLATERAL = parseEther("2.5");
/** The windows the seller types, in minutes. */
const WINDOW_MINUTES = 5;
/** Waits for what the chain must first mine and the page then re-read (a loaded 2-core machine). */
const CHAIN_WAIT = 120_000;

interface KeptBidRecord {
  readonly amount: string;
  readonly salt: Hex;
  readonly commitment: Hex;
  readonly collateral: string;
}

/** Opens `url` in a context of its own with a wallet for `privateKey`, connected and on the local chain. */
async function walletPage(browser: Browser, url: string, privateKey: Hex, chain: Chain, rpcUrl: string, errors: string[]): Promise<{ page: Page; address: Address; wallet: TestWallet }> {
  const context = await newTestContext(browser, { viewport: { width: 1280, height: 900 }, colorScheme: "light", deviceScaleFactor: 1 });
  watchErrors(context, errors);
  const wallet = await injectTestWallet(context, { privateKey, chain, rpcUrl });
  const page = await context.newPage();
  await page.goto(url);
  await connectTestWallet(page);
  return { page, address: wallet.address, wallet };
}

/** Fills the commit form and sends it; resolves once the chain holds the bid (the page says "sealed"). */
async function commit(page: Page, amount: string, collateral?: string, testDriveOption?: string): Promise<void> {
  const form = page.getByTestId("commit-bid-form");
  await form.getByLabel("Your bid (ETH)").fill(amount);
  await form.getByLabel("Collateral (ETH, optional)").fill(collateral ?? "");
  if (testDriveOption) await form.getByLabel("Apply a test-drive's deposit").selectOption({ label: testDriveOption }, { timeout: CHAIN_WAIT });
  await form.getByRole("button", { name: "Seal and commit the bid" }).click();
  await page.getByTestId("your-bid-state").filter({ hasText: /^sealed$/ }).waitFor({ timeout: CHAIN_WAIT });
}

/** The bid records this page's browser keeps for the auction (auction/keptBid.ts). */
async function keptBids(page: Page, auctionId: bigint): Promise<KeptBidRecord[]> {
  const records = await page.evaluate((id) => Object.keys(localStorage).filter((k) => k.startsWith("modelbazaar.bid.31337.") && k.includes(`.auction.${id}.`)).map((k) => localStorage.getItem(k)!), String(auctionId));
  return records.map((record) => JSON.parse(record) as KeptBidRecord);
}

/** The one record kept for the auction. */
async function keptBid(page: Page, auctionId: bigint): Promise<KeptBidRecord> {
  const [record, ...more] = await keptBids(page, auctionId);
  assert.ok(record, "the browser kept the bid's secret");
  assert.equal(more.length, 0);
  return record;
}

/** Moves the local chain's clock past `seconds` and mines a block at the new time. */
async function advance(rpcUrl: string, seconds: number): Promise<void> {
  await rpc(rpcUrl, "evm_increaseTime", [seconds]);
  await rpc(rpcUrl, "evm_mine", []);
}

describe("a sealed-bid auction with two bidders, in Chromium", { skip: browserUnavailable() }, () => {
  it("starts, commits, reveals, settles and reclaims from three wallets, and the chain holds the second-price outcome", { timeout: 900_000 }, async () => {
    const stack = await startLocalStack();
    const browser = await launchChromium();
    const errors: string[] = [];
    try {
      const deployment = JSON.parse(readFileSync(join(ROOT, "deployments", "31337.json"), "utf8")) as { market: Address; registry: Address; startBlock: string; chainId: number };
      const where = { ...deployment, startBlock: BigInt(deployment.startBlock) };
      const chain = defineChain({ id: 31337, name: "Local chain", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [stack.rpcUrl] } } });
      const publicClient = createPublicClient({ chain, transport: http(stack.rpcUrl) });

      // The seller offers listing #2 by auction (the registry's updateOffer; the dApp's seller dashboard is another page).
      const seller = createWalletClient({ account: privateKeyToAccount(SELLER), chain, transport: http(stack.rpcUrl) });
      const { offer } = await publicClient.readContract({ address: deployment.registry, abi: modelRegistryAbi, functionName: "getListing", args: [LISTING] });
      const switched = await seller.writeContract({ address: deployment.registry, abi: modelRegistryAbi, functionName: "updateOffer", args: [LISTING, { ...offer, saleMode: 1 }] });
      assert.equal((await publicClient.waitForTransactionReceipt({ hash: switched })).status, "success");
      const sellerOwedBefore = await publicClient.readContract({ address: deployment.market, abi: modelMarketAbi, functionName: "owed", args: [seller.account.address] });

      // The seller starts a second-price auction from the model page.
      const { page: sellerPage } = await walletPage(browser, `${stack.appUrl}/#/model/${LISTING}`, SELLER, chain, stack.rpcUrl, errors);
      const start = sellerPage.getByTestId("start-auction-form");
      await start.getByLabel("Kind").selectOption("second-price");
      await start.getByLabel("Reserve (ETH)").fill("1");
      await start.getByLabel("Bidding window (minutes)").fill(String(WINDOW_MINUTES));
      await start.getByLabel("Reveal window (minutes)").fill(String(WINDOW_MINUTES));
      await start.getByRole("button", { name: "Start the auction" }).click();
      await sellerPage.waitForURL(/#\/auction\/\d+$/, { timeout: CHAIN_WAIT });
      const auctionId = BigInt(sellerPage.url().match(/#\/auction\/(\d+)$/)![1]!);
      await sellerPage.getByRole("heading", { name: `Auction #${auctionId}`, level: 1 }).waitFor({ timeout: CHAIN_WAIT });
      assert.match(await sellerPage.getByTestId("your-part").innerText(), /You are the seller/);
      assert.equal(await sellerPage.getByTestId("commit-bid-form").count(), 0, "the seller gets no bid form");
      const created = await readAuction({ publicClient, deployment: where }, auctionId);
      assert.deepEqual([created.listingId, created.kind, created.reservePrice, created.revealEnd - created.commitEnd], [LISTING, "second-price", RESERVE, WINDOW_MINUTES * 60]);

      // The low bidder test-drove the listing (opened through viem; the worker's signer records the receipt, as the worker would).
      const lowBidder = createWalletClient({ account: privateKeyToAccount(BIDDERS.low), chain, transport: http(stack.rpcUrl) });
      const { terms } = await publicClient.readContract({ address: deployment.registry, abi: modelRegistryAbi, functionName: "getListing", args: [LISTING] });
      const samples = terms.testPolicy.minSamples;
      const [deposit, fee] = await publicClient.readContract({ address: deployment.market, abi: modelMarketAbi, functionName: "testPrice", args: [LISTING, samples] });
      const opened = await publicClient.waitForTransactionReceipt({
        hash: await lowBidder.writeContract({ address: deployment.market, abi: modelMarketAbi, functionName: "openTest", args: [LISTING, `0x${"00".repeat(31)}0b`, samples], value: deposit + fee }),
      });
      const lowTestId = parseEventLogs({ abi: modelMarketAbi, logs: opened.logs, eventName: "TestOpened" })[0]!.args.testId;
      const worker = createWalletClient({ account: privateKeyToAccount(devAccountKey(3)), chain, transport: http(stack.rpcUrl) });
      await publicClient.waitForTransactionReceipt({ hash: await worker.writeContract({ address: deployment.market, abi: modelMarketAbi, functionName: "recordReceipt", args: [lowTestId, `0x${"cd".repeat(32)}`] }) });

      // Two bidders, each in a browser of its own.
      const url = `${stack.appUrl}/#/auction/${auctionId}`;
      const high = await walletPage(browser, url, BIDDERS.high, chain, stack.rpcUrl, errors);
      const low = await walletPage(browser, url, BIDDERS.low, chain, stack.rpcUrl, errors);
      assert.match(await high.page.getByTestId("commit-countdown").innerText(), /^\d+m \d{2}s left$/);

      // Below the reserve: refused in the page, before the wallet is asked.
      const form = low.page.getByTestId("commit-bid-form");
      await form.getByLabel("Your bid (ETH)").fill("0.5");
      await form.getByRole("button", { name: "Seal and commit the bid" }).click();
      assert.equal(await low.page.getByTestId("bid-error").innerText(), "your bid of 0.5 ETH is below the reserve of 1 ETH, so it could not win");

      // The secret is kept before the wallet is asked: a rejected signature leaves a kept secret and no bid.
      low.wallet.rejectNextTransaction();
      await form.getByLabel("Your bid (ETH)").fill("2");
      await form.getByLabel("Collateral (ETH, optional)").fill("2.5");
      await form.getByRole("button", { name: "Seal and commit the bid" }).click();
      await low.page.getByTestId("toast-error").filter({ hasText: "You rejected the request in your wallet; nothing was sent." }).waitFor({ timeout: CHAIN_WAIT });
      const [unsent] = await keptBids(low.page, auctionId);
      assert.ok(unsent, "the secret was kept before the wallet answered");
      const none = await publicClient.readContract({ address: deployment.market, abi: modelMarketAbi, functionName: "getBid", args: [auctionId, low.address] });
      assert.equal(none.collateral, 0n, "nothing was committed");

      await commit(high.page, "3");
      // The high bidder has no test-drive to apply; the low bidder applies its test-drive's deposit to the bid.
      assert.equal(await high.page.getByLabel("Apply a test-drive's deposit").count(), 0);
      await commit(low.page, "2", "2.5", `test-drive #${lowTestId}: its ${formatEther(deposit)} ETH deposit`);
      const keptHigh = await keptBid(high.page, auctionId);
      // A second sealing keeps its own secret beside the first (a fresh salt), never over it.
      const lowRecords = await keptBids(low.page, auctionId);
      assert.equal(lowRecords.length, 2);
      const committedLow = await publicClient.readContract({ address: deployment.market, abi: modelMarketAbi, functionName: "getBid", args: [auctionId, low.address] });
      const keptLow = lowRecords.find((r) => r.commitment === committedLow.commitment);
      assert.ok(keptLow, "the browser keeps the secret of the bid the chain holds");
      assert.notEqual(unsent.salt, keptLow.salt);
      assert.match(await high.page.getByTestId("kept-bid").innerText(), /kept only in this browser/);

      // The chain holds exactly the kept commitments; the default collateral hides the amount within [bid, 2 × bid].
      const [bidHigh, bidLow] = await Promise.all([
        publicClient.readContract({ address: deployment.market, abi: modelMarketAbi, functionName: "getBid", args: [auctionId, high.address] }),
        publicClient.readContract({ address: deployment.market, abi: modelMarketAbi, functionName: "getBid", args: [auctionId, low.address] }),
      ]);
      assert.equal(bidHigh.commitment, bidCommitment(HIGH_BID, keptHigh.salt, high.address, auctionId));
      assert.equal(bidHigh.commitment, keptHigh.commitment);
      assert.equal(bidLow.commitment, bidCommitment(LOW_BID, keptLow.salt, low.address, auctionId));
      assert.ok(bidHigh.collateral >= HIGH_BID && bidHigh.collateral <= 2n * HIGH_BID + 10n ** 14n, `the padded collateral ${bidHigh.collateral} hides a bid of ${HIGH_BID}`);
      assert.equal(bidLow.collateral, LOW_COLLATERAL + deposit, "the test-drive's deposit joined the low bid's collateral");
      assert.equal((await publicClient.readContract({ address: deployment.market, abi: modelMarketAbi, functionName: "getTest", args: [lowTestId] })).phase, 6, "the test-drive's deposit is applied to the bid");

      // The secret exports as a file that reveals the bid, and the warning says so.
      const [download] = await Promise.all([high.page.waitForEvent("download"), high.page.getByRole("button", { name: "Export the bid's secret" }).click()]);
      assert.equal(download.suggestedFilename(), `modelbazaar-bid-31337-auction-${auctionId}-${high.address.slice(0, 6).toLowerCase()}.json`);
      const exported = JSON.parse(readFileSync(await download.path(), "utf8")) as KeptBidRecord;
      assert.deepEqual([exported.amount, exported.salt, exported.commitment], [HIGH_BID.toString(), keptHigh.salt, keptHigh.commitment]);
      await high.page.getByTestId("kept-bid").filter({ hasText: "were exported" }).waitFor();

      // The browser loses its copy: a file whose amount does not open the chain's commitment is refused, the exported one is taken.
      await high.page.evaluate((id) => Object.keys(localStorage).filter((k) => k.includes(`.auction.${id}.`)).forEach((k) => localStorage.removeItem(k)), String(auctionId));
      await high.page.reload();
      const importer = high.page.getByLabel("Import an exported bid");
      const tampered = join(mkdtempSync(join(tmpdir(), "bazaar-bid-")), "tampered-bid.json");
      const tamperedAmount = parseEther("2.5");
      writeFileSync(tampered, JSON.stringify({ ...exported, amount: tamperedAmount.toString() }));
      await importer.setInputFiles(tampered, { timeout: CHAIN_WAIT });
      assert.equal(
        await high.page.getByTestId("import-error").innerText(),
        `tampered-bid.json: the amount and salt do not open the bid the chain holds for ${high.address} in auction ${auctionId} (they hash to ${bidCommitment(tamperedAmount, keptHigh.salt, high.address, auctionId)}, the chain holds ${keptHigh.commitment}): revealing them would fail and the bid would pay the non-reveal penalty`,
      );
      assert.deepEqual(await keptBids(high.page, auctionId), [], "the refused file was not kept");
      await importer.setInputFiles(await download.path());
      await high.page.getByTestId("kept-bid").filter({ hasText: "were exported" }).waitFor();
      assert.equal((await keptBid(high.page, auctionId)).salt, keptHigh.salt);

      // Past bidding: both reveal, and each page shows both reveals as blocks arrive.
      await advance(stack.rpcUrl, WINDOW_MINUTES * 60 + 1);
      for (const bidder of [high, low]) {
        await bidder.page.getByRole("button", { name: "Reveal your bid" }).click({ timeout: CHAIN_WAIT });
        await bidder.page.getByTestId("your-bid-state").filter({ hasText: /^revealed/ }).waitFor({ timeout: CHAIN_WAIT });
      }
      for (const { page } of [high, low]) await page.getByTestId("revealed-bid").nth(1).waitFor({ timeout: CHAIN_WAIT });
      await sellerPage.getByTestId("revealed-count").filter({ hasText: /^2$/ }).waitFor({ timeout: CHAIN_WAIT });

      // The auction page, checked while it shows the most (countdowns, both reveals, a bid).
      assert.deepEqual(await axeViolations(high.page), [], "the auction page");
      await high.page.screenshot({ path: join(SCREENSHOTS, "auction-desktop-light.png"), fullPage: true });

      // Past the reveal window: the low bidder settles (anyone may), the seller releases the low bidder's collateral (anyone may), the winner reclaims its own.
      await advance(stack.rpcUrl, WINDOW_MINUTES * 60 + 1);
      await low.page.getByRole("button", { name: "Settle the auction" }).click({ timeout: CHAIN_WAIT });
      await high.page.getByTestId("clearing-price").filter({ hasText: "2 ETH" }).waitFor({ timeout: CHAIN_WAIT });
      // The price shows once the reveals end; the purchase only once the settlement is mined (and its gas taken from the low bidder).
      await high.page.locator('a[href^="#/explorer/purchase/"]').first().waitFor({ timeout: CHAIN_WAIT });
      const lowBalanceBefore = await publicClient.getBalance({ address: low.address });
      const held = sellerPage.getByTestId("unreleased-bid");
      await held.nth(1).waitFor({ timeout: CHAIN_WAIT });
      assert.deepEqual(await held.locator('span[title^="0x"]').evaluateAll((spans) => spans.map((span) => span.getAttribute("title"))), [high.address, low.address], "both bids' collateral is held, in commit order");
      await low.page.getByTestId("unreleased-bid").first().waitFor({ timeout: CHAIN_WAIT });
      assert.equal(await low.page.getByTestId("unreleased-bid").count(), 1, "a bidder's own bid is released from its part, not listed");
      await held.filter({ has: sellerPage.locator(`[title="${low.address}"]`) }).getByRole("button", { name: "Release this collateral" }).click();
      await low.page.getByTestId("your-bid-state").filter({ hasText: "collateral released" }).waitFor({ timeout: CHAIN_WAIT });
      await held.filter({ has: sellerPage.locator(`[title="${low.address}"]`) }).waitFor({ state: "detached", timeout: CHAIN_WAIT });
      await high.page.getByRole("button", { name: "Reclaim your collateral beyond the 2 ETH price" }).click({ timeout: CHAIN_WAIT });
      await high.page.getByTestId("your-bid-state").filter({ hasText: "won; the collateral beyond the price was returned" }).waitFor({ timeout: CHAIN_WAIT });
      const purchaseLink = high.page.getByTestId("purchase-link");
      assert.match(await purchaseLink.getAttribute("href") ?? "", /^#\/purchase\/\d+$/);

      // What the chain holds: the high bidder won at the second price, its payment is the seller's purchase escrow.
      const settled = await readAuction({ publicClient, deployment: where }, auctionId, low.address);
      assert.equal(settled.phase, "settled");
      assert.equal(settled.winner, high.address);
      assert.equal(settled.clearingPrice, LOW_BID, "second price: the winner pays the other bid");
      assert.deepEqual(new Map(settled.reveals.map((r) => [r.bidder, [r.amount, r.valid]])), new Map([[high.address, [HIGH_BID, true]], [low.address, [LOW_BID, true]]]));
      assert.ok(settled.purchaseId !== undefined);
      assert.equal(await purchaseLink.getAttribute("href"), `#/purchase/${settled.purchaseId}`);
      const purchase = await readPurchase(publicClient, where, settled.purchaseId);
      assert.equal(purchase.purchase.buyer, high.address);
      assert.equal(purchase.purchase.seller, seller.account.address);
      assert.equal(purchase.escrow, LOW_BID, "the escrow holds the price for the seller");
      const sellerOwedAfter = await publicClient.readContract({ address: deployment.market, abi: modelMarketAbi, functionName: "owed", args: [seller.account.address] });
      assert.equal(sellerOwedAfter, sellerOwedBefore, "the seller is paid from the escrow on delivery, not credited at the settlement");

      // The loser's collateral came back whole, credited to it (someone else released it); the winner's beyond the price, to its balance.
      assert.equal(settled.bid?.reclaimed, true);
      const reclaims = parseEventLogs({ abi: modelMarketAbi, eventName: "BidReclaimed", logs: await publicClient.getLogs({ address: deployment.market, fromBlock: where.startBlock }) }).filter((e) => e.args.auctionId === auctionId);
      const refundOf = (bidder: Address) => reclaims.find((e) => e.args.bidder === bidder)?.args;
      assert.deepEqual([refundOf(low.address)?.refund, refundOf(low.address)?.depositReturned, refundOf(low.address)?.penalty], [LOW_COLLATERAL, deposit, 0n], "the ether came back to the loser, the deposit to its test-drive");
      assert.deepEqual([refundOf(high.address)?.refund, refundOf(high.address)?.penalty], [bidHigh.collateral - LOW_BID, 0n]);
      assert.equal(await publicClient.getBalance({ address: low.address }), lowBalanceBefore, "the loser paid nothing: the seller sent the release");
      assert.equal(await publicClient.readContract({ address: deployment.market, abi: modelMarketAbi, functionName: "owed", args: [low.address] }), LOW_COLLATERAL, "the refund is credited to the loser, to withdraw");

      // The explorer's auction timeline links to the auction page.
      await sellerPage.goto(`${stack.appUrl}/#/explorer/auction/${auctionId}`);
      await sellerPage.getByRole("link", { name: "bid, reveal, settle or reclaim on its auction page" }).click({ timeout: CHAIN_WAIT });
      await sellerPage.waitForURL(new RegExp(`#/auction/${auctionId}$`));
      await sellerPage.getByTestId("winner").waitFor({ timeout: CHAIN_WAIT });
      // ... the purchase the settlement opened to its purchase page, the listing to its model page.
      await sellerPage.goto(`${stack.appUrl}/#/explorer/purchase/${settled.purchaseId}`);
      await sellerPage.getByRole("link", { name: "follow the delivery, verify it or complain on its purchase page" }).click({ timeout: CHAIN_WAIT });
      await sellerPage.waitForURL(new RegExp(`#/purchase/${settled.purchaseId}$`));
      await sellerPage.getByRole("heading", { name: `Purchase #${settled.purchaseId}` }).waitFor({ timeout: CHAIN_WAIT });
      await sellerPage.goto(`${stack.appUrl}/#/explorer/listing/${LISTING}`);
      await sellerPage.getByRole("link", { name: "test-drive, buy or bid on its model page" }).click({ timeout: CHAIN_WAIT });
      await sellerPage.waitForURL(new RegExp(`#/model/${LISTING}$`));

      // The seller never delivers: past the delivery deadline the winner refunds its purchase from its page.
      const awaiting = await readPurchase(publicClient, where, settled.purchaseId);
      await advance(stack.rpcUrl, Number(awaiting.deadlines.delivery - awaiting.now) + 1);
      await purchaseLink.click();
      await high.page.waitForURL(new RegExp(`#/purchase/${settled.purchaseId}$`));
      await high.page.getByTestId("awaiting-delivery").filter({ hasText: "The seller never committed a delivery" }).waitFor({ timeout: CHAIN_WAIT });
      const owedTo = (account: Address) => publicClient.readContract({ address: deployment.market, abi: modelMarketAbi, functionName: "owed", args: [account] });
      const highBalanceBefore = await publicClient.getBalance({ address: high.address });
      const highOwedBefore = await owedTo(high.address);
      await high.page.getByRole("button", { name: `Refund the purchase (${formatEther(LOW_BID)} ETH to you)` }).click();
      await high.page.getByTestId("purchase-refunded").waitFor({ timeout: CHAIN_WAIT });
      const refunded = await readPurchase(publicClient, where, settled.purchaseId);
      assert.equal(refunded.status, "Refunded");
      const [refundEvent] = parseEventLogs({ abi: modelMarketAbi, eventName: "PurchaseRefunded", logs: await publicClient.getLogs({ address: deployment.market, fromBlock: where.startBlock }) }).filter((e) => e.args.purchaseId === settled.purchaseId);
      assert.equal(refundEvent?.args.toBuyer, LOW_BID, "the chain holds the price refunded to the winner");
      const refundGas = await publicClient.getTransactionReceipt({ hash: refundEvent.transactionHash });
      const highFunds = (await publicClient.getBalance({ address: high.address })) + (await owedTo(high.address));
      assert.equal(highFunds, highBalanceBefore + highOwedBefore + LOW_BID - refundGas.gasUsed * refundGas.effectiveGasPrice, "the price came back to the winner (sent, or owed to it), less gas");

      // At 390 px: nothing scrolls sideways, axe-core is clean, and the page is photographed.
      await high.page.setViewportSize({ width: 390, height: 844 });
      const overflow = await sidewaysOverflow(high.page);
      assert.equal(overflow.by, 0, `the auction page scrolls sideways at 390 px: ${overflow.widest.join(" | ")}`);
      assert.deepEqual(await axeViolations(high.page), [], "the settled auction page at 390 px");
      await dismissToasts(high.page);
      await high.page.screenshot({ path: join(SCREENSHOTS, "auction-mobile-light.png"), fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      assert.equal(await stack.stop(), 0, stack.output());
    }
  });
});
