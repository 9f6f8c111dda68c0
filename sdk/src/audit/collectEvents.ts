/**
 * Event collection for the audit: every log of the registry, the market and the market's v2
 * refund disputes contract (`market.refundDisputes()`, absent on markets that predate it) from
 * a start block to a fixed end block, fetched in bounded block ranges (public RPCs cap
 * `eth_getLogs`), decoded with the generated ABIs, in chain order, each with its block's
 * timestamp (deadlines are checked against block time).
 */
import { parseEventLogs, type Address, type Hash, type Log, type PublicClient } from "viem";
import type { Deployment } from "../client/deployment.ts";
import { modelMarketAbi, modelRegistryAbi, refundDisputesAbi } from "../generated/abis.ts";

type Decoded<A extends typeof modelMarketAbi | typeof modelRegistryAbi | typeof refundDisputesAbi> = ReturnType<typeof parseEventLogs<A, true>>[number];
type WithTime<E> = E extends unknown ? E & { readonly timestamp: bigint } : never;

/** A decoded market event with its block's timestamp. */
export type MarketEvent = WithTime<Decoded<typeof modelMarketAbi>>;
/** A decoded registry event with its block's timestamp. */
export type RegistryEvent = WithTime<Decoded<typeof modelRegistryAbi>>;
/** A decoded event of the market's `RefundDisputes`, with its block's timestamp. */
export type DisputesEvent = WithTime<Decoded<typeof refundDisputesAbi>>;

export interface CollectedEvents {
  readonly fromBlock: bigint;
  readonly toBlock: bigint;
  /** The market's raw logs, in chain order (what marketBookFromLogs folds). */
  readonly marketLogs: readonly Log[];
  readonly market: readonly MarketEvent[];
  readonly registry: readonly RegistryEvent[];
  /** The market's `RefundDisputes` (undefined for a market without v2 disputes), and its events. */
  readonly disputesAddress?: Address;
  readonly disputes: readonly DisputesEvent[];
}

export interface CollectEventsOptions {
  /** First block scanned; default the deployment's start block. */
  fromBlock?: bigint;
  /** Last block scanned; default the latest block when the scan starts. */
  toBlock?: bigint;
  /** Most blocks per `eth_getLogs` call; default 10,000. */
  blockRange?: bigint;
}

export const DEFAULT_BLOCK_RANGE = 10_000n;

/** Fetches and decodes every registry and market event of `deployment` in the block range. */
export async function collectEvents(client: PublicClient, deployment: Deployment, options: CollectEventsOptions = {}): Promise<CollectedEvents> {
  const fromBlock = options.fromBlock ?? deployment.startBlock;
  // cacheTime 0: an audit re-run right after a transaction must see its block, not viem's cached number.
  const toBlock = options.toBlock ?? (await client.getBlockNumber({ cacheTime: 0 }));
  const blockRange = options.blockRange ?? DEFAULT_BLOCK_RANGE;
  if (blockRange < 1n) throw new RangeError("the block range of a log query must be at least 1 block");
  if (fromBlock > toBlock) throw new RangeError(`the scan starts at block ${fromBlock}, after the last block ${toBlock}`);
  const disputesAddress = await refundDisputesOf(client, deployment.market, toBlock);
  const addresses = [deployment.registry, deployment.market, ...(disputesAddress ? [disputesAddress] : [])];
  const logs: Log[] = [];
  for (let start = fromBlock; start <= toBlock; start += blockRange) {
    const end = start + blockRange - 1n < toBlock ? start + blockRange - 1n : toBlock;
    logs.push(...(await client.getLogs({ address: addresses, fromBlock: start, toBlock: end })));
  }
  logs.sort(chainOrder);
  const timestamps = await blockTimestamps(client, logs);
  const time = <E extends { blockNumber: bigint | null }>(event: E) => ({ ...event, timestamp: timestamps.get(event.blockNumber!)! });
  const of = (address: string) => logs.filter((log) => log.address.toLowerCase() === address.toLowerCase());
  const marketLogs = of(deployment.market);
  return {
    fromBlock,
    toBlock,
    marketLogs,
    market: parseEventLogs({ abi: modelMarketAbi, logs: marketLogs, strict: true }).map(time) as MarketEvent[],
    registry: parseEventLogs({ abi: modelRegistryAbi, logs: of(deployment.registry), strict: true }).map(time) as RegistryEvent[],
    disputesAddress,
    disputes: disputesAddress ? (parseEventLogs({ abi: refundDisputesAbi, logs: of(disputesAddress), strict: true }).map(time) as DisputesEvent[]) : [],
  };
}

/**
 * The market's `RefundDisputes` (an immutable the market sets when it deploys it), or undefined
 * for a market built before v2 disputes (the call reverts or returns nothing).
 */
export async function refundDisputesOf(client: PublicClient, market: Address, blockNumber: bigint): Promise<Address | undefined> {
  try {
    const address = await client.readContract({ address: market, abi: modelMarketAbi, functionName: "refundDisputes", blockNumber });
    return /^0x0{40}$/.test(address) ? undefined : address;
  } catch {
    return undefined;
  }
}

function chainOrder(a: Log, b: Log): number {
  const byBlock = Number((a.blockNumber ?? 0n) - (b.blockNumber ?? 0n));
  return byBlock !== 0 ? byBlock : (a.logIndex ?? 0) - (b.logIndex ?? 0);
}

async function blockTimestamps(client: PublicClient, logs: readonly Log[]): Promise<Map<bigint, bigint>> {
  const numbers = [...new Set(logs.map((log) => log.blockNumber!))];
  const blocks = await Promise.all(numbers.map((blockNumber) => client.getBlock({ blockNumber })));
  return new Map(blocks.map((block) => [block.number, block.timestamp]));
}

/** The transaction that emitted an event. */
export const txOf = (event: { transactionHash: Hash | null }): Hash => event.transactionHash!;
