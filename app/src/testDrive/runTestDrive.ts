/**
 * A buyer's test-drive in the browser, step by step, as `bazaar test-drive` runs it, on the
 * SDK only: the test set checked and committed (listingTestSet), encrypted under a fresh CKKS
 * key in a Web Worker (encryptInBrowser) before anything is staked, the secrets kept in this
 * browser (keptTestDrive.ts), `openTest` with the deposit and fee in one transaction (through
 * the dApp's transaction hook), the upload signed by the wallet (EIP-712) and sent to the
 * seller's worker, the worker's progress, the result decrypted in a Web Worker, and the
 * on-chain receipt checked against the result's hash (submitting the worker's signed receipt
 * when the worker's own transaction does not come), and, when the worker evaluated the buyer's own
 * fingerprinted copy, its CopyReceipt kept once it checks out against the listing's worker
 * signer (checkCopyReceipt; docs/PROTOCOL.md §7.2). The plaintext test set never leaves the
 * browser: only ciphertexts go to the worker, only the commitment to the chain.
 */
import { parseEventLogs, toHex, type Address, type Hash, type PublicClient, type TransactionReceipt } from "viem";
import { checkCopyReceipt, CopyReceiptRefusedError, getTestReceipt, type PreparedTestSet } from "@modelbazaar/sdk/actions";
import type { Deployment } from "@modelbazaar/sdk/client";
import { modelMarketAbi } from "@modelbazaar/sdk/abis";
import { decryptInBrowser, encryptInBrowser } from "@modelbazaar/sdk/he/browser";
import type { HePlanSummary } from "@modelbazaar/sdk/he";
import { type UploadSigner, WorkerClient, type WorkerTestStatus } from "@modelbazaar/sdk/worker";
import { fromBase64, saveKeptTestDrive, toBase64, type BrowserKeptTestDrive } from "./keptTestDrive.ts";

export type TestDriveStep = "encrypt" | "open" | "upload" | "evaluate" | "decrypt" | "receipt";

export interface TestDriveProgress {
  readonly step: TestDriveStep;
  /** 0..1 within the step, when it is measurable. */
  readonly fraction?: number;
  readonly detail: string;
}

/** The dApp's transaction hook, as this flow uses it (hooks/useTransactor.ts). */
export type OpenTest = (request: { listingId: bigint; dataCommitment: Hash; sampleCount: number; value: bigint }) => Promise<TransactionReceipt | undefined>;
export type RecordSignedReceipt = (request: { testId: bigint; resultHash: Hash; signature: Hash }) => Promise<TransactionReceipt | undefined>;

export interface RunTestDriveParameters {
  readonly publicClient: PublicClient;
  readonly deployment: Deployment;
  readonly buyer: Address;
  readonly signer: UploadSigner;
  readonly listing: { readonly id: bigint; readonly workerEndpoint: string; readonly claimedAccuracyBps: number; readonly classCount: number; readonly classNames?: readonly string[] };
  readonly plan: HePlanSummary;
  readonly set: PreparedTestSet;
  /** deposit + fee, as the market prices this test set. */
  readonly value: bigint;
  readonly openTest: OpenTest;
  readonly recordSignedReceipt: RecordSignedReceipt;
  readonly onProgress: (progress: TestDriveProgress) => void;
  /** Hears each record saved, so the page can offer its export. */
  readonly onKept: (record: BrowserKeptTestDrive) => void;
}

/** How long the worker's own receipt transaction may take before the buyer submits the signed receipt (as the CLI waits). */
const RECEIPT_GRACE_MS = 20_000;

/** Why the flow stopped, in one sentence (the transaction hook has already toasted the details). */
export class TestDriveStopped extends Error {
  override readonly name = "TestDriveStopped";
}

const WORKER_WORDS: Record<string, string> = { queued: "queued at the seller's worker", running: "the seller's worker is evaluating under encryption", done: "evaluated", failed: "failed" };

export async function runTestDrive(p: RunTestDriveParameters): Promise<BrowserKeptTestDrive> {
  const { publicClient, deployment, set, plan, listing } = p;
  const keep = (record: BrowserKeptTestDrive): BrowserKeptTestDrive => {
    saveKeptTestDrive(record);
    p.onKept(record);
    return record;
  };

  p.onProgress({ step: "encrypt", fraction: 0, detail: "Encrypting your test set in this browser…" });
  let ciphertexts = 0;
  const { upload, secretKey } = await encryptInBrowser({
    plan,
    features: set.encrypted,
    sampleCount: set.sampleCount,
    onProgress: (done, total) => {
      ciphertexts = total;
      p.onProgress({ step: "encrypt", fraction: done / total, detail: `Encrypted ${done} of ${total} ciphertexts` });
    },
  });
  let record = keep({
    chainId: deployment.chainId,
    market: deployment.market,
    listingId: listing.id.toString(),
    buyer: p.buyer,
    sampleCount: set.sampleCount,
    classCount: listing.classCount,
    claimedAccuracyBps: listing.claimedAccuracyBps,
    ...(listing.classNames ? { classNames: listing.classNames } : {}),
    dataCommitment: toHex(set.dataCommitment, { size: 32 }),
    salt: set.salt.toString(),
    labels: set.labels,
    quantized: set.quantized,
    createdAt: new Date().toISOString(),
    stage: "committed",
    heSecretKey: toBase64(secretKey),
  });

  // The count stays on screen while the wallet asks: a fast encryption's own lines may never be painted.
  p.onProgress({ step: "open", detail: `Encrypted ${ciphertexts} ciphertexts in this browser. Opening the test-drive: confirm the deposit and fee in your wallet…` });
  const opened = await p.openTest({ listingId: listing.id, dataCommitment: record.dataCommitment, sampleCount: set.sampleCount, value: p.value });
  if (!opened) throw new TestDriveStopped("The test-drive was not opened, so nothing was staked.");
  const [event] = parseEventLogs({ abi: modelMarketAbi, logs: opened.logs, eventName: "TestOpened" });
  if (!event) throw new TestDriveStopped(`openTest (transaction ${opened.transactionHash}) emitted no TestOpened event.`);
  const testId = event.args.testId;
  record = keep({ ...record, stage: "opened", testId: testId.toString() });

  const worker = new WorkerClient(listing.workerEndpoint);
  p.onProgress({ step: "upload", detail: `Sign the upload in your wallet, then ${(upload.length / 2 ** 20).toFixed(2)} MiB go to the seller's worker…` });
  await worker.upload(p.signer, { chainId: deployment.chainId, market: deployment.market }, testId, upload, (sent, total) =>
    p.onProgress({ step: "upload", fraction: sent / total, detail: `Uploaded ${(sent / 2 ** 20).toFixed(2)} of ${(total / 2 ** 20).toFixed(2)} MiB to the seller's worker` }),
  );
  record = keep({ ...record, stage: "uploaded" });

  p.onProgress({ step: "evaluate", detail: "Uploaded; waiting for the seller's worker…" });
  await worker.waitForResult(testId, {
    onStatus: (status: WorkerTestStatus, elapsedMs) =>
      p.onProgress({ step: "evaluate", detail: `${WORKER_WORDS[status.job?.status ?? "queued"] ?? status.job?.status} (${Math.round(elapsedMs / 1000)} s)` }),
  });
  const result = await worker.result(testId);

  p.onProgress({ step: "decrypt", detail: "Decrypting the result in this browser…" });
  const predictions = await decryptInBrowser({ plan, secretKey: fromBase64(record.heSecretKey!), result: result.bytes, sampleCount: set.sampleCount });
  // The secret key stays kept until the chain's receipt is known to hash this result: a worker
  // that recorded another result leaves the buyer able to decrypt what the chain holds.
  record = keep({ ...record, stage: "evaluated", predictions, resultHash: result.resultHash });

  p.onProgress({ step: "receipt", detail: "Checking the evaluation receipt on-chain…" });
  let recorded = await waitForReceipt(publicClient, deployment, testId);
  if (!recorded) {
    await p.recordSignedReceipt({ testId, resultHash: result.resultHash, signature: result.receiptSignature });
    recorded = await getTestReceipt(publicClient, { market: deployment.market, testId, fromBlock: deployment.startBlock });
  }
  if (recorded?.resultHash !== result.resultHash) {
    throw new TestDriveStopped(`The on-chain receipt of test-drive ${testId} records ${recorded?.resultHash ?? "nothing"}, but the result you decrypted hashes to ${result.resultHash}: the worker served another result than it recorded. Your secret key stays kept in this browser.`);
  }
  record = keep({ ...record, heSecretKey: undefined });
  if (!result.copy) return record;
  try {
    return keep({ ...record, copyReceipt: await checkCopyReceipt(publicClient, { deployment, listingId: listing.id, testId, receipt: result.copy }) });
  } catch (error) {
    if (error instanceof CopyReceiptRefusedError) throw new TestDriveStopped(`${error.message}. The test-drive itself is evaluated and kept.`);
    throw error;
  }
}

/** The worker's receipt once a block carries it, or undefined after the grace period. */
async function waitForReceipt(client: PublicClient, deployment: Deployment, testId: bigint) {
  const deadline = Date.now() + RECEIPT_GRACE_MS;
  for (;;) {
    const recorded = await getTestReceipt(client, { market: deployment.market, testId, fromBlock: deployment.startBlock });
    if (recorded || Date.now() > deadline) return recorded;
    await new Promise<void>((resolve) => {
      const stop = client.watchBlockNumber({ onBlockNumber: () => (stop(), resolve()), pollingInterval: 1_000 });
    });
  }
}
