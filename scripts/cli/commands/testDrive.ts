/**
 * `bazaar test-drive <listingId> <data.csv> [--samples n]` (buyer): tests a listed model on a
 * private labelled test set. Checks the CSV against the listing's task, quantizes and commits
 * (secrets saved locally first), asks the listing's worker for the plan, opens the test-drive
 * on-chain (deposit + fee) after telling what it will cost (ETH, upload, batches, the expected
 * wait from the worker's published speed) and asking (`--yes` answers; without a terminal it
 * goes ahead), encrypts under CKKS, signs and uploads, waits, decrypts, prints
 * the accuracy against the claim and a confusion matrix, checks the on-chain receipt hashes
 * the result (submitting the worker's signed receipt itself if the worker's transaction is
 * missing) and names the buyer's options. When the worker evaluated the test with the buyer's own
 * fingerprinted copy, it keeps the worker's CopyReceipt once its signature checks out against
 * the listing's worker signer (docs/PROTOCOL.md §7.2), and refuses it with a sentence otherwise. `--resume <testId>` finishes a test-drive from its
 * saved state after an interruption (worker down, Ctrl-C).
 */
import type { Command } from "commander";
import { formatEther, isAddressEqual, parseEventLogs, toHex } from "viem";
import {
  checkCopyReceipt,
  CopyReceiptRefusedError,
  fetchPredictions,
  getTestReceipt,
  listingTestSet,
  dequantizeFeature,
  TestSetError,
  type PreparedTestSet,
  LISTING_STATUSES,
  readListing,
  type Listing,
  readTest,
  readTestPrice,
  UnknownIdError,
  uploadTestSet,
} from "@modelbazaar/sdk/actions";
import { modelMarketAbi } from "@modelbazaar/sdk/abis";
import { BuyerSession, confusionMatrix } from "@modelbazaar/sdk/he";
import { estimateTestDrive, type KeptCopyReceipt } from "@modelbazaar/sdk/testDrives";
import { servedListing, WorkerClient, WorkerClientError, type CopyReceipt, type ServedListing, type WorkerTestStatus } from "@modelbazaar/sdk/worker";
import { addChainOptions } from "../chainOptions.ts";
import { CliError } from "../cliError.ts";
import { confirmOrStop } from "../confirm.ts";
import { readLabelledCsv } from "../csv.ts";
import { readListingCard, type ListingCard } from "../metadataDocument.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { writeSession, type ChainOptions, type WriteSession } from "../session.ts";
import { keptTestDrive, nextStepOf, saveTestDrive, type TestDriveRecord } from "../testDriveRecord.ts";
import { buyerOptions, formatTestDrive, type TestDriveOutcome } from "../testDriveReport.ts";
import { formatTestDriveEstimate } from "../testDriveCost.ts";
import { formatDeadline } from "@modelbazaar/sdk/labels";
import { sendTransaction } from "../tx.ts";
import { parseId } from "../values.ts";
import { requestSigner, workerContext } from "../workerAccess.ts";

interface TestDriveFlags extends ChainOptions {
  samples?: string;
  resume?: string;
  yes?: boolean;
}

/** How long the worker's own receipt transaction may take before the buyer submits the signed receipt. */
const RECEIPT_GRACE_MS = 20_000;

export function registerTestDrive(program: Command, globals: () => GlobalOptions): void {
  addChainOptions(
    program
      .command("test-drive")
      .description("test a listed model on your private labelled test set under homomorphic encryption (as your account: MODELBAZAAR_KEYSTORE or MODELBAZAAR_PRIVATE_KEY)")
      .argument("[listingId]", "the listing to test")
      .argument("[data.csv]", "your test set: a header line, then one sample per line: the features, then the label, as a class index (0, 1, ...) or a class name of the listing's model card (e.g. setosa; any case)")
      .option("--samples <n>", "use only the first n samples of the file")
      .option("--resume <testId>", "finish a test-drive this machine opened earlier (after an interruption)")
      .option("--yes", "do not ask before staking: before its first transaction test-drive prints the cost (deposit + fee in ETH), the upload size, the batch count and the expected wait (from the speed the listing's worker publishes, or \"unknown\"), then asks at a terminal (without one it goes ahead)"),
  ).action(async (listing: string | undefined, csv: string | undefined, flags: TestDriveFlags) => {
    const session = await writeSession(flags);
    const record = flags.resume ? await resumable(session, flags.resume) : await startTestDrive(session, listing, csv, flags);
    const outcome = await finishTestDrive(session, record);
    printResult(globals(), outcome, () => formatTestDrive(outcome));
  });
}

/** The saved record of a test-drive to resume; refuses unknown ids and finished ones. */
async function resumable(session: WriteSession, text: string): Promise<TestDriveRecord> {
  const testId = parseId(text, "the test-drive id");
  const record = await keptTestDrive(session, testId, "resuming needs the test set's secrets and the CKKS key bazaar test-drive kept");
  if (!isAddressEqual(record.buyer, session.account.address)) throw new CliError(`test-drive ${testId} belongs to ${record.buyer}, not to ${session.account.address}`);
  if (["claimed", "samples-opened", "refunded", "rejected"].includes(record.stage)) throw new CliError(`test-drive ${testId} is finished: ${nextStepOf(record)}`);
  return record;
}

/** Everything before the chain sees anything: checks, commitment, worker reachable; then saves and opens. */
async function startTestDrive(session: WriteSession, listingText: string | undefined, csv: string | undefined, flags: TestDriveFlags): Promise<TestDriveRecord> {
  if (!listingText || !csv) throw new CliError("give a listing id and a CSV file (bazaar test-drive <listingId> <data.csv>), or --resume <testId>");
  const listingId = parseId(listingText, "the listing id");
  const listing = await listingOf(session, listingId);
  const card = await readListingCard(listing.offer);
  const set = testSetFrom(csv, flags.samples, listing, listingId, card);
  const worker = new WorkerClient(listing.offer.workerEndpoint);
  const served = await servedOrStop(session, worker, listing, listingId);
  const { deposit, fee } = await readTestPrice(session.publicClient, session.deployment, { listingId, sampleCount: set.sampleCount, policy: listing.terms.testPolicy }).catch((error: unknown) => {
    throw error instanceof TestSetError ? new CliError(error.message) : error;
  });
  progress(formatTestDriveEstimate(estimateTestDrive({ samples: set.sampleCount, plan: served.plan, deposit, fee, speed: served.evaluation }), listingId));
  await requireFunds(session, deposit + fee);
  await confirmOrStop("open this test-drive?", { yes: flags.yes === true, nothingDone: "nothing was staked" });
  const committed: TestDriveRecord = {
    listingId: listingId.toString(),
    buyer: session.account.address,
    workerEndpoint: worker.url,
    claimedAccuracyBps: listing.terms.claimedAccuracyBps,
    classCount: listing.terms.task.classCount,
    modelName: card.name,
    classNames: card.metadata?.classNames,
    encoding: { featureCount: listing.terms.task.featureCount, featureBits: listing.terms.task.featureBits, scaleBits: listing.terms.task.scaleBits },
    sampleCount: set.sampleCount,
    dataCommitment: toHex(set.dataCommitment, { size: 32 }),
    featuresRoot: set.featuresRoot.toString(),
    salt: set.salt.toString(),
    labels: set.labels,
    quantized: set.quantized,
    createdAt: new Date().toISOString(),
    stage: "committed",
  };
  saveTestDrive(await session.recordScope(), committed);
  progress(`opening test-drive: deposit ${formatEther(deposit)} ETH + fee ${formatEther(fee)} ETH`);
  const receipt = await sendTransaction(session.publicClient, "opening the test-drive", () =>
    session.contracts.market.write.openTest([listingId, committed.dataCommitment, set.sampleCount], { value: deposit + fee, chain: undefined }),
  );
  const [opened] = parseEventLogs({ abi: modelMarketAbi, logs: receipt.logs, eventName: "TestOpened" });
  if (!opened) throw new CliError(`openTest (transaction ${receipt.transactionHash}) emitted no TestOpened event`);
  const record: TestDriveRecord = { ...committed, stage: "opened", testId: opened.args.testId.toString(), openTx: receipt.transactionHash };
  saveTestDrive(await session.recordScope(), record);
  return record;
}

async function listingOf(session: WriteSession, listingId: bigint): Promise<Listing> {
  try {
    const listing = await readListing(session.publicClient, session.deployment, listingId);
    if (LISTING_STATUSES[listing.status] !== "active") throw new CliError(`listing ${listingId} is not active (paused or delisted): it cannot be test-driven`);
    return listing;
  } catch (error) {
    if (error instanceof UnknownIdError) throw new CliError(error.message);
    throw error;
  }
}

/** The CSV's samples, checked against the listing's task (the SDK's listingTestSet); labels may be class indices or the model card's class names. */
function testSetFrom(csv: string, samplesText: string | undefined, listing: Listing, listingId: bigint, card: ListingCard): PreparedTestSet {
  const samples = readLabelledCsv(csv);
  const take = samplesText === undefined ? samples.sampleCount : Number(parseId(samplesText, "--samples"));
  if (take > samples.sampleCount) throw new CliError(`--samples ${take} asks for more samples than ${csv} has (${samples.sampleCount})`);
  try {
    return listingTestSet({ samples, take, listingId, task: listing.terms.task, classNames: card.metadata?.classNames, namesMissing: card.problem, source: csv });
  } catch (error) {
    if (error instanceof TestSetError) throw new CliError(error.message);
    throw error;
  }
}

/** The listing as its worker serves it (HE plan, published speed; the SDK's servedListing checks the worker is the listing's); a refusal says nothing was staked. */
async function servedOrStop(session: WriteSession, worker: WorkerClient, listing: Listing, listingId: bigint): Promise<ServedListing> {
  try {
    return await servedListing(worker, { deployment: session.deployment, listingId, workerSigner: listing.offer.workerSigner });
  } catch (error) {
    if (error instanceof WorkerClientError) throw new CliError(`${error.message}; nothing was staked`);
    throw error;
  }
}

async function requireFunds(session: WriteSession, value: bigint): Promise<void> {
  const balance = await session.publicClient.getBalance({ address: session.account.address });
  if (balance < value) {
    throw new CliError(`insufficient funds: the test-drive costs ${formatEther(value)} ETH (deposit and fee) but ${session.account.address} holds ${formatEther(balance)} ETH`);
  }
}

/** From an opened (or further) record to the printed outcome, saving each stage reached. */
async function finishTestDrive(session: WriteSession, opened: TestDriveRecord): Promise<TestDriveOutcome> {
  const scope = await session.recordScope();
  const testId = BigInt(opened.testId!);
  const listingId = BigInt(opened.listingId);
  const worker = new WorkerClient(opened.workerEndpoint);
  const started = performance.now();
  const timings: Record<string, number> = {};
  let record = opened;
  if (record.stage === "opened" || record.stage === "uploaded") {
    const plan = await workerCall(testId, () => worker.listing(listingId)).then((l) => l.served.plan);
    const he = await BuyerSession.create(plan, record.heSecretKey ? { secretKey: new Uint8Array(Buffer.from(record.heSecretKey, "base64")) } : {});
    try {
      if (!record.heSecretKey) {
        record = { ...record, heSecretKey: Buffer.from(he.exportSecretKey()).toString("base64") };
        saveTestDrive(scope, record);
      }
      const current: TestDriveRecord = record.stage === "uploaded" && (await uploadLost(worker, testId)) ? { ...record, stage: "opened" } : record;
      if (current.stage === "opened") record = await workerCall(testId, () => upload(session, worker, he, current, testId, timings));
      const fetched = await workerCall(testId, () =>
        fetchPredictions(worker, { session: he, testId, sampleCount: record.sampleCount, onStatus: evaluationProgress }),
      );
      endProgress();
      timings.wait = fetched.waitMs;
      timings.decrypt = fetched.decryptMs;
      const correct = fetched.predictions.filter((p, i) => p === record.labels[i]).length;
      record = {
        ...record,
        stage: "evaluated",
        heSecretKey: undefined,
        predictions: fetched.predictions,
        accuracyBps: Math.floor((correct * 10_000) / record.sampleCount),
        resultHash: fetched.result.resultHash,
        receiptSignature: fetched.result.receiptSignature,
      };
      saveTestDrive(scope, record);
      if (fetched.result.copy) {
        record = { ...record, copyReceipt: await keptCopyReceipt(session, listingId, testId, fetched.result.copy) };
        saveTestDrive(scope, record);
      }
    } finally {
      he.delete();
    }
  }
  const recordedBy = record.stage === "evaluated" ? await confirmReceipt(session, worker, record, testId) : "worker";
  record = { ...record, stage: "receipted" };
  saveTestDrive(scope, record);
  timings.total = performance.now() - started;
  return outcomeOf(session, record, testId, recordedBy, timings);
}

/**
 * The worker's CopyReceipt checked against the listing's worker signer; a refusal stops the
 * command with its sentence, after the decrypted result was kept (the record says "evaluated"),
 * so `--resume` finishes the test-drive without a copy receipt.
 */
async function keptCopyReceipt(session: WriteSession, listingId: bigint, testId: bigint, receipt: CopyReceipt): Promise<KeptCopyReceipt> {
  try {
    return await checkCopyReceipt(session.publicClient, { deployment: session.deployment, listingId, testId, receipt });
  } catch (error) {
    if (error instanceof CopyReceiptRefusedError) throw new CliError(`${error.message}; the decrypted result is kept: finish test-drive ${testId} with \`bazaar test-drive --resume ${testId}\``);
    throw error;
  }
}

async function upload(session: WriteSession, worker: WorkerClient, he: BuyerSession, record: TestDriveRecord, testId: bigint, timings: Record<string, number>): Promise<TestDriveRecord> {
  const encrypted = Float64Array.from(record.quantized.flat(), (q) => dequantizeFeature(q, record.encoding));
  progress(`encrypting ${record.sampleCount} samples and uploading to ${worker.url}`);
  const context = workerContext(session);
  try {
    const sent = await uploadTestSet(worker, { session: he, signer: requestSigner(session), context, testId, features: encrypted, sampleCount: record.sampleCount });
    timings.encrypt = sent.encryptMs;
    timings.upload = sent.uploadMs;
    progress(`uploaded ${(sent.uploadBytes / 2 ** 20).toFixed(2)} MiB (job ${sent.jobId})`);
    const uploaded: TestDriveRecord = { ...record, stage: "uploaded", jobId: sent.jobId };
    saveTestDrive(await session.recordScope(), uploaded);
    return uploaded;
  } catch (error) {
    if (error instanceof WorkerClientError && error.code === "job_exists") return { ...record, stage: "uploaded" }; // an earlier run's upload was accepted
    throw error;
  }
}

/** Whether the worker lost or failed an accepted upload (so resuming must upload again). */
async function uploadLost(worker: WorkerClient, testId: bigint): Promise<boolean> {
  try {
    const { job } = await worker.status(testId);
    return !job || job.status === "failed";
  } catch (error) {
    if (error instanceof WorkerClientError && error.code === "test_not_found") return true;
    throw error;
  }
}

/** The buyer's account as an upload signer (writeSession's account is a local private-key account). */
/** Runs a worker call; a refusal or an unreachable worker becomes a sentence with the way to finish later. */
async function workerCall<T>(testId: bigint, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    endProgress();
    if (error instanceof WorkerClientError) throw new CliError(`${error.message}; test-drive ${testId} is open: finish it later with \`bazaar test-drive --resume ${testId}\``);
    throw error;
  }
}

/**
 * Checks the on-chain receipt equals keccak256(result). Waits for the worker's own transaction
 * first; when it does not arrive (or failed), submits the worker's signed receipt itself.
 */
async function confirmReceipt(session: WriteSession, worker: WorkerClient, record: TestDriveRecord, testId: bigint): Promise<"worker" | "buyer"> {
  const deadline = Date.now() + RECEIPT_GRACE_MS;
  let recorded = await getTestReceipt(session.publicClient, { market: session.deployment.market, testId, fromBlock: session.deployment.startBlock });
  let by: "worker" | "buyer" = "worker";
  while (!recorded && Date.now() < deadline && (await workerReceiptPending(worker, testId))) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    recorded = await getTestReceipt(session.publicClient, { market: session.deployment.market, testId, fromBlock: session.deployment.startBlock });
  }
  if (!recorded) {
    progress("the worker's receipt is not on-chain: submitting its signed receipt");
    await sendTransaction(session.publicClient, "recording the worker's signed receipt", () =>
      session.contracts.market.write.recordSignedReceipt([testId, record.resultHash!, record.receiptSignature!], { chain: undefined }),
    );
    by = "buyer";
    recorded = await getTestReceipt(session.publicClient, { market: session.deployment.market, testId, fromBlock: session.deployment.startBlock });
  }
  if (recorded?.resultHash !== record.resultHash) {
    throw new CliError(
      `the on-chain receipt of test ${testId} records ${recorded?.resultHash ?? "nothing"}, but the result you decrypted hashes to ${record.resultHash}: the worker served another result than it recorded`,
    );
  }
  return by;
}

async function workerReceiptPending(worker: WorkerClient, testId: bigint): Promise<boolean> {
  const status = await worker.status(testId).catch(() => undefined);
  return status?.receipt?.status === "pending" || status?.receipt?.status === "sent" || status?.receipt?.status === "mined";
}

async function outcomeOf(session: WriteSession, record: TestDriveRecord, testId: bigint, recordedBy: "worker" | "buyer", timingsMs: Record<string, number>): Promise<TestDriveOutcome> {
  const view = await readTest(session.publicClient, session.deployment, testId);
  const deadline = view.deadline === undefined ? undefined : formatDeadline(Number(view.deadline), Number(view.now));
  const predictions = record.predictions!;
  const correct = predictions.filter((p, i) => p === record.labels[i]).length;
  const listingId = BigInt(record.listingId);
  const accuracyBps = record.accuracyBps!;
  return {
    testId,
    listingId,
    sampleCount: record.sampleCount,
    correct,
    accuracyBps,
    claimedAccuracyBps: record.claimedAccuracyBps,
    modelName: record.modelName,
    classNames: record.classNames,
    confusionMatrix: confusionMatrix(predictions.map((p) => (p < record.classCount ? p : 0)), record.labels, record.classCount),
    resultHash: record.resultHash!,
    receiptRecordedBy: recordedBy,
    ...(record.copyReceipt ? { copyReceipt: record.copyReceipt } : {}),
    deposit: view.deposit,
    disputeDeadline: deadline,
    timingsMs,
    options: buyerOptions(testId, listingId, accuracyBps, record.claimedAccuracyBps, deadline),
  };
}

/** Progress goes to stderr, so --json output on stdout stays machine-readable. */
function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

let progressOpen = false;

/** One line rewritten in place on a terminal (a line per change of job status otherwise). */
let lastStatus = "";
function evaluationProgress(status: WorkerTestStatus, elapsedMs: number): void {
  const job = status.job?.status ?? "waiting";
  const line = `worker: job ${job}${status.receipt ? `, receipt ${status.receipt.status}` : ""} (${(elapsedMs / 1000).toFixed(1)} s)`;
  if (process.stderr.isTTY) {
    process.stderr.write(`\r${line.padEnd(60)}`);
    progressOpen = true;
  } else if (job !== lastStatus) {
    progress(line);
  }
  lastStatus = job;
}

function endProgress(): void {
  if (progressOpen) process.stderr.write("\n");
  progressOpen = false;
}
