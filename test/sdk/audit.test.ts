/**
 * `auditMarket` against a whole marketplace session on Hardhat's in-process chain, with the
 * shipped Groth16 verifiers and one real refund proof (refund_256, a listing without a plan,
 * closed uncontested): every check holds and every rule has findings. Then what the audit must
 * catch: a test-drive closed as refunded without a refund dispute, an auction whose recorded
 * settlement differs from what the reveals give (wrong winner, wrong price), an upheld
 * complaint that does not hold against the listing's model root or the committed key, a market
 * balance that differs from held + owed, a refund whose circuit has no key (a finding, not a
 * crash), and a scan that starts late (partial, no money checks). Ties are checked against the
 * contract's own settlement. test/sdk/auditDisputes.test.ts audits contested disputes and
 * proofs only a stand-in verifier accepts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { formatEther, getAddress, keccak256, parseEther, toHex, type Address, type PublicClient } from "viem";
import { REFUND_SAMPLE_SIZES } from "../../ignition/modules/RefundDisputeCircuits.ts";
import { loadDisputeCircuitKeys } from "../../scripts/lib/disputeCircuitKeys.ts";
import { ARTIFACTS_DIR } from "../../scripts/zk/setup.ts";
import { proveGradedRefund, commitTestSet } from "@modelbazaar/sdk/actions";
import { auditMarket, sampleCircuitFor, type AuditReport, type RefundDisputeKeys } from "@modelbazaar/sdk/audit";
import { checkAuctions } from "@modelbazaar/sdk/internal/audit/auctionChecks.ts";
import { checkTestDrives } from "@modelbazaar/sdk/internal/audit/testDriveChecks.ts";
import { collectEvents } from "@modelbazaar/sdk/internal/audit/collectEvents.ts";
import { recheckComplaint } from "@modelbazaar/sdk/internal/audit/complaintCheck.ts";
import { buildMarketTrail } from "@modelbazaar/sdk/internal/audit/marketTrail.ts";
import { bidCommitment } from "@modelbazaar/sdk/auctions";
import { checkDelivery, prepareDelivery } from "@modelbazaar/sdk/delivery";
import { refundShares } from "@modelbazaar/sdk/testDrives";
import { terminateSnarkjsWorkers } from "@modelbazaar/sdk/prover";
import { exampleTestFee } from "../../scripts/lib/exampleListing.ts";
import { AUCTION_KIND, POLICY, SALE_MODE, TASK, WINDOWS, connectMarket } from "../helpers/market.ts";
import { disputeTestSet, randomField } from "../helpers/disputeTestSet.ts";
import { seededRandom } from "../helpers/seededRandom.ts";
import { deployShippedMarket } from "../helpers/shippedMarket.ts";

const ARTIFACTS = (name: string) => join(ARTIFACTS_DIR, name, name);
/** A listing with many features: the refund circuit takes their root as given, whatever their number. */
const WIDE_TASK = { ...TASK, featureCount: 784, featureBits: 8, scaleBits: 0 };
const RESULT = keccak256(toHex("encrypted results"));

const random = seededRandom(11);
const randField = (): bigint => randomField(random);

const checks = (report: AuditReport, check: string) => report.findings.filter((f) => f.check === check);
const failed = (report: AuditReport) => report.findings.filter((f) => !f.ok);

describe("auditMarket", async () => {
  const m = await connectMarket();
  const { deployer, seller, buyer, worker, alice, bob, carol, mallory } = m.accounts;
  const keys = loadDisputeCircuitKeys();
  after(terminateSnarkjsWorkers);

  const deployShipped = () => deployShippedMarket(m.viem, deployer.account.address);

  /**
   * Every money path: test-drives refunded (a real refund proof, closed uncontested), unserved, forfeited, applied to a
   * purchase and to a bid; a second-price auction with a non-revealing bidder; purchases that
   * complete, are refunded for a missed delivery and by an upheld complaint; a promotion;
   * some withdrawals (and some credit left owed).
   */
  async function session() {
    const c = await deployShipped();
    await c.registry.write.list([{ ...m.terms(), task: WIDE_TASK }, m.offer()], { account: seller.account });
    const fixed = await c.registry.read.listingCount();
    await c.registry.write.list([{ ...m.terms(), task: WIDE_TASK }, m.offer({ saleMode: SALE_MODE.Auction, price: 0n })], { account: seller.account });
    const auctioned = await c.registry.read.listingCount();
    await c.registry.write.promote([fixed], { account: mallory.account, value: parseEther("0.1") });

    const open = async (listingId: bigint, who: typeof buyer, n: number, commitment: bigint) => {
      await c.market.write.openTest([listingId, toHex(commitment, { size: 32 }), n], { account: who.account, value: POLICY.deposit + exampleTestFee(n) });
      return (await c.market.getEvents.TestOpened({}, { fromBlock: 0n })).at(-1)!.args.testId!;
    };
    const kept = disputeTestSet(random, 120, 60, WIDE_TASK); // 50% < the claimed 90%
    const refunded = await open(fixed, buyer, 120, commitTestSet(kept.quantized.map((row) => [...row]), [...kept.labels], kept.salt, WIDE_TASK).dataCommitment);
    const unserved = await open(fixed, alice, 20, randField());
    const forfeited = await open(fixed, bob, 200, randField()); // at most the 256 samples the v2 circuits hold
    const bought = await open(fixed, carol, 50, randField());
    const bidWith = await open(auctioned, alice, 30, randField());
    for (const testId of [refunded, forfeited, bidWith]) await c.market.write.recordReceipt([testId, RESULT], { account: worker.account });

    const claimed = await proveGradedRefund(m.publicClient as PublicClient, { market: c.market.address, testId: refunded, kept, artifacts: ARTIFACTS });
    const disputes = await m.viem.getContractAt("RefundDisputes", await c.market.read.refundDisputes());
    await disputes.write.claimRefund([refunded, claimed.shortfallBps, claimed.predictionCommitment, claimed.buyerSecretHash, claimed.proof.calldata], { account: buyer.account, value: claimed.value });
    await c.market.write.buy([fixed, bought, m.offer().price], { account: carol.account, value: m.offer().price - POLICY.deposit });

    await c.market.write.createAuction(
      [auctioned, { reservePrice: parseEther("1"), commitDuration: 600, revealDuration: 600, kind: AUCTION_KIND.SecondPrice, onlyTestDrivers: false, nonRevealPenaltyBps: 1_000 }],
      { account: seller.account },
    );
    const salt = keccak256(toHex("salt"));
    const amounts = new Map<Address, bigint>([[alice.account.address, parseEther("3")], [bob.account.address, parseEther("2")], [carol.account.address, parseEther("4")]]);
    for (const [who, testId] of [[alice, bidWith], [bob, 0n], [carol, 0n]] as const) {
      const amount = amounts.get(who.account.address)!;
      await c.market.write.commitBid([1n, bidCommitment(amount, salt, who.account.address, 1n), testId], { account: who.account, value: parseEther("4") });
    }
    await m.networkHelpers.time.increase(600);
    for (const who of [alice, bob]) await c.market.write.revealBid([1n, amounts.get(who.account.address)!, salt], { account: who.account });
    await m.networkHelpers.time.increase(600);
    await c.market.write.settleAuction([1n], { account: mallory.account });
    for (const who of [alice, bob, carol]) await c.market.write.reclaimBid([1n, who.account.address], { account: mallory.account });

    // Purchase 1 (carol) is delivered honestly; purchase 2 (alice, the auction's) gets a
    // corrupted file and alice's complaint refunds her; purchase 3 (bob) is never delivered.
    const honest = m.delivery();
    await c.market.write.commitDelivery([1n, honest.ciphertextRoot, honest.keyHash], { account: seller.account });
    await c.market.write.acceptDelivery([1n], { account: carol.account });
    await c.market.write.revealKey([1n, honest.ciphertextRoot, honest.key], { account: seller.account });
    const corrupted = Uint8Array.from(m.model);
    corrupted[5 * 32 + 7]! ^= 0xff;
    const cheat = prepareDelivery(corrupted, keccak256(toHex("cheater's key")));
    await c.market.write.commitDelivery([2n, cheat.ciphertextRoot, cheat.keyHash], { account: seller.account });
    await c.market.write.acceptDelivery([2n], { account: alice.account });
    await c.market.write.revealKey([2n, cheat.ciphertextRoot, cheat.key], { account: seller.account });
    const check = checkDelivery({ ciphertext: cheat.ciphertext, modelLeaves: honest.modelLeaves, ciphertextRoot: cheat.ciphertextRoot, modelRoot: m.modelTree.root, modelSize: m.model.length, key: cheat.key });
    assert.equal(check.ok, false);
    if (!check.ok) await c.market.write.complain([2n, check.complaint], { account: alice.account });
    await c.market.write.buy([fixed, 0n, m.offer().price], { account: bob.account, value: m.offer().price });

    await m.networkHelpers.time.increase(Math.max(WINDOWS.complaint, WINDOWS.delivery, POLICY.serviceWindow));
    await c.market.write.completePurchase([1n], { account: mallory.account });
    await c.market.write.refundPurchase([3n], { account: bob.account });
    await c.market.write.refundUnserved([unserved], { account: mallory.account });
    await m.networkHelpers.time.increase(POLICY.disputeWindow);
    await c.market.write.forfeitDeposit([forfeited], { account: mallory.account });
    await disputes.write.closeDispute([refunded], { account: mallory.account }); // nobody contested
    for (const who of [buyer, alice]) await c.market.write.withdraw({ account: who.account });
    return c;
  }
  const loadSession = () => m.networkHelpers.loadFixture(session);

  let report: AuditReport;
  before(async () => {
    const c = await loadSession();
    const started = performance.now();
    report = await auditMarket(m.publicClient as PublicClient, c.deployment, { verificationKeys: keys });
    const seconds = (performance.now() - started) / 1000;
    console.log(`      audited ${report.toBlock - report.fromBlock + 1n} blocks, ${report.findings.length} checks (1 Groth16 re-verification) in ${seconds.toFixed(2)} s`);
  });

  it("rebuilds every flow of a full session, and every check holds", () => {
    assert.deepEqual(failed(report), [], report.summary);
    assert.equal(report.ok, true);
    assert.match(report.summary, /^\d+ checks, all held$/);
    assert.equal(report.listings.length, 2);
    // Bob's deposit paid into his losing bid and came back to his test-drive when he reclaimed it.
    assert.deepEqual(report.tests.map((t) => t.outcome), ["refunded", "unserved", "forfeited", "applied to a purchase", "evaluated"]);
    assert.deepEqual(report.purchases.map((p) => p.state), ["completed", "refunded (complaint upheld)", "refunded (delivery missed)"]);
    const [auction] = report.auctions;
    assert.equal(auction?.winner, getAddress(alice.account.address));
    assert.equal(auction?.price, parseEther("2")); // Vickrey: bob's 2 ETH, above the 1 ETH reserve
    assert.equal(report.funds!.marketBalance, report.funds!.held + report.funds!.owed);
    assert.ok(report.funds!.owed > 0n, "some credit is left to withdraw");
    assert.equal(report.funds!.registryBalance, parseEther("0.1"));
  });

  it("re-verifies the real refund proof from calldata against refund_256's key, and the refund's amounts", () => {
    assert.deepEqual(report.refundDisputes.map((d) => [d.stage, d.claimProof]), [["buyer won (not contested)", "verified (refund_256)"]]);
    for (const check of ["dispute.claim", "dispute.claim-terms", "dispute.close", "dispute.money"]) assert.ok(checks(report, check).length > 0, `no ${check} finding`);
    assert.match(checks(report, "test.Refunded")[0]!.detail, /settled by its refund dispute \(Uncontested\)/);
    // 120 samples, 100 free: the claim staked the fee of the 100 free samples, paid to the seller;
    // with the 20 paid at the receipt, the seller got the fee of every sample, the buyer the deposit.
    const shares = refundShares(POLICY, 120);
    assert.equal(shares.toSeller, 100n * POLICY.feePerExtraSample);
    const refunded = report.tests.find((t) => t.outcome === "refunded")!;
    assert.equal(refunded.toBuyer, POLICY.deposit);
    assert.equal(refunded.toSeller, 120n * POLICY.feePerExtraSample, "the report counts the receipt's fee and the refund's");
    for (const check of ["verifier.disputes", "verifier.dispute-key", "auction.winner", "auction.price", "auction.reclaim", "auction.purchase", "purchase.ComplaintUpheld", "purchase.DeliveryMissed", "purchase.Completed", "purchase.deposit", "funds.conserved", "funds.owed", "funds.registry", "test.price", "test.Unserved", "test.Forfeited", "test.AppliedToBid", "test.AppliedToPurchase", "test.deposit-returned", "purchase.escrow"]) {
      assert.ok(checks(report, check).length > 0, `no ${check} finding`);
    }
    assert.ok(checks(report, "verifier.dispute-key").length >= 2 * REFUND_SAMPLE_SIZES.length, "every shipped refund and Open verifier embeds its key");
    assert.match(checks(report, "purchase.ComplaintUpheld")[0]!.detail, /chunk 5 decrypts to bytes that do not hash to leaf 5/);
  });

  it("flags a test-drive closed as refunded without a refund dispute", async () => {
    const c = await loadSession();
    const trail = buildMarketTrail(await collectEvents(m.publicClient as PublicClient, c.deployment));
    const test = [...trail.tests.values()].find((t) => t.closed?.outcome === "Refunded")!;
    const refundCheck = () => checkTestDrives(trail).filter((f) => f.check === "test.Refunded");
    assert.deepEqual(refundCheck().map((f) => f.ok), [true]);
    trail.disputes.delete(test.testId);
    const [finding] = refundCheck();
    assert.equal(finding?.ok, false);
    assert.match(finding!.detail, /was refunded without a refund dispute/);
  });

  it("flags an auction settled to another winner or price than the reveals give", async () => {
    const c = await loadSession();
    const trail = buildMarketTrail(await collectEvents(m.publicClient as PublicClient, c.deployment));
    assert.deepEqual(checkAuctions(trail).filter((f) => !f.ok), []);
    const auction = trail.auctions.get(1n)!;
    const settled = auction.settled!;
    auction.settled = { ...settled, price: parseEther("3") }; // first-price amount under a Vickrey auction
    // The reclaims followed the rules (the reveals), so only the settlement and its purchase are wrong.
    assert.deepEqual(checkAuctions(trail).filter((f) => !f.ok).map((f) => f.check).sort(), ["auction.price", "auction.purchase"]);
    auction.settled = { ...settled, winner: bob.account.address };
    const wrongWinner = checkAuctions(trail).filter((f) => !f.ok);
    assert.deepEqual(wrongWinner.map((f) => f.check).sort(), ["auction.purchase", "auction.winner"]);
    assert.match(wrongWinner.find((f) => f.check === "auction.winner")!.detail, new RegExp(`highest valid bid is ${alice.account.address}'s`, "i"));
  });

  it("re-checks an upheld complaint from calldata: against another model root or key it is not justified", async () => {
    const c = await loadSession();
    const trail = buildMarketTrail(await collectEvents(m.publicClient as PublicClient, c.deployment));
    const purchase = trail.purchases.get(2n)!;
    const listing = trail.listings.get(purchase.listingId)!;
    const client = m.publicClient as PublicClient;
    assert.equal((await recheckComplaint(client, c.market.address, purchase, listing)).justified, true);
    const otherRoot = { ...listing, terms: { ...listing.terms, modelRoot: keccak256(toHex("another model")) } };
    assert.deepEqual(await recheckComplaint(client, c.market.address, purchase, otherRoot), { justified: false, detail: "the upheld complaint has a model path that misses the listing's model root" });
    // A purchase delivered as the buyer's own copy is proven against the copy, not the listing's model.
    const asCopy = { ...purchase, copy: { copyRoot: keccak256(toHex("a copy")), copySize: listing.terms.modelSize } };
    assert.deepEqual(await recheckComplaint(client, c.market.address, asCopy, listing), { justified: false, detail: "the upheld complaint has a model path that misses the root of the buyer's copy" });
    const otherKey = { ...purchase, delivery: { ...purchase.delivery!, keyHash: keccak256(toHex("another key")) } };
    assert.match((await recheckComplaint(client, c.market.address, otherKey, listing)).detail, /does not open the delivery commitment/);
    const notAComplaint = { ...purchase, complaint: { ...purchase.complaint!, at: purchase.opened } };
    assert.match((await recheckComplaint(client, c.market.address, notAComplaint, listing)).detail, /is not a complaint about purchase 2/);
  });

  it("breaks ties as the contract does: the bid revealed first wins", async () => {
    const c = await deployShipped();
    await c.registry.write.list([m.terms(), m.offer({ saleMode: SALE_MODE.Auction, price: 0n })], { account: seller.account });
    await c.market.write.createAuction([1n, { reservePrice: 1n, commitDuration: 100, revealDuration: 100, kind: AUCTION_KIND.FirstPrice, onlyTestDrivers: false, nonRevealPenaltyBps: 0 }], { account: seller.account });
    const salt = keccak256(toHex("tie"));
    for (const who of [bob, carol, alice]) {
      await c.market.write.commitBid([1n, bidCommitment(parseEther("2"), salt, who.account.address, 1n), 0n], { account: who.account, value: parseEther(who === alice ? "1" : "2") });
    }
    await m.networkHelpers.time.increase(100);
    for (const who of [alice, carol, bob]) await c.market.write.revealBid([1n, parseEther("2"), salt], { account: who.account }); // alice's is invalid
    await m.networkHelpers.time.increase(100);
    await c.market.write.settleAuction([1n], { account: mallory.account });
    const r = await auditMarket(m.publicClient as PublicClient, c.deployment, { verificationKeys: keys });
    assert.deepEqual(failed(r), []);
    assert.equal(r.auctions[0]?.winner, getAddress(carol.account.address));
    assert.equal(r.auctions[0]?.expectedWinner, getAddress(carol.account.address));
  });

  it("flags a market balance below held + owed", async () => {
    const c = await loadSession();
    const balance = await m.publicClient.getBalance({ address: c.market.address });
    await m.networkHelpers.setBalance(c.market.address, balance - 1n);
    const r = await auditMarket(m.publicClient as PublicClient, c.deployment, { verificationKeys: keys });
    assert.deepEqual(failed(r).map((f) => f.check), ["funds.conserved"]);
    assert.match(failed(r)[0]!.detail, new RegExp(`balance ${formatEther(balance - 1n).replace(".", "\\.")} ETH < held [\\d.]+ ETH \\+ owed [\\d.]+ ETH`));
    assert.match(r.summary, /^1 of \d+ checks failed$/);
  });

  it("reports ether forced into the market or the registry as unowned, not as a broken invariant", async () => {
    const c = await loadSession();
    const [market, registry] = await Promise.all([c.market.address, c.registry.address].map((address) => m.publicClient.getBalance({ address })));
    await m.networkHelpers.setBalance(c.market.address, market! + 7n);
    await m.networkHelpers.setBalance(c.registry.address, registry! + 3n);
    const r = await auditMarket(m.publicClient as PublicClient, c.deployment, { verificationKeys: keys });
    assert.deepEqual(failed(r), [], r.summary);
    assert.deepEqual(r.funds!.unowned, { market: 7n, registry: 3n });
    assert.match(checks(r, "funds.conserved")[0]!.detail, /; 0\.000000000000000007 ETH unowned \(forced in\)$/);
    assert.match(checks(r, "funds.registry")[0]!.detail, /; 0\.000000000000000003 ETH unowned \(forced in\)$/);
  });

  it("reports a refund whose circuit has no verification key as a finding, not a crash", async () => {
    const c = await loadSession();
    const noKeys: RefundDisputeKeys = { sampleCircuits: keys.sampleCircuits.map(({ size }) => ({ size })), contest: keys.contest };
    assert.deepEqual(sampleCircuitFor(noKeys, "refund", 120), { found: false, circuit: "refund_256", reason: "no verification key was given for refund_256" });
    assert.equal(sampleCircuitFor(keys, "refund", 300).found && "refund_1024", "refund_1024");
    assert.equal(sampleCircuitFor(keys, "refund", 1025).found, false);
    const r = await auditMarket(m.publicClient as PublicClient, c.deployment, { verificationKeys: noKeys });
    assert.equal(r.refundDisputes[0]!.claimProof, "NOT RE-VERIFIED");
    assert.match(checks(r, "dispute.claim").find((f) => !f.ok)!.detail, /no verification key was given for refund_256/);
    assert.deepEqual([...new Set(failed(r).map((f) => f.check))].sort(), ["dispute.claim", "verifier.dispute-key"]);
  });

  it("audits a scan that starts late without money checks, loading earlier listings from the registry", async () => {
    const c = await loadSession();
    const events = await collectEvents(m.publicClient as PublicClient, c.deployment, { blockRange: 7n });
    const settle = events.market.find((e) => e.eventName === "AuctionSettled")!;
    const r = await auditMarket(m.publicClient as PublicClient, c.deployment, { verificationKeys: keys, fromBlock: settle.blockNumber! + 1n });
    assert.equal(r.partial, true);
    assert.deepEqual(failed(r), []);
    assert.equal(r.funds, undefined);
    assert.equal(checks(r, "funds.conserved").length, 0);
    assert.deepEqual(r.purchases.map((p) => p.purchaseId), [3n], "only purchase 3 opened after the settlement");
    assert.deepEqual(r.listings.map((l) => l.listingId), [1n], "its listing, created earlier, read from the registry");
    assert.equal(events.marketLogs.length, (await m.publicClient.getLogs({ address: c.market.address, fromBlock: 0n })).length, "ranged scans miss nothing");
    await assert.rejects(collectEvents(m.publicClient as PublicClient, c.deployment, { blockRange: 0n }), /at least 1 block/);
    await assert.rejects(auditMarket(m.publicClient as PublicClient, { ...c.deployment, chainId: 1 }, { verificationKeys: keys }), /for chain 1, but the client is on chain 31337/);
  });
});
