/**
 * The worker's view of the chain: viem clients over the configured RPC (or an injected
 * transport), the market, registry and refund-dispute reads the service authorizes and
 * contests with, the purchases it delivers for, and the worker signer's writes (`recordReceipt`;
 * `contest`, `proveMismatch`, `closeDispute`; `revealKey`), sent one at a time so the signer's nonces never collide. Every read goes to
 * the chain; nothing here caches but the addresses and the EIP-712 domain.
 */
import {
  BlockNotFoundError,
  createPublicClient,
  createWalletClient,
  defineChain,
  getContract,
  http,
  type Address,
  type Hex,
  type PrivateKeyAccount,
  type Transport,
  type TypedDataDomain,
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
} from "viem";
import { modelMarketAbi, modelRegistryAbi, refundDisputesAbi } from "@modelbazaar/sdk/abis";
import { type FoundContest, PURCHASE_STATUSES, type PurchaseStatusName } from "@modelbazaar/sdk/actions";
import type { MarketGroth16Proof } from "@modelbazaar/sdk/prover";
import type { ChainIdentity } from "../store/chainBinding.ts";

/** ITestDrives.TestStatus, by its uint8 value. */
export const TEST_STATUS = ["None", "AwaitingReceipt", "Unserved", "Evaluated", "Forfeitable", "Closed"] as const;
export type TestStatusName = (typeof TEST_STATUS)[number];

export interface OnChainTest {
  readonly testId: bigint;
  readonly buyer: Address;
  readonly listingId: bigint;
  readonly sampleCount: number;
  readonly status: TestStatusName;
}

export interface OnChainPurchase {
  readonly purchaseId: bigint;
  readonly buyer: Address;
  readonly seller: Address;
  readonly listingId: bigint;
  /** keccak256(abi.encode(ciphertextRoot, keccak256(key))), zero before the seller commits. */
  readonly deliveryCommitment: Hex;
  readonly status: PurchaseStatusName;
}

export interface RecordedReceipt {
  readonly resultHash: Hex;
  readonly worker: Address;
  readonly txHash: Hex;
}

export interface MarketClientOptions {
  readonly transport: Transport;
  readonly market: Address;
  readonly registry: Address;
  readonly signer: PrivateKeyAccount;
  readonly pollIntervalMs: number;
  /** First block to search for the market's events (its deployment block). */
  readonly startBlock: bigint;
}

export type MarketClient = Awaited<ReturnType<typeof connectMarket>>;

/** Builds the clients and reads the chain id and the market's EIP-712 domain once. */
export async function connectMarket(options: MarketClientOptions) {
  const probe = createPublicClient({ transport: options.transport });
  const chainId = await probe.getChainId();
  const chain = defineChain({
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [] } },
  });
  const publicClient = createPublicClient({ chain, transport: options.transport, pollingInterval: options.pollIntervalMs });
  const walletClient = createWalletClient({ chain, transport: options.transport, account: options.signer });
  const market = getContract({ address: options.market, abi: modelMarketAbi, client: { public: publicClient, wallet: walletClient } });
  const registry = getContract({ address: options.registry, abi: modelRegistryAbi, client: publicClient });
  const disputes = getContract({ address: await market.read.refundDisputes(), abi: refundDisputesAbi, client: { public: publicClient, wallet: walletClient } });

  const [, name, version, domainChainId, verifyingContract] = await market.read.eip712Domain();
  const receiptDomain: TypedDataDomain = { name, version, chainId: Number(domainChainId), verifyingContract };

  // One send at a time: each waits until the node has taken the previous one (its pending nonce counts it).
  let sending: Promise<unknown> = Promise.resolve();
  const send = (write: () => Promise<Hex>): Promise<Hex> => {
    const sent = sending.then(write);
    sending = sent.catch(() => undefined);
    return sent;
  };

  return {
    chainId,
    market: options.market,
    /** The market's `RefundDisputes`. */
    disputes: disputes.address,
    publicClient,
    signer: options.signer,
    /** The market's own EIP-712 domain, which signed receipts must use. */
    receiptDomain,

    /** The test-drive as the chain sees it now, or undefined for an unknown id. */
    async readTest(testId: bigint): Promise<OnChainTest | undefined> {
      const status = TEST_STATUS[await market.read.testStatus([testId])] ?? "None";
      if (status === "None") return undefined;
      const t = await market.read.getTest([testId]);
      return { testId, buyer: t.buyer, listingId: BigInt(t.listingId), sampleCount: t.sampleCount, status };
    },

    /** The purchase as the chain sees it now, or undefined for an unknown id. */
    async readPurchase(purchaseId: bigint): Promise<OnChainPurchase | undefined> {
      const status = PURCHASE_STATUSES[await market.read.purchaseStatus([purchaseId])] ?? "None";
      if (status === "None") return undefined;
      const p = await market.read.getPurchase([purchaseId]);
      return { purchaseId, buyer: p.buyer, seller: p.seller, listingId: BigInt(p.listingId), deliveryCommitment: p.deliveryCommitment, status };
    },

    /** Sends `revealKey` for a delivery this worker holds (the key opening the commitment is the authorization). */
    revealKey(purchaseId: bigint, ciphertextRoot: Hex, key: Hex): Promise<Hex> {
      return send(() => market.write.revealKey([purchaseId, ciphertextRoot, key]));
    },

    async testStatus(testId: bigint): Promise<TestStatusName> {
      return TEST_STATUS[await market.read.testStatus([testId])] ?? "None";
    },

    /** The listing's seller (set when it was listed, never changed; the listing must exist). */
    async sellerOf(listingId: bigint): Promise<Address> {
      const [seller] = await registry.read.workerOf([listingId]);
      return seller;
    },

    /** The listing's worker signer (the listing must exist: a test names it). */
    async workerSignerOf(listingId: bigint): Promise<Address> {
      const [, workerSigner] = await registry.read.workerOf([listingId]);
      return workerSigner;
    },

    /** The receipt recorded on-chain for `testId`, if any (a test takes one). */
    async findRecordedReceipt(testId: bigint): Promise<RecordedReceipt | undefined> {
      const logs = await market.getEvents.ReceiptRecorded({ testId }, { fromBlock: options.startBlock, toBlock: "latest" });
      const log = logs[0];
      if (!log?.args.resultHash || !log.args.worker || !log.transactionHash) return undefined;
      return { resultHash: log.args.resultHash, worker: log.args.worker, txHash: log.transactionHash };
    },

    /** Sends `recordReceipt` from the worker signer; returns the transaction hash. */
    recordReceipt(testId: bigint, resultHash: Hex): Promise<Hex> {
      return send(() => market.write.recordReceipt([testId, resultHash]));
    },

    /** The listing's dispute policy and the contest circuit the market proves its contests with (verifier 0: none). */
    async disputeSetup(listingId: bigint) {
      const [policy, terms, circuit] = await Promise.all([
        registry.read.disputePolicy([listingId]),
        registry.read.disputeTerms([listingId]),
        disputes.read.contestCircuitFor([listingId]),
      ]);
      return { policy, terms, circuit };
    },

    /** Sends `contest(testId, secret)` with the seller bond. */
    contest(testId: bigint, secret: Hex, sellerBond: bigint): Promise<Hex> {
      return send(() => disputes.write.contest([testId, secret], { value: sellerBond }));
    },

    /** Sends `proveMismatch` with a found contest and its proof. */
    proveMismatch(testId: bigint, contest: Omit<FoundContest, "input" | "circuit">, proof: MarketGroth16Proof): Promise<Hex> {
      return send(() => disputes.write.proveMismatch([testId, contest.sample, [...contest.slotHashes], contest.cls, contest.kind, proof]));
    },

    closeDispute(testId: bigint): Promise<Hex> {
      return send(() => disputes.write.closeDispute([testId]));
    },

    /** The mined transaction's status, or undefined while it is not mined. */
    async transactionStatus(txHash: Hex): Promise<"success" | "reverted" | undefined> {
      try {
        return (await publicClient.getTransactionReceipt({ hash: txHash })).status;
      } catch (error) {
        if (error instanceof TransactionReceiptNotFoundError) return undefined;
        throw error;
      }
    },

    /** False when the node does not know the transaction (never sent, or dropped). */
    async transactionKnown(txHash: Hex): Promise<boolean> {
      try {
        await publicClient.getTransaction({ hash: txHash });
        return true;
      } catch (error) {
        if (error instanceof TransactionNotFoundError) return false;
        throw error;
      }
    },

    /** The head's number; `fresh` skips viem's cache (a health check must ask the node). */
    async blockNumber({ fresh = false } = {}): Promise<bigint> {
      return publicClient.getBlockNumber(fresh ? { cacheTime: 0 } : {});
    },

    /** What identifies the chain served: its genesis block, and the market's address and deployment block. */
    async identity(): Promise<ChainIdentity> {
      const [genesis, deployment] = await Promise.all([
        publicClient.getBlock({ blockNumber: 0n }),
        publicClient.getBlock({ blockNumber: options.startBlock }),
      ]);
      return { chainId, genesisHash: genesis.hash, market: options.market, deploymentBlock: options.startBlock, deploymentBlockHash: deployment.hash };
    },

    /** The hash of block `number`, or undefined when the chain has no such block (yet). */
    async blockHash(number: bigint): Promise<Hex | undefined> {
      try {
        return (await publicClient.getBlock({ blockNumber: number })).hash;
      } catch (error) {
        if (error instanceof BlockNotFoundError) return undefined;
        throw error;
      }
    },

    testOpenedLogs(listingIds: readonly bigint[], fromBlock: bigint, toBlock: bigint) {
      return market.getEvents.TestOpened({ listingId: [...listingIds] }, { fromBlock, toBlock });
    },

    receiptRecordedLogs(fromBlock: bigint, toBlock: bigint) {
      return market.getEvents.ReceiptRecorded({}, { fromBlock, toBlock });
    },

    testClosedLogs(fromBlock: bigint, toBlock: bigint) {
      return market.getEvents.TestClosed({}, { fromBlock, toBlock });
    },

    refundClaimedLogs(fromBlock: bigint, toBlock: bigint) {
      return disputes.getEvents.RefundClaimed({}, { fromBlock, toBlock });
    },
  };
}

export function rpcTransport(rpcUrl: string): Transport {
  return http(rpcUrl);
}
