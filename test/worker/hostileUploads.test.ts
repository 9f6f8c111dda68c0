/**
 * The worker service under a hostile client (issue #12, findings 1, 2, 8 and 9), with the real
 * container parser (fixtures/containerEvaluator.ts) on Hardhat's in-process chain: the 70-byte
 * upload of no features and 2^32-1 batches is refused at once; a trickled upload is cut off for
 * its rate and a long one at its deadline (408); concurrent uploads are limited per test, per
 * buyer and in total (429); refused uploads leave no nonce row and no stack trace in the log; a
 * flood leaves no file descriptor open; and an unauthenticated upload costs no chain read, for a
 * test the worker knows and for one it has not seen.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, before, describe, it } from "node:test";
import { isAddressEqual, toFunctionSelector, toHex, type Hex, type LocalAccount } from "viem";
import { encodeUpload, type HeParameters } from "@modelbazaar/sdk/he";
import { signUpload, UPLOAD_AUTH_HEADERS } from "@modelbazaar/sdk/worker";
import type { WorkerHandle } from "../../offchain-worker/src/startWorker.ts";
import { abandon, countsOnlyUpload, openFileDescriptors, trickle } from "./hostileClient.ts";
import { controlledRpc } from "./rpcFaults.ts";
import { getJson, logCapture, post, REAL_PARSER, waitForStatus, workerFixture } from "./workerFixture.ts";

const MIN_RATE = 4_096;
const DEADLINE_MS = 6_000;
/** The chain reads that authorize an upload. */
const AUTHORIZING_READS = new Set(["testStatus(uint256)", "getTest(uint256)", "workerOf(uint256)"].map((s) => toFunctionSelector(s)));

describe("the worker under a hostile client", async () => {
  const f = await workerFixture();
  const rpc = controlledRpc(f.m.connection.provider);
  const log = logCapture();
  let worker: WorkerHandle;
  let buyer: LocalAccount;
  let parameters: HeParameters;
  let db: DatabaseSync;

  before(async () => {
    worker = await f.start({
      transport: rpc.transport,
      evaluator: REAL_PARSER,
      uploadLimitBytes: 512 * 1024,
      uploadDeadlineMs: DEADLINE_MS,
      uploadMinBytesPerSecond: MIN_RATE,
      uploadRateGraceMs: 300,
      uploadsPerTest: 1,
      uploadsPerSigner: 2,
      uploadsTotal: 3,
      // The flood of uploads for unseen tests below is about chain reads; the caps on their waits have their own worker.
      unseenTestWaitsPerSigner: 64,
      unseenTestWaitsTotal: 64,
      logLevel: "info",
      logDestination: log,
    });
    buyer = await f.newBuyer();
    const listing = ((await getJson(worker, "/listings")).json.listings as { listingId: string; encryption: HeParameters }[])[0]!;
    parameters = listing.encryption;
    db = new DatabaseSync(join(f.dataDir, "worker.sqlite"), { readOnly: true });
  });
  after(async () => {
    db.close();
    await worker.close();
  });

  const noncesOf = (testId: bigint) => (db.prepare("SELECT COUNT(*) AS n FROM nonces WHERE test_id = ?").get(testId.toString()) as { n: number }).n;
  const path = (testId: bigint) => `/tests/${testId}/evaluations`;
  /** A container the parser accepts for Iris (its ciphertexts are not SEAL's: the stand-in evaluates it). */
  const wellFormed = (samples: number) =>
    encodeUpload({ fingerprint: new Uint8Array(32), parameters, relinKeys: new Uint8Array(0), samples, features: 4, slots: parameters.polyModulusDegree / 2, batches: [Array.from({ length: 4 }, () => new Uint8Array(16).fill(1))] });
  const incoming = () => readdirSync(join(f.dataDir, "blobs", "incoming")).length;
  /** How many chain reads that authorize an upload the worker has made so far. */
  const authorizingReads = () => rpc.calls.filter((c) => c.method === "eth_call" && AUTHORIZING_READS.has(((c.params as [{ data: Hex }])[0].data ?? "0x").slice(0, 10) as Hex)).length;

  it("refuses the 70-byte upload of no features and 2^32-1 batches at once, and keeps serving", async () => {
    const testId = await f.openTest(buyer, 50);
    const started = performance.now();
    for (const [body, status, error] of [
      [countsOnlyUpload(parameters), 422, "upload_incompatible"],
      [countsOnlyUpload(parameters, { features: 4 }), 422, "upload_incompatible"],
      [countsOnlyUpload(parameters, { samples: 0xffffffff, features: 4, batchCount: Math.ceil(0xffffffff / (parameters.polyModulusDegree / 2)) }), 422, "too_many_samples"],
    ] as const) {
      const response = await f.upload(worker, testId, body, buyer);
      assert.equal(response.status, status, JSON.stringify(response.json));
      assert.equal(response.json.error, error);
    }
    assert.ok(performance.now() - started < 30_000, "answered without hanging");
    assert.equal((await getJson(worker, "/health")).status, 200);
    assert.equal(noncesOf(testId), 0, "refused uploads leave no nonce");
    const accepted = await f.upload(worker, testId, wellFormed(50), buyer);
    assert.equal(accepted.status, 202, JSON.stringify(accepted.json));
    assert.equal(noncesOf(testId), 1, "the accepted upload's nonce is recorded");
    await waitForStatus(worker, testId, (s) => s.receipt?.status === "mined");
  });

  it("cuts off a trickled upload for its rate (408), keeping no nonce", async () => {
    const testId = await f.openTest(buyer, 50);
    const headers = await signUpload(buyer, f.context, testId, new Uint8Array(1000));
    const cut = await trickle(worker, path(testId), headers, { total: 1000, chunkBytes: 1, everyMs: 100 });
    assert.equal(cut.status, 408, JSON.stringify(cut.json));
    assert.equal(cut.json.error, "upload_too_slow");
    assert.match(cut.json.message as string, new RegExp(`minimum of ${MIN_RATE} bytes/s`));
    assert.ok(cut.bytesSent < 1000);
    assert.equal(noncesOf(testId), 0);
  });

  it("limits concurrent uploads per test, per buyer and in total (429), cuts them at their deadline, and frees their slots", async () => {
    const [other, latecomer] = [await f.newBuyer(), await f.newBuyer()];
    const [a, b, c, d, e] = [await f.openTest(buyer, 50), await f.openTest(buyer, 50), await f.openTest(buyer, 50), await f.openTest(other, 50), await f.openTest(latecomer, 50)];
    const total = 400 * 1024; // at 10 KiB/s: past the deadline
    const slowly = async (testId: bigint, signer: LocalAccount) =>
      trickle(worker, path(testId), await signUpload(signer, f.context, testId, new Uint8Array(total)), { total, chunkBytes: 1024, everyMs: 100 });
    const waitForReceiving = async (n: number) => {
      for (const deadline = Date.now() + 10_000; incoming() < n && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
      assert.equal(incoming(), n, "the slow uploads are being received");
    };
    const busy = async (testId: bigint, signer: LocalAccount, reason: RegExp) => {
      const response = await f.upload(worker, testId, wellFormed(50), signer);
      assert.equal(response.status, 429, JSON.stringify(response.json));
      assert.equal(response.json.error, "too_many_uploads");
      assert.match(response.json.message as string, reason);
    };

    const first = slowly(a, buyer);
    await waitForReceiving(1);
    await busy(a, buyer, new RegExp(`test ${a} already has 1 upload`));
    const second = slowly(b, buyer);
    await waitForReceiving(2);
    await busy(c, buyer, /already has 2 upload\(s\) in progress on this worker/);
    const third = slowly(d, other);
    await waitForReceiving(3);
    await busy(e, latecomer, /maximum of 3 uploads/);

    for (const cut of await Promise.all([first, second, third])) {
      assert.equal(cut.status, 408, JSON.stringify(cut.json));
      assert.equal(cut.json.error, "upload_timeout");
      assert.ok(cut.bytesSent < total);
    }
    for (const testId of [a, b, c, d, e]) assert.equal(noncesOf(testId), 0);
    assert.equal((await f.upload(worker, c, wellFormed(50), buyer)).status, 202, "the slots are free again");
  });

  it("logs refusals as single lines, never with a stack trace", () => {
    assert.ok(log.lines.some((line) => line.includes("upload_too_slow")), "the refusals are logged");
    const traced = log.lines.filter((line) => /"stack"|\\n\s+at /.test(line));
    assert.deepEqual(traced, []);
  });

  it("closes every file descriptor after a flood of abandoned and refused uploads", async () => {
    const mallory = await f.newBuyer();
    const testId = await f.openTest(buyer, 50);
    const body = new Uint8Array(32 * 1024);
    const baseline = openFileDescriptors();
    const headers = await signUpload(buyer, f.context, testId, body);
    const strangers = await signUpload(mallory, f.context, testId, body);
    await Promise.all([
      ...Array.from({ length: 40 }, () => abandon(worker, path(testId), headers, { total: body.length, sent: 8 * 1024 })),
      ...Array.from({ length: 40 }, () => post(worker, path(testId), body, strangers).catch(() => undefined)),
    ]);
    let open = openFileDescriptors();
    for (const deadline = Date.now() + 15_000; (open > baseline + 4 || incoming() > 0) && Date.now() < deadline; open = openFileDescriptors()) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(open <= baseline + 4, `${open} file descriptors open after the flood, ${baseline} before`);
    assert.equal(incoming(), 0, "no upload file is left open or on disk");
    assert.equal((await getJson(worker, "/health")).status, 200);
  });

  it("refuses unauthenticated uploads of a known test without reading the chain", async () => {
    const mallory = await f.newBuyer();
    const testId = await f.openTest(buyer, 50);
    await waitForStatus(worker, testId, (s) => s.test !== null && isAddressEqual(s.test.buyer, buyer.address));
    const body = wellFormed(50);
    const before = authorizingReads();
    const honest = await signUpload(buyer, f.context, testId, body);
    const refusals: [Record<string, string>, number, string][] = [
      [{ ...honest, [UPLOAD_AUTH_HEADERS.signature]: "0x1234" }, 400, "malformed_signature"],
      [{ ...honest, [UPLOAD_AUTH_HEADERS.signature]: `0x${"00".repeat(65)}` }, 400, "malformed_signature"],
      [await signUpload(mallory, f.context, testId, body), 401, "wrong_signer"],
      [await signUpload(buyer, f.context, testId + 1_000n, body), 401, "wrong_signer"],
    ];
    for (let round = 0; round < 25; round++) {
      for (const [headers, status, error] of refusals) {
        const response = await post(worker, path(testId), body, headers);
        assert.equal(response.status, status, JSON.stringify(response.json));
        assert.equal(response.json.error, error);
      }
    }
    assert.equal(authorizingReads() - before, 0, "100 unauthenticated uploads read the chain");
    assert.equal((await post(worker, path(testId), body, honest)).status, 202, "the buyer is still served");
    assert.ok(authorizingReads() > before, "the buyer's upload is authorized on-chain");
  });

  it("refuses unauthenticated uploads to tests it has not seen without reading the chain, and serves a buyer whose test it has not seen yet", async () => {
    const mallory = await f.newBuyer();
    const unconfigured = await f.openTest(mallory, 50, f.unconfiguredListingId);
    const body = wellFormed(50);
    const unseen = [unconfigured, ...Array.from({ length: 59 }, (_, i) => 1_000_000n + BigInt(i))];
    // Reads of these tests or of the unserved listing (the worker's own jobs read the chain meanwhile).
    const reads = [...unseen.map((id) => toHex(id, { size: 32 }).slice(2)), `${toFunctionSelector("workerOf(uint256)").slice(2)}${toHex(f.unconfiguredListingId, { size: 32 }).slice(2)}`];
    const readsOfUnseen = () => rpc.calls.filter((c) => c.method === "eth_call" && reads.some((read) => ((c.params as [{ data: Hex }])[0].data ?? "").endsWith(read))).length;
    const answers = await Promise.all(unseen.map(async (testId) => post(worker, path(testId), body, await signUpload(mallory, f.context, testId, body))));
    for (const answer of answers) {
      assert.equal(answer.status, 404, JSON.stringify(answer.json));
      assert.equal(answer.json.error, "test_not_found");
    }
    assert.equal(readsOfUnseen(), 0, `${unseen.length} uploads for unseen tests read the chain`);

    // Uploaded at once after opening: the watcher has not seen the test yet; the upload waits for its next pass.
    const before = authorizingReads();
    const testId = await f.openTest(buyer, 50);
    assert.equal((await f.upload(worker, testId, body, buyer)).status, 202, "the buyer is served");
    assert.ok(authorizingReads() > before, "the buyer's upload is authorized on-chain");
  });

  it("caps the uploads waiting for the chain to see their test, per signer and in total: 503 with Retry-After beyond", async () => {
    const slow = controlledRpc(f.m.connection.provider);
    const waits = await f.start({ transport: slow.transport, dataDir: join(f.dataDir, "chain-waits"), evaluator: REAL_PARSER, pollIntervalMs: 1_000, unseenTestWaitsPerSigner: 2, unseenTestWaitsTotal: 3 });
    try {
      let release = () => undefined as void;
      slow.hold = new Promise<void>((resolve) => (release = resolve));
      const body = wellFormed(50);
      const send = async (signer: LocalAccount, testId: bigint) => {
        const response = await fetch(`${waits.url}${path(testId)}`, { method: "POST", body: new Uint8Array(body), headers: { "content-type": "application/octet-stream", ...(await signUpload(signer, f.context, testId, body)) } });
        return { status: response.status, retryAfter: response.headers.get("retry-after"), json: (await response.json()) as { error: string; message: string } };
      };
      const [mallory, eve] = [await f.newBuyer(), await f.newBuyer()];
      const fromMallory = [0n, 1n, 2n].map((i) => send(mallory, 2_000_000n + i));
      const perSigner = await Promise.any(fromMallory); // two wait for the held chain; the third is refused at once
      assert.equal(perSigner.status, 503, JSON.stringify(perSigner.json));
      assert.equal(perSigner.json.error, "too_many_waiting");
      assert.match(perSigner.json.message, new RegExp(`${mallory.address} already has 2 upload\\(s\\) waiting`));
      assert.equal(perSigner.retryAfter, "1");
      const fromEve = [3n, 4n].map((i) => send(eve, 2_000_000n + i));
      const total = await Promise.any(fromEve);
      assert.equal(total.status, 503, JSON.stringify(total.json));
      assert.match(total.json.message, /3 uploads already are waiting/);
      release();
      slow.hold = undefined;
      const answers = await Promise.all([...fromMallory, ...fromEve]);
      assert.deepEqual(answers.map((a) => a.status).sort(), [404, 404, 404, 503, 503], "the waits end once the chain answers");
      assert.equal((await send(eve, 2_000_010n)).status, 404, "the slots are free again");
    } finally {
      await waits.close();
    }
  });
});
