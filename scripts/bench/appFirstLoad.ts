/**
 * The listings page's first load in a production build, as Chromium's network events show it:
 * a fresh browser context (empty cache) opens the site and waits until every listing is drawn;
 * every response the page received is sorted by content type, each JavaScript body gzipped
 * (node:zlib, level 9, what a host's gzip would send), and the scripts are searched for
 * snarkjs and node-seal (heavyLibrariesIn, as dappShell.test.ts does), which belong to the
 * model and audit pages only.
 */
import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { newTestContext } from "../../test/browser/localStack.ts";
import { heavyLibrariesIn } from "../lib/appBuild.ts";

export interface LoadedScript {
  readonly url: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

export interface FirstLoad {
  /** From navigation to the last listing drawn, in milliseconds (Node's clock). */
  readonly ms: number;
  readonly scripts: readonly LoadedScript[];
  readonly scriptGzipBytes: number;
  readonly scriptBytes: number;
  /** Every .wasm the page fetched (none expected). */
  readonly wasm: readonly string[];
  /** Which of snarkjs and node-seal the loaded scripts contain. */
  readonly heavyLibraries: readonly string[];
}

export async function measureFirstLoad(browser: Browser, appUrl: string, listingCount: number): Promise<FirstLoad> {
  const context = await newTestContext(browser, { viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const bodies: Promise<{ url: string; type: string; body: Buffer }>[] = [];
    page.on("response", (response) => {
      const type = response.headers()["content-type"] ?? "";
      if (/javascript|wasm/.test(type) || /\.(m?js|wasm)(\?|$)/.test(response.url())) bodies.push(response.body().then((body) => ({ url: response.url(), type, body })));
    });
    const started = performance.now();
    await page.goto(appUrl);
    await page.getByTestId("listing").nth(listingCount - 1).waitFor({ timeout: 120_000 });
    const ms = performance.now() - started;
    const loaded = await Promise.all(bodies);
    const scripts = loaded.filter((r) => !/wasm/.test(r.type) && !r.url.endsWith(".wasm"));
    const text = scripts.map((r) => r.body.toString("utf8")).join("\n");
    const measured = scripts.map((r) => ({ url: new URL(r.url).pathname, bytes: r.body.length, gzipBytes: gzipSync(r.body, { level: 9 }).length }));
    return {
      ms,
      scripts: measured,
      scriptGzipBytes: measured.reduce((sum, s) => sum + s.gzipBytes, 0),
      scriptBytes: measured.reduce((sum, s) => sum + s.bytes, 0),
      wasm: loaded.filter((r) => /wasm/.test(r.type) || r.url.endsWith(".wasm")).map((r) => new URL(r.url).pathname),
      heavyLibraries: heavyLibrariesIn(text),
    };
  } finally {
    await context.close();
  }
}
