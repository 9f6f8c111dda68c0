/**
 * A real browser for tests and benchmarks: Debian's Chromium driven by playwright-core (never
 * a downloaded browser), pages bundled by Vite, and a static file server on the loopback
 * address that answers unknown paths with an HTML page, as single-page hosts do, so tests
 * see the same failure a misconfigured deployment would.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize } from "node:path";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";
import { build } from "vite";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The page that proves a dispute in a Web Worker and measures it (prover-page/main.ts). */
export const PROVER_PAGE = join(import.meta.dirname, "prover-page");

/** The page that encrypts a test set with node-seal in a Web Worker (he-page/main.ts). */
export const HE_PAGE = join(import.meta.dirname, "he-page");

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserUnavailable(): string | undefined {
  return existsSync(CHROMIUM_PATH) ? undefined : `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** Bundles a page (its index.html and what it imports) into `outDir`. */
export async function buildPage(root: string, outDir: string): Promise<void> {
  await build({ root, logLevel: "warn", build: { outDir, emptyOutDir: true, target: "es2022" }, worker: { format: "es" } });
}

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".json": "application/json",
};

/** Serves each URL prefix from a directory on 127.0.0.1, on a free port. */
export async function serveStatic(mounts: Record<string, string>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length) || "index.html";
      const file = join(dir, normalize(rest).replace(/^(\.\.[/\\])+/, ""));
      if (existsSync(file) && statSync(file).isFile()) {
        response.writeHead(200, {
          "content-type": TYPES[extname(file)] ?? "application/octet-stream",
          "content-length": statSync(file).size,
        });
        createReadStream(file).pipe(response);
        return;
      }
    }
    response.writeHead(200, { "content-type": "text/html" });
    response.end("<!doctype html><title>not here</title>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
