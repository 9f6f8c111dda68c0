/**
 * The contract handle the write actions take first (viem style): the typed market of
 * `marketContracts` with a wallet, and the options every write passes (the wallet's chain).
 */
import type { MarketContracts } from "../client/contracts.ts";

export type MarketWriter = MarketContracts["market"];

/** Sends on the wallet client's own chain. */
export const ON_CLIENT_CHAIN = { chain: undefined } as const;
