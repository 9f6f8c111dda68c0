/**
 * The one registered wagmi config of the dApp: the chain and the deployment it talks to come
 * from `__MODELBAZAAR__`, which the server that serves the app defines (npm start injects the
 * local chain's RPC URL, deployment record and, for the local chain only, its funded dev
 * accounts). The dispute circuits' verification keys are injected apart (verificationKeys.ts),
 * so that only the pages that verify proofs load them.
 *
 * Wallets: every EIP-6963 wallet in the browser (wagmi's multiInjectedProviderDiscovery, on by
 * default), a legacy `window.ethereum` one that does not announce itself, WalletConnect when a
 * project id is configured (wallet/walletConnect.ts), and the dev wallet on chain 31337.
 */
import { defineChain, type Address } from "viem";
import { createConfig, http, injected, type CreateConnectorFn } from "wagmi";
import { parseDeployment, type Deployment } from "@modelbazaar/sdk/client";
import { devWallet, LOCAL_CHAIN_ID } from "./wallet/devWallet.ts";
import type { DevAccount } from "./wallet/devWalletProvider.ts";
import { walletConnectConnector } from "./wallet/walletConnect.ts";

interface InjectedMarket {
  readonly rpcUrl: string;
  /** The deployment record as JSON: its startBlock is a string (see `deployment` below). */
  readonly deployment: Omit<Deployment, "startBlock"> & { readonly startBlock: string };
  /** The local chain's funded dev accounts, for the dev wallet (never set for other chains). */
  readonly devAccounts?: readonly DevAccount[];
  /** A WalletConnect Cloud project id; without one the connect dialog offers no WalletConnect. */
  readonly walletConnectProjectId?: string;
  /** The recommendation aggregator whose federated training a buyer may take part in; the ranking never asks it (without one there is nothing to take part in). */
  readonly aggregatorUrl?: string;
}

declare const __MODELBAZAAR__: InjectedMarket;

export const market = __MODELBAZAAR__;

/** The injected record as the SDK takes it (startBlock a bigint), validated once. */
export const deployment: Deployment = parseDeployment(market.deployment, "the injected deployment record");

export const chain = defineChain({
  id: market.deployment.chainId,
  name: market.deployment.chainId === LOCAL_CHAIN_ID ? "Local chain" : `Chain ${market.deployment.chainId}`,
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [market.rpcUrl] } },
});

/** The dev wallet (its provider picks the account), on the local chain with dev accounts only. */
export const dev = chain.id === LOCAL_CHAIN_ID && market.devAccounts?.length ? devWallet({ accounts: market.devAccounts, chain, rpcUrl: market.rpcUrl }) : undefined;

const connectors: CreateConnectorFn[] = [];
if (typeof window !== "undefined" && (window as { ethereum?: unknown }).ethereum) connectors.push(injected());
if (market.walletConnectProjectId) connectors.push(walletConnectConnector(market.walletConnectProjectId));
if (dev) connectors.push(dev.connector);

export const wagmiConfig = createConfig({ chains: [chain], connectors, transports: { [chain.id]: http(market.rpcUrl) } });

/** The market contract for wagmi's contract hooks. */
export const marketContract = { address: deployment.market as Address } as const;

declare module "wagmi" {
  interface Register {
    config: typeof wagmiConfig;
  }
}
