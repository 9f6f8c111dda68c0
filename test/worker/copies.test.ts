/**
 * Per-buyer fingerprinted copies through the worker (offchain-worker/src/copies/; docs/PROTOCOL.md
 * §7.2), every part real: Hardhat's chain, the CKKS evaluator in a worker thread, node-seal on
 * the buyer's side, onnxruntime-node as the reference, and a copy made as
 * `scripts/train/fingerprint.ts` makes it (the shipped iris-logreg, fine-tuned with the buyer's
 * triggers and marked). Two buyers of one listing: the one the seller issued a copy is
 * evaluated with its copy and gets a CopyReceipt, signed by the listing's worker signer in the
 * market's domain, naming the copy file's root and size; the other gets none. A forged or
 * altered copy receipt is refused by the buyer's client; the worker refuses to start on a copy
 * it cannot serve (unknown model, bad address, a contestable listing), each with its sentence.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as ort from "onnxruntime-node";
import { getAddress, type LocalAccount } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { readMarketDomain } from "@modelbazaar/sdk/actions";
import { modelRootOf } from "@modelbazaar/sdk/delivery";
import { BuyerSession, type HePlanSummary } from "@modelbazaar/sdk/he";
import { RESULT_HEADERS, verifyCopyReceipt, WorkerClient, WorkerClientError, type CopyReceipt } from "@modelbazaar/sdk/worker";
import { ConfigError } from "../../offchain-worker/src/config.ts";
import type { WorkerHandle } from "../../offchain-worker/src/startWorker.ts";
import { loadIris } from "../../scripts/lib/datasets/iris.ts";
import { fingerprintedIrisCopy } from "../helpers/fingerprintedCopy.ts";
import { tamperingProxy } from "../helpers/tamperingProxy.ts";
import { irisDisputePolicy, irisDisputeData, TASK, TEST_POLICY } from "../helpers/irisDispute.ts";
import { MODEL_ID, getJson, waitForStatus, workerFixture, type TestStatusJson } from "./workerFixture.ts";

const LISTED = new URL("../../models/iris-logreg.onnx", import.meta.url).pathname;
const CKKS_EVALUATOR = new URL("../../offchain-worker/src/he/ckksEvaluator.ts", import.meta.url).href;
const COPY_ID = "iris-logreg-copy";

async function onnxScores(model: Uint8Array, features: Float64Array, samples: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model);
  const output = await session.run({ [session.inputNames[0]!]: new ort.Tensor("float32", Float32Array.from(features), [samples, 4]) });
  return output[session.outputNames[0]!]!.data as Float32Array;
}

/**
 * The largest gap between decrypted scores (logits) and onnxruntime's softmax outputs, both
 * centred per sample: log p_k = logit_k - logsumexp, so centred log-probabilities are centred logits.
 */
function largestGap(logits: ArrayLike<number>, probabilities: ArrayLike<number>, classes = 3): number {
  let most = 0;
  for (let s = 0; s < logits.length / classes; s++) {
    const row = (values: ArrayLike<number>, f: (v: number) => number) => Array.from({ length: classes }, (_, k) => f(values[s * classes + k]!));
    const centred = (values: number[]) => values.map((v) => v - values.reduce((a, b) => a + b, 0) / classes);
    const he = centred(row(logits, (v) => v));
    const plain = centred(row(probabilities, Math.log));
    for (let k = 0; k < classes; k++) most = Math.max(most, Math.abs(he[k]! - plain[k]!));
  }
  return most;
}

describe("per-buyer copies through the worker (CKKS, iris-logreg and a fingerprinted copy)", { timeout: 300_000 }, async () => {
  const f = await workerFixture();
  const dir = mkdtempSync(join(tmpdir(), "modelbazaar-copies-"));
  const copyPath = join(dir, "copy.onnx");
  const { test: iris } = loadIris();
  let worker: WorkerHandle;
  let holder: LocalAccount;
  let other: LocalAccount;
  let copyFile: Uint8Array;
  let plan: HePlanSummary;

  /** The worker's config with `copies` on the served listing, on a fresh data directory (a refused start must not sweep the running worker's). */
  const startWith = (copies: Record<string, string>, listingId = f.listingId, models: Record<string, { onnx: string }> = { [MODEL_ID]: { onnx: LISTED }, [COPY_ID]: { onnx: copyPath } }) =>
    f.start({
      dataDir: mkdtempSync(join(dir, "data-")),
      uploadLimitBytes: 32 * 2 ** 20,
      listings: [{ listingId, modelId: MODEL_ID, copies }],
      evaluator: { module: CKKS_EVALUATOR, settings: { models } },
    });

  /** Opens, encrypts the Iris held-out set for the listing's plan, uploads, waits for the receipt; the buyer's session decrypts. */
  async function testDrive(buyer: LocalAccount): Promise<{ testId: bigint; scores: Float64Array; status: TestStatusJson & { copy: unknown } }> {
    const testId = await f.openTest(buyer, iris.sampleCount);
    const session = await BuyerSession.create(plan);
    try {
      const accepted = await f.upload(worker, testId, session.encryptTestSet(iris.features, iris.sampleCount), buyer);
      assert.equal(accepted.status, 202, JSON.stringify(accepted.json));
      const status = (await waitForStatus(worker, testId, (s) => s.receipt !== null, 120_000)) as TestStatusJson & { copy: unknown };
      const result = await new WorkerClient(worker.url).result(testId);
      return { testId, scores: Float64Array.from(session.decryptResult(result.bytes).scores), status };
    } finally {
      session.delete();
    }
  }

  before(async () => {
    holder = await f.newBuyer();
    other = await f.newBuyer();
    copyFile = fingerprintedIrisCopy(holder.address);
    writeFileSync(copyPath, copyFile);
    worker = await startWith({ [holder.address]: COPY_ID });
    const listings = await getJson(worker, "/listings");
    plan = (listings.json.listings as { listingId: string; plan: HePlanSummary }[]).find((l) => BigInt(l.listingId) === f.listingId)!.plan;
  });
  after(() => worker?.close());

  it("evaluates the copy-holder's test-drive with its copy and signs a CopyReceipt of the copy file's root and size", async () => {
    const { testId, scores, status } = await testDrive(holder);
    const result = await new WorkerClient(worker.url).result(testId);
    assert.ok(result.copy, "the copy-holder's result carries a CopyReceipt");
    const { root, size } = modelRootOf(copyFile);
    assert.equal(result.copy.copyRoot, root);
    assert.equal(result.copy.copySize, size);
    assert.equal(result.copy.testId, testId);
    assert.notEqual(root, modelRootOf(readFileSync(LISTED)).root, "the copy's bytes are not the listed model's");
    const domain = await readMarketDomain(f.m.publicClient, { market: f.c.market.address });
    assert.equal(await verifyCopyReceipt(domain, f.workerAddress, result.copy), true, "signed by the listing's worker signer in the market's domain");
    assert.deepEqual(status.copy, { copyRoot: root, copySize: size.toString(), signature: result.copy.signature }, "GET /tests/:id reports it too");

    // What was evaluated is the copy: the decrypted scores follow the copy's, not the listed model's.
    const toCopy = largestGap(scores, await onnxScores(copyFile, iris.features, iris.sampleCount));
    const toListed = largestGap(scores, await onnxScores(readFileSync(LISTED), iris.features, iris.sampleCount));
    assert.ok(toCopy < 0.05 && toListed > 10 * toCopy, `decrypted scores are ${toCopy} from the copy's and ${toListed} from the listed model's`);
  });

  it("evaluates a buyer without a copy with the listed model and serves no copy headers", async () => {
    const { testId, scores, status } = await testDrive(other);
    const response = await fetch(`${worker.url}/tests/${testId}/result`);
    for (const name of [RESULT_HEADERS.copyRoot, RESULT_HEADERS.copySize, RESULT_HEADERS.copySignature]) assert.equal(response.headers.get(name), null, name);
    await response.arrayBuffer();
    assert.equal((await new WorkerClient(worker.url).result(testId)).copy, undefined);
    assert.equal(status.copy, null);
    assert.ok(largestGap(scores, await onnxScores(readFileSync(LISTED), iris.features, iris.sampleCount)) < 0.05, "evaluated with the listed model");
  });

  it("lets the buyer refuse a forged or altered copy receipt", async () => {
    const testId = (await f.c.market.getEvents.TestOpened({ buyer: holder.address }, { fromBlock: 0n })).at(-1)!.args.testId!;
    const domain = await readMarketDomain(f.m.publicClient, { market: f.c.market.address });
    const genuine = (await new WorkerClient(worker.url).result(testId)).copy!;
    const altered: CopyReceipt[] = [
      { ...genuine, copySize: genuine.copySize + 1n },
      { ...genuine, copyRoot: modelRootOf(readFileSync(LISTED)).root },
      { ...genuine, testId: testId + 1n },
    ];
    for (const receipt of altered) assert.equal(await verifyCopyReceipt(domain, f.workerAddress, receipt), false, JSON.stringify(receipt, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));
    const forger = privateKeyToAccount(generatePrivateKey());
    const forged = await forger.signTypedData({ domain, types: { CopyReceipt: [{ name: "testId", type: "uint256" }, { name: "copyRoot", type: "bytes32" }, { name: "copySize", type: "uint64" }] }, primaryType: "CopyReceipt", message: genuine });
    assert.equal(await verifyCopyReceipt(domain, f.workerAddress, { ...genuine, signature: forged }), false, "signed by someone else");

    // Through the client: an altered size arrives well-formed and fails verification; malformed or partial headers are refused outright.
    const cases: [string, (h: Record<string, string>) => void, RegExp | undefined][] = [
      ["altered size", (h) => (h[RESULT_HEADERS.copySize] = (genuine.copySize + 1n).toString()), undefined],
      ["signature missing", (h) => delete h[RESULT_HEADERS.copySignature], /copy receipt.*x-modelbazaar-copy-signature missing/],
      ["size not decimal", (h) => (h[RESULT_HEADERS.copySize] = "0x10"), /x-modelbazaar-copy-size header .* not a decimal byte count/],
      ["root too short", (h) => (h[RESULT_HEADERS.copyRoot] = "0x1234"), /x-modelbazaar-copy-root header .* not 32 bytes/],
      ["signature not hex", (h) => (h[RESULT_HEADERS.copySignature] = "signed"), /x-modelbazaar-copy-signature header .* not a 64- or 65-byte/],
    ];
    for (const [what, tamper, refusal] of cases) {
      const proxy = await tamperingProxy(worker.url, tamper);
      try {
        const fetched = new WorkerClient(proxy.url).result(testId);
        if (refusal) {
          await assert.rejects(fetched, (error: unknown) => error instanceof WorkerClientError && error.code === "bad_response" && refusal.test(error.message), what);
        } else {
          const { copy } = await fetched;
          assert.ok(copy, what);
          assert.equal(await verifyCopyReceipt(domain, f.workerAddress, copy), false, what);
        }
      } finally {
        await proxy.close();
      }
    }
  });

  it("refuses to start on a copy it cannot serve, each with its sentence", async () => {
    const refusal = (pattern: RegExp) => (error: unknown) => error instanceof Error && pattern.test(error.message);
    await assert.rejects(startWith({ [holder.address]: "ghost" }), refusal(/"models\.ghost\.onnx"/), "a copy model the evaluator has no file for");
    await assert.rejects(startWith({ "0x1234": COPY_ID }), (e) => e instanceof ConfigError && /"0x1234" is not a buyer address/.test(e.message), "not an address");
    const badChecksum = holder.address.toLowerCase().replace(/[a-f]/, (c) => c.toUpperCase());
    if (badChecksum !== getAddress(badChecksum)) await assert.rejects(startWith({ [badChecksum]: COPY_ID }), (e) => e instanceof ConfigError && /not a buyer address/.test(e.message), "a mixed-case address with a wrong checksum");

    const data = await irisDisputeData();
    const seller = f.m.accounts.seller!;
    const contestable = { ...f.m.terms(), task: TASK, testPolicy: TEST_POLICY, disputePolicy: irisDisputePolicy(data) };
    await f.c.registry.write.list([contestable, f.m.offer({ workerSigner: f.workerAddress })], { account: seller.account });
    const contestableId = await f.c.registry.read.listingCount();
    await assert.rejects(
      startWith({ [holder.address]: COPY_ID }, contestableId),
      (e) => e instanceof ConfigError && new RegExp(`listing ${contestableId} is contestable .* serve copies only on a listing without a plan commitment`).test(e.message),
      "a contestable listing",
    );

    const mnist = new URL("../../models/mnist-logreg.onnx", import.meta.url).pathname;
    await assert.rejects(
      startWith({ [holder.address]: "mnist" }, f.listingId, { [MODEL_ID]: { onnx: LISTED }, mnist: { onnx: mnist } }),
      (e) => e instanceof ConfigError && /the copy "mnist" .* is not described as the listed model/.test(e.message),
      "a copy of another plan shape",
    );
  });
});
