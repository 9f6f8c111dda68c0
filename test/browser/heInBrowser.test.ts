/**
 * The buyer's CKKS encryption in a production bundle, in headless Chromium: Vite bundles a
 * page that calls encryptInBrowser (node-seal in a Web Worker, as the dApp's model page does),
 * a static host serves it and answers any path it does not have with an HTML page, as
 * single-page hosts do. node-seal must fetch its .wasm under the name the build gave it (its
 * own entry points it at a run-time URL no bundler follows, which such a host answers with
 * HTML); the upload it makes decodes in Node with the test set's shape.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { decodeUpload, summarizePlan } from "@modelbazaar/sdk/he";
import { browserUnavailable, buildPage, HE_PAGE, launchChromium, serveStatic } from "../../scripts/lib/browser/chromium.ts";
import type { HeHarnessResult } from "../../scripts/lib/browser/he-page/main.ts";
import { logisticPlan } from "../he/planFixtures.ts";

describe("the buyer's CKKS encryption in a production bundle, in Chromium", { skip: browserUnavailable() }, () => {
  let outDir: string;
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let browser: Browser;
  let page: Page;
  const requested: { path: string; type: string }[] = [];

  before(async () => {
    outDir = mkdtempSync(join(tmpdir(), "he-page-"));
    await buildPage(HE_PAGE, outDir);
    server = await serveStatic({ "/": outDir });
    browser = await launchChromium();
    const context = await browser.newContext();
    context.on("response", (response) => requested.push({ path: new URL(response.url()).pathname, type: response.headers()["content-type"] ?? "" }));
    page = await context.newPage();
    await page.goto(`${server.url}/index.html`);
    await page.locator("#status", { hasText: "ready" }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it("loads node-seal's .wasm under its built name and encrypts a test set that decodes in Node", { timeout: 120_000 }, async () => {
    const plan = summarizePlan(logisticPlan(3, 4, 3));
    const sampleCount = 10;
    const features = Array.from({ length: sampleCount * plan.inputSize }, (_, i) => ((i % 7) - 3) / 4);
    const result = await page.evaluate((r) => (window as unknown as { heHarness: { encrypt(r: unknown): Promise<HeHarnessResult> } }).heHarness.encrypt(r), { plan, features, sampleCount });
    assert.equal(result.ok, true, result.error);

    const built = readdirSync(join(outDir, "assets")).filter((f) => f.endsWith(".wasm"));
    assert.equal(built.length, 1, `the bundle holds node-seal's .wasm once: ${built.join(", ")}`);
    const wasmRequests = requested.filter((r) => r.path.endsWith(".wasm"));
    assert.ok(wasmRequests.length > 0, "the worker fetched no .wasm");
    assert.deepEqual([...new Set(wasmRequests.map((r) => `${r.path} ${r.type}`))], [`/assets/${built[0]} application/wasm`]);

    const upload = decodeUpload(Buffer.from(result.uploadBase64!, "base64"));
    assert.equal(upload.samples, sampleCount);
    assert.equal(upload.features, plan.inputSize);
    assert.ok(upload.batches.length > 0 && upload.batches.every((batch) => batch.every((ct) => ct.length > 0)), "every ciphertext has bytes");
    assert.equal(result.progress.at(-1), upload.batches.flat().length, "progress ends at the ciphertext count");
  });
});
