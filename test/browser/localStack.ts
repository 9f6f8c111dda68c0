/**
 * `npm start` for browser tests: the real script as a child process on random ports, ready
 * when it prints "Press Ctrl-C to stop."; `stop()` sends Ctrl-C (SIGINT) and returns its exit code.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, BrowserContextOptions } from "playwright-core";
import { createPublicClient, createWalletClient, defineChain, http, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { freePort } from "../../scripts/lib/freePort.ts";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface LocalStack {
  readonly rpcUrl: string;
  /** The seller's worker that npm start runs (the demo listings' workerEndpoint). */
  readonly workerUrl: string;
  /** The recommendation aggregator npm start runs (injected into the app). */
  readonly aggregatorUrl: string;
  readonly appUrl: string;
  /** Everything it printed so far. */
  output(): string;
  stop(): Promise<number | null>;
}

/**
 * `port`: the chain's (default: one the OS reports free; the worker, the aggregator and the app always get such ports of their own).
 * `appOrigins`: other browser origins the worker allows (a production build served elsewhere).
 * `contestable`: the demo listings are contestable (MODELBAZAAR_CONTESTABLE_DEMO), contested by the test as the seller.
 */
export async function startLocalStack({
  timeoutMs = 180_000,
  port,
  appOrigins = [],
  contestable = false,
}: { timeoutMs?: number; port?: number; appOrigins?: readonly string[]; contestable?: boolean } = {}): Promise<LocalStack> {
  const rpcPort = port ?? (await freePort());
  const ports = {
    MODELBAZAAR_RPC_PORT: String(rpcPort),
    MODELBAZAAR_WORKER_PORT: String(await freePort()),
    MODELBAZAAR_AGGREGATOR_PORT: String(await freePort()),
    MODELBAZAAR_APP_PORT: String(await freePort()),
    MODELBAZAAR_APP_ORIGINS: appOrigins.join(","),
    MODELBAZAAR_CONTESTABLE_DEMO: contestable ? "1" : "0",
  };
  const child = spawn(`${ROOT}node_modules/.bin/hardhat`, ["run", "scripts/start.ts"], { cwd: ROOT, env: { ...process.env, ...ports }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGINT");
    return exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      const timer = setInterval(() => {
        if (output.includes("Press Ctrl-C to stop.")) resolve();
        else if (child.exitCode !== null || Date.now() > deadline) reject(new Error(`npm start did not come up:\n${output}`));
        else return;
        clearInterval(timer);
      }, 200);
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { rpcUrl: `http://127.0.0.1:${rpcPort}`, workerUrl: `http://127.0.0.1:${ports.MODELBAZAAR_WORKER_PORT}`, aggregatorUrl: `http://127.0.0.1:${ports.MODELBAZAAR_AGGREGATOR_PORT}`, appUrl: `http://127.0.0.1:${ports.MODELBAZAAR_APP_PORT}`, output: () => output, stop };
}

/**
 * Viem on the stack's local chain (id 31337): the deployment record npm start wrote (its file and
 * its contents, startBlock as a bigint), the chain, a public client, and a wallet client signing
 * with a given private key.
 */
export function localChainClients(stack: LocalStack) {
  const deploymentFile = join(ROOT, "deployments", "31337.json");
  const record = JSON.parse(readFileSync(deploymentFile, "utf8")) as { market: Address; registry: Address; startBlock: string };
  const deployment = { ...record, chainId: 31337, startBlock: BigInt(record.startBlock) };
  const chain = defineChain({ id: 31337, name: "Local chain", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [stack.rpcUrl] } } });
  const publicClient = createPublicClient({ chain, transport: http(stack.rpcUrl) });
  const walletClient = (privateKey: Hex) => createWalletClient({ account: privateKeyToAccount(privateKey), chain, transport: http(stack.rpcUrl) });
  return { deploymentFile, deployment, chain, publicClient, walletClient };
}

/** One JSON-RPC call (e.g. Hardhat's evm_increaseTime). */
export async function rpc(url: string, method: string, params: unknown[]): Promise<unknown> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/**
 * A browser context for the tests. Functions handed to the page (init scripts, evaluate) are
 * serialized from this file as the test runner compiled it; a compiler that keeps function
 * names (esbuild's keepNames, used by some TypeScript loaders) wraps them in `__name(...)`,
 * which the page does not define. The shim makes those functions run under any loader.
 */
export async function newTestContext(browser: Browser, options: BrowserContextOptions): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.addInitScript({ content: "globalThis.__name ??= (target) => target;" });
  return context;
}
