/**
 * The one registered wagmi config of the dApp: the chain and the deployment it talks to come
 * from `__MODELBAZAAR__`, which the server that serves the app defines (npm start injects the
 * local chain's RPC URL, deployment record and the dispute circuits' verification keys).
 */
import { defineChain } from "viem";
import { createConfig, http } from "wagmi";
import type { DisputeCircuitKeys } from "../../sdk/src/audit/index.ts";
import { parseDeployment, type Deployment } from "../../sdk/src/client/deployment.ts";

interface InjectedMarket {
  readonly rpcUrl: string;
  /** The deployment record as JSON: its startBlock is a string (see `deployment` below). */
  readonly deployment: Omit<Deployment, "startBlock"> & { readonly startBlock: string };
  /** What the audit trusts to re-verify refunds (scripts/lib/disputeCircuitKeys.ts). */
  readonly verificationKeys: DisputeCircuitKeys;
}

declare const __MODELBAZAAR__: InjectedMarket;

export const market = __MODELBAZAAR__;

/** The injected record as the SDK takes it (startBlock a bigint), validated once. */
export const deployment: Deployment = parseDeployment(market.deployment, "the injected deployment record");

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
