/**
 * An account's ETH balance and what `withdraw()` on the market would pay it now (`owed`),
 * read again at every new block. Wiring only: the ABI comes from the SDK.
 */
import { useEffect } from "react";
import type { Address } from "viem";
import { useBalance, useBlockNumber, useReadContract } from "wagmi";
import { modelMarketAbi } from "@modelbazaar/sdk/abis";
import { chain, deployment } from "../marketConfig.ts";

export function useAccountFunds(address: Address | undefined) {
  const { data: blockNumber } = useBlockNumber({ watch: true, chainId: chain.id });
  const balance = useBalance({ address, chainId: chain.id, query: { enabled: address !== undefined } });
  const owed = useReadContract({ address: deployment.market, abi: modelMarketAbi, functionName: "owed", args: address ? [address] : undefined, chainId: chain.id, query: { enabled: address !== undefined } });
  const { refetch: refetchBalance } = balance;
  const { refetch: refetchOwed } = owed;
  useEffect(() => {
    if (address === undefined || blockNumber === undefined) return;
    void refetchBalance();
    void refetchOwed();
  }, [address, blockNumber, refetchBalance, refetchOwed]);
  return { balance: balance.data?.value, owed: owed.data, error: balance.error ?? owed.error, blockNumber };
}
