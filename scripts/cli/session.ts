/**
 * What every chain-facing `bazaar` command needs: the RPC URL, the deployment record and,
 * for commands that send transactions, the user's account. Options: `--rpc <url>` (or
 * MODELBAZAAR_RPC_URL, default http://127.0.0.1:8545) and `--deployment <file>` (default
 * deployments/<chainId>.json). The signing key comes from the environment or an encrypted key
 * file (signerKey.ts), never from argv.
 */
import { readFileSync } from "node:fs";
import { createPublicClient, createWalletClient, defineChain, http, type Account, type Chain, type PublicClient, type Transport, type WalletClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { marketContracts } from "../../sdk/src/client/contracts.ts";
import { parseDeployment, type Deployment } from "../../sdk/src/client/deployment.ts";
import { CliError } from "./cliError.ts";
import { signerKey } from "./signerKey.ts";

export interface ChainOptions {
  readonly rpc?: string;
  readonly deployment?: string;
}

export interface ReadSession {
  readonly publicClient: PublicClient;
  readonly deployment: Deployment;
  readonly contracts: ReturnType<typeof marketContracts<undefined>>;
}

export interface WriteSession extends Omit<ReadSession, "contracts"> {
  readonly account: Account;
  readonly walletClient: WalletClient<Transport, Chain | undefined, Account>;
  readonly contracts: ReturnType<typeof marketContracts<WalletClient<Transport, Chain | undefined, Account>>>;
}

function rpcUrl(options: ChainOptions): string {
  return options.rpc ?? process.env.MODELBAZAAR_RPC_URL ?? "http://127.0.0.1:8545";
}

/** A session for reading the chain; fails with a sentence when the node or the record is missing. */
export async function readSession(options: ChainOptions): Promise<ReadSession> {
  const url = rpcUrl(options);
  const publicClient = createPublicClient({ transport: http(url) }) as PublicClient;
  let chainId: number;
  try {
    chainId = await publicClient.getChainId();
  } catch {
    throw new CliError(`no chain answers at ${url} (start one with npm start, or pass --rpc)`);
  }
  const path = options.deployment ?? `deployments/${chainId}.json`;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    throw new CliError(`cannot read the deployment record ${path} (deploy first, or pass --deployment)`);
  }
  const deployment = parseDeployment(json, path);
  if (deployment.chainId !== chainId) throw new CliError(`${path} is for chain ${deployment.chainId}, but ${url} is chain ${chainId} (wrong network?)`);
  return { publicClient, deployment, contracts: marketContracts({ publicClient, walletClient: undefined, deployment }) };
}

/** A session that can send transactions as the user's account (signerKey.ts). */
export async function writeSession(options: ChainOptions): Promise<WriteSession> {
  const key = await signerKey();
  const read = await readSession(options);
  const account = privateKeyToAccount(key);
  const url = rpcUrl(options);
  const chain = defineChain({ id: read.deployment.chainId, name: `chain ${read.deployment.chainId}`, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [url] } } });
  const walletClient = createWalletClient({ account, chain, transport: http(url) });
  return { ...read, account, walletClient, contracts: marketContracts({ publicClient: read.publicClient, walletClient, deployment: read.deployment }) };
}
