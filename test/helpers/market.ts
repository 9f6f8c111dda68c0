/**
 * Shared fixture for the contract tests: a registry, a market whose refund disputes run over a
 * verifier the tests control ({AnySignalsVerifier}), named accounts and builders for listings,
 * test-drives, refunds and deliveries. Each test file calls {connectMarket} once and `load()` per test
 * (a chain snapshot, so tests do not see each other's state).
 */
import { network } from "hardhat";
import { keccak256, toHex, zeroHash, type Address, type Hex } from "viem";
import { ChunkTree, prepareDelivery, toChunks } from "@modelbazaar/sdk/delivery";
import { packDisputeContextV2, refundShares, unpackDisputeContext } from "@modelbazaar/sdk/testDrives";
import { ECONOMICS_ONLY_DISPUTE_POLICY } from "@modelbazaar/sdk/listings";
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

/** What {connectMarket}'s refund claims prove and commit to. */
export const REFUND_SHORTFALL_BPS = 100;
export const REFUND_PREDICTIONS: Hex = `0x${"c0ffee".padStart(64, "0")}`;
export const REFUND_SECRET_HASH = keccak256(toHex("buyer secret"));

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
    const anyVerifier = await viem.deployContract("AnySignalsVerifier");
    const market = await viem.deployContract("ModelMarket", [registry.address, WINDOWS, standInDisputesConfig(anyVerifier.address)]);
    const disputes = await viem.getContractAt("RefundDisputes", await market.read.refundDisputes());
    return { registry, anyVerifier, market, disputes };
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

  function offer(overrides: Partial<{ saleMode: number; price: bigint; workerEndpoint: string; workerSigner: Address }> = {}) {
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

  /**
   * The buyer's refund claim of `testId`: REFUND_SHORTFALL_BPS with a stand-in proof for the
   * test-drive's real public signals, and what the claim stakes (the listing's buyer bond and
   * the free samples' fee F): `RefundDisputes.claimRefund`'s arguments and value, and the buyer.
   */
  async function refundClaim(c: Contracts, testId: bigint) {
    const test = await c.market.read.getTest([testId]);
    const { tag, ...fields } = unpackDisputeContext(await c.market.read.disputeContext([testId]));
    const context = packDisputeContextV2({ ...fields, shortfallBps: REFUND_SHORTFALL_BPS }, tag);
    const proof = proofWith(await c.anyVerifier.read.proofFor([[context, BigInt(test.dataCommitment), BigInt(REFUND_PREDICTIONS)]]));
    const [, , policy] = await c.registry.read.testTerms([BigInt(test.listingId)]);
    const { buyerBond } = await c.registry.read.disputePolicy([BigInt(test.listingId)]);
    const value = buyerBond + refundShares(policy, test.sampleCount).toSeller;
    const args = [testId, REFUND_SHORTFALL_BPS, REFUND_PREDICTIONS, REFUND_SECRET_HASH, proof] as const;
    return { args, value, buyer: test.buyer };
  }

  /** The buyer of `testId` sends its {refundClaim}. Resolves to the claim's transaction hash. */
  async function claimRefund(c: Contracts, testId: bigint): Promise<Hex> {
    const { args, value, buyer } = await refundClaim(c, testId);
    return c.disputes.write.claimRefund(args, { account: buyer, value });
  }

  /**
   * Refunds `testId` of a listing without a plan (uncontestable, all or nothing): its buyer
   * claims ({claimRefund}), and once the contest window has passed the dispute closes
   * uncontested, crediting the deposit to the buyer and F to the seller. Resolves to the
   * closing transaction's hash (the one that emits `TestClosed`).
   */
  async function refund(c: Contracts, testId: bigint): Promise<Hex> {
    await claimRefund(c, testId);
    await networkHelpers.time.increase(Number(await c.disputes.read.contestWindow()));
    return c.disputes.write.closeDispute([testId], { account: deployer!.account });
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
    refundClaim,
    claimRefund,
    refund,
    proofWith,
    delivery,
    zeroHash,
  };
}
