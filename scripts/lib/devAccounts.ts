/**
 * The funded accounts of `npm start`'s chain and the role each plays in the market it seeds:
 * Hardhat's well-known development keys (mnemonic "test test … junk"), public knowledge, so
 * for development chains only. `npm start` prints them, the dApp's dev wallet offers them and
 * the README lists them (test/e2e/start.test.ts keeps the README's table equal to this list).
 */
import { privateKeyToAccount } from "viem/accounts";
import type { Address, Hex } from "viem";
import { devAccountKey } from "./demoListings.ts";

export interface DevAccountRole {
  /** Hardhat's account index (its node funds the first 20 with 10,000 ETH each). */
  readonly index: number;
  /** The role's name, e.g. "seller". */
  readonly role: string;
  /** What it does in the seeded market. */
  readonly does: string;
}

export const DEV_ACCOUNT_ROLES: readonly DevAccountRole[] = [
  { index: 0, role: "registry owner", does: "deployed the contracts and owns the registry" },
  { index: 1, role: "seller", does: "sells the demo listings #1-#4: deliver, contest, withdraw as it" },
  { index: 2, role: "buyer", does: "test-drive, buy and dispute as it" },
  { index: 3, role: "worker signer", does: "the seller's worker signs receipts with it: leave it to the worker" },
  { index: 4, role: "bidder", does: "bid in auctions as it" },
  { index: 5, role: "bidder", does: "bid in auctions as it" },
  { index: 6, role: "bidder", does: "bid in auctions as it" },
];

export interface DevAccount {
  readonly index: number;
  readonly role: string;
  readonly does: string;
  readonly address: Address;
  readonly privateKey: Hex;
}

/** The role accounts with their addresses and keys. */
export function devAccounts(): DevAccount[] {
  return DEV_ACCOUNT_ROLES.map(({ index, role, does }) => {
    const privateKey = devAccountKey(index);
    return { index, role, does, address: privateKeyToAccount(privateKey).address, privateKey };
  });
}

/** The sentence that goes with every printed key. */
export const DEV_KEYS_WARNING =
  "these are Hardhat's well-known development keys, known to everyone: use them on this local chain only (anything sent to their addresses on a real network is taken at once)";
