/**
 * The listing builder shared by `bazaar list` and the demo listings
 * (sdk/src/listings/listingSpec.ts): a terms file becomes the registry's `list` arguments
 * with the model root of the file, and every rule of the registry (docs/PROTOCOL.md §2) is
 * refused with a sentence naming the field.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parseEther, zeroHash } from "viem";
import { ChunkTree, toChunks } from "@modelbazaar/sdk/delivery";
import { listingArguments, ListingSpecError, parseListingSpec } from "@modelbazaar/sdk/listings";
import { pseudoRandomFile } from "../../scripts/lib/exampleListing.ts";

const TERMS = {
  task: { featureCount: 4, classCount: 3, scaleBits: 8, featureBits: 11 },
  claimedAccuracyBps: 9_000,
  testPolicy: { deposit: "1", feePerExtraSample: "0.0001", freeSamples: 100, minSamples: 10, maxSamples: 1_000, serviceWindow: 3_600, disputeWindow: 86_400 },
  sale: { mode: "fixed", price: "5" },
  worker: { endpoint: "http://127.0.0.1:8787", signer: "0x90F79bf6EB2c4f870365E785982E1f101E93b906" },
  metadata: { uri: "models/x.json" },
};

describe("listing spec", () => {
  it("builds the registry's terms and offer from a terms file and the model", () => {
    const model = pseudoRandomFile(100);
    const [terms, offer] = listingArguments(model, parseListingSpec(TERMS));
    assert.equal(terms.modelRoot, ChunkTree.fromChunks(toChunks(model)).root);
    assert.equal(terms.modelSize, 100n);
    assert.equal(terms.testPolicy.deposit, parseEther("1"));
    assert.deepEqual([offer.saleMode, offer.price, offer.metadataHash], [0, parseEther("5"), zeroHash]);
    const [, auction] = listingArguments(model, parseListingSpec({ ...TERMS, sale: { mode: "auction" } }));
    assert.deepEqual([auction.saleMode, auction.price], [1, 0n]);
  });

  it("names the field of every rule the registry would refuse", () => {
    const bad: [unknown, RegExp][] = [
      [null, /terms\.json must be a JSON object/],
      [{ ...TERMS, claimedAccuracyBps: 10_001 }, /"claimedAccuracyBps" must be an integer from 1 to 10000/],
      [{ ...TERMS, task: { ...TERMS.task, classCount: 1 } }, /"task\.classCount" must be an integer from 2/],
      [{ ...TERMS, task: { ...TERMS.task, scaleBits: 12 } }, /scaleBits \(12\) cannot exceed task\.featureBits \(11\)/],
      [{ ...TERMS, testPolicy: { ...TERMS.testPolicy, minSamples: 2_000 } }, /minSamples \(2000\) exceeds testPolicy\.maxSamples/],
      [{ ...TERMS, testPolicy: { ...TERMS.testPolicy, deposit: "0" } }, /deposit must be positive/],
      [{ ...TERMS, testPolicy: { ...TERMS.testPolicy, deposit: 1 } }, /amount of ETH as a decimal string/],
      [{ ...TERMS, testPolicy: { ...TERMS.testPolicy, disputeWindow: 31 * 86_400 } }, /disputeWindow" must be an integer from 1 to 2592000/],
      [{ ...TERMS, sale: { mode: "fixed", price: "0" } }, /price must be positive/],
      [{ ...TERMS, sale: { mode: "barter" } }, /mode must be "fixed" or "auction"/],
      [{ ...TERMS, worker: { ...TERMS.worker, signer: "0x0000000000000000000000000000000000000000" } }, /worker\.signer" must be a non-zero/],
      [{ ...TERMS, worker: { ...TERMS.worker, endpoint: "ftp://x" } }, /must be an http\(s\) URL/],
      [{ ...TERMS, metadata: { uri: "x", hash: "0x12" } }, /metadata\.hash" must be 32 bytes/],
      [{ ...TERMS, claimedAcuracyBps: 9_000 }, /^terms\.json has an unknown field "claimedAcuracyBps" \(did you mean "claimedAccuracyBps"\?\); its fields are \$schema, task, claimedAccuracyBps/],
      [{ ...TERMS, task: { ...TERMS.task, classes: 3 } }, /^terms\.json: "task" has an unknown field "classes"; its fields are featureCount, classCount, scaleBits, featureBits$/],
      [{ ...TERMS, testPolicy: { ...TERMS.testPolicy, disputeWindw: 1 } }, /"testPolicy" has an unknown field "disputeWindw" \(did you mean "disputeWindow"\?\)/],
      [{ ...TERMS, sale: { mode: "auction", price: "5" } }, /"sale"\.price is for fixed-price listings: an auction's price comes from its bids/],
    ];
    for (const [json, message] of bad) assert.throws(() => parseListingSpec(json, "terms.json"), (e: Error) => e instanceof ListingSpecError && message.test(e.message), String(message));
    assert.throws(() => listingArguments(new Uint8Array(0), parseListingSpec(TERMS)), /model file is empty/);
  });

  it("reads the documented example terms file, with its $schema", () => {
    const example = JSON.parse(readFileSync(new URL("../../docs/examples/listing-terms.json", import.meta.url), "utf8")) as unknown;
    const spec = parseListingSpec(example, "listing-terms.json");
    assert.deepEqual(spec.task, { featureCount: 4, classCount: 3, scaleBits: 8, featureBits: 12 });
    assert.equal(spec.metadataURI, "models/iris-logreg.json");
    assert.equal(spec.metadataHash, zeroHash, "bazaar list computes it from the model card");
  });
});
