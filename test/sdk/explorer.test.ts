/**
 * The explorer's SDK against a real market on Hardhat's in-process chain: a session with a
 * promotion, a test-drive refunded through a refund dispute (a dispute), a test-drive whose deposit becomes
 * bid collateral, a second-price auction settled into a purchase and a withdrawal. Every
 * timeline, amount and party is checked against what the contracts say; an incremental load
 * (block by block) equals a full one; a transaction decodes to its call and events. Then the
 * generic parts: ABI values for people, typed inputs, enum names against the Solidity sources.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { formatEther, getAddress, keccak256, parseEther, toHex, type AbiParameter, type Hash, type PublicClient } from "viem";
import type { Deployment } from "@modelbazaar/sdk/client";
import {
  addressActivity,
  AbiInputError,
  ENTITY_ID_PARAMETERS,
  ENUM_LABELS,
  loadExplorer,
  parseAbiInput,
  readableValue,
  readTransaction,
  listingRecords,
  sellerHistory,
  timelinesOfKind,
  type ExplorerIndex,
} from "@modelbazaar/sdk/explorer";
import { modelMarketAbi, modelRegistryAbi } from "@modelbazaar/sdk/abis";
import { bidCommitment } from "@modelbazaar/sdk/auctions";
import { exampleTestFee } from "../../scripts/lib/exampleListing.ts";
import { AUCTION_KIND, connectMarket, POLICY, refundSharesFor, SALE_MODE } from "../helpers/market.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const RESULT = keccak256(toHex("encrypted results"));
const names = (index: ExplorerIndex, key: string) => index.timelines.get(key)?.entries.map((e) => e.eventName);

describe("explorer", async () => {
  const m = await connectMarket();
  const { seller, buyer, worker, alice, bob, mallory } = m.accounts;
  const publicClient = m.publicClient as PublicClient;

  async function session() {
    const c = await m.load();
    const deployment: Deployment = { chainId: await publicClient.getChainId(), registry: c.registry.address, market: c.market.address, startBlock: 0n };
    const fixed = await m.list(c);
    const auctioned = await m.list(c, { saleMode: SALE_MODE.Auction, price: 0n });
    await c.registry.write.promote([fixed], { account: mallory.account, value: parseEther("0.1") });
    const disputed = await m.openTest(c, fixed, buyer, 120);
    const bidWith = await m.openTest(c, auctioned, alice, 30);
    const midBlock = await publicClient.getBlockNumber();
    for (const { testId } of [disputed, bidWith]) await c.market.write.recordReceipt([testId, RESULT], { account: worker.account });
    await c.market.write.createAuction([auctioned, { reservePrice: parseEther("1"), commitDuration: 600, revealDuration: 600, kind: AUCTION_KIND.SecondPrice, onlyTestDrivers: false, nonRevealPenaltyBps: 1_000 }], {
      account: seller.account,
    });
    const salt = keccak256(toHex("salt"));
    await c.market.write.commitBid([1n, bidCommitment(parseEther("3"), salt, alice.account.address, 1n), bidWith.testId], { account: alice.account, value: parseEther("3") });
    await c.market.write.commitBid([1n, bidCommitment(parseEther("2"), salt, bob.account.address, 1n), 0n], { account: bob.account, value: parseEther("2") });
    await m.networkHelpers.time.increase(600);
    await c.market.write.revealBid([1n, parseEther("3"), salt], { account: alice.account });
    await c.market.write.revealBid([1n, parseEther("2"), salt], { account: bob.account });
    await m.networkHelpers.time.increase(600);
    await c.market.write.settleAuction([1n], { account: mallory.account });
    const refund = await m.refund(c, disputed.testId); // closed uncontested by the deployer's account
    const withdrawal = await c.market.write.withdraw({ account: buyer.account });
    return { c, deployment, fixed, auctioned, disputed, bidWith, midBlock, refund, withdrawal };
  }
  const load = () => m.networkHelpers.loadFixture(session);

  it("groups every event into timelines per listing, test-drive, dispute, auction and purchase, with amounts and parties as the chain holds them", async () => {
    const { c, deployment, disputed, bidWith } = await load();
    const index = await loadExplorer(publicClient, deployment);
    assert.deepEqual([...index.timelines.keys()].sort(), ["auction/1", "dispute/1", "listing/1", "listing/2", "purchase/1", "test/1", "test/2"]);

    assert.deepEqual(names(index, "listing/1"), ["ListingCreated", "ListingPromoted", "TestOpened"]);
    const promoted = index.timelines.get("listing/1")!.entries[1]!;
    assert.deepEqual(promoted.amounts, [
      { name: "amount", wei: parseEther("0.1") },
      { name: "totalPaid", wei: parseEther("0.1") },
    ]);
    assert.equal(promoted.sender, getAddress(mallory.account.address));

    // The dispute: opened, served (the fee credited to the seller), a refund claimed (the deposit held),
    // closed uncontested (the deposit credited to the buyer, the free samples' fee the claim staked to the seller).
    assert.deepEqual(names(index, "test/1"), ["TestOpened", "ReceiptRecorded", "PaymentCredited", "TestDisputed", "TestClosed", "PaymentCredited", "PaymentCredited"]);
    assert.deepEqual(names(index, "dispute/1"), names(index, "test/1"));
    const test = await c.market.read.getTest([disputed.testId]);
    const [deposit, fee] = await c.market.read.testPrice([BigInt(test.listingId), test.sampleCount]);
    const [opened, receipt, feeCredited, , closed, credited, sellerCredited] = index.timelines.get("test/1")!.entries;
    const shares = refundSharesFor(120);
    assert.deepEqual(opened!.amounts, [
      { name: "deposit", wei: deposit },
      { name: "fee", wei: fee },
    ]);
    assert.equal(fee, exampleTestFee(120));
    assert.equal(opened!.args.sampleCount, 120);
    assert.deepEqual(opened!.parties, [{ role: "buyer", address: getAddress(buyer.account.address) }]);
    assert.deepEqual(receipt!.amounts, [{ name: "feePaid", wei: fee }]);
    assert.deepEqual([feeCredited!.parties[0]!.address, feeCredited!.amounts[0]!.wei], [getAddress(seller.account.address), fee]);
    assert.equal(closed!.labels.outcome, "refunded");
    assert.deepEqual(closed!.amounts, [
      { name: "toBuyer", wei: deposit },
      { name: "toSeller", wei: shares.toSeller },
    ]);
    assert.deepEqual(credited!.parties, [{ role: "payee", address: getAddress(buyer.account.address) }]);
    assert.deepEqual([sellerCredited!.parties[0]!.address, sellerCredited!.amounts[0]!.wei], [getAddress(seller.account.address), shares.toSeller]);
    assert.equal(index.timelines.get("dispute/1")!.listingId, 1n);
    const related = (key: string) => new Set(index.timelines.get(key)!.related.map((r) => `${r.kind}/${r.id}`));
    assert.deepEqual(related("dispute/1"), new Set(["listing/1", "test/1"]));
    assert.deepEqual(related("test/1"), new Set(["listing/1", "dispute/1"]));

    // The deposit that became bid collateral relates the test-drive and the auction.
    assert.deepEqual(names(index, "test/2")!.slice(0, 3), ["TestOpened", "ReceiptRecorded", "TestClosed"]);
    assert.ok(related("test/2").has("auction/1") && related("test/2").has("listing/2"));
    assert.equal(index.timelines.get("test/2")!.entries[2]!.labels.outcome, "applied to a bid");
    assert.equal(bidWith.testId, 2n);

    const auctionEvents = names(index, "auction/1")!;
    assert.equal(auctionEvents[0], "AuctionCreated");
    for (const [name, count] of [["BidCommitted", 2], ["BidRevealed", 2], ["AuctionSettled", 1]] as const) assert.equal(auctionEvents.filter((n) => n === name).length, count, name);
    const settled = index.timelines.get("auction/1")!.entries.find((e) => e.eventName === "AuctionSettled")!;
    assert.deepEqual(settled.amounts, [{ name: "price", wei: await c.market.read.clearingPrice([1n]) }]);
    assert.equal(settled.amounts[0]!.wei, parseEther("2")); // Vickrey: bob's bid
    assert.deepEqual(settled.parties, [{ role: "winner", address: getAddress(alice.account.address) }]);
    assert.ok(related("auction/1").has("purchase/1"));

    // The purchase the auction opened: the price the chain holds, whatever else the event states.
    const purchase = await c.market.read.getPurchase([1n]);
    assert.ok(names(index, "purchase/1")!.includes("AuctionSettled"));
    const purchaseOpened = index.timelines.get("purchase/1")!.entries.find((e) => e.eventName === "PurchaseOpened")!;
    assert.deepEqual(purchaseOpened.amounts.find((a) => a.name === "price"), { name: "price", wei: purchase.price });
    assert.ok(purchaseOpened.parties.some((p) => p.role === "buyer" && p.address === getAddress(alice.account.address)));
    assert.equal(index.timelines.get("purchase/1")!.listingId, 2n);
    assert.ok(related("purchase/1").has("auction/1"));

    assert.deepEqual(timelinesOfKind(index.timelines, "test").map((t) => t.id), [1n, 2n]); // the most recent activity first: the refund closed last
  });

  it("counts a seller's history from the events: its listings, the test-drives on them, completed sales and the refund disputes it lost", async () => {
    const { deployment, fixed, auctioned } = await load();
    const index = await loadExplorer(publicClient, deployment);
    assert.deepEqual(sellerHistory(index, getAddress(seller.account.address)), {
      seller: getAddress(seller.account.address),
      listings: [fixed, auctioned],
      testDrives: 2,
      unserved: 0,
      sales: 0, // the auction's purchase is open, not completed
      disputes: 1,
      disputesLost: 1, // the uncontested refund of test-drive 1
      disputesWon: 0,
    });
    // Listing by listing, as the seller's dashboard shows them: both test-drives were served (a receipt each).
    const records = listingRecords(index, getAddress(seller.account.address));
    assert.deepEqual([...records.keys()], [fixed, auctioned]);
    assert.deepEqual(records.get(fixed), { testDrives: 1, served: 1, unserved: 0, sales: 0, disputes: 1, disputesLost: 1, disputesWon: 0 });
    assert.deepEqual(records.get(auctioned), { testDrives: 1, served: 1, unserved: 0, sales: 0, disputes: 0, disputesLost: 0, disputesWon: 0 });
    assert.equal(listingRecords(index, getAddress(mallory.account.address)).size, 0);
    const stranger = sellerHistory(index, getAddress(mallory.account.address));
    assert.deepEqual([stranger.listings, stranger.testDrives, stranger.disputes], [[], 0, 0], "a promoter is not the seller");
  });

  it("follows the chain block by block: an incremental load equals a full one", async () => {
    const { deployment, midBlock } = await load();
    const full = await loadExplorer(publicClient, deployment);
    let index = await loadExplorer(publicClient, deployment, { toBlock: midBlock });
    assert.ok(index.entries.length < full.entries.length);
    for (let block = midBlock + 1n; block <= full.toBlock; block += 3n) index = await loadExplorer(publicClient, deployment, { since: index, toBlock: block > full.toBlock ? full.toBlock : block });
    index = await loadExplorer(publicClient, deployment, { since: index });
    assert.equal(index.toBlock, full.toBlock);
    assert.deepEqual(index.entries.map((e) => `${e.transactionHash}:${e.logIndex}`), full.entries.map((e) => `${e.transactionHash}:${e.logIndex}`));
    assert.deepEqual([...index.timelines.keys()], [...full.timelines.keys()]);
    assert.equal(await loadExplorer(publicClient, deployment, { since: index }), index, "no new block: the same result");
  });

  it("shows an account's activity across entities, including what it sent that names no entity", async () => {
    const { deployment } = await load();
    const index = await loadExplorer(publicClient, deployment);
    const activity = addressActivity(index, buyer.account.address);
    assert.deepEqual(activity.entries.map((e) => e.eventName), ["PaymentWithdrawn", "PaymentCredited", "TestDisputed", "TestOpened"]); // the closing names the test, not the buyer (another account sent it)
    assert.deepEqual(activity.entities.map((t) => `${t.kind}/${t.id}`).sort(), ["dispute/1", "listing/1", "test/1"]);
    const malloryActivity = addressActivity(index, mallory.account.address);
    assert.ok(malloryActivity.entries.some((e) => e.eventName === "ListingPromoted"));
  });

  it("decodes a transaction: the call, its status, gas, value and the events it emitted", async () => {
    const { c, deployment, refund, withdrawal, disputed } = await load();
    const tx = await readTransaction(publicClient, deployment, refund);
    const receipt = await publicClient.getTransactionReceipt({ hash: refund });
    // RefundDisputes is not one of the deployment record's contracts: the call stays undecoded, the market's events are read
    assert.equal(tx.contract, undefined);
    assert.equal(tx.call, undefined);
    assert.equal(tx.to, getAddress(c.disputes.address));
    assert.equal(tx.from, getAddress(m.accounts.deployer.account.address));
    assert.equal(tx.value, 0n);
    assert.equal(tx.receipt?.status, "success");
    assert.equal(tx.receipt?.gasUsed, receipt.gasUsed);
    assert.equal(tx.receipt?.effectiveGasPrice, receipt.effectiveGasPrice);
    assert.equal(tx.receipt?.fee, receipt.gasUsed * receipt.effectiveGasPrice);
    assert.deepEqual(tx.receipt?.events.map((e) => e.eventName), ["TestClosed", "PaymentCredited", "PaymentCredited"]);
    assert.equal(tx.receipt?.events[0]!.labels.outcome, "refunded");

    const opened = (await loadExplorer(publicClient, deployment)).timelines.get("test/1")!.entries[0]!.transactionHash;
    const open = await readTransaction(publicClient, deployment, opened);
    assert.equal(open.call?.functionName, "openTest");
    assert.equal(open.value, POLICY.deposit + exampleTestFee(120));
    assert.deepEqual(open.call?.args.map((a) => a.value), [1n, disputed.commitment, 120]);

    const withdrawn = await readTransaction(publicClient, deployment, withdrawal);
    assert.equal(withdrawn.call?.functionName, "withdraw");
    assert.deepEqual(withdrawn.receipt?.events.map((e) => [e.eventName, e.amounts[0]?.wei]), [["PaymentWithdrawn", POLICY.deposit]]);

    await assert.rejects(readTransaction(publicClient, deployment, keccak256(toHex("no such transaction")) as Hash), /not be found|not found/i);
  });

  it("renders function results for people: tuples by component, amounts in ETH (with the wei), enums by the labels the CLI prints", async () => {
    const { c, fixed } = await load();
    const getListing = modelRegistryAbi.find((item) => item.type === "function" && item.name === "getListing")!;
    const value = readableValue(getListing.outputs[0] as AbiParameter, await c.registry.read.getListing([fixed]));
    const part = (name: string) => value.parts?.find((p) => p.name === name);
    assert.equal(part("status")?.label, "active");
    const offer = part("offer");
    assert.equal(offer?.parts?.find((p) => p.name === "price")?.wei, m.offer().price);
    assert.equal(offer?.parts?.find((p) => p.name === "price")?.text, `${formatEther(m.offer().price)} ETH`);
    assert.equal(offer?.parts?.find((p) => p.name === "saleMode")?.label, "fixed price");
    assert.equal(offer?.parts?.find((p) => p.name === "workerSigner")?.address, getAddress(worker.account.address));
    const terms = part("terms");
    assert.equal(terms?.parts?.find((p) => p.name === "claimedAccuracyBps")?.wei, undefined, "basis points are not wei");
    assert.equal(terms?.parts?.find((p) => p.name === "testPolicy")?.parts?.find((p) => p.name === "deposit")?.wei, POLICY.deposit);
  });
});

describe("explorer: ABI values typed by people", () => {
  const p = (type: string, name = "x", components?: AbiParameter[]) => ({ type, name, ...(components ? { components } : {}) }) as AbiParameter;
  it("parses integers, amounts in eth, addresses, booleans, bytes, tuples and arrays, and says what is wrong", () => {
    assert.equal(parseAbiInput(p("uint256"), " 42 "), 42n);
    assert.equal(parseAbiInput(p("uint256"), "0x10"), 16n);
    assert.equal(parseAbiInput(p("uint96"), "1.5 eth"), parseEther("1.5"));
    assert.equal(parseAbiInput(p("address"), "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"), "0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    assert.equal(parseAbiInput(p("bool"), "true"), true);
    assert.equal(parseAbiInput(p("bytes32"), toHex(1n, { size: 32 })), toHex(1n, { size: 32 }));
    assert.deepEqual(parseAbiInput(p("uint32[2]"), "[1, \"2\"]"), [1n, 2n]);
    assert.deepEqual(parseAbiInput(p("tuple", "t", [p("uint256", "a"), p("bool", "b")]), '{"a": "7", "b": false}'), { a: 7n, b: false });
    assert.throws(() => parseAbiInput(p("uint8"), "256"), (e: unknown) => e instanceof AbiInputError && /0\.\.255/.test(e.message));
    assert.throws(() => parseAbiInput(p("uint256"), "-1"), AbiInputError);
    assert.throws(() => parseAbiInput(p("uint256"), "abc"), /whole number/);
    assert.throws(() => parseAbiInput(p("address"), "0x12"), /address/);
    assert.throws(() => parseAbiInput(p("bytes32"), "0x12"), /32 bytes/);
    assert.throws(() => parseAbiInput(p("uint32[2]"), "[1]"), /2 items/);
  });

  it("knows the name of every enum member the contracts declare", () => {
    const dir = join(ROOT, "contracts", "interfaces");
    const declared: Record<string, string[]> = {};
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".sol"))) {
      const source = readFileSync(join(dir, file), "utf8").replace(/\/\/.*$/gm, "");
      const contract = /interface\s+(\w+)/.exec(source)?.[1];
      for (const [, name, body] of source.matchAll(/enum\s+(\w+)\s*\{([^}]*)\}/g)) declared[`enum ${contract}.${name}`] = body!.split(",").map((s) => s.trim()).filter(Boolean);
    }
    for (const [type, labels] of Object.entries(ENUM_LABELS)) assert.deepEqual(labels, declared[type], type);
    const used = new Set([...modelMarketAbi, ...modelRegistryAbi].flatMap((item) => JSON.stringify(item).match(/enum [\w.]+/g) ?? []));
    for (const type of used) assert.ok(type in ENUM_LABELS, `${type} is used by an ABI but has no labels in sdk/src/explorer/enumLabels.ts`);
  });

  it("groups every id argument of every event: ids are named after an entity kind", () => {
    for (const item of [...modelMarketAbi, ...modelRegistryAbi]) {
      if (item.type !== "event") continue;
      for (const input of item.inputs) if (/Id$/.test(input.name ?? "")) assert.ok(input.name! in ENTITY_ID_PARAMETERS, `${item.name}.${input.name} names no entity kind the explorer knows`);
    }
  });
});
