/**
 * Selling as a newcomer does it, against a real local chain (test/helpers/cliStack.ts), each
 * command a child process with a dev key:
 *  - `bazaar list` refuses, in one sentence naming both numbers and before any transaction,
 *    terms that contradict the ONNX model (a 5-feature task for a 4-input model, 4 classes for
 *    3 outputs) or its model card (class names, hash), an unknown field, an unreadable card;
 *  - the documented example terms file (docs/examples/listing-terms.json) lists as it is, the
 *    model card's hash becomes the listing's metadata hash, and `listings` shows the model's
 *    name and classes;
 *  - `bazaar listing pause|resume|reprice|sale|delist`: every refusal a sentence (not the seller,
 *    already paused, not paused, an auction's price, the same price, delisted for good), every
 *    change on-chain, and a purchase at the new price;
 *  - the registry's custom errors, met when a change races another, read as the SDK's sentences;
 *  - `bazaar listing sale <id> --fixed <eth> | --auction` switches the sale mode as the dApp's
 *    dashboard does (the SDK's saleModeRefusal and switchSaleMode), each refusal a sentence.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { keccak256, parseEther, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { decodeRevert } from "@modelbazaar/sdk/errors";
import { devAccountKey } from "../../scripts/lib/demoListings.ts";
import { CLI_MODEL, CLI_TERMS, ROLES, startCliStack, type CliResult, type CliStack } from "../helpers/cliStack.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const EXAMPLE_TERMS = join(ROOT, "docs/examples/listing-terms.json");
const IRIS_CARD = join(ROOT, "models/iris-logreg.json");
const SELLER = privateKeyToAccount(devAccountKey(ROLES.seller)).address;
const BUYER = privateKeyToAccount(devAccountKey(ROLES.buyer)).address;

function assertSentence(r: CliResult, pattern: RegExp): void {
  assert.equal(r.code, 1, `exit code (stdout: ${r.stdout}, stderr: ${r.stderr})`);
  assert.match(r.stderr, /^bazaar: [^\n]+\n$/, `one line: ${r.stderr}`);
  assert.match(r.stderr, pattern);
}

/** Runs `tasks` a few at a time: a dozen Node processes at once starve a 2-core machine. */
async function inBatches<T>(tasks: readonly (() => Promise<T>)[], size = 4): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < tasks.length; i += size) results.push(...(await Promise.all(tasks.slice(i, i + size).map((task) => task()))));
  return results;
}

function jsonOf<T>(r: CliResult): T {
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

describe("bazaar list and bazaar listing (local chain)", { timeout: 600_000 }, () => {
  let stack: CliStack;
  const termsFile = (name: string, terms: unknown): string => stack.termsFile(name, terms);
  before(async () => {
    stack = await startCliStack();
  });
  after(async () => stack?.stop());

  it("list refuses terms that contradict the model or its model card, naming both numbers, before any transaction", async () => {
    const { bazaar } = stack;
    const twoClassCard = join(stack.dir, "two-classes.json");
    writeFileSync(twoClassCard, JSON.stringify({ name: "iris", classNames: ["setosa", "other"] }));
    const cases: [string[], RegExp][] = [
      [["list", CLI_MODEL, "--terms", termsFile("five.json", { ...CLI_TERMS, task: { ...CLI_TERMS.task, featureCount: 5 } })],
        /five\.json: "task\.featureCount" is 5, but .*iris-logreg\.onnx takes 4 features per sample \(input "input", shape \[batch, 4\]\): a buyer's test set of 5 features could never be evaluated; set it to 4$/m],
      [["list", CLI_MODEL, "--terms", termsFile("four.json", { ...CLI_TERMS, task: { ...CLI_TERMS.task, classCount: 4 } })],
        /four\.json: "task\.classCount" is 4, but .*iris-logreg\.onnx gives 3 class scores per sample \(output "probabilities", shape \[batch, 3\]\): its predictions could never match 4 classes; set it to 3$/m],
      [["list", CLI_MODEL, "--terms", termsFile("card.json", { ...CLI_TERMS, metadata: { uri: twoClassCard } })],
        /the model card .*two-classes\.json names 2 classes \(setosa, other\), but the task has 3/],
      [["list", CLI_MODEL, "--terms", termsFile("hash.json", { ...CLI_TERMS, metadata: { uri: "models/iris-logreg.json", hash: `0x${"ab".repeat(32)}` } })],
        /hash\.json: "metadata\.hash" is 0x(ab){32}, but the model card at .*models\/iris-logreg\.json hashes to 0x[0-9a-f]{64}: buyers would distrust it/],
      [["list", CLI_MODEL, "--terms", termsFile("nocard.json", { ...CLI_TERMS, metadata: { uri: "cards/absent.json" } })],
        /nocard\.json: the model card "metadata\.uri" names cannot be read \(no file cards\/absent\.json in .*\); fix the URI, or give the document's keccak256 as "metadata\.hash"/],
      [["list", CLI_MODEL, "--terms", termsFile("typo.json", { ...CLI_TERMS, claimedAcuracyBps: 9_000 })],
        /typo\.json has an unknown field "claimedAcuracyBps" \(did you mean "claimedAccuracyBps"\?\); its fields are/],
      [["list", CLI_MODEL, "--terms", termsFile("auction.json", { ...CLI_TERMS, sale: { mode: "auction", price: "1" } })],
        /auction\.json: "sale"\.price is for fixed-price listings: an auction's price comes from its bids/],
      [["list", EXAMPLE_TERMS, "--terms", EXAMPLE_TERMS], /listing-terms\.json is not an ONNX model onnxruntime can load/],
    ];
    const results = await inBatches(cases.map(([args]) => () => bazaar(args, ROLES.seller)));
    cases.forEach(([, sentence], i) => assertSentence(results[i]!, sentence));
    assert.equal(await stack.registry.read.listingCount(), 0n, "nothing was listed");
  });

  it("lists from the documented example terms file as it is; listings show the model's name and classes", async () => {
    const { bazaar } = stack;
    const listed = jsonOf<{ listingId: string; modelName: string; classNames: string[]; metadataHash: string }>(await bazaar(["--json", "list", CLI_MODEL, "--terms", EXAMPLE_TERMS], ROLES.seller));
    assert.equal(listed.listingId, "1");
    assert.equal(listed.modelName, "iris-logreg");
    assert.deepEqual(listed.classNames, ["setosa", "versicolor", "virginica"]);
    const card = keccak256(readFileSync(IRIS_CARD));
    assert.equal(listed.metadataHash, card);
    const onChain = await stack.registry.read.getListing([1n]);
    assert.equal(onChain.offer.metadataHash, card, "the card's keccak256 is the listing's metadata hash");
    assert.equal(onChain.offer.workerEndpoint, "http://127.0.0.1:8788");

    const auction = await bazaar(["list", CLI_MODEL, "--terms", termsFile("auction-ok.json", { ...CLI_TERMS, sale: { mode: "auction" } })], ROLES.seller);
    assert.equal(auction.code, 0, auction.stderr);
    assert.match(auction.stdout, /^listed iris-logreg \(.*iris-logreg\.onnx\) as listing #2 for auction/);
    assert.match(auction.stdout, /model card models\/iris-logreg\.json \(keccak256 0x[0-9a-f]{64}\): classes setosa, versicolor, virginica/);
    assert.match(auction.stdout, /next: serve it from your worker .*`bazaar listing pause\|resume\|reprice\|sale\|delist 2`/);

    const table = await bazaar(["listings"], null);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^ID\s+STATUS\s+MODEL\s+SELLER/);
    assert.match(table.stdout, /#1\s+active\s+iris-logreg\s+0x709979…79C8\s+4 features → 3 classes \(setosa, versicolor, virginica\)\s+96\.66%\s+5 ETH/);
    const json = jsonOf<{ listingId: string; model: { name: string; classNames: string[] } }[]>(await bazaar(["--json", "listings"], null));
    assert.deepEqual(json[1]!.model, { name: "iris-logreg", classNames: ["setosa", "versicolor", "virginica"] });

    // Finding a model: the dApp's filters (sdk/src/listings/listingSearch.ts), newest first.
    const ids = async (args: string[]) => jsonOf<{ listingId: string }[]>(await bazaar(["--json", "listings", ...args], null)).map((l) => l.listingId);
    assert.deepEqual(await ids([]), ["2", "1"]);
    assert.deepEqual(await ids(["--sale", "auction"]), ["2"]);
    assert.deepEqual(await ids(["--search", "IRIS virginica", "--max-price", "5", "--sale", "fixed"]), ["1"]);
    assert.deepEqual(await ids(["--max-price", "4.9", "--sale", "fixed"]), []);
    assert.deepEqual(await ids(["--task", "4x3", "--min-claim", "96.66"]), ["2", "1"]);
    assert.match((await bazaar(["listings", "--search", "mnist"], null)).stdout, /^none of the 2 listings matches \(drop a filter to see more\)/);
    assertSentence(await bazaar(["listings", "--sale", "lease"], null), /--sale must be fixed or auction, not "lease"/);
    assertSentence(await bazaar(["listings", "--task", "four"], null), /--task must be features x classes, e\.g\. 4x3, not "four"/);
  });

  it("listing pause, resume, reprice and delist: each refusal a sentence, each change on-chain", async () => {
    const { bazaar } = stack;
    const status = async (id: bigint) => (await stack.registry.read.getListing([id])).status;
    const refusals: [string[], number, RegExp][] = [
      [["listing", "pause", "1"], ROLES.buyer, new RegExp(`listing 1 was listed by ${SELLER}, not by ${BUYER}: only its seller may pause it$`, "m")],
      [["listing", "pause", "99"], ROLES.seller, /listing 99 does not exist on this market/],
      [["listing", "resume", "1"], ROLES.seller, /listing 1 is not paused: it is active already$/m],
      [["listing", "reprice", "2", "1"], ROLES.seller, /listing 2 is sold by auction: it has no price to change \(each auction sets its own reserve/],
      [["listing", "reprice", "1", "5"], ROLES.seller, /listing 1 already costs 5 ETH$/m],
      [["listing", "reprice", "1", "0"], ROLES.seller, /the new price must be more than 0 ETH$/m],
      [["listing", "reprice", "1", "cheap"], ROLES.seller, /the new price must be an amount of ETH such as 0\.5, not "cheap"/],
      [["listing", "delist", "x"], ROLES.seller, /the listing id must be a positive whole number, not "x"/],
    ];
    const refused = await inBatches(refusals.map(([args, as]) => () => bazaar(args, as)));
    refusals.forEach(([, , sentence], i) => assertSentence(refused[i]!, sentence));
    assert.equal(await status(1n), 1, "still active");

    const paused = await bazaar(["listing", "pause", "1"], ROLES.seller);
    assert.equal(paused.code, 0, paused.stderr);
    assert.match(paused.stdout, /^paused listing 1: no new test-drives, purchases or auctions until `bazaar listing resume 1`; those under way still resolve\.\n$/);
    assert.match(paused.stderr, /^pausing listing 1: transaction 0x[0-9a-f]{64}\n$/, "the hash of the transaction it sent, once, for people");
    assert.equal(await status(1n), 2);
    assertSentence(await bazaar(["listing", "pause", "1"], ROLES.seller), /listing 1 is already paused \(`bazaar listing resume 1` reopens it\)$/m);
    assertSentence(await bazaar(["buy", "1"], ROLES.buyer), /listing 1 is paused, so it cannot be bought/);

    const repriced = await bazaar(["listing", "reprice", "1", "0.75"], ROLES.seller);
    assert.equal(repriced.code, 0, repriced.stderr);
    assert.match(repriced.stdout, /^listing 1 now costs 0\.75 ETH \(was 5 ETH\); a purchase sent at the old price is refused by the market, never charged the new one\./);
    assert.equal((await stack.registry.read.getListing([1n])).offer.price, parseEther("0.75"));
    assert.equal((await stack.registry.read.getListing([1n])).offer.metadataHash, keccak256(readFileSync(IRIS_CARD)), "the rest of the offer is kept");

    const resumed = jsonOf<{ listingId: string; action: string; status: string; price: string }>(await bazaar(["--json", "listing", "resume", "1"], ROLES.seller));
    assert.deepEqual([resumed.listingId, resumed.action, resumed.status, resumed.price], ["1", "resume", "active", parseEther("0.75").toString()]);
    const bought = jsonOf<{ paid: string }>(await bazaar(["--json", "buy", "1"], ROLES.buyer));
    assert.equal(bought.paid, parseEther("0.75").toString());

    const delisted = await bazaar(["listing", "delist", "1"], ROLES.seller);
    assert.equal(delisted.code, 0, delisted.stderr);
    assert.match(delisted.stdout, /^delisted listing 1 for good: test-drives, purchases and auctions under way still resolve under its terms/);
    assert.equal(await status(1n), 3);
    const after: [string[], RegExp][] = [
      [["listing", "delist", "1"], /listing 1 is already delisted$/m],
      [["listing", "resume", "1"], /listing 1 is delisted, for good: it cannot be resumed \(list the model anew with `bazaar list`\)$/m],
      [["listing", "pause", "1"], /listing 1 is delisted, for good: it cannot be paused$/m],
      [["listing", "reprice", "1", "1"], /listing 1 is delisted, for good: it cannot be repriced$/m],
    ];
    const late = await inBatches(after.map(([args]) => () => bazaar(args, ROLES.seller)));
    after.forEach(([, sentence], i) => assertSentence(late[i]!, sentence));
    assert.match((await bazaar(["listings"], null)).stdout, /#1\s+delisted\s+iris-logreg/);
  });

  it("the registry's custom errors (a change racing another) read as the SDK's sentences", async () => {
    const as = (role: number): { account: Address } => ({ account: privateKeyToAccount(devAccountKey(role)).address });
    const sentenceOf = async (call: Promise<unknown>): Promise<string> => {
      try {
        await call;
      } catch (error) {
        return decodeRevert(error).sentence;
      }
      throw new Error("the call did not revert");
    };
    const offer = (await stack.registry.read.getListing([2n])).offer;
    assert.equal(await sentenceOf(stack.registry.simulate.pause([2n], as(ROLES.buyer))), `${BUYER} is not the seller of listing 2: only its seller may change it`);
    assert.equal(await sentenceOf(stack.registry.simulate.unpause([1n], as(ROLES.seller))), 'listing 1\'s status is "delisted", which does not allow this');
    assert.equal(await sentenceOf(stack.registry.simulate.unpause([2n], as(ROLES.seller))), 'listing 2\'s status is "active", which does not allow this');
    assert.equal(await sentenceOf(stack.registry.simulate.updateOffer([2n, { ...offer, saleMode: 0, price: 0n }], as(ROLES.seller))), "a fixed-price listing must cost more than 0 ETH");
    assert.equal(await sentenceOf(stack.registry.simulate.delist([7n], as(ROLES.seller))), "listing 7 does not exist");
  });

  it("listing sale switches between a fixed price and auctions, each refusal a sentence, each switch on-chain", async () => {
    const { bazaar } = stack;
    const offerOf = async (id: bigint) => (await stack.registry.read.getListing([id])).offer;
    const refusals: [string[], number, RegExp][] = [
      [["listing", "sale", "2"], ROLES.seller, /listing sale needs --fixed <eth> \(a fixed price\) or --auction$/m],
      [["listing", "sale", "2", "--fixed", "1", "--auction"], ROLES.seller, /listing sale takes --fixed <eth> or --auction, not both$/m],
      [["listing", "sale", "2", "--auction"], ROLES.seller, /listing 2 is already sold by auction$/m],
      [["listing", "sale", "2", "--fixed", "1"], ROLES.buyer, new RegExp(`listing 2 was listed by ${SELLER}, not by ${BUYER}: only its seller may switch the sale mode of it$`, "m")],
      [["listing", "sale", "2", "--fixed", "0"], ROLES.seller, /the new price must be more than 0 ETH$/m],
      [["listing", "sale", "2", "--fixed", "cheap"], ROLES.seller, /the fixed price must be an amount of ETH such as 0\.5, not "cheap"/],
      [["listing", "sale", "1", "--auction"], ROLES.seller, /listing 1 is delisted, for good: it cannot be switched to another sale mode$/m],
    ];
    const refused = await inBatches(refusals.map(([args, as]) => () => bazaar(args, as)));
    refusals.forEach(([, , sentence], i) => assertSentence(refused[i]!, sentence));
    assert.equal((await offerOf(2n)).saleMode, 1, "still sold by auction");

    const fixed = await bazaar(["listing", "sale", "2", "--fixed", "1.5"], ROLES.seller);
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.match(fixed.stdout, /^listing 2 is now sold at a fixed price of 1\.5 ETH \(it was sold by auction; auctions already open run to their end\)\.\n$/);
    assert.match(fixed.stderr, /^switching the sale mode of listing 2: transaction 0x[0-9a-f]{64}\n$/);
    const switched = await offerOf(2n);
    assert.deepEqual([switched.saleMode, switched.price], [0, parseEther("1.5")]);
    assert.equal(switched.metadataHash, keccak256(readFileSync(IRIS_CARD)), "the rest of the offer is kept");
    assertSentence(await bazaar(["listing", "sale", "2", "--fixed", "2"], ROLES.seller), /listing 2 is already sold at a fixed price of 1\.5 ETH \(reprice it instead\)$/m);

    const auction = jsonOf<{ listingId: string; action: string; saleMode: string; status: string }>(await bazaar(["--json", "listing", "sale", "2", "--auction"], ROLES.seller));
    assert.deepEqual([auction.listingId, auction.action, auction.saleMode, auction.status], ["2", "sale", "auction", "active"]);
    assert.equal((await offerOf(2n)).saleMode, 1);
  });
});
