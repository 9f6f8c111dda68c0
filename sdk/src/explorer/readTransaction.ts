/**
 * `readTransaction`: one transaction as the explorer's transaction page shows it: the call
 * decoded with the market's or the registry's ABI (function name and arguments), status, gas
 * used, effective gas price, fee, value, and the events it emitted, decoded like the
 * timelines' entries (logs of other contracts stay raw).
 *
 * @example
 * const tx = await readTransaction(publicClient, deployment, hash);
 * tx.call?.functionName; // "openTest"
 * tx.events.map((e) => e.eventName); // ["TestOpened"]
 */
import {
  decodeFunctionData,
  getAddress,
  parseEventLogs,
  type AbiFunction,
  type AbiParameter,
  type Address,
  type Hash,
  type Hex,
  type PublicClient,
} from "viem";
import type { Deployment } from "../client/deployment.ts";
import { modelMarketAbi, modelRegistryAbi } from "../generated/abis.ts";
import { explorerEntry, type ContractName, type ExplorerEntry } from "./explorerEntry.ts";

export interface DecodedCall {
  readonly contract: ContractName;
  readonly functionName: string;
  /** The arguments in ABI order, with their parameters (names, types, tuples). */
  readonly args: readonly { readonly parameter: AbiParameter; readonly value: unknown }[];
}

export interface RawLog {
  readonly address: Address;
  readonly logIndex: number;
  readonly topics: readonly Hex[];
  readonly data: Hex;
}

export interface TransactionView {
  readonly hash: Hash;
  readonly from: Address;
  /** Null for a contract creation. */
  readonly to: Address | null;
  /** Which of the deployment's contracts was called, if one was. */
  readonly contract?: ContractName;
  readonly value: bigint;
  readonly nonce: number;
  readonly input: Hex;
  /** The decoded call, when `to` is the registry or the market and the input matches its ABI. */
  readonly call?: DecodedCall;
  /** Undefined while the transaction is pending. */
  readonly receipt?: {
    readonly status: "success" | "reverted";
    readonly blockNumber: bigint;
    readonly timestamp: bigint;
    readonly gasUsed: bigint;
    readonly gasLimit: bigint;
    readonly effectiveGasPrice: bigint;
    /** gasUsed × effectiveGasPrice, in wei. */
    readonly fee: bigint;
    readonly contractAddress?: Address;
    readonly events: readonly ExplorerEntry[];
    readonly otherLogs: readonly RawLog[];
  };
}

const ABIS = { registry: modelRegistryAbi, market: modelMarketAbi } as const;

/** The deployment's contract at `address`, if it is one. */
export function contractAt(deployment: Deployment, address: Address | null | undefined): ContractName | undefined {
  const a = address?.toLowerCase();
  return a === deployment.market.toLowerCase() ? "market" : a === deployment.registry.toLowerCase() ? "registry" : undefined;
}

/** Decodes calldata sent to the deployment's `contract`, or undefined when it matches no function. */
export function decodeCall(contract: ContractName, input: Hex): DecodedCall | undefined {
  const abi = ABIS[contract];
  try {
    const { functionName, args } = decodeFunctionData({ abi, data: input });
    const fn = abi.find((item): item is AbiFunction & typeof item => item.type === "function" && item.name === functionName && item.inputs.length === (args?.length ?? 0));
    return { contract, functionName, args: (fn?.inputs ?? []).map((parameter, i) => ({ parameter, value: args?.[i] })) };
  } catch {
    return undefined;
  }
}

export async function readTransaction(client: PublicClient, deployment: Deployment, hash: Hash): Promise<TransactionView> {
  const tx = await client.getTransaction({ hash });
  const contract = contractAt(deployment, tx.to);
  const call = contract ? decodeCall(contract, tx.input) : undefined;
  const view = { hash: tx.hash, from: getAddress(tx.from), to: tx.to && getAddress(tx.to), ...(contract ? { contract } : {}), value: tx.value, nonce: tx.nonce, input: tx.input, ...(call ? { call } : {}) };
  if (tx.blockNumber === null) return view;
  const [receipt, block] = await Promise.all([client.getTransactionReceipt({ hash }), client.getBlock({ blockNumber: tx.blockNumber })]);
  const events: ExplorerEntry[] = [];
  const otherLogs: RawLog[] = [];
  for (const log of receipt.logs) {
    const emitter = contractAt(deployment, log.address);
    const [decoded] = emitter ? parseEventLogs({ abi: ABIS[emitter], logs: [log], strict: true }) : [];
    if (emitter && decoded) events.push(explorerEntry(emitter, { ...decoded, timestamp: block.timestamp }, view.from));
    else otherLogs.push({ address: log.address, logIndex: log.logIndex, topics: log.topics, data: log.data });
  }
  return {
    ...view,
    receipt: {
      status: receipt.status,
      blockNumber: receipt.blockNumber,
      timestamp: block.timestamp,
      gasUsed: receipt.gasUsed,
      gasLimit: tx.gas,
      effectiveGasPrice: receipt.effectiveGasPrice,
      fee: receipt.gasUsed * receipt.effectiveGasPrice,
      ...(receipt.contractAddress ? { contractAddress: getAddress(receipt.contractAddress) } : {}),
      events,
      otherLogs,
    },
  };
}
