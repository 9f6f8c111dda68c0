/**
 * Vite config of the dApp. `npm start` serves it with the local deployment injected as
 * `__MODELBAZAAR__` (see src/marketConfig.ts); a production build gets it from the same define.
 * Styles: Tailwind CSS v4 with daisyUI 5 (src/styles.css).
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** wagmi's optional peer for WalletConnect, or a stub that says how to install it (src/wallet/walletConnect.ts). */
function walletConnectProvider(): Record<string, string> {
  try {
    createRequire(import.meta.url).resolve("@walletconnect/ethereum-provider");
    return {};
  } catch {
    return { "@walletconnect/ethereum-provider": join(import.meta.dirname, "src/wallet/walletConnectMissing.ts") };
  }
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), tailwindcss()],
  resolve: { alias: walletConnectProvider() },
  // node-seal's .wasm must not go through dependency pre-bundling (BRIEF §6).
  optimizeDeps: { exclude: ["node-seal"] },
  server: { host: "127.0.0.1", strictPort: true },
});
