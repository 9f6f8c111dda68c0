/**
 * The dev wallet as a wagmi connector (Scaffold-ETH 2's burner wallet is the model): wagmi's
 * injected connector around the dev accounts' provider (devWalletProvider.ts). marketConfig.ts
 * adds it only on the local chain (31337), and only when the server injected dev accounts.
 */
import type { Chain } from "viem";
import { injected } from "wagmi";
import { createDevWalletProvider, type DevAccount, type DevWalletProvider } from "./devWalletProvider.ts";

export const DEV_WALLET_ID = "devWallet";
export const LOCAL_CHAIN_ID = 31337;

export function devWallet({ accounts, chain, rpcUrl }: { accounts: readonly DevAccount[]; chain: Chain; rpcUrl: string }) {
  if (chain.id !== LOCAL_CHAIN_ID) throw new Error(`the dev wallet is for the local chain (${LOCAL_CHAIN_ID}) only, not chain ${chain.id}`);
  const provider: DevWalletProvider = createDevWalletProvider({ accounts, chain, rpcUrl });
  return {
    provider,
    connector: injected({ target: { id: DEV_WALLET_ID, name: "Dev wallet", provider: provider as never } }),
  };
}
