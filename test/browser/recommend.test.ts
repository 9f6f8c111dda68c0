/**
 * "Recommended for you" in real Chromium against `npm start` (its demo accounts' public purchases
 * on the chain, its aggregator's URL injected into the app): a buyer with no history connects the
 * dev wallet and sees a cold start said so, the most bought listing first, the listing someone
 * promoted marked "Promoted" in its slot, and a why-line on every pick; it opens a model's page
 * (a browse, kept in this browser only), and back on the listings page the list is personal,
 * ranked against the factors the browser learned from the public purchases (the two Iris models,
 * bought together, first) and explained by that browse. The privacy panel counts the browse as kept on this
 * device, shows no ε spent and participation off by default; turned on, the browser takes part
 * in a secure round (round 0's factors are the chain's public ones) with two other buyers' clients, the aggregator applies the round, and the
 * month's ε shows in both readings; "Clear my
 * local history" empties the history and turns participation off, while the ε spent still shows. axe finds no serious or critical violation, and no
 * console error occurs.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { privateKeyToAccount } from "viem/accounts";
import type { Browser } from "playwright-core";
import { modelRegistryAbi } from "@modelbazaar/sdk/abis";
import { collectEvents } from "@modelbazaar/sdk/audit";
import { parseDeployment } from "@modelbazaar/sdk/client";
import { epsilonSpent, fetchItemFactors, marketItemFactors, memoryLedger, PARTICIPATION, seededRandom, takePartInRound } from "@modelbazaar/sdk/recommend";
import { browserUnavailable, launchChromium } from "../../scripts/lib/browser/chromium.ts";
import { DEMO_MODELS, devAccountKey } from "../../scripts/lib/demoListings.ts";
import { axeViolations, watchErrors } from "./pageChecks.ts";
import { localChainClients, newTestContext, ROOT, startLocalStack, type LocalStack } from "./localStack.ts";

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

  it("shows a cold start, then personal picks explained by a browse, a Promoted pick, and a privacy panel whose opt-in sends one noised round and whose clear button empties the history", { timeout: 600_000 }, async () => {
    const { deployment, publicClient, walletClient } = localChainClients(stack);
    const promoted = BigInt(DEMO_MODELS.indexOf("mnist-cryptonets") + 1);
    const promoter = walletClient(devAccountKey(0));
    const promotion = await promoter.writeContract({ address: deployment.registry, abi: modelRegistryAbi, functionName: "promote", args: [promoted], value: 10n ** 16n });
    await publicClient.waitForTransactionReceipt({ hash: promotion });

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
    assert.match(await recommended.getByTestId("cold-start").innerText(), /^Cold start: you have no history here yet, so these are the most test-driven and bought models/);
    const coldRows = await picks.allInnerTexts();
    assert.equal(coldRows.length, DEMO_MODELS.length);
    assert.match(coldRows[0]!, new RegExp(`^${DEMO_MODELS[2]}\\s+#3`), `the most bought first (scripts/lib/demoPurchases.ts): ${coldRows.join(" | ")}`);
    assert.match(coldRows[2]!, new RegExp(`^${DEMO_MODELS[3]}\\s+#4\\s*Promoted`), `the promoted slot: ${coldRows.join(" | ")}`);
    assert.equal(coldRows.filter((row) => /Promoted/.test(row)).length, 1, coldRows.join(" | "));
    for (const why of await recommended.getByTestId("why").allInnerTexts()) assert.ok(why.length > 0, "every pick says why");

    // A browse: the model's page opened while connected.
    await recommended.getByRole("link", { name: DEMO_MODELS[1] }).click();
    await page.getByRole("link", { name: "All listings" }).click({ timeout: 60_000 });
    await picks.nth(DEMO_MODELS.length - 1).waitFor({ timeout: 120_000 });
    assert.equal(await recommended.getByTestId("cold-start").count(), 0, "with a history the list is personal");
    const personalRows = await picks.allInnerTexts();
    const irisFirst = personalRows.slice(0, 2).map((row) => row.split(/\s/)[0]).sort();
    assert.deepEqual(irisFirst, [DEMO_MODELS[0], DEMO_MODELS[1]], `the Iris models, bought together, first: ${personalRows.join(" | ")}`);
    assert.ok(personalRows.some((row) => new RegExp(`^${DEMO_MODELS[0]}\\s+#1\\s+because you looked at ${DEMO_MODELS[1]}$`).test(row)), `the other Iris model explained by the browse: ${personalRows.join(" | ")}`);
    assert.match(await privacy.innerText(), /Stays on this device:.*\(1 kept\)/);
    const epsilon = privacy.getByTestId("epsilon");
    assert.match(await epsilon.innerText(), /^Privacy spent in \d{4}-\d\d: ε = 0\.00 over 0 rounds against anyone reading the factors and an aggregator that follows the protocol; ε = 0\.00 if the aggregator fabricated every other participant \(δ = 0\.00001; at most ε = 8 a month\)\.?$/);
    const participate = privacy.getByRole("checkbox", { name: "Take part in federated training (send masked, noised updates)" });
    assert.equal(await participate.isChecked(), false, "participation is off by default");
    assert.deepEqual(await axeViolations(page), [], "the listings page with recommendations");

    await participate.check();
    // Two other buyers' clients take part beside the browser: a secure round needs at least three.
    const published = await fetchItemFactors(stack.aggregatorUrl);
    const publicFactors = marketItemFactors((await collectEvents(publicClient, parseDeployment(JSON.parse(readFileSync(join(ROOT, "deployments", "31337.json"), "utf8"))))).market)!;
    assert.deepEqual(
      published.factors.values.subarray(0, publicFactors.values.length),
      Float64Array.from(Float32Array.from(publicFactors.values)),
      "round 0 is the chain's public factors (npm start's aggregator fine-tunes what every client ranks with)",
    );
    const others = [1, 2].map((seed) => takePartInRound(stack.aggregatorUrl, { factor: [], history: [{ itemId: seed, kind: "buy", timestamp: seed }] }, published, memoryLedger(), Math.floor(Date.now() / 1000), seededRandom(seed)));
    const spent = epsilonSpent([{ round: 0, at: 0, sumNoiseMultiplier: PARTICIPATION.sumNoiseMultiplier, uploadNoiseMultiplier: PARTICIPATION.sumNoiseMultiplier / Math.sqrt(3) }], "1970-01");
    const oneRound = `ε = ${spent.epsilon.toFixed(2)} over 1 round against anyone reading the factors and an aggregator that follows the protocol; ε = ${spent.uploadEpsilon.toFixed(2)} if the aggregator fabricated`;
    await epsilon.filter({ hasText: oneRound }).waitFor({ timeout: 120_000 });
    await Promise.all(others);
    const health = (await (await fetch(new URL("/health", stack.aggregatorUrl))).json()) as { round: number };
    assert.equal(health.round, 1, "the aggregator applied the round's sum");

    await privacy.getByRole("button", { name: "Clear my local history" }).click();
    await privacy.getByText("(0 kept)").waitFor();
    assert.equal(await participate.isChecked(), false);
    assert.ok((await epsilon.innerText()).includes(oneRound), "clearing the history does not reset the ε spent");
    const kept = await page.evaluate(() => Object.entries(localStorage).filter(([key]) => key.startsWith("modelbazaar.recommend.")).map(([, value]) => JSON.parse(value) as { profile: unknown }));
    assert.deepEqual(kept.map((record) => record.profile), [{ factor: [], history: [] }]);

    // A damaged profile (another script, a half-written record) must not reset the month's ε.
    await page.evaluate(() => {
      for (const key of Object.keys(localStorage).filter((name) => name.startsWith("modelbazaar.recommend."))) {
        const record = JSON.parse(localStorage.getItem(key)!) as { rounds: unknown };
        localStorage.setItem(key, JSON.stringify({ profile: "damaged", rounds: record.rounds, participating: true }));
      }
    });
    await page.reload();
    await epsilon.filter({ hasText: oneRound }).waitFor({ timeout: 60_000 });
    assert.deepEqual(errors, []);
    await context.close();
  });
});
