/**
 * Opens the prover page (prover-page/) in headless Chromium: bundles it with Vite, serves it
 * with one circuit's artifacts under /circuits/, and returns a `prove` that runs a proof in
 * the page and hands back what the page measured. Used by the browser test.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProveRequest } from "@modelbazaar/sdk/prover/browser";
import { PROVER_PAGE, buildPage, launchChromium, serveStatic } from "./chromium.ts";
import type { HarnessResult } from "./prover-page/main.ts";

export type { HarnessResult };

export interface ProverPage {
  prove(request: ProveRequest & { abortAfterMs?: number }): Promise<HarnessResult>;
  close(): Promise<void>;
}

/** `artifactsDir` holds a circuit's <name>.wasm and <name>.zkey (e.g. refund_256), served as /circuits/<file>. */
export async function openProverPage(artifactsDir: string): Promise<ProverPage> {
  const outDir = mkdtempSync(join(tmpdir(), "prover-page-"));
  await buildPage(PROVER_PAGE, outDir);
  const server = await serveStatic({ "/circuits/": artifactsDir, "/": outDir });
  const browser = await launchChromium();
  const page = await browser.newPage();
  await page.goto(`${server.url}/index.html`);
  return {
    prove: (request) =>
      page.evaluate(
        (r) => (window as unknown as { proverHarness: { prove(r: unknown): Promise<HarnessResult> } }).proverHarness.prove(r),
        request,
      ),
    async close() {
      await browser.close();
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
