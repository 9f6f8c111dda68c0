/**
 * The evaluation receipt recorded on-chain for a test-drive: the `resultHash` of its
 * `ReceiptRecorded` event (the market stores no hash, only the phase), or undefined while none
 * is recorded. The buyer compares it with keccak256 of the result it decrypted.
 */
import type { Address, Hex, PublicClient } from "viem";
import { modelMarketAbi } from "../generated/abis.ts";

export interface GetTestReceiptParameters {
  readonly market: Address;
  readonly testId: bigint;
  /** Where to start scanning (the deployment's start block). */
  readonly fromBlock?: bigint;
}

export interface TestReceipt {
  readonly resultHash: Hex;
  readonly worker: Address;
  readonly transactionHash: Hex;
}

/**
 * @example
 * const receipt = await getTestReceipt(publicClient, { market, testId, fromBlock: deployment.startBlock });
 * if (receipt?.resultHash !== keccak256(result)) ...
 */
export async function getTestReceipt(client: PublicClient, { market, testId, fromBlock = 0n }: GetTestReceiptParameters): Promise<TestReceipt | undefined> {
  const logs = await client.getContractEvents({ address: market, abi: modelMarketAbi, eventName: "ReceiptRecorded", args: { testId }, fromBlock, strict: true });
  const log = logs[0];
  if (!log) return undefined;
  return { resultHash: log.args.resultHash, worker: log.args.worker, transactionHash: log.transactionHash };
}
