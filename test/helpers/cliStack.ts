/**
 * A local stack for the CLI's chain tests: a Hardhat node of its own on a random port, the
 * registry and the market deployed on it (its refund disputes over the stand-in
 * {AnySignalsVerifier}, with short delivery windows), the deployment record in a private temporary directory (never the shared
 * deployments/31337.json), and a runner for `bazaar` as a child process with a dev key.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { network } from "hardhat";
import { createPublicClient, createWalletClient, defineChain, http, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { devAccountKey } from "../../scripts/lib/demoListings.ts";
import { startLocalNode, type LocalNode } from "../../scripts/lib/localNode.ts";
import { standInDisputesConfig } from "../../scripts/lib/disputesConfig.ts";
import { WINDOWS } from "./market.ts";
import { freePort } from "../../scripts/lib/freePort.ts";
import { runBazaar, type CliResult } from "./runBazaar.ts";

export type { CliResult };

/** Dev accounts by role, as `npm start` assigns them. */
export const ROLES = { owner: 0, seller: 1, buyer: 2, worker: 3, cheat: 4 } as const;

/** The model the CLI tests list (712 bytes, 23 chunks) and a terms file for it. */
export const CLI_MODEL = new URL("../../models/iris-logreg.onnx", import.meta.url).pathname;
export const CLI_TERMS = {
  task: { featureCount: 4, classCount: 3, scaleBits: 8, featureBits: 12 },
  claimedAccuracyBps: 9_666,
  testPolicy: { deposit: "0.1", feePerExtraSample: "0.0001", freeSamples: 100, minSamples: 10, maxSamples: 1_000, serviceWindow: 3_600, disputeWindow: 86_400 },
  sale: { mode: "fixed", price: "0.5" },
  worker: { endpoint: "http://127.0.0.1:8787", signer: privateKeyToAccount(devAccountKey(ROLES.worker)).address },
  metadata: { uri: "models/iris-logreg.json" },
};

/**
 * The file where the CLI keeps records of `kind` under `home` for the one deployment it has
 * records of on chain 31337 (scripts/cli/localState.ts: <home>/31337/<market>-<block hash>/).
 */
export function recordFile(home: string, kind: "bids" | "tests" | "deliveries"): string {
  const chain = join(home, "31337");
  const scopes = readdirSync(chain).filter((entry) => existsSync(join(chain, entry, "scope.json")));
  if (scopes.length !== 1) throw new Error(`expected records of one deployment under ${chain}, found ${scopes.length}`);
  return join(chain, scopes[0]!, `${kind}.json`);
}

/** `network: "localDev"`: the node mines a block every 2 s, as `npm start`'s does (scripts/lib/localNode.ts). */
export async function startCliStack({ network: nodeNetwork }: { network?: "localDev" } = {}) {
  const node: LocalNode = await nodeOnFreePort(nodeNetwork);
  try {
    const connection = await network.create({ network: "localhost", override: { url: node.url } });
    const owner = privateKeyToAccount(devAccountKey(ROLES.owner));
    const startBlock = await (await connection.viem.getPublicClient()).getBlockNumber();
    const registry = await connection.viem.deployContract("ModelRegistry", [owner.address]);
    const anyVerifier = await connection.viem.deployContract("AnySignalsVerifier");
    const market = await connection.viem.deployContract("ModelMarket", [registry.address, WINDOWS, standInDisputesConfig(anyVerifier.address)]);
    const dir = mkdtempSync(join(tmpdir(), "bazaar-purchase-"));
    const deployment = { chainId: 31_337, registry: registry.address, market: market.address, startBlock: startBlock.toString() };
    const deploymentFile = join(dir, "deployment.json");
    writeFileSync(deploymentFile, JSON.stringify(deployment));
    const chain = defineChain({ id: 31_337, name: "local", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [node.url] } } });
    const publicClient = createPublicClient({ chain, transport: http(node.url) });
    const walletOf = (key: Hex) => createWalletClient({ account: privateKeyToAccount(key), chain, transport: http(node.url) });

    /**
     * Runs `bazaar <args> --rpc … --deployment …` as the dev account `role` (or with `env`;
     * NO_CHAIN_ARGS leaves the two options out, CWD runs it from that directory).
     */
    async function bazaar(args: readonly string[], as: number | null, env: Record<string, string> = {}): Promise<CliResult> {
      const key = as === null ? "" : devAccountKey(as);
      const chainArgs = env.NO_CHAIN_ARGS ? [] : ["--rpc", node.url, "--deployment", env.DEPLOYMENT ?? deploymentFile];
      return runBazaar([...args, ...chainArgs], { env: { MODELBAZAAR_PRIVATE_KEY: key, MODELBAZAAR_HOME: join(dir, "home"), ...env }, cwd: env.CWD, timeoutMs: 240_000 });
    }

    /** Moves the chain's clock forward and mines a block. */
    async function increaseTime(seconds: number): Promise<void> {
      await publicClient.request({ method: "evm_increaseTime" as never, params: [seconds] as never });
      await publicClient.request({ method: "evm_mine" as never, params: [] as never });
    }

    /** Writes `terms` as JSON to `name` in the stack's directory; returns its path (for `--terms`). */
    function termsFile(name: string, terms: unknown): string {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify(terms));
      return path;
    }

    return { node, dir, deployment, deploymentFile, publicClient, walletOf, bazaar, termsFile, increaseTime, registry, market, stop: () => node.stop() };
  } catch (error) {
    await node.stop();
    throw error;
  }
}

export type CliStack = Awaited<ReturnType<typeof startCliStack>>;

/** A node on a port the OS reports free, tried again on another when something took that one meanwhile. */
async function nodeOnFreePort(nodeNetwork: "localDev" | undefined, attempts = 3): Promise<LocalNode> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startLocalNode(await freePort(), { network: nodeNetwork });
    } catch (error) {
      if (attempt >= attempts || !/EADDRINUSE|already answers/.test(String(error))) throw error;
    }
  }
}
