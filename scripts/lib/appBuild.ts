/**
 * The dApp (app/) as a user's browser gets it from a host: `vite build` with the market
 * injected as `__MODELBAZAAR__` (the same define the dev server gets, appServer.ts), served by
 * `vite preview` on the loopback address (with the checkout's /models/ and /circuits/ files,
 * app/checkoutFiles.ts). The build is React's production build whatever NODE_ENV the caller
 * runs under: a test runner's NODE_ENV=test would otherwise make Vite bundle React's
 * development build, which is several times larger and slower.
 */
import { join } from "node:path";
import { build, preview } from "vite";
import { ROOT } from "../zk/compile.ts";

const CONFIG_FILE = join(ROOT, "app", "vite.config.ts");

/** Builds the dApp into `outDir` (emptied first) for production. `define` injects the market (appDefine). */
export async function buildApp({ outDir, define }: { outDir: string; define: Record<string, string> }): Promise<void> {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ configFile: CONFIG_FILE, logLevel: "warn", mode: "production", define, build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 2000 } });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

export interface PreviewedApp {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves a build of buildApp with `vite preview` on 127.0.0.1:`port`. */
export async function previewApp({ outDir, port }: { outDir: string; port: number }): Promise<PreviewedApp> {
  const server = await preview({ configFile: CONFIG_FILE, logLevel: "warn", build: { outDir }, preview: { host: "127.0.0.1", port, strictPort: true } });
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/**
 * Code only snarkjs and node-seal put in a bundle, to tell whether a page loaded them: snarkjs's
 * witness and proving calls, node-seal's CKKS classes and module name. (Not "groth16" or "bn128":
 * the verification keys the dApp is built with say those, and the listings page carries them.)
 */
const LIBRARY_SIGNATURES: Readonly<Record<string, RegExp>> = { snarkjs: /fullProve|wtns/, "node-seal": /CKKSEncoder|seal_throws/ };

/** Which of snarkjs and node-seal the code contains. */
export function heavyLibrariesIn(code: string): string[] {
  return Object.entries(LIBRARY_SIGNATURES).filter(([, signature]) => signature.test(code)).map(([name]) => name);
}
