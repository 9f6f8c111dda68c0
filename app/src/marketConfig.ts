/**
 * The one registered wagmi config of the dApp: the chain and the deployment it talks to come
 * from `__MODELBAZAAR__`, which the server that serves the app defines (npm start injects the
 * local chain's RPC URL and deployment record).
 */
import { defineChain } from "viem";
import { createConfig, http } from "wagmi";
import type { Deployment } from "../../sdk/src/client/deployment.ts";

interface InjectedMarket {
  readonly rpcUrl: string;
  readonly deployment: Omit<Deployment, "startBlock"> & { readonly startBlock: string };
}

declare const __MODELBAZAAR__: InjectedMarket;

export const market = __MODELBAZAAR__;

export const chain = defineChain({
  id: market.deployment.chainId,
  name: market.deployment.chainId === 31337 ? "Local chain" : `Chain ${market.deployment.chainId}`,
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [market.rpcUrl] } },
});

export const wagmiConfig = createConfig({ chains: [chain], transports: { [chain.id]: http(market.rpcUrl) } });

declare module "wagmi" {
  interface Register {
    config: typeof wagmiConfig;
  }
}
