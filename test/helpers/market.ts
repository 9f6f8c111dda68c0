/**
 * Shared fixture for the contract tests: a registry, a market over a verifier the tests
 * control ({SignalBoundVerifier}), named accounts and builders for listings, test-drives,
 * proofs and deliveries. Each test file calls {connectMarket} once and `load()` per test
 * (a chain snapshot, so tests do not see each other's state).
 */
import { network } from "hardhat";
import { keccak256, toHex, zeroHash, type Address, type Hex } from "viem";
import { ChunkTree, prepareDelivery, toChunks } from "../../sdk/src/index.ts";
import { ECONOMICS_ONLY_DISPUTE_POLICY } from "../../sdk/src/listings/disputePolicy.ts";
import { standInDisputesConfig } from "../../scripts/lib/disputesConfig.ts";
import {
  EXAMPLE_CLAIMED_ACCURACY_BPS,
  EXAMPLE_POLICY,
  EXAMPLE_PRICE,
  EXAMPLE_TASK,
  exampleRefundShares,
  exampleTestFee,
  pseudoRandomFile,
} from "../../scripts/lib/exampleListing.ts";

/** Fair-exchange windows used by the tests (seconds). */
export const WINDOWS = { delivery: 3_600, accept: 1_800, reveal: 3_600, complaint: 7_200 } as const;

export const SALE_MODE = { FixedPrice: 0, Auction: 1 } as const;
export const LISTING_STATUS = { None: 0, Active: 1, Paused: 2, Delisted: 3 } as const;
export const TEST_STATUS = { None: 0, AwaitingReceipt: 1, Unserved: 2, Evaluated: 3, Forfeitable: 4, Closed: 5, Disputed: 6 } as const;
export const TEST_PHASE = { Open: 0, Evaluated: 1, Refunded: 2, Unserved: 3, Forfeited: 4, AppliedToPurchase: 5, AppliedToBid: 6, Disputed: 7, RefundRejected: 8 } as const;
export const PURCHASE_STATUS = {
  None: 0,
  AwaitingDelivery: 1,
  DeliveryOverdue: 2,
  AwaitingAcceptance: 3,
  AwaitingKey: 4,
  KeyOverdue: 5,
  ComplaintWindow: 6,
  Completable: 7,
  Completed: 8,
  Refunded: 9,
} as const;
export const REFUND_REASON = { DeliveryMissed: 0, DeliveryRejected: 1, KeyMissed: 2, ComplaintUpheld: 3 } as const;
export const AUCTION_KIND = { FirstPrice: 0, SecondPrice: 1 } as const;
export const AUCTION_STATUS = { None: 0, Committing: 1, Revealing: 2, Settleable: 3, Settled: 4 } as const;

export {
  EXAMPLE_CLAIMED_ACCURACY_BPS as CLAIMED_ACCURACY_BPS,
  EXAMPLE_POLICY as POLICY,
  EXAMPLE_PRICE as PRICE,
  EXAMPLE_TASK as TASK,
  exampleRefundShares as refundSharesFor,
  pseudoRandomFile as modelFile,
};

export async function connectMarket() {
  const connection = await network.create();
  const { viem, networkHelpers } = connection;
  const publicClient = await viem.getPublicClient();
  const [deployer, seller, buyer, worker, alice, bob, carol, mallory] = await viem.getWalletClients();
  if (!deployer || !seller || !buyer || !worker || !alice || !bob || !carol || !mallory) {
    throw new Error("the simulated network needs at least 8 accounts");
  }
  const model = pseudoRandomFile(1_000);
  const modelTree = ChunkTree.fromChunks(toChunks(model));

  async function deploy() {
    const registry = await viem.deployContract("ModelRegistry", [deployer!.account.address]);
    const verifier = await viem.deployContract("SignalBoundVerifier");
    const anyVerifier = await viem.deployContract("AnySignalsVerifier");
    const market = await viem.deployContract("ModelMarket", [registry.address, verifier.address, WINDOWS, standInDisputesConfig(anyVerifier.address)]);
    return { registry, verifier, anyVerifier, market };
  }

  const load = () => networkHelpers.loadFixture(deploy);
  type Contracts = Awaited<ReturnType<typeof deploy>>;

  function terms(overrides: Partial<{ modelRoot: Hex; modelSize: bigint; claimedAccuracyBps: number }> = {}) {
    return {
      modelRoot: modelTree.root,
      modelSize: BigInt(model.length),
      task: EXAMPLE_TASK,
      claimedAccuracyBps: EXAMPLE_CLAIMED_ACCURACY_BPS,
      testPolicy: EXAMPLE_POLICY,
      watermarkCommitment: keccak256(toHex("watermark")),
      disputePolicy: ECONOMICS_ONLY_DISPUTE_POLICY,
      ...overrides,
    };
  }

  function offer(overrides: Partial<{ saleMode: number; price: bigint; workerSigner: Address }> = {}) {
    return {
      metadataURI: "ipfs://model-card",
      metadataHash: keccak256(toHex("model card")),
      saleMode: SALE_MODE.FixedPrice,
      price: EXAMPLE_PRICE,
      workerEndpoint: "http://127.0.0.1:8787",
      workerSigner: worker!.account.address,
      ...overrides,
    };
  }

  /** Lists the default model as `seller` and returns its id. */
  async function list(c: Contracts, offerOverrides: Parameters<typeof offer>[0] = {}): Promise<bigint> {
    await c.registry.write.list([terms(), offer(offerOverrides)], { account: seller!.account });
    return c.registry.read.listingCount();
  }

  /** Opens a test-drive of `listingId` by `account` with a fresh commitment; returns its id. */
  async function openTest(c: Contracts, listingId: bigint, account = buyer!, sampleCount = 50) {
    const fee = exampleTestFee(sampleCount);
    const commitment = toHex(BigInt(keccak256(toHex(`${account.account.address}:${sampleCount}:${Date.now()}`))) >> 8n, { size: 32 });
    await c.market.write.openTest([listingId, commitment, sampleCount], { account: account.account, value: EXAMPLE_POLICY.deposit + fee });
    return { testId: await lastTestId(c), fee, commitment };
  }

  async function lastTestId(c: Contracts): Promise<bigint> {
    const logs = await c.market.getEvents.TestOpened({}, { fromBlock: 0n });
    const last = logs.at(-1);
    if (last?.args.testId === undefined) throw new Error("no test opened");
    return last.args.testId;
  }

  /** A "proof" the controlled verifier accepts for the test-drive's real public signals. */
  async function proofFor(c: Contracts, testId: bigint) {
    const context = await c.market.read.disputeContext([testId]);
    const test = await c.market.read.getTest([testId]);
    const a0 = await c.verifier.read.proofFor([[context, BigInt(test.dataCommitment)]]);
    return proofWith(a0);
  }

  function proofWith(a0: bigint) {
    return { a: [a0, 0n] as const, b: [[0n, 0n], [0n, 0n]] as const, c: [0n, 0n] as const };
  }

  /** The seller's side of a delivery (a fixed key by default, so runs are reproducible) and the ciphertext's tree. */
  function delivery(file: Uint8Array = model, key: Hex = keccak256(toHex("one-time key"))) {
    const prepared = prepareDelivery(file, key);
    return { ...prepared, cipherTree: ChunkTree.fromChunks(prepared.ciphertext) };
  }

  return {
    connection,
    viem,
    networkHelpers,
    publicClient,
    accounts: { deployer, seller, buyer, worker, alice, bob, carol, mallory },
    model,
    modelTree,
    load,
    terms,
    offer,
    list,
    openTest,
    proofFor,
    proofWith,
    delivery,
    zeroHash,
  };
}
