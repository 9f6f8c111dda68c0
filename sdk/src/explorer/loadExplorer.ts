/**
 * `loadExplorer`: every event of the registry and the market (the audit's collectEvents: paged
 * `eth_getLogs`, decoded with the generated ABIs, block times), with each transaction's
 * sender, as explorer entries in chain order and grouped into entity timelines. Given the
 * previous result (`since`), it scans only the blocks after it, so a page can follow the chain
 * block by block.
 *
 * @example
 * let explorer = await loadExplorer(publicClient, deployment);
 * explorer = await loadExplorer(publicClient, deployment, { since: explorer }); // new blocks only
 * explorer.timelines.get("test/1")?.entries.map((e) => e.eventName); // ["TestOpened", ...]
 */
import { getAddress, type Address, type Hash, type PublicClient } from "viem";
import { collectEvents, DEFAULT_BLOCK_RANGE } from "../audit/collectEvents.ts";
import type { Deployment } from "../client/deployment.ts";
import { buildEntityTimelines, type EntityTimeline } from "./entityTimelines.ts";
import { chainOrder, explorerEntry, type ExplorerEntry } from "./explorerEntry.ts";

export interface ExplorerIndex {
  readonly chainId: number;
  readonly market: Address;
  readonly fromBlock: bigint;
  /** The last block scanned. */
  readonly toBlock: bigint;
  /** Every event, in chain order. */
  readonly entries: readonly ExplorerEntry[];
  /** By entity key ("listing/1", "test/3", "dispute/3", "auction/1", "purchase/2"). */
  readonly timelines: Map<string, EntityTimeline>;
}

export interface LoadExplorerParameters {
  /** A previous result for the same deployment: only the blocks after it are scanned. */
  since?: ExplorerIndex;
  /** First block of a fresh scan; default the deployment's start block. */
  fromBlock?: bigint;
  /** Last block scanned; default the latest block. */
  toBlock?: bigint;
  /** Most blocks per `eth_getLogs` call; default 10,000. */
  blockRange?: bigint;
  /** Fetch each transaction's sender (one `eth_getTransactionByHash` per transaction); default true. */
  senders?: boolean;
}

export async function loadExplorer(client: PublicClient, deployment: Deployment, parameters: LoadExplorerParameters = {}): Promise<ExplorerIndex> {
  const { since, blockRange = DEFAULT_BLOCK_RANGE, senders = true } = parameters;
  if (since && (since.chainId !== deployment.chainId || since.market.toLowerCase() !== deployment.market.toLowerCase())) throw new RangeError("the previous explorer result is of another deployment");
  const fromBlock = since ? since.toBlock + 1n : (parameters.fromBlock ?? deployment.startBlock);
  const toBlock = parameters.toBlock ?? (await client.getBlockNumber());
  if (since && fromBlock > toBlock) return since;
  const events = await collectEvents(client, deployment, { fromBlock, toBlock, blockRange });
  const hashes = [...new Set([...events.market, ...events.registry].map((event) => event.transactionHash!))];
  const from = senders ? await sendersOf(client, hashes) : new Map<Hash, Address>();
  const fresh = [
    ...events.registry.map((event) => explorerEntry("registry", event, from.get(event.transactionHash!))),
    ...events.market.map((event) => explorerEntry("market", event, from.get(event.transactionHash!))),
  ].sort(chainOrder);
  const entries = since ? [...since.entries, ...fresh] : fresh;
  return { chainId: deployment.chainId, market: deployment.market, fromBlock: since?.fromBlock ?? fromBlock, toBlock, entries, timelines: buildEntityTimelines(entries) };
}

async function sendersOf(client: PublicClient, hashes: readonly Hash[]): Promise<Map<Hash, Address>> {
  const senders = new Map<Hash, Address>();
  const BATCH = 50;
  for (let i = 0; i < hashes.length; i += BATCH) {
    const transactions = await Promise.all(hashes.slice(i, i + BATCH).map((hash) => client.getTransaction({ hash })));
    for (const tx of transactions) senders.set(tx.hash, getAddress(tx.from));
  }
  return senders;
}
