/**
 * Starts Hardhat's JSON-RPC node as a child process and waits until it answers.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface LocalNode {
  url: string;
  stop(): Promise<void>;
}

export interface LocalNodeOptions {
  /**
   * The hardhat.config.ts network the node simulates: "localDev" (`npm start`'s chain, which
   * mines a block every few seconds, so its clock moves) or, by default, Hardhat's own "node"
   * network, which mines only when a transaction comes (what the tests and the demo want: no
   * block they did not cause).
   */
  readonly network?: "localDev";
  readonly timeoutMs?: number;
}

const hardhatBin = fileURLToPath(new URL("../../node_modules/.bin/hardhat", import.meta.url));

/** Spawns `hardhat node` on 127.0.0.1:`port`; rejects with a sentence if it does not come up. */
export async function startLocalNode(port: number, { network, timeoutMs = 60_000 }: LocalNodeOptions = {}): Promise<LocalNode> {
  const url = `http://127.0.0.1:${port}`;
  if (await answers(url)) {
    throw new Error(`something already answers JSON-RPC at ${url}; stop it or set MODELBAZAAR_RPC_PORT to another port`);
  }
  const networkArgs = network === undefined ? [] : ["--network", network];
  const child = spawn(hardhatBin, [...networkArgs, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(url))) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited with code ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`hardhat node did not answer at ${url} within ${timeoutMs / 1000} s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, stop: () => stop(child) };
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    return response.ok;
  } catch {
    return false;
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
