/**
 * What every chain-facing `bazaar` command needs: the RPC URL, the deployment record, the scope
 * of the records this machine keeps for that deployment and, for commands that send
 * transactions, the user's account. The signing key comes from the environment or an
 * encrypted key file (signerKey.ts), never from argv.
 *
 * The chain, first that applies: `--rpc <url>`; MODELBAZAAR_RPC_URL; MODELBAZAAR_RPC_PORT (a
 * chain on 127.0.0.1, the variable `npm start` takes too); the `npm start` running on this
 * machine, found by itself (scripts/lib/runningStack.ts); http://127.0.0.1:8545.
 * The deployment record: `--deployment <file>`; the one of the `npm start` serving that URL;
 * deployments/<chainId>.json in the current directory, then in the project's.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createPublicClient, createWalletClient, defineChain, http, type Account, type Chain, type PublicClient, type Transport, type WalletClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { marketContracts, parseDeployment, type Deployment } from "@modelbazaar/sdk/client";
import { PROJECT_ROOT, runningStacks, type RunningStack } from "../lib/runningStack.ts";
import { CliError } from "./cliError.ts";
import type { RecordScope } from "./localState.ts";
import { signerKey } from "./signerKey.ts";

export interface ChainOptions {
  readonly rpc?: string;
  readonly deployment?: string;
}

export interface ReadSession {
  readonly publicClient: PublicClient;
  readonly deployment: Deployment;
  readonly contracts: ReturnType<typeof marketContracts<undefined>>;
  /** Which deployment this machine's records (bids, test-drives, deliveries) must belong to (localState.ts). */
  readonly recordScope: () => Promise<RecordScope>;
}

export interface WriteSession extends Omit<ReadSession, "contracts"> {
  readonly account: Account;
  readonly walletClient: WalletClient<Transport, Chain | undefined, Account>;
  readonly contracts: ReturnType<typeof marketContracts<WalletClient<Transport, Chain | undefined, Account>>>;
}

export const RPC_URL_ENV = "MODELBAZAAR_RPC_URL";
export const RPC_PORT_ENV = "MODELBAZAAR_RPC_PORT";
const DEFAULT_RPC = "http://127.0.0.1:8545";

/** Where the chain is, how it was found (for the sentences), and the `npm start` serving it, if any. */
export interface Endpoint {
  readonly url: string;
  readonly foundBy: string;
  readonly stack?: RunningStack;
}

/** The chain's URL by the rules above (nothing is contacted); `stacks`: the running `npm start`s. */
export function resolveEndpoint(options: Pick<ChainOptions, "rpc">, stacks: readonly RunningStack[] = runningStacks()): Endpoint {
  const withStack = (url: string, foundBy: string): Endpoint => ({ url, foundBy, stack: stacks.find((s) => sameEndpoint(s.rpcUrl, url)) });
  if (options.rpc) return withStack(options.rpc, "--rpc");
  const url = process.env[RPC_URL_ENV];
  if (url) return withStack(url, RPC_URL_ENV);
  const port = process.env[RPC_PORT_ENV];
  if (port) {
    if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65_535) throw new CliError(`${RPC_PORT_ENV} must be a TCP port (1 to 65535), not "${port}"`);
    return withStack(`http://127.0.0.1:${Number(port)}`, RPC_PORT_ENV);
  }
  if (stacks.length === 1) return { url: stacks[0]!.rpcUrl, foundBy: `the running npm start (process ${stacks[0]!.pid})`, stack: stacks[0] };
  if (stacks.length > 1) {
    const onDefault = stacks.find((s) => sameEndpoint(s.rpcUrl, DEFAULT_RPC));
    if (onDefault) return { url: onDefault.rpcUrl, foundBy: `the running npm start on the default port (process ${onDefault.pid})`, stack: onDefault };
    throw new CliError(
      `${stacks.length} npm start stacks are running (${stacks.map((s) => s.rpcUrl).join(", ")}): pick one with ${RPC_PORT_ENV}=<port> or --rpc <url>`,
    );
  }
  return { url: DEFAULT_RPC, foundBy: "the default" };
}

function sameEndpoint(a: string, b: string): boolean {
  try {
    const [x, y] = [new URL(a), new URL(b)];
    const local = (host: string) => (host === "localhost" || host === "127.0.0.1" ? "127.0.0.1" : host);
    return local(x.hostname) === local(y.hostname) && (x.port || "80") === (y.port || "80");
  } catch {
    return false;
  }
}

/** One sentence for a chain that does not answer, naming how its URL was chosen. */
function unreachable(endpoint: Endpoint): string {
  const how =
    endpoint.foundBy === "the default"
      ? `start one with npm start; if it runs on another port, set ${RPC_PORT_ENV}=<port> (or pass --rpc <url>)`
      : `the URL came from ${endpoint.foundBy}; is that chain still running?`;
  return `no chain answers at ${endpoint.url} (${how})`;
}

/** A public client for the endpoint's chain, and its chain id; a sentence when nothing answers. */
export async function connect(endpoint: Endpoint): Promise<{ publicClient: PublicClient; chainId: number }> {
  const publicClient = createPublicClient({ transport: http(endpoint.url) }) as PublicClient;
  try {
    return { publicClient, chainId: await publicClient.getChainId() };
  } catch {
    throw new CliError(unreachable(endpoint));
  }
}

/** The deployment record's path and contents, by the rules above. */
function deploymentRecord(options: ChainOptions, endpoint: Endpoint, chainId: number): { path: string; json: unknown } {
  if (!options.deployment && endpoint.stack && endpoint.stack.chainId === chainId) {
    return { path: `the deployment of the npm start at ${endpoint.stack.rpcUrl}`, json: endpoint.stack.deployment };
  }
  const candidates = options.deployment ? [options.deployment] : [join("deployments", `${chainId}.json`), join(PROJECT_ROOT, "deployments", `${chainId}.json`)];
  const path = candidates.find((file) => existsSync(file)) ?? candidates[0]!;
  try {
    return { path, json: JSON.parse(readFileSync(path, "utf8")) };
  } catch {
    throw new CliError(`cannot read the deployment record ${path} (deploy first, or pass --deployment)`);
  }
}

/** A session for reading the chain; fails with a sentence when the node or the record is missing. */
export async function readSession(options: ChainOptions): Promise<ReadSession> {
  return (await openSession(options)).session;
}

async function openSession(options: ChainOptions): Promise<{ session: ReadSession; url: string }> {
  const endpoint = resolveEndpoint(options);
  const { publicClient, chainId } = await connect(endpoint);
  const { path, json } = deploymentRecord(options, endpoint, chainId);
  const deployment = parseDeployment(json, path);
  if (deployment.chainId !== chainId) throw new CliError(`${path} is for chain ${deployment.chainId}, but ${endpoint.url} is chain ${chainId} (wrong network?)`);
  const code = await publicClient.getCode({ address: deployment.market });
  if (!code || code === "0x") {
    throw new CliError(`${path} names ModelMarket ${deployment.market}, but chain ${chainId} at ${endpoint.url} has no contract there: the record is from another chain (a restarted npm start prints and writes the new one)`);
  }
  let scope: Promise<RecordScope> | undefined;
  const recordScope = () => (scope ??= recordScopeOf(publicClient, deployment, path));
  return { session: { publicClient, deployment, contracts: marketContracts({ publicClient, walletClient: undefined, deployment }), recordScope }, url: endpoint.url };
}

/**
 * The deployment's identity for local records: the chain, the market, and the hash of the
 * deployment's first block (the one after `startBlock`). A chain started afresh (a restarted
 * `npm start`, a redeployment) can put the market at the same address, but not in the same
 * block: the hash differs, so the records of the earlier chain are never taken for its own.
 */
async function recordScopeOf(publicClient: PublicClient, deployment: Deployment, path: string): Promise<RecordScope> {
  const anchorBlock = deployment.startBlock + 1n;
  const block = await publicClient.getBlock({ blockNumber: anchorBlock }).catch(() => undefined);
  if (!block?.hash) {
    throw new CliError(`${path} says its deployment starts after block ${deployment.startBlock}, but the chain has no block ${anchorBlock}: the record is from another chain`);
  }
  return { chainId: deployment.chainId, market: deployment.market, anchorBlock: anchorBlock.toString(), anchorHash: block.hash };
}

/** A session that can send transactions as the user's account (signerKey.ts). */
export async function writeSession(options: ChainOptions): Promise<WriteSession> {
  const key = await signerKey();
  const { session: read, url } = await openSession(options);
  const account = privateKeyToAccount(key);
  const chain = defineChain({ id: read.deployment.chainId, name: `chain ${read.deployment.chainId}`, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [url] } } });
  const walletClient = createWalletClient({ account, chain, transport: http(url) });
  return { ...read, account, walletClient, contracts: marketContracts({ publicClient: read.publicClient, walletClient, deployment: read.deployment }) };
}
