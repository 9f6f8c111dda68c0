/**
 * The one transaction lifecycle of the dApp (Scaffold-ETH 2's useTransactor is the model):
 * simulate the call (so a revert is explained before the wallet asks anything), send it
 * through the connected wallet, show a toast with the hash, await the receipt, and say how it
 * ended; every failure becomes one sentence (wallet/txError.ts), also kept as `error` for a
 * page that says it in place. Returns the receipt, or undefined when the transaction did not
 * happen or reverted.
 */
import { useState } from "react";
import type { Abi, ContractFunctionArgs, ContractFunctionName, TransactionReceipt } from "viem";
import { useConfig } from "wagmi";
import { simulateContract, waitForTransactionReceipt, writeContract } from "wagmi/actions";
import { chain } from "../marketConfig.ts";
import { showToast, updateToast } from "../wallet/toasts.ts";
import { txErrorSentence } from "../wallet/txError.ts";

export interface TransactionRequest<abi extends Abi, name extends ContractFunctionName<abi, "nonpayable" | "payable">> {
  /** What the transaction does, for people: "Withdraw 1 ETH". */
  readonly description: string;
  readonly address: `0x${string}`;
  readonly abi: abi;
  readonly functionName: name;
  readonly args?: ContractFunctionArgs<abi, "nonpayable" | "payable", name>;
  readonly value?: bigint;
}

export function useTransactor() {
  const config = useConfig();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  async function transact<const abi extends Abi, name extends ContractFunctionName<abi, "nonpayable" | "payable">>(request: TransactionRequest<abi, name>): Promise<TransactionReceipt | undefined> {
    const { description, ...call } = request;
    setPending(true);
    setError(undefined);
    const toast = showToast({ kind: "info", title: description, body: "Confirm it in your wallet…", pending: true });
    try {
      const { request: prepared } = await simulateContract(config, { ...call, chainId: chain.id } as never);
      const hash = await writeContract(config, prepared);
      updateToast(toast, { kind: "info", title: description, body: "Sent; waiting for it to be mined…", hash, pending: true });
      const receipt = await waitForTransactionReceipt(config, { hash, chainId: chain.id });
      if (receipt.status === "success") {
        updateToast(toast, { kind: "success", title: description, body: `Done in block ${receipt.blockNumber}.`, hash });
        return receipt;
      }
      const reverted = `The transaction reverted in block ${receipt.blockNumber}.`;
      updateToast(toast, { kind: "error", title: description, body: reverted, hash });
      setError(reverted);
      return undefined;
    } catch (failure) {
      const sentence = txErrorSentence(failure, chain);
      updateToast(toast, { kind: "error", title: description, body: sentence });
      setError(sentence);
      return undefined;
    } finally {
      setPending(false);
    }
  }
  return { transact, pending, error };
}
