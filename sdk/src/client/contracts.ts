/**
 * Typed contract instances of a deployment (viem `getContract` over the generated ABIs), the
 * one way the CLI, the worker and the app talk to the registry and the market. Reads go
 * through the public client; writes, when a wallet client is given, through the wallet.
 */
import { getContract, type Account, type Chain, type PublicClient, type Transport, type WalletClient } from "viem";
import { modelMarketAbi, modelRegistryAbi } from "../generated/abis.ts";
import type { Deployment } from "./deployment.ts";

export interface MarketClients<W extends WalletClient<Transport, Chain | undefined, Account> | undefined = undefined> {
  readonly publicClient: PublicClient;
  readonly walletClient: W;
  readonly deployment: Deployment;
}

export function marketContracts<W extends WalletClient<Transport, Chain | undefined, Account> | undefined>({ publicClient, walletClient, deployment }: MarketClients<W>) {
  const client = walletClient ? { public: publicClient, wallet: walletClient } : { public: publicClient };
  return {
    registry: getContract({ address: deployment.registry, abi: modelRegistryAbi, client: client as { public: PublicClient; wallet: NonNullable<W> } }),
    market: getContract({ address: deployment.market, abi: modelMarketAbi, client: client as { public: PublicClient; wallet: NonNullable<W> } }),
  };
}

export type MarketContracts = ReturnType<typeof marketContracts<WalletClient<Transport, Chain | undefined, Account>>>;
