/**
 * The published formats (docs/schemas/) against the code that reads them: the terms file's
 * JSON schema accepts the documented example and the CLI tests' terms, and refuses what the
 * parser refuses field by field; its objects list exactly the parser's fields
 * (sdk/src/listings/listingSpec.ts TERMS_FIELDS). The metadata document's schema accepts every
 * shipped model card, whose class names the parser reads.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parseListingMetadata, ListingSpecError, parseListingSpec, TERMS_FIELDS } from "@modelbazaar/sdk/listings";
import { privateKeyToAccount } from "viem/accounts";
import { DEMO_MODELS, devAccountKey } from "../../scripts/lib/demoListings.ts";
import { CLI_TERMS } from "../helpers/cliStack.ts";

const read = (path: string): unknown => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: true });
const termsSchema = read("docs/schemas/listing-terms.schema.json") as { properties: Record<string, { properties?: Record<string, unknown> }> };
const validTerms = ajv.compile(termsSchema);
const validMetadata = ajv.compile(read("docs/schemas/listing-metadata.schema.json") as object);

describe("published listing formats", () => {
  it("the terms schema accepts the example file and what the CLI lists, and names exactly the parser's fields", () => {
    for (const terms of [read("docs/examples/listing-terms.json"), CLI_TERMS, { ...CLI_TERMS, sale: { mode: "auction" }, metadata: { uri: "ipfs://bafy", hash: `0x${"12".repeat(32)}` } }]) {
      assert.ok(validTerms(terms), ajv.errorsText(validTerms.errors));
      parseListingSpec(terms);
    }
    assert.deepEqual(Object.keys(termsSchema.properties).sort(), [...TERMS_FIELDS[""]].sort());
    for (const key of ["task", "testPolicy", "worker", "metadata"] as const) {
      assert.deepEqual(Object.keys(termsSchema.properties[key]!.properties!).sort(), [...TERMS_FIELDS[key]].sort(), key);
    }
  });

  it("the terms schema refuses what the parser refuses, field by field", () => {
    const base = CLI_TERMS;
    const bad: unknown[] = [
      { ...base, task: { ...base.task, featureCount: 0 } },
      { ...base, task: { ...base.task, classCount: 1 } },
      { ...base, task: { ...base.task, extra: 1 } },
      { ...base, claimedAccuracyBps: 10_001 },
      { ...base, claimedAccuracyBps: 96.5 },
      { ...base, testPolicy: { ...base.testPolicy, deposit: "0" } },
      { ...base, testPolicy: { ...base.testPolicy, deposit: "0.000" } },
      { ...base, testPolicy: { ...base.testPolicy, deposit: 1 } },
      { ...base, testPolicy: { ...base.testPolicy, feePerExtraSample: "1e-4" } },
      { ...base, testPolicy: { ...base.testPolicy, maxSamples: 70_000 } },
      { ...base, testPolicy: { ...base.testPolicy, disputeWindow: 31 * 86_400 } },
      { ...base, sale: { mode: "fixed", price: "0" } },
      { ...base, sale: { mode: "fixed" } },
      { ...base, sale: { mode: "auction", price: "1" } },
      { ...base, sale: { mode: "barter" } },
      { ...base, worker: { ...base.worker, endpoint: "ftp://x" } },
      { ...base, worker: { ...base.worker, signer: `0x${"0".repeat(40)}` } },
      { ...base, metadata: {} },
      { ...base, metadata: { uri: "x", hash: "0x12" } },
      { ...base, watermarkCommitment: "0x" },
      { ...base, claimedAcuracyBps: 9_000 },
    ];
    for (const terms of bad) {
      assert.equal(validTerms(terms), false, JSON.stringify(terms));
      assert.throws(() => parseListingSpec(terms), ListingSpecError, JSON.stringify(terms));
    }
  });

  it("the metadata schema accepts every shipped model card, and refuses too few, empty or repeated class names", () => {
    const cards = readdirSync(new URL("../../models/", import.meta.url)).filter((f) => f.endsWith(".json"));
    assert.ok(cards.length >= 4);
    for (const file of cards) {
      const card = read(`models/${file}`) as { classNames: string[]; classCount: number };
      assert.ok(validMetadata(card), `${file}: ${ajv.errorsText(validMetadata.errors)}`);
      const metadata = parseListingMetadata(card, file);
      assert.equal(metadata.classNames?.length, card.classCount, file);
    }
    assert.equal(validMetadata({ name: "x", classNames: ["a"] }), false);
    assert.equal(validMetadata({ name: "x", classNames: ["a", "a"] }), false);
    assert.equal(validMetadata({ name: "", classNames: ["a", "b"] }), false);
  });

  it("the example worker config serves the example listing: the first after npm start's demo listings, on the example's port, signed by its seller", () => {
    const terms = read("docs/examples/listing-terms.json") as { worker: { endpoint: string; signer: string }; metadata: { uri: string } };
    const worker = read("docs/examples/worker.json") as { port: number; listings: { listingId: number; modelId: string }[]; evaluator: { module: string; settings: { models: Record<string, { onnx: string }> } } };
    assert.equal(new URL(terms.worker.endpoint).port, String(worker.port));
    assert.equal(terms.worker.signer, privateKeyToAccount(devAccountKey(1)).address, "dev account #1, npm start's seller, runs its own worker");
    assert.deepEqual(worker.listings, [{ listingId: DEMO_MODELS.length + 1, modelId: "iris-logreg" }]);
    assert.ok(existsSync(fileURLToPath(new URL(`../../docs/examples/${worker.evaluator.module}`, import.meta.url))), "the evaluator module, relative to the config");
    assert.ok(existsSync(fileURLToPath(new URL(`../../${worker.evaluator.settings.models["iris-logreg"]!.onnx}`, import.meta.url))), "the model, relative to the project (npm run's directory)");
    assert.ok(existsSync(fileURLToPath(new URL(`../../${terms.metadata.uri}`, import.meta.url))), "the model card");
  });
});
