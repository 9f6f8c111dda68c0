/**
 * Vite config of the dApp. `npm start` serves it with the local deployment injected as
 * `__MODELBAZAAR__` (see src/marketConfig.ts); a production build gets it from the same define.
 * Styles: Tailwind CSS v4 with daisyUI 5 (src/styles.css). The dev server also serves the
 * circuits' artifacts and the demo model cards from the checkout (checkoutFiles.ts). Web Workers
 * (the refund prover, the CKKS encryption, the ONNX reader of the create form) are ES modules, so they can split and import.
 */
import { createRequire } from "node:module";
import { realpathSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig, searchForWorkspaceRoot } from "vite";
import { checkoutFiles } from "./checkoutFiles.ts";

/** wagmi's optional peer for WalletConnect, or a stub that says how to install it (src/wallet/walletConnect.ts). */
function walletConnectProvider(): Record<string, string> {
  try {
    createRequire(import.meta.url).resolve("@walletconnect/ethereum-provider");
    return {};
  } catch {
    return { "@walletconnect/ethereum-provider": join(import.meta.dirname, "src/wallet/walletConnectMissing.ts") };
  }
}

/** The SDK package's source folder relative to this root (optimizeDeps' entries are globs relative to it), wherever the workspace link points. */
const sdkSource = relative(import.meta.dirname, join(dirname(createRequire(import.meta.url).resolve("@modelbazaar/sdk/package.json")), "src"));

/**
 * Where the dev server may serve raw files from: the workspace, and node-seal's own folder,
 * whose .wasm the CKKS Web Worker fetches by URL (node_modules may be a link to a folder
 * outside the workspace, as in a git worktree, which Vite would otherwise refuse with 403).
 */
function servedFolders(): string[] {
  return [searchForWorkspaceRoot(import.meta.dirname), realpathSync(join(import.meta.dirname, "..", "node_modules", "node-seal", "dist"))];
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), tailwindcss(), checkoutFiles()],
  resolve: { alias: walletConnectProvider() },
  // Pre-bundled dependencies are cached in this checkout (.modelbazaar/, ignored by git), not in
  // node_modules/.vite, which checkouts sharing one node_modules would overwrite under each other.
  cacheDir: join(import.meta.dirname, "..", ".modelbazaar", "vite"),
  // node-seal's .wasm must not go through dependency pre-bundling (BRIEF §6). The Web Workers
  // are scanned with the pages, so their dependencies (snarkjs) are pre-bundled at start-up,
  // not discovered mid-run (which makes Vite reload the page and fail the worker's import).
  optimizeDeps: {
    exclude: ["node-seal"],
    entries: ["index.html", join(sdkSource, "prover/browser/disputeProofWorker.ts"), join(sdkSource, "he/browser/buyerHeWorker.ts"), "src/pages/sell/modelShapeWorker.ts"],
  },
  worker: { format: "es" },
  server: { host: "127.0.0.1", strictPort: true, fs: { allow: servedFolders() } },
});
