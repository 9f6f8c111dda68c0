/**
 * A Vite plugin that serves, from the ModelBazaar checkout, the files the dApp's pages fetch
 * besides its code: the dispute circuits' witness generators and proving keys at
 * /circuits/<name>.wasm and .zkey (circuits/artifacts/<name>/, checked in with their hash
 * transcript), which the refund prover's Web Worker downloads; and the demo listings' model
 * cards at /models/<name>.json (a listing whose metadataURI is a relative path, as `npm start`'s
 * are, has its card read from the site serving the dApp; the listing's metadata hash decides
 * whether it is trusted). Anything else under those prefixes is a 404, never index.html. The
 * dev server and `vite preview` of a production build serve them alike.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import type { Plugin } from "vite";

const ROOT = join(import.meta.dirname, "..");

/** The file a request path names, or undefined. Names are plain (letters, digits, _ and -), so no path escapes its folder. */
export function checkoutFile(path: string): { file: string; type: string } | undefined {
  const circuit = /^\/circuits\/([A-Za-z0-9_-]+)\.(wasm|zkey)$/.exec(path);
  if (circuit) return { file: join(ROOT, "circuits", "artifacts", circuit[1]!, `${circuit[1]}.${circuit[2]}`), type: circuit[2] === "wasm" ? "application/wasm" : "application/octet-stream" };
  const card = /^\/models\/([A-Za-z0-9_-]+\.json)$/.exec(path);
  if (card) return { file: join(ROOT, "models", card[1]!), type: "application/json" };
  return undefined;
}

/** Answers /circuits/ and /models/ requests from the checkout; passes anything else on. */
function serveCheckoutFile(request: IncomingMessage, response: ServerResponse, next: () => void): void {
  const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
  if (!path.startsWith("/circuits/") && !path.startsWith("/models/")) return next();
  const found = checkoutFile(path);
  if (!found || !existsSync(found.file) || !statSync(found.file).isFile()) {
    response.statusCode = 404;
    response.setHeader("content-type", "text/plain");
    response.end(`no such file: ${path}`);
    return;
  }
  response.setHeader("content-type", found.type);
  response.setHeader("content-length", statSync(found.file).size);
  createReadStream(found.file).pipe(response);
}

/** The dev server and `vite preview` (a production build, as scripts/lib/appBuild.ts serves it) both answer these paths. */
export function checkoutFiles(): Plugin {
  return {
    name: "modelbazaar-checkout-files",
    configureServer(server) {
      server.middlewares.use(serveCheckoutFile);
    },
    configurePreviewServer(server) {
      server.middlewares.use(serveCheckoutFile);
    },
  };
}
