/**
 * The purchase commands of the `bazaar` CLI given bad input, against a real local chain
 * (test/helpers/cliStack.ts), each a child process: an unknown listing, a missing model file,
 * a malformed terms file, a deployment record of another chain, an account without funds, no
 * key in the environment, a delivery of the wrong file, a download before any delivery, an
 * unknown test-drive, a malformed id. Each must fail with one sentence and a non-zero exit,
 * and leave nothing half-done on-chain. Then a delivery file that does not match the seller's
 * commitment: `download` refuses to accept it, and `download --reject` refunds the buyer.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { generatePrivateKey } from "viem/accounts";
import { encodeDeliveryFile, prepareDelivery } from "@modelbazaar/sdk/delivery";
import { listingArguments, parseListingSpec } from "@modelbazaar/sdk/listings";
import { devAccountKey } from "../../scripts/lib/demoListings.ts";
import { CLI_MODEL, CLI_TERMS, ROLES, startCliStack, type CliResult, type CliStack } from "../helpers/cliStack.ts";

const OTHER_MODEL = new URL("../../models/iris-square-mlp.onnx", import.meta.url).pathname;

/** One sentence on stderr, no stack trace, the given exit code. */
function assertSentence(r: CliResult, pattern: RegExp, code = 1): void {
  assert.equal(r.code, code, `exit code (stdout: ${r.stdout})`);
  assert.match(r.stderr, /^bazaar: [^\n]+\n$/, `one line: ${r.stderr}`);
  assert.match(r.stderr, pattern);
}

/** Runs `tasks` a few at a time: a dozen Node processes at once starve a 2-core machine. */
async function inBatches<T>(tasks: readonly (() => Promise<T>)[], size: number): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < tasks.length; i += size) results.push(...(await Promise.all(tasks.slice(i, i + size).map((task) => task()))));
  return results;
}

describe("bazaar purchase commands refuse bad input in one sentence", { timeout: 600_000 }, () => {
  let stack: CliStack;
  let dir: string;
  before(async () => {
    stack = await startCliStack();
    dir = stack.dir;
    // Listing 1 and purchase 1 (not yet delivered), made with the SDK directly.
    const seller = stack.walletOf(devAccountKey(ROLES.seller));
    const buyer = stack.walletOf(devAccountKey(ROLES.buyer));
    const [terms, offer] = listingArguments(readFileSync(CLI_MODEL), parseListingSpec(CLI_TERMS));
    await stack.publicClient.waitForTransactionReceipt({ hash: await stack.registry.write.list([terms, offer], { account: seller.account }) });
    await stack.publicClient.waitForTransactionReceipt({ hash: await stack.market.write.buy([1n, 0n, offer.price], { account: buyer.account, value: offer.price }) });
  });
  after(async () => stack?.stop());

  it("fails with a sentence on every bad input, all at once", async () => {
    const { bazaar } = stack;
    const terms = join(dir, "terms.json");
    writeFileSync(terms, JSON.stringify(CLI_TERMS));
    const badTerms = join(dir, "bad-terms.json");
    writeFileSync(badTerms, JSON.stringify({ ...CLI_TERMS, claimedAccuracyBps: 0 }));
    const notJson = join(dir, "not-json.json");
    writeFileSync(notJson, "{ task: ");
    const otherChain = join(dir, "mainnet.json");
    writeFileSync(otherChain, JSON.stringify({ ...stack.deployment, chainId: 1 }));
    const poor = generatePrivateKey();

    const cases: [run: () => Promise<CliResult>, sentence: RegExp][] = [
      [() => bazaar(["buy", "99"], ROLES.buyer), /listing 99 does not exist on this market/],
      [() => bazaar(["list", join(dir, "absent.onnx"), "--terms", terms], ROLES.seller), /cannot read .*absent\.onnx: no such file/],
      [() => bazaar(["list", CLI_MODEL, "--terms", badTerms], ROLES.seller), /bad-terms\.json: "claimedAccuracyBps" must be an integer from 1 to 10000, not 0/],
      [() => bazaar(["list", CLI_MODEL, "--terms", notJson], ROLES.seller), /not-json\.json is not valid JSON/],
      [() => bazaar(["buy", "1"], ROLES.buyer, { DEPLOYMENT: otherChain }), /mainnet\.json is for chain 1, but .* is chain 31337 \(wrong network\?\)/],
      [() => bazaar(["buy", "1"], null, { MODELBAZAAR_PRIVATE_KEY: poor }), /insufficient funds: 0x[0-9a-fA-F]{40} holds 0 ETH but listing 1 costs 0\.5 ETH plus gas/],
      [() => bazaar(["buy", "1"], null), /set MODELBAZAAR_KEYSTORE to your encrypted key file .*or MODELBAZAAR_PRIVATE_KEY to a private key/],
      [() => bazaar(["buy", "1"], null, { MODELBAZAAR_PRIVATE_KEY: "0x1234" }), /MODELBAZAAR_PRIVATE_KEY is set but malformed: a private key is 0x followed by 64 hex digits, and it has 4 hex digits, not 64/],
      [() => bazaar(["deliver", "1", OTHER_MODEL, "--out", join(dir, "wrong.bin")], ROLES.seller), /iris-square-mlp\.onnx is not the model of listing 1 .*deliver the exact file you listed/],
      [() => bazaar(["deliver", "1", CLI_MODEL, "--out", join(dir, "x.bin")], ROLES.buyer), /purchase 1 was sold by 0x[0-9a-fA-F]{40}, not by 0x[0-9a-fA-F]{40}/],
      [() => bazaar(["download", "1", "--from", join(dir, "nothing.bin"), "--out", join(dir, "m.onnx")], ROLES.buyer), /the seller has not committed a delivery of purchase 1 yet: waiting for the seller to commit a delivery until/],
      [() => bazaar(["status", "test", "9"], null), /test-drive 9 does not exist on this market/],
      [() => bazaar(["status", "purchase", "one"], null), /the purchase id must be a positive whole number, not "one"/],
    ];
    const results = await inBatches(cases.map(([run]) => run), 4);
    cases.forEach(([, sentence], i) => assertSentence(results[i]!, sentence));

    // Nothing half-done: no listing was added, the purchase still awaits its delivery.
    assert.equal(await stack.registry.read.listingCount(), 1n);
    assert.equal(await stack.market.read.purchaseStatus([1n]), 1);
  });

  it("download refuses a file that does not match the commitment, and --reject refunds", async () => {
    const seller = stack.walletOf(devAccountKey(ROLES.seller));
    const model = readFileSync(CLI_MODEL);
    const committed = prepareDelivery(model);
    await stack.publicClient.waitForTransactionReceipt({ hash: await stack.market.write.commitDelivery([1n, committed.ciphertextRoot, committed.keyHash], { account: seller.account }) });
    const other = prepareDelivery(model); // another key: not the committed ciphertext
    const wrongFile = join(dir, "other.bin");
    writeFileSync(wrongFile, encodeDeliveryFile({ purchaseId: 1n, modelSize: model.length, ciphertext: other.ciphertext, modelLeaves: other.modelLeaves }));

    const mismatch = await stack.bazaar(["download", "1", "--from", wrongFile, "--out", join(dir, "m.onnx")], ROLES.buyer);
    assertSentence(mismatch, /the delivery from .*other\.bin does not match the one committed for purchase 1 \(the ciphertext does not hash to the committed ciphertext root\); nothing was accepted\. .*`bazaar download 1 --from .*other\.bin --reject` to be refunded/);
    assert.equal(await stack.market.read.purchaseStatus([1n]), 3, "still awaiting acceptance");

    const rejected = await stack.bazaar(["download", "1", "--reject"], ROLES.buyer);
    assert.equal(rejected.code, 0, rejected.stderr);
    assert.match(rejected.stdout, /^rejected the delivery of purchase 1: 0\.5 ETH was refunded to you\.\n$/);
    assert.equal(await stack.market.read.purchaseStatus([1n]), 9, "refunded");
  });
});
