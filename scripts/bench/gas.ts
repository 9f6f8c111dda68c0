/**
 * Gas benchmark of ModelBazaar: `npm run gas` (hardhat run scripts/bench/gas.ts).
 *
 * Deploys ModelRegistry and ModelMarket on Hardhat's simulated network, drives every
 * user-facing operation of the registry, test-drives, purchases and auctions once in a realistic
 * order and records `gasUsed` from each transaction receipt (so every figure includes the
 * 21,000 base cost and calldata). Writes docs/benchmarks/gas.json (operation -> gas) and
 * docs/benchmarks/gas.md (the table against the targets), and prints the table.
 *
 * Figures are steady-state: every measured call runs after a warm-up of the same kind. The
 * market's id counters start at 1 in its constructor, so the first test-drive, purchase or
 * auction of a fresh deployment costs what later ones do; rows marked "fresh deployment"
 * measure exactly that on a second, untouched market.
 *
 * The refund dispute's operations (claimRefund, contest, openSamples, proveMismatch,
 * closeDispute) need real proofs of several circuits: `npm run bench:disputes` measures their gas
 * (docs/benchmarks/disputes.md), so the market here runs its disputes over a stand-in verifier.
 *
 * Exits non-zero with a sentence naming the call if any contract call fails; a missed target
 * is not a failure, it is reported in the table.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import hre, { network } from "hardhat";
import {
  BaseError,
  ContractFunctionRevertedError,
  hashTypedData,
  isAddressEqual,
  keccak256,
  parseEther,
  parseEventLogs,
  toHex,
  type Address,
  type Hex,
} from "viem";
import { bidCommitment } from "@modelbazaar/sdk/auctions";
import { standInDisputesConfig } from "../lib/disputesConfig.ts";
import {
  AUCTION_KIND,
  AUCTION_STATUS,
  MODEL_SIZE,
  POLICY,
  PRICE,
  PURCHASE_STATUS,
  SALE_MODE,
  SAMPLES_FREE,
  SAMPLES_PAID,
  TEST_STATUS,
  WINDOWS,
  buildComplaint,
  buildDelivery,
  buildModel,
  dataCommitment,
  listingOffer,
  listingTerms,
  testFee,
} from "./builders.ts";

/** Row names, shared by the measurements, the targets and the report. */
const OP = {
  list: "list",
  updateOffer: "updateOffer",
  promote: "promote",
  openTestFree: "openTest (no fee)",
  openTestFee: "openTest (with fee)",
  recordReceipt: "recordReceipt",
  recordSignedReceipt: "recordSignedReceipt",
  refundUnserved: "refundUnserved",
  forfeitDeposit: "forfeitDeposit",
  openTestFresh: "openTest (first of a fresh deployment)",
  buy: "buy",
  buyWithDeposit: "buy (deposit applied)",
  buyFresh: "buy (first of a fresh deployment)",
  commitDelivery: "commitDelivery",
  commitCopyDelivery: "commitCopyDelivery",
  acceptDelivery: "acceptDelivery",
  revealKey: "revealKey",
  completePurchase: "completePurchase (by the seller)",
  withdraw: "withdraw",
  honestPath: "honest delivery path total",
  honestPathAccept: "honest delivery path total (with acceptDelivery)",
  honestPathDeposit: "honest delivery path total (deposit applied)",
  complain: "complain (1 MiB model)",
  createAuction: "createAuction",
  commitBidFirst: "commitBid (first bidder)",
  commitBidLater: "commitBid (later bidder)",
  commitBidDeposit: "commitBid (test-drive deposit as collateral)",
  commitBidTestDrivers: "commitBid (onlyTestDrivers auction, ether collateral)",
  revealBidFirst: "revealBid (first reveal)",
  revealBidHighest: "revealBid (new highest)",
  revealBidSecond: "revealBid (lower, new second-highest)",
  revealBidLower: "revealBid (lower, no change)",
  revealBidOdd: "revealBid (first reveal, non-round amount)",
  settleAuction: "settleAuction",
  reclaimBidLoser: "reclaimBid (losing bidder)",
  reclaimBidWinner: "reclaimBid (winner)",
  reclaimBidDeposit: "reclaimBid (losing bidder, deposit returned)",
  rejectDeliveryWinner: "rejectDelivery (auction winner pays the penalty)",
  createAuctionFresh: "createAuction (first of a fresh deployment)",
} as const;
type OpName = (typeof OP)[keyof typeof OP];

const TARGETS: Partial<Record<OpName, number>> = {
  [OP.openTestFree]: 110_000,
  [OP.openTestFee]: 110_000,
  [OP.openTestFresh]: 110_000,
  [OP.commitBidFirst]: 75_000,
  [OP.commitBidLater]: 75_000,
  [OP.commitBidTestDrivers]: 75_000,
  [OP.commitBidDeposit]: 100_000,
  [OP.revealBidFirst]: 60_000,
  [OP.revealBidHighest]: 60_000,
  [OP.revealBidSecond]: 60_000,
  [OP.revealBidLower]: 60_000,
  [OP.revealBidOdd]: 60_000,
  [OP.honestPath]: 250_000,
  [OP.honestPathDeposit]: 250_000,
  [OP.complain]: 120_000,
};

const NOTES: Partial<Record<OpName, string>> = {
  [OP.promote]: "first promotion of this listing",
  [OP.openTestFree]: `${SAMPLES_FREE} samples, all free`,
  [OP.openTestFee]: `${SAMPLES_PAID} samples, ${SAMPLES_PAID - POLICY.freeSamples} paid`,
  [OP.recordReceipt]: "sent by the worker signer",
  [OP.recordSignedReceipt]: "EIP-712 signature of the worker, sent by the buyer",
  [OP.refundUnserved]: "sent by the buyer",
  [OP.forfeitDeposit]: "sent by the seller, who is paid at once",
  [OP.buyWithDeposit]: "an evaluated test-drive with a fee pays part of the price",
  [OP.commitCopyDelivery]: "a per-buyer copy: the copy's root and size stored with the delivery commitment",
  [OP.openTestFresh]: "the first call of a second, untouched market (id counters start at 1)",
  [OP.buyFresh]: "the first purchase of that market",
  [OP.createAuctionFresh]: "the first auction of that market",
  [OP.honestPathDeposit]: "buy (deposit applied) + commitDelivery + revealKey + completePurchase",
  [OP.commitBidDeposit]: "an evaluated test-drive's deposit joins 3 ETH of ether",
  [OP.commitBidTestDrivers]: "the bidder's test-drive qualifies it (its deposit already went into another bid)",
  [OP.revealBidOdd]: "1.234567890123456789 ETH, the first valid bid of its auction",
  [OP.reclaimBidDeposit]: "the deposit goes back to its test-drive, the ether to the bidder",
  [OP.rejectDeliveryWinner]: "the winner's escrow pays the seller 10% of its collateral, the rest back",
  [OP.revealKey]: "after the acceptance window, without acceptDelivery",
  [OP.completePurchase]: "seller paid at once",
  [OP.withdraw]: "seller withdraws credited fees",
  [OP.honestPath]: "buy + commitDelivery + revealKey + completePurchase",
  [OP.honestPathAccept]: "buy + commitDelivery + acceptDelivery + revealKey + completePurchase",
  [OP.complain]: `${(MODEL_SIZE / 32).toLocaleString("en-US")} chunks, Merkle depth 15, one corrupted chunk`,
  [OP.createAuction]: "second-price, reserve 1 ETH",
  [OP.commitBidFirst]: "collateral in ether, no test deposit",
  [OP.commitBidLater]: "highest of three later bidders (same storage writes as the first)",
  [OP.revealBidFirst]: "first valid bid becomes the highest",
  [OP.revealBidHighest]: "displaces the highest bid",
  [OP.settleAuction]: "opens the winner's purchase",
  [OP.reclaimBidLoser]: "full refund sent to the bidder",
  [OP.reclaimBidWinner]: "collateral minus the clearing price",
};

/**
 * Why a target is missed, for each row that may miss one, with the measured parts of its cost;
 * printed under the table when the row fails.
 */
const MISSED_BECAUSE: Partial<Record<OpName, string>> = {
  [OP.honestPathDeposit]:
    "Already 253,831 before issue #9 (buy with a deposit 101,171: reading and closing the test-drive, a registry read and the TestClosed " +
    "event cost ~16,000 over a plain buy). The purchase now also remembers which test-drive its deposit returns to if it is refunded " +
    "(the fix for the deposit escape): one storage slot written at buy (22,100) that commitDelivery then updates instead of creating " +
    "(-19,200), plus the wider events: +7,700 in all. Below 250,000 only without the link, i.e. without the fix.",
  [OP.commitBidTestDrivers]:
    "A plain ether bid is 74,409; proving test-driver status reads the bidder's test-drive (one cold slot, 2,100, and its calldata id). " +
    "An ended test-drive no longer costs a registry read (that saved ~13,000).",
};

/** A contract call of the benchmark did not go through. */
class CallFailed extends Error {
  constructor(operation: string, reason: string) {
    super(`the call "${operation}" failed: ${reason}`);
  }
}

function describeError(error: unknown): string {
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError && reverted.data?.errorName !== undefined) {
      const args = (reverted.data.args ?? []).map((a) => String(a)).join(", ");
      return `reverted with ${reverted.data.errorName}(${args})`;
    }
    return error.shortMessage;
  }
  return error instanceof Error ? error.message : String(error);
}

function solcSummary(): { version: string; runs: string; evm: string } {
  const compiler = hre.config.solidity.profiles.default?.compilers[0];
  const settings: unknown = compiler?.settings;
  let runs = "unknown";
  let evm = "default";
  if (typeof settings === "object" && settings !== null) {
    const s = settings as { optimizer?: { enabled?: unknown; runs?: unknown }; evmVersion?: unknown };
    if (s.optimizer?.enabled === true) runs = String(s.optimizer.runs ?? 200);
    else runs = "optimizer off";
    if (typeof s.evmVersion === "string") evm = s.evmVersion;
  }
  return { version: compiler?.version ?? "unknown", runs, evm };
}

async function main(): Promise<void> {
  const connection = await network.create();
  const { viem, networkHelpers } = connection;
  const publicClient = await viem.getPublicClient();
  const [deployer, seller, buyer, worker, alice, bob, carol, mallory] = await viem.getWalletClients();
  if (!deployer || !seller || !buyer || !worker || !alice || !bob || !carol || !mallory) {
    throw new Error("the simulated network needs at least 8 accounts");
  }

  console.log(`Building the ${MODEL_SIZE / (1 << 20)} MiB model, its Merkle tree and three encrypted deliveries...`);
  const model = buildModel();
  const honest = buildDelivery(model, "purchase without accept");
  const honestAccepted = buildDelivery(model, "purchase with accept");
  const corruptIndex = 20_000;
  const cheating = buildDelivery(model, "cheating seller", corruptIndex);

  const gas = new Map<OpName, number>();

  type Receipt = Awaited<ReturnType<typeof publicClient.waitForTransactionReceipt>>;
  async function send(operation: string, tx: () => Promise<Hex>): Promise<Receipt> {
    let receipt: Receipt;
    try {
      receipt = await publicClient.waitForTransactionReceipt({ hash: await tx() });
    } catch (error) {
      throw new CallFailed(operation, describeError(error));
    }
    if (receipt.status !== "success") throw new CallFailed(operation, "the transaction reverted");
    return receipt;
  }
  async function measure(operation: OpName, tx: () => Promise<Hex>): Promise<Receipt> {
    const receipt = await send(operation, tx);
    gas.set(operation, Number(receipt.gasUsed));
    return receipt;
  }
  function measured(operation: OpName): number {
    const value = gas.get(operation);
    if (value === undefined) throw new Error(`internal: ${operation} was not measured`);
    return value;
  }
  function check(condition: boolean, what: string): void {
    if (!condition) throw new CallFailed(what, "the contract ended in an unexpected state");
  }

  // ---- deployment ----------------------------------------------------------------------
  async function deploy() {
    const registry = await viem.deployContract("ModelRegistry", [deployer!.account.address]);
    const anyVerifier = await viem.deployContract("AnySignalsVerifier");
    const market = await viem.deployContract("ModelMarket", [registry.address, WINDOWS, standInDisputesConfig(anyVerifier.address)]);
    return { registry, market };
  }
  const { registry: reg, market: mkt } = await deploy().catch((error: unknown) => {
    throw new CallFailed("deploy", describeError(error));
  });
  const fresh = await deploy().catch((error: unknown) => {
    throw new CallFailed("deploy (fresh market)", describeError(error));
  });

  const listingIdOf = (r: Receipt) => parseEventLogs({ abi: reg.abi, logs: r.logs, eventName: "ListingCreated" })[0]!.args.listingId;
  const testIdOf = (r: Receipt) => parseEventLogs({ abi: mkt.abi, logs: r.logs, eventName: "TestOpened" })[0]!.args.testId;
  const purchaseIdOf = (r: Receipt) => parseEventLogs({ abi: mkt.abi, logs: r.logs, eventName: "PurchaseOpened" })[0]!.args.purchaseId;
  const auctionIdOf = (r: Receipt) => parseEventLogs({ abi: mkt.abi, logs: r.logs, eventName: "AuctionCreated" })[0]!.args.auctionId;

  // ---- registry --------------------------------------------------------------------------
  const terms = listingTerms(model);
  const offer = listingOffer(worker.account.address);
  const warmListing = listingIdOf(await send("list (warm-up)", () => reg.write.list([terms, offer], { account: seller.account })));
  const listingId = listingIdOf(await measure(OP.list, () => reg.write.list([terms, offer], { account: seller.account })));
  const auctionListing = listingIdOf(
    await send("list (auction listing)", () =>
      reg.write.list([terms, listingOffer(worker.account.address, { saleMode: SALE_MODE.Auction, price: 0n })], { account: seller.account }),
    ),
  );
  await measure(OP.updateOffer, () =>
    reg.write.updateOffer([warmListing, { ...offer, price: parseEther("4") }], { account: seller.account }),
  );
  await send("promote (warm-up)", () => reg.write.promote([warmListing], { account: alice.account, value: parseEther("0.01") }));
  await measure(OP.promote, () => reg.write.promote([listingId], { account: bob.account, value: parseEther("0.01") }));

  // ---- test-drives -----------------------------------------------------------------------
  const openTest = (label: string, account: typeof buyer, samples: number) =>
    mkt.write.openTest([listingId, dataCommitment(label), samples], { account: account.account, value: POLICY.deposit + testFee(samples) });
  // The first operations of a second market nobody has used.
  const freshListing = listingIdOf(await send("list (fresh market)", () => fresh.registry.write.list([terms, offer], { account: seller.account })));
  const freshAuctionListing = listingIdOf(
    await send("list (fresh market, auction)", () =>
      fresh.registry.write.list([terms, listingOffer(worker.account.address, { saleMode: SALE_MODE.Auction, price: 0n })], { account: seller.account }),
    ),
  );
  await measure(OP.openTestFresh, () =>
    fresh.market.write.openTest([freshListing, dataCommitment("fresh"), SAMPLES_FREE], { account: buyer.account, value: POLICY.deposit }),
  );
  await measure(OP.buyFresh, () => fresh.market.write.buy([freshListing, 0n, PRICE], { account: alice.account, value: PRICE }));

  const unservedTest = testIdOf(await send("openTest (warm-up)", () => openTest("carol", carol, SAMPLES_FREE)));
  const freeTest = testIdOf(await measure(OP.openTestFree, () => openTest("buyer free", buyer, SAMPLES_FREE)));
  const paidTest = testIdOf(await measure(OP.openTestFee, () => openTest("buyer paid", buyer, SAMPLES_PAID)));
  const bobTest = testIdOf(await send("openTest (bob)", () => openTest("bob paid", bob, SAMPLES_PAID)));

  const resultHash = (label: string) => keccak256(toHex(`encrypted results:${label}`));
  await measure(OP.recordReceipt, () => mkt.write.recordReceipt([paidTest, resultHash("paid")], { account: worker.account }));
  await send("recordReceipt (bob)", () => mkt.write.recordReceipt([bobTest, resultHash("bob")], { account: worker.account }));

  const domain = { name: "ModelBazaar", version: "1", chainId: await publicClient.getChainId(), verifyingContract: mkt.address } as const;
  const receiptTypes = { EvaluationReceipt: [{ name: "testId", type: "uint256" }, { name: "resultHash", type: "bytes32" }] } as const;
  const signedMessage = { testId: freeTest, resultHash: resultHash("free") };
  const signature = await worker.signTypedData({ account: worker.account, domain, types: receiptTypes, primaryType: "EvaluationReceipt", message: signedMessage });
  const digest = hashTypedData({ domain, types: receiptTypes, primaryType: "EvaluationReceipt", message: signedMessage });
  check(digest === (await mkt.read.receiptDigest([signedMessage.testId, signedMessage.resultHash])), "receiptDigest matches the EIP-712 digest");
  await measure(OP.recordSignedReceipt, () =>
    mkt.write.recordSignedReceipt([signedMessage.testId, signedMessage.resultHash, signature], { account: buyer.account }),
  );

  // ---- purchases and fair delivery -----------------------------------------------------
  const buy = (account: typeof buyer, testId = 0n, value: bigint = PRICE) =>
    mkt.write.buy([listingId, testId, PRICE], { account: account.account, value });
  await send("buy (warm-up)", () => buy(carol));
  const purchase = purchaseIdOf(await measure(OP.buy, () => buy(buyer)));
  const depositPurchase = purchaseIdOf(await measure(OP.buyWithDeposit, () => buy(bob, bobTest, PRICE - POLICY.deposit)));
  const withDeposit = buildDelivery(model, "purchase with a deposit applied");
  const acceptBuy = await send("buy (accept variant)", () => buy(alice));
  const acceptPurchase = purchaseIdOf(acceptBuy);
  const disputedPurchase = purchaseIdOf(await send("buy (complaint)", () => buy(mallory)));

  await measure(OP.commitDelivery, () =>
    mkt.write.commitDelivery([purchase, honest.ciphertextRoot, honest.keyHash], { account: seller.account }),
  );
  const acceptCommit = await send("commitDelivery (accept variant)", () =>
    mkt.write.commitDelivery([acceptPurchase, honestAccepted.ciphertextRoot, honestAccepted.keyHash], { account: seller.account }),
  );
  await send("commitDelivery (cheating seller)", () =>
    mkt.write.commitDelivery([disputedPurchase, cheating.ciphertextRoot, cheating.keyHash], { account: seller.account }),
  );
  const depositCommit = await send("commitDelivery (deposit applied)", () =>
    mkt.write.commitDelivery([depositPurchase, withDeposit.ciphertextRoot, withDeposit.keyHash], { account: seller.account }),
  );
  const copyPurchase = purchaseIdOf(await send("buy (copy delivery)", () => buy(carol)));
  const copy = buildDelivery(model, "a per-buyer copy");
  await measure(OP.commitCopyDelivery, () =>
    mkt.write.commitCopyDelivery([copyPurchase, copy.ciphertextRoot, copy.keyHash, keccak256(toHex("a per-buyer copy")), BigInt(model.size)], { account: seller.account }),
  );
  await measure(OP.acceptDelivery, () => mkt.write.acceptDelivery([acceptPurchase], { account: alice.account }));

  await networkHelpers.time.increase(WINDOWS.accept);
  await measure(OP.revealKey, () => mkt.write.revealKey([purchase, honest.ciphertextRoot, honest.key], { account: seller.account }));
  const acceptReveal = await send("revealKey (accept variant)", () =>
    mkt.write.revealKey([acceptPurchase, honestAccepted.ciphertextRoot, honestAccepted.key], { account: seller.account }),
  );
  const depositReveal = await send("revealKey (deposit applied)", () =>
    mkt.write.revealKey([depositPurchase, withDeposit.ciphertextRoot, withDeposit.key], { account: seller.account }),
  );
  await send("revealKey (cheating seller)", () =>
    mkt.write.revealKey([disputedPurchase, cheating.ciphertextRoot, cheating.key], { account: seller.account }),
  );

  const complaint = buildComplaint(model, cheating);
  check(complaint.index === BigInt(corruptIndex) && complaint.plaintextProof.length === 15, "the complaint names the corrupted chunk at depth 15");
  await measure(OP.complain, () => mkt.write.complain([disputedPurchase, complaint], { account: mallory.account }));
  check((await mkt.read.purchaseStatus([disputedPurchase])) === PURCHASE_STATUS.Refunded, "complain refunds the purchase");

  await networkHelpers.time.increase(WINDOWS.complaint);
  await measure(OP.completePurchase, () => mkt.write.completePurchase([purchase], { account: seller.account }));
  const acceptComplete = await send("completePurchase (accept variant)", () =>
    mkt.write.completePurchase([acceptPurchase], { account: seller.account }),
  );
  const depositComplete = await send("completePurchase (deposit applied)", () =>
    mkt.write.completePurchase([depositPurchase], { account: seller.account }),
  );
  check((await mkt.read.purchaseStatus([purchase])) === PURCHASE_STATUS.Completed, "completePurchase completes the purchase");
  gas.set(OP.honestPathDeposit, [depositCommit, depositReveal, depositComplete].reduce((sum, r) => sum + Number(r.gasUsed), measured(OP.buyWithDeposit)));

  gas.set(OP.honestPath, measured(OP.buy) + measured(OP.commitDelivery) + measured(OP.revealKey) + measured(OP.completePurchase));
  gas.set(
    OP.honestPathAccept,
    [acceptBuy, acceptCommit, acceptReveal, acceptComplete].reduce((sum, r) => sum + Number(r.gasUsed), measured(OP.acceptDelivery)),
  );

  // Service window (1 h) is long over: carol's test-drive never got a receipt.
  await measure(OP.refundUnserved, () => mkt.write.refundUnserved([unservedTest], { account: carol.account }));

  // ---- sealed-bid auctions ------------------------------------------------------------
  const params = {
    reservePrice: parseEther("1"),
    commitDuration: 3_600,
    revealDuration: 3_600,
    kind: AUCTION_KIND.SecondPrice,
    onlyTestDrivers: false,
    nonRevealPenaltyBps: 1_000,
  };
  await send("createAuction (warm-up)", () => mkt.write.createAuction([auctionListing, params], { account: seller.account }));
  const auctionId = auctionIdOf(await measure(OP.createAuction, () => mkt.write.createAuction([auctionListing, params], { account: seller.account })));
  await measure(OP.createAuctionFresh, () => fresh.market.write.createAuction([freshAuctionListing, params], { account: seller.account }));
  // A second auction, only for bidders who test-drove the listing.
  const testersAuction = auctionIdOf(
    await send("createAuction (onlyTestDrivers)", () => mkt.write.createAuction([auctionListing, { ...params, onlyTestDrivers: true }], { account: seller.account })),
  );
  // Carol test-drives the auction listing; her deposit joins her bid in the first auction,
  // and the spent test-drive still qualifies her for the second.
  const carolTest = testIdOf(
    await send("openTest (carol, auction listing)", () =>
      mkt.write.openTest([auctionListing, dataCommitment("carol auction"), SAMPLES_FREE], { account: carol.account, value: POLICY.deposit }),
    ),
  );
  await send("recordReceipt (carol, auction listing)", () => mkt.write.recordReceipt([carolTest, resultHash("carol auction")], { account: worker.account }));

  const bids = [
    { who: alice, amount: parseEther("2"), op: OP.revealBidFirst },
    { who: bob, amount: parseEther("3"), op: OP.revealBidHighest },
    { who: carol, amount: parseEther("2.5"), op: OP.revealBidSecond },
    { who: mallory, amount: parseEther("1.5"), op: OP.revealBidLower },
  ] as const;
  const salt = (bidder: Address) => keccak256(toHex(`salt:${bidder}`));
  const collateral = parseEther("4");
  let laterMax = 0;
  for (const [i, bid] of bids.entries()) {
    const address = bid.who.account.address;
    const commitment = bidCommitment(bid.amount, salt(address), address, auctionId);
    if (bid.who === carol) {
      await measure(OP.commitBidDeposit, () => mkt.write.commitBid([auctionId, commitment, carolTest], { account: carol.account, value: collateral - POLICY.deposit }));
      continue;
    }
    const tx = () => mkt.write.commitBid([auctionId, commitment, 0n], { account: bid.who.account, value: collateral });
    if (i === 0) await measure(OP.commitBidFirst, tx);
    else laterMax = Math.max(laterMax, Number((await send(`commitBid (bidder ${i + 1})`, tx)).gasUsed));
  }
  gas.set(OP.commitBidLater, laterMax);
  const oddAmount = 1_234_567_890_123_456_789n;
  await measure(OP.commitBidTestDrivers, () =>
    mkt.write.commitBid([testersAuction, bidCommitment(oddAmount, salt(carol.account.address), carol.account.address, testersAuction), carolTest], {
      account: carol.account,
      value: collateral,
    }),
  );

  await networkHelpers.time.increase(params.commitDuration);
  for (const bid of bids) {
    await measure(bid.op, () => mkt.write.revealBid([auctionId, bid.amount, salt(bid.who.account.address)], { account: bid.who.account }));
  }
  await measure(OP.revealBidOdd, () => mkt.write.revealBid([testersAuction, oddAmount, salt(carol.account.address)], { account: carol.account }));

  await networkHelpers.time.increase(params.revealDuration);
  const wonPurchase = purchaseIdOf(await measure(OP.settleAuction, () => mkt.write.settleAuction([auctionId], { account: seller.account })));
  const auction = await mkt.read.getAuction([auctionId]);
  check(
    (await mkt.read.auctionStatus([auctionId])) === AUCTION_STATUS.Settled && isAddressEqual(auction.highestBidder, bob.account.address),
    "settleAuction settles with bob as the winner",
  );
  await measure(OP.reclaimBidLoser, () => mkt.write.reclaimBid([auctionId, alice.account.address], { account: alice.account }));
  await measure(OP.reclaimBidWinner, () => mkt.write.reclaimBid([auctionId, bob.account.address], { account: bob.account }));
  await measure(OP.reclaimBidDeposit, () => mkt.write.reclaimBid([auctionId, carol.account.address], { account: carol.account }));
  check((await mkt.read.testStatus([carolTest])) === TEST_STATUS.Evaluated, "the losing bid's deposit is back with its test-drive");
  // Bob won; the seller commits a delivery and bob rejects it: he pays the seller the penalty.
  const wonDelivery = buildDelivery(model, "auction purchase");
  await send("commitDelivery (auction purchase)", () =>
    mkt.write.commitDelivery([wonPurchase, wonDelivery.ciphertextRoot, wonDelivery.keyHash], { account: seller.account }),
  );
  await measure(OP.rejectDeliveryWinner, () => mkt.write.rejectDelivery([wonPurchase], { account: bob.account }));
  check((await mkt.read.purchaseStatus([wonPurchase])) === PURCHASE_STATUS.Refunded, "rejectDelivery refunds the winner");

  // ---- payouts ------------------------------------------------------------------------
  check((await mkt.read.owed([seller.account.address])) > 0n, "fees are credited to the seller");
  await measure(OP.withdraw, () => mkt.write.withdraw({ account: seller.account }));

  await networkHelpers.time.increase(POLICY.disputeWindow);
  await measure(OP.forfeitDeposit, () => mkt.write.forfeitDeposit([freeTest], { account: seller.account }));

  await report(gas, connection.networkConfig);
}

type NetworkConfig = Awaited<ReturnType<typeof network.create>>["networkConfig"];

async function report(gas: Map<OpName, number>, networkConfig: NetworkConfig): Promise<void> {
  const fmt = (n: number) => n.toLocaleString("en-US");
  const rows = Object.values(OP).map((name) => {
    const used = gas.get(name);
    if (used === undefined) throw new Error(`internal: ${name} was not measured`);
    const target = TARGETS[name];
    const result = target === undefined ? "" : used <= target ? "pass" : "FAIL";
    return { name, used, target, result, note: NOTES[name] ?? "" };
  });

  const head = ["Operation", "Gas", "Target", "Result"];
  const cells = rows.map((r) => [r.name, fmt(r.used), r.target === undefined ? "-" : `<= ${fmt(r.target)}`, r.result || "-"]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => c.map((v, i) => (i === 1 || i === 2 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join("  ");
  console.log();
  console.log(line(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const c of cells) console.log(line(c));

  const failed = rows.filter((r) => r.result === "FAIL");
  console.log();
  console.log(failed.length === 0 ? "All targets met." : `Targets missed: ${failed.map((r) => r.name).join("; ")}.`);

  const solc = solcSummary();
  const hardfork = networkConfig.type === "edr-simulated" ? networkConfig.hardfork : "unknown";
  const date = new Date().toISOString().slice(0, 10);
  const outDir = path.join(hre.config.paths.root, "docs", "benchmarks");
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, "gas.json"), `${JSON.stringify(Object.fromEntries(rows.map((r) => [r.name, r.used])), null, 2)}\n`);

  const md = [
    "# Gas benchmark",
    "",
    `Measured ${date} with \`npm run gas\` (scripts/bench/gas.ts) on Hardhat's simulated network (EDR, hardfork ${hardfork}),`,
    `contracts compiled with solc ${solc.version}, optimizer runs ${solc.runs}, EVM version ${solc.evm} (hardhat.config.ts).`,
    "Each figure is `gasUsed` from the transaction receipt, so it includes the 21,000 base cost and calldata.",
    "Totals are derived from measured receipts, as noted.",
    "Calls are steady-state: each ran after a warm-up of its kind. The market's id counters start at 1 in its",
    "constructor, so the first test-drive, purchase or auction of a fresh deployment costs what any other does",
    "(the \"fresh deployment\" rows measure a second, untouched market). The model is a 1 MiB",
    "pseudo-random file (32,768 chunks of 32 bytes, Merkle depth 15); the listing stores a 66-byte metadata URI.",
    "",
    "**Refunds:** a refund is claimed and settled through the market's `RefundDisputes` (claimRefund, contest, openSamples,",
    "proveMismatch, closeDispute), whose gas with real Groth16 proofs `npm run bench:disputes` measures: see",
    "[disputes.md](disputes.md).",
    "",
    "| Operation | Gas | Target | Result | Notes |",
    "|---|---:|---:|:---:|---|",
    ...rows.map((r) => `| ${r.name} | ${fmt(r.used)} | ${r.target === undefined ? "" : `<= ${fmt(r.target)}`} | ${r.result} | ${r.note} |`),
    "",
    failed.length === 0 ? "All targets met." : `Targets missed: ${failed.map((r) => r.name).join("; ")}.`,
    "",
    ...failed.flatMap((r) => (MISSED_BECAUSE[r.name] ? [`- **${r.name}** (${fmt(r.used)}): ${MISSED_BECAUSE[r.name]}`] : [])),
    "",
  ].join("\n");
  await writeFile(path.join(outDir, "gas.md"), md);
  console.log(`Wrote ${path.relative(process.cwd(), path.join(outDir, "gas.json"))} and gas.md.`);
}

try {
  await main();
} catch (error) {
  if (error instanceof CallFailed) {
    console.error(`\nGas benchmark aborted: ${error.message}. No results were written.`);
  } else {
    console.error(`\nGas benchmark aborted by an unexpected error: ${describeError(error)}`);
  }
  process.exitCode = 1;
}
