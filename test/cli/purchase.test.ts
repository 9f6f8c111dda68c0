/**
 * The purchase side of the `bazaar` CLI against a real local chain (a Hardhat node of its own,
 * test/helpers/cliStack.ts), each command a child process with a dev key: a seller lists a
 * trained model, `listings` shows it, a buyer buys it (once with a test-drive's deposit), the
 * seller's one `deliver` hands the delivery to its worker (a real worker service), the buyer's
 * one `download` fetches it, accepts, gets the key the worker reveals, writes the byte-identical
 * file and pays the seller at once; `status` tells each stage in a sentence and `withdraw` pays
 * the seller (and the registry's owner its promotion fees, and a buyer whose seller never
 * delivered its refund). Then a cheating seller (a corrupted ciphertext committed with the SDK
 * directly, sent as a file, its key revealed by hand) is caught: `download` complains on its
 * own and the buyer is refunded.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseEther, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { ChunkTree, encodeDeliveryFile, prepareDelivery } from "@modelbazaar/sdk/delivery";
import { devAccountKey } from "../../scripts/lib/demoListings.ts";
import { CLI_MODEL as MODEL, CLI_TERMS, ROLES, startCliStack, type CliStack } from "../helpers/cliStack.ts";
import { WINDOWS } from "../helpers/market.ts";
import { startWorker, type WorkerHandle } from "../../offchain-worker/src/startWorker.ts";
import { freePort } from "../../scripts/lib/freePort.ts";

/** The seller's worker of listing 1 (the stand-in evaluator: deliveries need no CKKS). */
const STAND_IN_EVALUATOR = new URL("../worker/fixtures/standInEvaluator.ts", import.meta.url).href;



function jsonOf<T>(r: { code: number; stdout: string; stderr: string }): T {
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

describe("bazaar list, listings, buy, deliver, download, status, withdraw", { timeout: 600_000 }, () => {
  let stack: CliStack;
  let worker: WorkerHandle | undefined;
  /** Where listing 1's worker listens: a port the OS gave free, named in the terms before listing. */
  let workerPort: number;
  let termsFile: string;
  before(async () => {
    stack = await startCliStack();
    termsFile = join(stack.dir, "terms.json");
    workerPort = await freePort();
    writeFileSync(termsFile, JSON.stringify({ ...CLI_TERMS, worker: { ...CLI_TERMS.worker, endpoint: `http://127.0.0.1:${workerPort}` } }));
  });
  after(async () => {
    await worker?.close();
    await stack?.stop();
  });

  it("an honest sale through the seller's worker: one deliver, one download, and the seller is paid at once", async () => {
    const { bazaar } = stack;
    const listed = jsonOf<{ listingId: string }>(await bazaar(["--json", "list", MODEL, "--terms", termsFile], ROLES.seller));
    assert.equal(listed.listingId, "1");
    worker = await startWorker({
      rpcUrl: stack.node.url,
      market: stack.market.address,
      registry: stack.registry.address,
      signerKey: devAccountKey(ROLES.worker),
      dataDir: join(stack.dir, "worker"),
      port: workerPort,
      pollIntervalMs: 100,
      threads: 1,
      listings: [{ listingId: 1n, modelId: "iris-logreg" }],
      evaluator: { module: STAND_IN_EVALUATOR },
      logLevel: false,
    });

    const table = await bazaar(["listings"], null);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /#1\s+active\s+iris-logreg\s+0x709979…79C8\s+4 features → 3 classes \(setosa, versicolor, virginica\)\s+96\.66%\s+0\.5 ETH\s+deposit 0\.1 ETH, 10-1000 samples/);

    const buying = await bazaar(["--json", "buy", "1"], ROLES.buyer);
    const bought = jsonOf<{ purchaseId: string; paid: string; status: string; next: string; transaction: string }>(buying);
    assert.deepEqual([bought.purchaseId, bought.paid, bought.status], ["1", parseEther("0.5").toString(), "AwaitingDelivery"]);
    // The hash of the transaction it sent, once, on stderr for people (also with --json), and in the result.
    assert.equal(buying.stderr, `buying listing 1: transaction ${bought.transaction}\n`);
    assert.match(bought.transaction, /^0x[0-9a-f]{64}$/);
    // Amounts: ETH with the unit in text, wei strings in --json; the state in the words the dApp shows.
    const statusText = await bazaar(["status", "purchase", "1"], ROLES.buyer);
    assert.match(statusText.stdout, /^purchase #1 of listing 1: awaiting delivery \(0\.5 ETH, buyer 0x/);
    assert.doesNotMatch(statusText.stdout, /\d{10}/, "no wei in text");
    const statusJson = jsonOf<{ status: string; escrow: string; purchase: { price: string } }>(await bazaar(["--json", "status", "purchase", "1"], ROLES.buyer));
    assert.deepEqual([statusJson.status, statusJson.purchase.price, statusJson.escrow], ["AwaitingDelivery", parseEther("0.5").toString(), parseEther("0.5").toString()]);
    assert.match(bought.next, /^waiting for the seller to commit a delivery until .* UTC, in \d+ min .*; after that run `bazaar withdraw` to get your 0\.5 ETH refund\.$/);

    const out = join(stack.dir, "bought.onnx");
    const early = await bazaar(["download", "1", "--out", out], ROLES.buyer);
    assert.equal(early.code, 1);
    assert.match(early.stderr, /^bazaar: the seller has not committed a delivery of purchase 1 yet/m);

    const delivered = await bazaar(["deliver", "1", MODEL], ROLES.seller);
    assert.equal(delivered.code, 0, delivered.stderr);
    assert.match(delivered.stdout, new RegExp(`committed the delivery of purchase 1 \\(ciphertext root 0x[0-9a-f]{64}\\) and handed it to your worker at http://127\\.0\\.0\\.1:${workerPort}`));
    const again = await bazaar(["deliver", "1", MODEL], ROLES.seller);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /the delivery of purchase 1 was committed before and handed it to your worker/, "handing the same delivery over again is harmless");

    const downloaded = await bazaar(["download", "1", "--out", out], ROLES.buyer);
    assert.equal(downloaded.code, 0, downloaded.stderr);
    assert.match(downloaded.stderr, /fetching the delivery from http:\/\/127\.0\.0\.1:\d+: 100% of \d+ bytes/);
    assert.match(downloaded.stdout, /^wrote .*bought\.onnx \(712 bytes\): every chunk matches the listing's model root; the purchase is complete and the seller is paid \(0\.5 ETH\), without waiting for the complaint window/);
    assert.deepEqual(readFileSync(out), readFileSync(MODEL));
    assert.match((await bazaar(["status", "purchase", "1"], ROLES.seller)).stdout, /^purchase #1 of listing 1: completed \(/);

    const before = await bazaar(["account", "show"], ROLES.seller);
    assert.equal(before.code, 0, before.stderr);
    assert.match(before.stdout, /`bazaar withdraw` would collect: 0\.5 ETH: payment for purchase 1\.\n$/, "the purchase completed at once: its price is credited, and named");
    const paid = await bazaar(["withdraw"], ROLES.seller);
    assert.equal(paid.code, 0, paid.stderr);
    assert.match(paid.stdout, /^  payment for purchase 1: 0\.5 ETH\ncollected 0\.5 ETH/m, "the credit is named by its source, not 'ledger credit'");
    assert.doesNotMatch(paid.stdout, /ledger credit/);
  });

  it("buying with a test-drive's deposit pays only the rest", async () => {
    const buyer = stack.walletOf(devAccountKey(ROLES.buyer));
    const commitment = toHex(12_345n, { size: 32 });
    await stack.publicClient.waitForTransactionReceipt({ hash: await stack.market.write.openTest([1n, commitment, 20], { account: buyer.account, value: parseEther("0.1") }) });
    assert.match((await stack.bazaar(["status", "test", "1"], ROLES.buyer)).stdout, /: awaiting receipt \(.*next: waiting for the seller's worker to evaluate and record its receipt until .*; after that run `bazaar withdraw` to get the deposit and the fee back\./s);

    const bought = jsonOf<{ purchaseId: string; paid: string; depositApplied: string }>(await stack.bazaar(["--json", "buy", "1", "--test", "1"], ROLES.buyer));
    assert.deepEqual([bought.purchaseId, bought.paid, bought.depositApplied], ["2", parseEther("0.4").toString(), parseEther("0.1").toString()]);
    assert.match((await stack.bazaar(["status", "test", "1"], null)).stdout, /: closed: applied to a purchase \(.*closed: the deposit paid part of a purchase/s);
  });

  it("a cheating seller's corrupted delivery: download complains on its own and the buyer is refunded", async () => {
    const { bazaar, publicClient } = stack;
    const seller = stack.walletOf(devAccountKey(ROLES.seller));
    const buyerAddress = privateKeyToAccount(devAccountKey(ROLES.buyer)).address;
    // Purchase 2 (bought above with the deposit) is the victim: the seller flips a byte of chunk 5.
    const prepared = prepareDelivery(readFileSync(MODEL));
    prepared.ciphertext[5]![0]! ^= 0xff;
    const badRoot = ChunkTree.fromChunks(prepared.ciphertext).root;
    await publicClient.waitForTransactionReceipt({ hash: await stack.market.write.commitDelivery([2n, badRoot, prepared.keyHash], { account: seller.account }) });
    const deliveryFile = join(stack.dir, "delivery-2.bin");
    writeFileSync(deliveryFile, encodeDeliveryFile({ purchaseId: 2n, modelSize: readFileSync(MODEL).length, ciphertext: prepared.ciphertext, modelLeaves: prepared.modelLeaves }));

    const out = join(stack.dir, "cheated.onnx");
    const accepted = await bazaar(["download", "2", "--from", deliveryFile, "--out", out, "--wait", "0"], ROLES.buyer);
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.match(accepted.stdout, /the delivery from .*delivery-2\.bin matches the seller's commitment and the listing's model root; accepted it; the key is not revealed yet\./, "the ciphertext matches its (dishonest) commitment");
    await publicClient.waitForTransactionReceipt({ hash: await stack.market.write.revealKey([2n, badRoot, prepared.key], { account: seller.account }) });

    const before = await publicClient.getBalance({ address: buyerAddress });
    const complained = await bazaar(["download", "2", "--from", deliveryFile, "--out", out], ROLES.buyer);
    assert.equal(complained.code, 0, complained.stderr);
    // The buyer's own 0.4 ETH comes back; the 0.1 ETH deposit goes back to its test-drive, not to the buyer.
    assert.match(complained.stdout, /^chunk 5 of the delivery does not match the listing's model root: the complaint was upheld and 0\.4 ETH was refunded to you \(the 0\.1 ETH test-drive deposit went back to test-drive 1, refundable only by proof until its dispute deadline\); nothing was written\.\n$/);
    const gained = (await publicClient.getBalance({ address: buyerAddress })) - before;
    assert.ok(gained > parseEther("0.399") && gained < parseEther("0.4"), `refund net of gas: ${gained}`);
    assert.throws(() => readFileSync(out), /ENOENT/);
    assert.match((await bazaar(["status", "purchase", "2"], ROLES.buyer)).stdout, /: refunded \(.*refunded: the buyer got 0\.4 ETH back and the 0\.1 ETH deposit went back to test-drive 1/s);
  });

  it("withdraw refunds a purchase whose seller never delivered", async () => {
    const { bazaar } = stack;
    assert.equal((await bazaar(["buy", "1"], ROLES.cheat)).code, 0);
    await stack.increaseTime(WINDOWS.delivery);
    assert.match((await bazaar(["status", "purchase", "3"], ROLES.cheat)).stdout, /: delivery overdue \(.*run `bazaar withdraw` to get your 0\.5 ETH refund/s);
    const refunded = await bazaar(["withdraw"], ROLES.cheat);
    assert.equal(refunded.code, 0, refunded.stderr);
    assert.match(refunded.stdout, /refund of purchase 3: 0\.5 ETH\ncollected 0\.5 ETH/);
    const nothing = await bazaar(["withdraw"], ROLES.cheat);
    assert.match(nothing.stdout, /^nothing is owed to 0x[0-9a-fA-F]{40} right now/);
    const shown = await bazaar(["--json", "account", "show"], ROLES.cheat);
    const json = JSON.parse(shown.stdout) as { address: string; balance: string; withdrawable: { owed: string; refundable: string[] } };
    assert.deepEqual([json.withdrawable.owed, json.withdrawable.refundable], ["0", []]);
    assert.ok(BigInt(json.balance) > 0n);
    const nobody = await bazaar(["account", "show"], null);
    assert.equal(nobody.code, 1);
    assert.match(nobody.stderr, /^bazaar: no account is configured: set MODELBAZAAR_KEYSTORE or MODELBAZAAR_PRIVATE_KEY, or pass --account <address>\n$/);
    const other = await bazaar(["account", "show", "--account", json.address], null);
    assert.match(other.stdout, new RegExp(`^${json.address}: [\\d.]+ ETH\nnothing to withdraw now\.`));
  });

  it("withdraw pays the registry's owner the promotion fees", async () => {
    const promoter = stack.walletOf(devAccountKey(ROLES.cheat));
    await stack.publicClient.waitForTransactionReceipt({ hash: await stack.registry.write.promote([1n], { account: promoter.account, value: parseEther("0.01") }) });
    const fees = await stack.bazaar(["withdraw"], ROLES.owner);
    assert.equal(fees.code, 0, fees.stderr);
    assert.match(fees.stdout, /promotion fees: 0\.01 ETH\ncollected 0\.01 ETH/);
  });
});
