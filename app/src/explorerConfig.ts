/**
 * Where a transaction or an account can also be seen outside the dApp: on the local chain
 * (31337) nowhere (the dApp's own explorer is the only one); on other chains the public
 * explorer the server injects (`__MODELBAZAAR__.blockExplorerUrl`), else the well-known one
 * for the chain id.
 */
import type { Address, Hash } from "viem";
import { chain, market } from "./marketConfig.ts";

const LOCAL_CHAIN_ID = 31337;

/** Public explorers of well-known chains, by chain id. */
const KNOWN_EXPLORERS: Readonly<Record<number, string>> = {
  1: "https://etherscan.io",
  11155111: "https://sepolia.etherscan.io",
  17000: "https://holesky.etherscan.io",
  10: "https://optimistic.etherscan.io",
  8453: "https://basescan.org",
  84532: "https://sepolia.basescan.org",
  42161: "https://arbiscan.io",
  137: "https://polygonscan.com",
};

/** The public explorer's base URL, or undefined on the local chain and on chains nobody configured. */
export const publicExplorerUrl: string | undefined =
  chain.id === LOCAL_CHAIN_ID ? undefined : ((market as { readonly blockExplorerUrl?: string }).blockExplorerUrl ?? KNOWN_EXPLORERS[chain.id])?.replace(/\/+$/, "");

export const publicTxUrl = (hash: Hash): string | undefined => (publicExplorerUrl ? `${publicExplorerUrl}/tx/${hash}` : undefined);
export const publicAddressUrl = (address: Address): string | undefined => (publicExplorerUrl ? `${publicExplorerUrl}/address/${address}` : undefined);
