/**
 * Vite config of the dApp. `npm start` serves it with the local deployment injected as
 * `__MODELBAZAAR__` (see src/marketConfig.ts); a production build gets it from the same define.
 */
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  // node-seal's .wasm must not go through dependency pre-bundling (BRIEF §6).
  optimizeDeps: { exclude: ["node-seal"] },
  server: { host: "127.0.0.1", strictPort: true },
});
