/**
 * The worker service's HTTP API (offchain-worker/src) against the real contracts on
 * Hardhat's in-process chain, real EIP-712 signatures from viem local accounts and real HTTP
 * on 127.0.0.1, with the stand-in evaluator (fixtures/standInEvaluator.ts) in place of the
 * CKKS engine: the happy path (upload, evaluation on a thread, result, receipt recorded
 * on-chain with the result's hash, signed receipt valid for the contract's digest) and every
 * refusal, each with its status and error code, after which the worker still serves others.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, before, describe, it } from "node:test";
import { isAddressEqual, keccak256, recoverAddress, type Hex, type LocalAccount } from "viem";
import { RESULT_HEADERS, bodySha256, randomNonce, signUpload, UPLOAD_AUTH_HEADERS } from "@modelbazaar/sdk/worker";
import type { WorkerHandle } from "../../offchain-worker/src/startWorker.ts";
import { TEST_STATUS } from "../helpers/market.ts";
import { standInResult, standInUpload } from "./fixtures/standInEvaluator.ts";
import { getJson, MODEL_ID, post, rawPost, UPLOAD_LIMIT, waitForStatus, workerFixture } from "./workerFixture.ts";

describe("worker HTTP API", async () => {
  const f = await workerFixture();
  let worker: WorkerHandle;
  let buyer: LocalAccount;
  let mallory: LocalAccount;

  before(async () => {
    worker = await f.start();
    buyer = await f.newBuyer();
    mallory = await f.newBuyer();
  });
  after(() => worker.close());

  const refused = (response: { status: number; json: Record<string, unknown> }, status: number, error: string, message?: RegExp) => {
    assert.equal(response.status, status, JSON.stringify(response.json));
    assert.equal(response.json.error, error);
    assert.equal(typeof response.json.message, "string");
    if (message) assert.match(response.json.message as string, message);
  };

  it("serves health and its listings with the plan summary and encryption parameters", async () => {
    const health = await getJson(worker, "/health");
    assert.equal(health.status, 200);
    assert.ok(isAddressEqual(health.json.worker as Hex, f.workerAddress));
    assert.equal(health.json.chainId, f.context.chainId);

    const { status, json } = await getJson(worker, "/listings");
    assert.equal(status, 200);
    const listings = json.listings as { listingId: string; modelId: string; plan: { inputSize: number }; encryption: { scheme: string } }[];
    assert.deepEqual(listings.map((l) => l.listingId), [f.listingId.toString(), f.foreignListingId.toString()]);
    assert.equal(listings[0]!.modelId, MODEL_ID);
    assert.equal(listings[0]!.plan.inputSize, 4);
    assert.equal(listings[0]!.encryption.scheme, "stand-in");
    assert.equal((listings[0] as { evaluation?: unknown }).evaluation, null, "an evaluator that cannot say how fast it is publishes no speed");
  });

  it("evaluates an upload, returns the result and records its receipt on-chain", async () => {
    const testId = await f.openTest(buyer, 50);
    const body = standInUpload(50);
    const accepted = await f.upload(worker, testId, body, buyer);
    assert.equal(accepted.status, 202, JSON.stringify(accepted.json));
    assert.equal(typeof accepted.json.jobId, "string");

    const done = await waitForStatus(worker, testId, (s) => s.receipt?.status === "mined");
    assert.equal(done.job?.status, "done");

    const response = await fetch(`${worker.url}/tests/${testId}/result`);
    assert.equal(response.status, 200);
    const result = new Uint8Array(await response.arrayBuffer());
    assert.deepEqual(result, standInResult(MODEL_ID, 50, body));
    const resultHash = keccak256(result);
    assert.equal(response.headers.get(RESULT_HEADERS.resultHash), resultHash);
    assert.equal(response.headers.get(RESULT_HEADERS.receiptStatus), "mined");
    assert.equal(response.headers.get(RESULT_HEADERS.receiptTx), done.receipt?.txHash);

    const events = await f.receiptsOf(testId);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.args.resultHash, resultHash);
    assert.ok(isAddressEqual(events[0]!.args.worker!, f.workerAddress));
    assert.equal(events[0]!.transactionHash, done.receipt?.txHash);
    assert.equal(await f.c.market.read.testStatus([testId]), TEST_STATUS.Evaluated);

    // The signed receipt is valid for the contract's own digest: the buyer could have submitted it.
    const signature = response.headers.get(RESULT_HEADERS.receiptSignature) as Hex;
    const digest = await f.c.market.read.receiptDigest([testId, resultHash]);
    assert.ok(isAddressEqual(await recoverAddress({ hash: digest, signature }), f.workerAddress));

    // The watcher saw the test and its receipt.
    const seen = await waitForStatus(worker, testId, (s) => s.test?.receiptHash === resultHash);
    assert.equal(seen.test?.sampleCount, 50);
    assert.ok(isAddressEqual(seen.test!.buyer, buyer.address));

    // The test now has its receipt: another upload is refused.
    refused(await f.upload(worker, testId, body, buyer), 409, "test_not_open", /status Evaluated/);
  });

  it("forgets a test's upload nonces once its receipt is on-chain, and still refuses the replay", async () => {
    const testId = await f.openTest(buyer, 20);
    const body = standInUpload(20);
    const headers = await signUpload(buyer, f.context, testId, body);
    const db = new DatabaseSync(join(f.dataDir, "worker.sqlite"), { readOnly: true });
    const noncesOf = () => (db.prepare("SELECT COUNT(*) AS n FROM nonces WHERE test_id = ?").get(testId.toString()) as { n: number }).n;
    try {
      assert.equal((await post(worker, `/tests/${testId}/evaluations`, body, headers)).status, 202);
      assert.equal(noncesOf(), 1);
      await waitForStatus(worker, testId, (s) => s.receipt?.status === "mined");
      const deadline = Date.now() + 10_000;
      while (noncesOf() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(noncesOf(), 0, "the watcher did not forget the nonce of a test with a receipt");
      // The test takes no more uploads, so the forgotten nonce cannot be replayed.
      refused(await post(worker, `/tests/${testId}/evaluations`, body, headers), 409, "test_not_open");
    } finally {
      db.close();
    }
  });

  it("refuses malformed authentication", async () => {
    const testId = await f.openTest(buyer);
    const body = standInUpload(10);
    refused(await post(worker, `/tests/${testId}/evaluations`, body, {}), 400, "malformed_signature", /header is missing/);
    const nonce = randomNonce();
    const digest = await bodySha256(body);
    refused(
      await post(worker, `/tests/${testId}/evaluations`, body, { [UPLOAD_AUTH_HEADERS.nonce]: nonce, [UPLOAD_AUTH_HEADERS.signature]: `0x${"11".repeat(65)}` }),
      400,
      "malformed_signature",
      /x-modelbazaar-body-sha256 header is missing/,
    );
    refused(
      await post(worker, `/tests/${testId}/evaluations`, body, { [UPLOAD_AUTH_HEADERS.nonce]: nonce, [UPLOAD_AUTH_HEADERS.bodySha256]: "0xabcd", [UPLOAD_AUTH_HEADERS.signature]: `0x${"11".repeat(65)}` }),
      400,
      "malformed_signature",
      /x-modelbazaar-body-sha256 must be 32 bytes/,
    );
    refused(
      await post(worker, `/tests/${testId}/evaluations`, body, { [UPLOAD_AUTH_HEADERS.nonce]: nonce, [UPLOAD_AUTH_HEADERS.bodySha256]: digest, [UPLOAD_AUTH_HEADERS.signature]: "0x1234" }),
      400,
      "malformed_signature",
      /65-byte/,
    );
    refused(
      await post(worker, `/tests/${testId}/evaluations`, body, { [UPLOAD_AUTH_HEADERS.nonce]: "0x01", [UPLOAD_AUTH_HEADERS.bodySha256]: digest, [UPLOAD_AUTH_HEADERS.signature]: `0x${"11".repeat(65)}` }),
      400,
      "malformed_signature",
      /32 bytes/,
    );
    refused(
      await post(worker, `/tests/${testId}/evaluations`, body, { [UPLOAD_AUTH_HEADERS.nonce]: nonce, [UPLOAD_AUTH_HEADERS.bodySha256]: digest, [UPLOAD_AUTH_HEADERS.signature]: `0x${"00".repeat(65)}` }),
      400,
      "malformed_signature",
      /not a valid secp256k1 signature/,
    );
    refused(await post(worker, "/tests/abc/evaluations", body, {}), 400, "invalid_test_id");
  });

  it("refuses a signature for another test, another body or by another account, before reading the body", async () => {
    const testA = await f.openTest(buyer);
    const testB = await f.openTest(buyer);
    const body = standInUpload(10);
    refused(await f.upload(worker, testA, body, buyer, { signedTestId: testB }), 401, "wrong_signer", new RegExp(`buyer of test ${testA}`));
    refused(await f.upload(worker, testA, body, mallory), 401, "wrong_signer");
    // Another body under the buyer's signature: its own digest in the header no longer matches the signature...
    const other = standInUpload(11);
    const headers = await signUpload(buyer, f.context, testA, body);
    refused(await post(worker, `/tests/${testA}/evaluations`, other, { ...headers, [UPLOAD_AUTH_HEADERS.bodySha256]: await bodySha256(other) }), 401, "wrong_signer");
    // ...and with the signed digest kept, the body itself is refused once received.
    refused(await post(worker, `/tests/${testA}/evaluations`, other, headers), 400, "body_mismatch", /not the 0x[0-9a-f]{64} the buyer signed/);
    // A stranger is refused from the headers alone: a body larger than the limit is not even read.
    const strangerHeaders = await signUpload(mallory, f.context, testA, body);
    const flood = Array.from({ length: 8 }, () => new Uint8Array(UPLOAD_LIMIT / 4));
    refused(await rawPost(worker, `/tests/${testA}/evaluations`, strangerHeaders, flood), 401, "wrong_signer");
  });

  it("uses up a nonce only when its upload is accepted, and refuses it afterwards", async () => {
    const testId = await f.openTest(buyer, 50);
    const tooMany = standInUpload(51);
    const headers = await signUpload(buyer, f.context, testId, tooMany);
    // A refused upload leaves no nonce behind: sent again, it is refused for the same reason.
    for (let i = 0; i < 2; i++) {
      refused(await post(worker, `/tests/${testId}/evaluations`, tooMany, headers), 422, "too_many_samples", /holds 51 samples but test \d+ paid for 50/);
    }
    // An accepted upload's nonce is used up, for this test and any other.
    const body = standInUpload(50);
    const nonce = randomNonce();
    assert.equal((await f.upload(worker, testId, body, buyer, { nonce })).status, 202);
    const otherTest = await f.openTest(buyer, 50);
    refused(await f.upload(worker, otherTest, body, buyer, { nonce }), 409, "nonce_replayed");
    await waitForStatus(worker, testId, (s) => s.receipt?.status === "mined");
  });

  it("refuses unknown tests, tests that are not open, and listings it does not serve", async () => {
    const body = standInUpload(10);
    refused(await f.upload(worker, 999_999n, body, buyer), 404, "test_not_found");
    const foreign = await f.openTest(buyer, 50, f.foreignListingId);
    refused(await f.upload(worker, foreign, body, buyer), 403, "listing_not_served", /names worker signer/);
    const unconfigured = await f.openTest(buyer, 50, f.unconfiguredListingId);
    // Its opening is not among the watcher's tests, and an upload for a test it has not seen reads no chain.
    refused(await f.upload(worker, unconfigured, body, buyer), 404, "test_not_found", /its listing is not served here/);
    const refunded = await f.openTest(buyer, 50);
    await f.m.networkHelpers.time.increase(3_601);
    refused(await f.upload(worker, refunded, body, buyer), 409, "test_not_open", /Unserved/);
  });

  it("refuses oversized uploads with 413 before reading them whole", async () => {
    const testId = await f.openTest(buyer);
    const big = new Uint8Array(UPLOAD_LIMIT + 1);
    const headers = await signUpload(buyer, f.context, testId, big);
    // Declared too large: refused from the headers.
    refused(await rawPost(worker, `/tests/${testId}/evaluations`, headers, [big], big.length), 413, "upload_too_large");
    // Streamed (chunked, no length): refused when the stream crosses the limit.
    const chunks = Array.from({ length: 8 }, () => new Uint8Array(UPLOAD_LIMIT / 4));
    refused(await rawPost(worker, `/tests/${testId}/evaluations`, headers, chunks), 413, "upload_too_large", new RegExp(`${UPLOAD_LIMIT} bytes`));
  });

  it("refuses malformed, incompatible and empty uploads, and other media types", async () => {
    const testId = await f.openTest(buyer);
    refused(await f.upload(worker, testId, new TextEncoder().encode("XXXXXXXXXXXX"), buyer), 400, "upload_malformed", /TEVL/);
    refused(await f.upload(worker, testId, new Uint8Array([84, 69]), buyer), 400, "upload_malformed", /shorter/);
    refused(await f.upload(worker, testId, standInUpload(10, new Uint8Array(8), 5), buyer), 422, "upload_incompatible", /5 features/);
    refused(await f.upload(worker, testId, new Uint8Array(0), buyer), 400, "empty_upload");
    const body = standInUpload(10);
    const headers = await signUpload(buyer, f.context, testId, body);
    refused(await post(worker, `/tests/${testId}/evaluations`, body, headers, "application/json"), 415, "unsupported_media_type");
  });

  it("answers result requests for unknown and unfinished jobs with 404 and 409", async () => {
    const testId = await f.openTest(buyer);
    refused(await getJson(worker, `/tests/${testId}/result`), 404, "no_job");
    refused(await getJson(worker, "/tests/424242"), 404, "test_not_found");
    refused(await getJson(worker, "/nowhere"), 404, "not_found");
  });

  it("still serves a good upload after all those refusals", async () => {
    const testId = await f.openTest(buyer, 20);
    const body = standInUpload(20);
    assert.equal((await f.upload(worker, testId, body, buyer)).status, 202);
    await waitForStatus(worker, testId, (s) => s.receipt?.status === "mined");
    assert.equal((await f.receiptsOf(testId)).length, 1);
  });
});
