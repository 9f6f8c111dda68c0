/**
 * Shared fixture of the worker service tests: the real contracts on Hardhat's in-process
 * chain (test/helpers/market.ts), a fresh worker signer key (funded, named by the served
 * listing), buyers as viem local accounts (real EIP-712 signatures), a worker started on
 * 127.0.0.1 with an ephemeral port and the stand-in evaluator (fixtures/standInEvaluator.ts)
 * or the real container parser ({REAL_PARSER}), and small HTTP helpers.
 */
import { request as httpRequest } from "node:http";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { custom, keccak256, parseEther, toHex, type Address, type Hex, type LocalAccount } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { startWorker, type WorkerHandle } from "../../offchain-worker/src/startWorker.ts";
import type { WorkerConfig } from "../../offchain-worker/src/config.ts";
import { signUpload } from "@modelbazaar/sdk/worker";
import { connectMarket, POLICY } from "../helpers/market.ts";
import { IRIS_MODEL } from "./fixtures/containerEvaluator.ts";
import { recordSuiteSecrets } from "../../scripts/test/logRedaction.ts";

export const MODEL_ID = "iris-logistic";
export const UPLOAD_LIMIT = 64 * 1024;
const STAND_IN = new URL("./fixtures/standInEvaluator.ts", import.meta.url).href;
const CONTAINER_EVALUATOR = new URL("./fixtures/containerEvaluator.ts", import.meta.url).href;

/** The evaluator config of fixtures/containerEvaluator.ts: the real container parser against the Iris plan, the stand-in's evaluation. */
export const REAL_PARSER = { module: CONTAINER_EVALUATOR, settings: { models: { [MODEL_ID]: { onnx: IRIS_MODEL } } } } as const;

export async function workerFixture() {
  const m = await connectMarket();
  const c = await m.load();
  const workerKey = generatePrivateKey();
  recordSuiteSecrets({ "a worker fixture's signer key": workerKey });
  const workerAddress = privateKeyToAccount(workerKey).address;
  await m.networkHelpers.setBalance(workerAddress, parseEther("10"));
  /** Served by this worker. */
  const listingId = await m.list(c, { workerSigner: workerAddress });
  /** In the worker's config, but the listing names another worker signer. */
  const foreignListingId = await m.list(c);
  /** Not in the worker's config at all (though it names this worker's signer). */
  const unconfiguredListingId = await m.list(c, { workerSigner: workerAddress });
  const context = { chainId: await m.publicClient.getChainId(), market: c.market.address };
  const dataDir = await mkdtemp(join(tmpdir(), "modelbazaar-worker-"));

  /** A funded buyer with its own key. */
  async function newBuyer(): Promise<LocalAccount> {
    const account = privateKeyToAccount(generatePrivateKey());
    await m.networkHelpers.setBalance(account.address, parseEther("100"));
    return account;
  }

  /** Opens a test-drive as `buyer`; returns its id. */
  async function openTest(buyer: LocalAccount, sampleCount = 50, listing = listingId): Promise<bigint> {
    const fee = sampleCount > POLICY.freeSamples ? BigInt(sampleCount - POLICY.freeSamples) * POLICY.feePerExtraSample : 0n;
    const commitment = toHex(BigInt(keccak256(toHex(`${buyer.address}:${Math.random()}`))) >> 8n, { size: 32 });
    await c.market.write.openTest([listing, commitment, sampleCount], { account: buyer, value: POLICY.deposit + fee });
    const logs = await c.market.getEvents.TestOpened({ buyer: buyer.address }, { fromBlock: 0n });
    return logs.at(-1)!.args.testId!;
  }

  function start(overrides: Partial<WorkerConfig> & { delayMs?: number; gateFile?: string } = {}): Promise<WorkerHandle> {
    const { delayMs = 0, gateFile, ...rest } = overrides;
    return startWorker({
      transport: custom(m.connection.provider),
      market: c.market.address,
      registry: c.registry.address,
      signerKey: workerKey,
      dataDir,
      port: 0,
      uploadLimitBytes: UPLOAD_LIMIT,
      listings: [
        { listingId, modelId: MODEL_ID },
        { listingId: foreignListingId, modelId: MODEL_ID },
      ],
      evaluator: { module: STAND_IN, settings: gateFile ? { delayMs, gateFile } : { delayMs } },
      threads: 1,
      pollIntervalMs: 50,
      retryDelayMs: 200,
      logLevel: false,
      ...rest,
    });
  }

  /** Uploads `body` for `testId`, signed by `signer` (for `signedTestId`, default the same test). */
  async function upload(worker: WorkerHandle, testId: bigint, body: Uint8Array, signer: LocalAccount, options: { signedTestId?: bigint; nonce?: Hex } = {}) {
    const headers = await signUpload(signer, context, options.signedTestId ?? testId, body, options.nonce);
    return post(worker, `/tests/${testId}/evaluations`, body, headers);
  }

  /** The ReceiptRecorded events of `testId`. */
  async function receiptsOf(testId: bigint) {
    return c.market.getEvents.ReceiptRecorded({ testId }, { fromBlock: 0n });
  }

  return { m, c, context, dataDir, workerKey, workerAddress: workerAddress as Address, listingId, foreignListingId, unconfiguredListingId, newBuyer, openTest, start, upload, receiptsOf };
}

export interface JsonResponse {
  readonly status: number;
  readonly json: Record<string, unknown>;
}

export async function post(worker: WorkerHandle, path: string, body: Uint8Array, headers: Record<string, string>, contentType = "application/octet-stream"): Promise<JsonResponse> {
  const response = await fetch(`${worker.url}${path}`, { method: "POST", body: new Uint8Array(body), headers: { "content-type": contentType, ...headers } });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

export async function getJson(worker: WorkerHandle, path: string): Promise<JsonResponse> {
  const response = await fetch(`${worker.url}${path}`);
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/**
 * POSTs with node:http, writing `chunks` one by one (chunked, unless `contentLength` is
 * given), and resolves with the response even if the server answers before the body is
 * written and closes the connection (what a 413 does).
 */
export function rawPost(worker: WorkerHandle, path: string, headers: Record<string, string>, chunks: readonly Uint8Array[], contentLength?: number): Promise<JsonResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${worker.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream", ...headers, ...(contentLength === undefined ? {} : { "content-length": String(contentLength) }) },
    });
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on("error", reject); // no-op once the response resolved: a refused body may fail to finish writing
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

/** Polls GET /tests/:testId until `done(json)` holds; fails after `timeoutMs`. */
export async function waitForStatus(worker: WorkerHandle, testId: bigint, done: (status: TestStatusJson) => boolean, timeoutMs = 20_000): Promise<TestStatusJson> {
  const deadline = Date.now() + timeoutMs;
  let last: TestStatusJson | undefined;
  while (Date.now() < deadline) {
    const { status, json } = await getJson(worker, `/tests/${testId}`);
    if (status === 200) {
      last = json as unknown as TestStatusJson;
      if (done(last)) return last;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`test ${testId} did not reach the expected state; last seen ${JSON.stringify(last)}`);
}

export interface TestStatusJson {
  readonly job: { id: string; status: string; error: string | null } | null;
  readonly receipt: { resultHash: Hex; signature: Hex; status: string; txHash: Hex | null; error: string | null } | null;
  readonly test: { receiptHash: Hex | null; buyer: Address; sampleCount: number } | null;
}

/** A log destination for `start({ logLevel: "info", logDestination })` that keeps every line. */
export function logCapture(): { readonly lines: string[]; write(line: string): boolean } {
  const lines: string[] = [];
  return { lines, write: (line) => lines.push(line) > 0 };
}
