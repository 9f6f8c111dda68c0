/**
 * `bazaar test-drive` and `bazaar dispute` as a buyer runs them (child processes, dev buyer
 * key) against a real local stack: `npm start`'s chain, market, demo listings and CKKS worker,
 * plus, started here, a listing of the same Iris model that claims more than it reaches,
 * served by a second worker of our own. Checked against onnxruntime-node and the chain:
 *  - test-drive on the honest Iris listing prints the accuracy onnxruntime gets on the same
 *    (quantized) data and the confusion matrix, and its on-chain receipt hashes the result;
 *    disputing it is refused (the model met its claim); before its first transaction it prints
 *    the cost in ETH, the upload, the batches and the wait from the worker's published speed,
 *    and goes ahead without a terminal to ask (or with --yes, without saying so);
 *  - on the over-claiming listing, an upload the worker refuses leaves an open test-drive that
 *    `--resume` finishes; the dispute proof refunds the deposit; a second dispute is refused;
 *  - a CSV with the wrong feature count, labels out of range, an unknown listing, a worker that
 *    does not answer, a dispute after its window: one sentence, a non-zero exit, nothing staked;
 *  - a buyer the seller issued a fingerprinted copy (docs/PROTOCOL.md §7.2) keeps the worker's
 *    CopyReceipt naming the copy file's root; through a path that alters it, the receipt is
 *    refused with a sentence and a non-zero exit, and `--resume` finishes without it.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as ort from "onnxruntime-node";
import { createPublicClient, createTestClient, createWalletClient, http, keccak256, parseEther, parseEventLogs, type Address, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { startWorker, type WorkerHandle } from "../../offchain-worker/src/startWorker.ts";
import { loadIris } from "../../scripts/lib/datasets/iris.ts";
import { testSetCsv } from "../../scripts/lib/datasets/testSetCsv.ts";
import { demoEvaluator, demoListing, devAccountKey, modelPath } from "../../scripts/lib/demoListings.ts";
import { prepareTestSet } from "@modelbazaar/sdk/actions";
import { modelMarketAbi, modelRegistryAbi } from "@modelbazaar/sdk/abis";
import { argmax } from "@modelbazaar/sdk/he";
import { refundShares } from "@modelbazaar/sdk/testDrives";
import { recordFile } from "../helpers/cliStack.ts";
import { fingerprintedIrisCopy } from "../helpers/fingerprintedCopy.ts";
import { runBazaar, type CliResult } from "../helpers/runBazaar.ts";
import { tamperingProxy } from "../helpers/tamperingProxy.ts";
import { modelRootOf } from "@modelbazaar/sdk/delivery";
import { RESULT_HEADERS } from "@modelbazaar/sdk/worker";
import { freePort } from "../../scripts/lib/freePort.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const BUYER_KEY = devAccountKey(2);
const SELLER_KEY = devAccountKey(1);
const SECOND_WORKER_KEY = devAccountKey(4);
/** The over-claiming listing's claim: above the 29/30 the Iris model reaches on its test split. */
const OVERCLAIM_BPS = 9_900;

/** The npm start stack as a child process, with its own ports and deployment record. */
async function startStack(dir: string): Promise<{ child: ChildProcess; rpc: string; worker: string; deployment: string; addresses: { registry: Address; market: Address } }> {
  const port = await freePort();
  const workerPort = await freePort();
  const child = spawn(join(ROOT, "node_modules/.bin/hardhat"), ["run", "scripts/start.ts"], {
    cwd: ROOT,
    env: { ...process.env, MODELBAZAAR_RPC_PORT: String(port), MODELBAZAAR_WORKER_PORT: String(workerPort), MODELBAZAAR_APP_PORT: String(await freePort()), MODELBAZAAR_AGGREGATOR_PORT: String(await freePort()) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 150_000;
  while (!output.includes("Press Ctrl-C to stop.")) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const address = (label: string): Address => new RegExp(`${label}\\s+(0x[0-9a-fA-F]{40})`).exec(output)![1] as Address;
  const addresses = { registry: address("ModelRegistry"), market: address("ModelMarket") };
  const deployment = join(dir, "deployment.json");
  writeFileSync(deployment, JSON.stringify({ chainId: 31337, ...addresses, startBlock: "0" }));
  return { child, rpc: `http://127.0.0.1:${port}`, worker: `http://127.0.0.1:${workerPort}`, deployment, addresses };
}

/** onnxruntime-node's predicted classes for row-major Iris samples. */
async function onnxPredictions(features: Float64Array, samples: number): Promise<Int32Array> {
  const session = await ort.InferenceSession.create(readFileSync(modelPath("iris-logreg")));
  const output = await session.run({ [session.inputNames[0]!]: new ort.Tensor("float32", Float32Array.from(features), [samples, 4]) });
  return argmax(output[session.outputNames[0]!]!.data as Float32Array, 3);
}

describe("bazaar test-drive and bazaar dispute", { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "bazaar-test-drive-"));
  const iris = loadIris().test;
  const csv = join(dir, "iris.csv");
  writeFileSync(csv, testSetCsv(iris));
  /** The same test set as a data scientist keeps it: named columns, species names as labels (any case). */
  const namesCsv = join(dir, "iris-species.csv");
  const SPECIES = ["setosa", "Versicolor", "VIRGINICA"];
  writeFileSync(namesCsv, testSetCsv(iris).replace(/^.*\n/, "sepal_length,sepal_width,petal_length,petal_width,species\n").replace(/,(\d)$/gm, (_, label: string) => `,${SPECIES[Number(label)]}`));
  let stack: Awaited<ReturnType<typeof startStack>>;
  let client: PublicClient;
  let worker: WorkerHandle | undefined;
  let overclaimId: bigint;
  let deadWorkerListingId: bigint;
  let workerPort: number;

  /** `bazaar` on the stack's chain as the account of `key` (default: the buyer). */
  const bazaar = (args: string[], key = BUYER_KEY): Promise<CliResult> =>
    runBazaar([...args, "--rpc", stack.rpc, "--deployment", stack.deployment], { env: { MODELBAZAAR_PRIVATE_KEY: key, MODELBAZAAR_HOME: join(dir, "home") }, timeoutMs: 180_000 });

  /** Lists the Iris model as the dev seller, with `claimedAccuracyBps` and the worker at `endpoint`. */
  const listIris = async (claimedAccuracyBps: number, endpoint: string): Promise<bigint> => {
    const seller = createWalletClient({ account: privateKeyToAccount(SELLER_KEY), transport: http(stack.rpc) });
    const [terms, offer] = demoListing("iris-logreg", { workerEndpoint: endpoint, workerSigner: privateKeyToAccount(SECOND_WORKER_KEY).address });
    const hash = await seller.writeContract({
      chain: null,
      address: stack.addresses.registry,
      abi: modelRegistryAbi,
      functionName: "list",
      args: [{ ...terms, claimedAccuracyBps }, offer],
    });
    const receipt = await client.waitForTransactionReceipt({ hash });
    return parseEventLogs({ abi: modelRegistryAbi, logs: receipt.logs, eventName: "ListingCreated" })[0]!.args.listingId;
  };

  const startSecondWorker = (uploadLimitBytes?: number, contestable: bigint[] = []) =>
    startWorker({
      rpcUrl: stack.rpc,
      market: stack.addresses.market,
      registry: stack.addresses.registry,
      signerKey: SECOND_WORKER_KEY,
      dataDir: join(dir, "worker"),
      port: workerPort,
      pollIntervalMs: 250,
      threads: 1,
      uploadLimitBytes,
      // The seller contests by hand here (`bazaar contest`): the worker leaves the listings' disputes alone.
      listings: [overclaimId, ...contestable].map((listingId) => ({ listingId, modelId: "iris-logreg", contest: false })),
      evaluator: demoEvaluator([overclaimId, ...contestable].map((listingId) => ({ listingId, modelId: "iris-logreg" }))),
      logLevel: false,
    });

  const testsOpenedBy = async (listingId: bigint) =>
    client.getContractEvents({ address: stack.addresses.market, abi: modelMarketAbi, eventName: "TestOpened", args: { listingId }, fromBlock: 0n });

  before(async () => {
    workerPort = await freePort();
    stack = await startStack(dir);
    client = createPublicClient({ transport: http(stack.rpc), pollingInterval: 100 }) as PublicClient;
    overclaimId = await listIris(OVERCLAIM_BPS, `http://127.0.0.1:${workerPort}`);
    deadWorkerListingId = await listIris(9_000, "http://127.0.0.1:9");
  });

  after(async () => {
    await worker?.close();
    stack?.child.kill("SIGINT");
  });

  it("test-drives the honest Iris listing with species names as labels: onnxruntime's accuracy, a confusion matrix in class names, the receipt checked; a dispute is refused", async () => {
    const run = await bazaar(["test-drive", "1", namesCsv]);
    assert.equal(run.code, 0, run.stderr);
    const [, percent, correctText, testId] = [...(/accuracy (\d+\.\d\d)% \((\d+)\/30\) vs claimed 96\.66%/.exec(run.stdout) ?? []), /test-drive (\d+) of listing 1 \(iris-logreg\): 30 samples/.exec(run.stdout)?.[1]];
    assert.ok(percent && correctText && testId, run.stdout);
    const correct = Number(correctText);

    const task = { featureCount: 4, classCount: 3, scaleBits: 8, featureBits: 12 };
    const quantized = prepareTestSet({ features: iris.features, labels: iris.labels, featureCount: 4, task });
    const reference = await onnxPredictions(quantized.encrypted, iris.sampleCount);
    const referenceCorrect = Array.from(reference).filter((p, i) => p === iris.labels[i]).length;
    assert.equal(correct, referenceCorrect, "HE accuracy equals onnxruntime's on the same quantized data");
    const matrix = /true \\ predicted\s+setosa\s+versicolor\s+virginica\n(0 setosa\s+\d+\s+\d+\s+\d+\n1 versicolor\s+\d+\s+\d+\s+\d+\n2 virginica\s+\d+\s+\d+\s+\d+\n)/.exec(run.stdout)?.[1];
    assert.ok(matrix, run.stdout);
    const rows = matrix.trim().split("\n").map((line) => line.trim().split(/\s+/).slice(2).map(Number));
    assert.deepEqual(rows.map((row) => row.reduce((a, b) => a + b, 0)), [10, 10, 10], "each true class has its 10 samples");
    assert.equal(rows.reduce((sum, row, i) => sum + row[i]!, 0), referenceCorrect, "the diagonal counts the correct answers");
    assert.match(run.stderr, /worker: job/, "a progress line while the worker evaluates");
    const warning = [
      /test-drive of 30 samples on listing 1: [\d.]+ ETH \(deposit [\d.]+ ETH \+ fee [\d.]+ ETH\)/,
      /upload 257 KiB: 30 samples fill 1 batch of 2048 slots .*, 4 ciphertexts; result 193 KiB/,
      /expected wait for the evaluation: about \d+(\.\d+)? s \(1 batch one after another at .* each, the worker's own measure/,
      /no terminal to ask: going ahead \(--yes says so explicitly\)/,
      /opening test-drive/,
    ].map((pattern) => run.stderr.search(pattern));
    assert.ok(warning.every((at) => at >= 0), `cost, upload, wait and the unasked question, then the transaction:\n${run.stderr}`);
    assert.deepEqual(warning, [...warning].sort((a, b) => a - b), `all of it before the first transaction:\n${run.stderr}`);

    const resultHash = /receipt: on-chain result hash (0x[0-9a-f]{64}) equals keccak256/.exec(run.stdout)?.[1];
    const [recorded] = await client.getContractEvents({ address: stack.addresses.market, abi: modelMarketAbi, eventName: "ReceiptRecorded", args: { testId: BigInt(testId) }, fromBlock: 0n });
    assert.equal(recorded?.args.resultHash, resultHash, "the on-chain receipt is the hash the CLI checked");
    const served = await fetch(`${stack.worker}/tests/${testId}/result`);
    assert.equal(keccak256(new Uint8Array(await served.arrayBuffer())), resultHash, "and the hash of the result the worker served");

    assert.ok(correct * 10_000 >= 9_666 * 30, "the demo listing claims the accuracy its model reaches");
    const dispute = await bazaar(["dispute", testId]);
    assert.notEqual(dispute.code, 0);
    assert.match(dispute.stderr, /no refund is due: by your own decrypted predictions the model met its claim on your data/);
  });

  it("finishes an interrupted test-drive with --resume, then a dispute claims the refund and, after the contest window, collects it", async () => {
    worker = await startSecondWorker(1_000); // refuses the upload after openTest
    const refused = await bazaar(["test-drive", overclaimId.toString(), csv]);
    assert.notEqual(refused.code, 0);
    const testId = /test-drive (\d+) is open: finish it later with `bazaar test-drive --resume \1`/.exec(refused.stderr)?.[1];
    assert.ok(testId, refused.stderr);
    assert.match(refused.stderr, /the worker refused upload of test \d+/);

    await worker.close();
    worker = await startSecondWorker();
    const resumed = await bazaar(["--json", "test-drive", "--resume", testId]);
    assert.equal(resumed.code, 0, resumed.stderr);
    const outcome = JSON.parse(resumed.stdout) as { accuracyBps: number; options: string[] };
    assert.ok(outcome.accuracyBps < OVERCLAIM_BPS);
    assert.ok(outcome.options.some((o) => o.includes(`bazaar dispute ${testId}`)));

    const claim = await bazaar(["--json", "dispute", testId]);
    assert.equal(claim.code, 0, claim.stderr);
    const claimed = JSON.parse(claim.stdout) as { phase: string; refund: string; staked: string; shortfallBps: number; correct: number };
    assert.equal(claimed.phase, "Claimed");
    // The demo listing is not contestable (30-sample tests): all or nothing, no bond; the claim stakes the free samples' fee.
    const test = await client.readContract({ address: stack.addresses.market, abi: modelMarketAbi, functionName: "getTest", args: [BigInt(testId)] });
    const [, , policy] = await client.readContract({ address: stack.addresses.registry, abi: modelRegistryAbi, functionName: "testTerms", args: [BigInt(test.listingId)] });
    const { freeSamplesFee } = refundShares(policy, test.sampleCount);
    assert.deepEqual([BigInt(claimed.refund), BigInt(claimed.staked)], [policy.deposit, freeSamplesFee]);
    assert.equal(claimed.shortfallBps, OVERCLAIM_BPS - Math.floor((claimed.correct * 10_000) / 30) - 1, "the largest shortfall the predictions prove");

    const early = await bazaar(["dispute", testId]);
    assert.equal(early.code, 0, early.stderr);
    assert.match(early.stdout, /a refund of 1 ETH is claimed; the seller may contest it until .*; after that run `bazaar dispute \d+` again/);

    const clock = createTestClient({ mode: "hardhat", transport: http(stack.rpc) });
    await clock.increaseTime({ seconds: 86_400 });
    await clock.mine({ blocks: 1 });
    const collect = await bazaar(["--json", "dispute", testId]);
    assert.equal(collect.code, 0, collect.stderr);
    assert.equal((JSON.parse(collect.stdout) as { phase: string }).phase, "BuyerWon");
    const [closed] = await client.getContractEvents({ address: stack.addresses.market, abi: modelMarketAbi, eventName: "TestClosed", args: { testId: BigInt(testId) }, fromBlock: 0n });
    assert.equal(closed?.args.outcome, 2, "closed as Refunded");
    assert.deepEqual([closed?.args.toBuyer, closed?.args.toSeller], [policy.deposit, freeSamplesFee], "the buyer gets the deposit, the seller the free samples' fee");

    const again = await bazaar(["dispute", testId]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /refund dispute is over \(refunded\): `bazaar withdraw` collects what you are owed/);
  });

  it("a contested refund: the honest buyer keeps the refund and wins the seller's bond; a buyer that edits its predictions is caught and loses its bond", async () => {
    // A contestable listing, listed with the CLI: 32 to 256 samples, so `bazaar list` commits the plan.
    const terms = join(dir, "contestable.json");
    const listingTerms = (claimedAccuracyBps: number) => ({
      task: { featureCount: 4, classCount: 3, scaleBits: 8, featureBits: 12 },
      claimedAccuracyBps,
      testPolicy: { deposit: "1", feePerExtraSample: "0.0001", freeSamples: 100, minSamples: 32, maxSamples: 256, serviceWindow: 3_600, disputeWindow: 86_400 },
      sale: { mode: "fixed", price: "5" },
      worker: { endpoint: `http://127.0.0.1:${workerPort}`, signer: privateKeyToAccount(SECOND_WORKER_KEY).address },
      metadata: { uri: "models/iris-logreg.json" },
    });
    const listAs = async (claimedAccuracyBps: number): Promise<bigint> => {
      writeFileSync(terms, JSON.stringify(listingTerms(claimedAccuracyBps)));
      const listed = await bazaar(["--json", "list", modelPath("iris-logreg"), "--terms", terms], SELLER_KEY);
      assert.equal(listed.code, 0, listed.stderr);
      const out = JSON.parse(listed.stdout) as { listingId: string; contestable: boolean; worstDishonestGain: string };
      assert.equal(out.contestable, true, listed.stdout);
      assert.ok(BigInt(out.worstDishonestGain) < 0n, "the bonds bazaar list chose make every lie lose money in expectation");
      return BigInt(out.listingId);
    };
    const overclaimed = await listAs(9_900);
    const honest = await listAs(9_000);
    const { buyerBond, sellerBond } = await client.readContract({ address: stack.addresses.registry, abi: modelRegistryAbi, functionName: "disputePolicy", args: [overclaimed] });
    // At 0.0001 ETH per sample the default D/2 would let a lie pay: bazaar list raised the bond.
    assert.ok(buyerBond > parseEther("0.5"), `buyer bond ${buyerBond}`);
    await worker?.close();
    worker = await startSecondWorker(undefined, [overclaimed, honest]);
    const train = loadIris().train;
    const set48 = join(dir, "iris48.csv");
    writeFileSync(set48, testSetCsv({ ...train, sampleCount: 48 }));
    const clock = createTestClient({ mode: "hardhat", transport: http(stack.rpc) });
    const skip = async (seconds: number) => {
      await clock.increaseTime({ seconds });
      await clock.mine({ blocks: 1 });
    };
    const drive = async (listingId: bigint): Promise<string> => {
      const run = await bazaar(["test-drive", listingId.toString(), set48, "--yes"]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /expected wait for the evaluation: .*\n(.*\n)*opening test-drive/, "the estimate is printed with --yes too");
      assert.doesNotMatch(run.stderr, /no terminal to ask/, "--yes answers beforehand");
      return /test-drive (\d+) of listing/.exec(run.stdout)![1]!;
    };
    const contest = (testId: string) => bazaar(["--json", "contest", testId, "--model", modelPath("iris-logreg")], SELLER_KEY);
    const closedOf = async (testId: string) =>
      (await client.getContractEvents({ address: stack.addresses.market, abi: modelMarketAbi, eventName: "TestClosed", args: { testId: BigInt(testId) }, fromBlock: 0n })).at(-1)!.args;

    // The honest buyer of a model that misses a 99% claim.
    const fair = await drive(overclaimed);
    const claim = await bazaar(["--json", "dispute", fair]);
    assert.equal(claim.code, 0, claim.stderr);
    const claimed = JSON.parse(claim.stdout) as { refund: string; staked: string };
    const contested = await contest(fair);
    assert.equal(contested.code, 0, contested.stderr);
    const opened = await bazaar(["dispute", fair]);
    assert.equal(opened.code, 0, opened.stderr);
    assert.match(opened.stdout, /opened samples (\d+, ){15}\d+ \(their features, labels and predictions are now public\)/);
    const nothing = await contest(fair);
    assert.equal(nothing.code, 0, nothing.stderr);
    assert.equal((JSON.parse(nothing.stdout) as { provable: boolean }).provable, false, "no honest prediction can be contested");
    await skip(86_400);
    const collected = await bazaar(["--json", "dispute", fair]);
    assert.equal(collected.code, 0, collected.stderr);
    const fairEnd = await closedOf(fair);
    assert.equal(fairEnd.outcome, 2, "Refunded");
    assert.equal(fairEnd.toBuyer, BigInt(claimed.refund) + buyerBond + sellerBond, "R + the buyer's bond + the seller's bond");

    // A buyer that meets a 90% claim, edits its kept predictions to fake a shortfall, and is caught.
    const liar = await drive(honest);
    const home = recordFile(join(dir, "home"), "tests");
    const records = JSON.parse(readFileSync(home, "utf8")) as Record<string, { testId?: string; predictions?: number[] }>;
    const record = Object.values(records).find((r) => r.testId === liar)!;
    record.predictions = record.predictions!.map((p, i) => (i % 2 === 0 ? (p + 1) % 3 : p)); // half of them wrong
    writeFileSync(home, JSON.stringify(records));
    assert.equal((await bazaar(["dispute", liar])).code, 0);
    assert.equal((await contest(liar)).code, 0);
    assert.equal((await bazaar(["dispute", liar])).code, 0);
    const caught = await contest(liar);
    assert.equal(caught.code, 0, caught.stderr);
    assert.equal((JSON.parse(caught.stdout) as { phase: string }).phase, "SellerWon", caught.stdout);
    const liarEnd = await closedOf(liar);
    assert.equal(liarEnd.outcome, 8, "RefundRejected");
    assert.equal(liarEnd.toSeller, parseEther("1") + sellerBond, "the seller gets the deposit and its bond");
    assert.equal(await client.readContract({ address: stack.addresses.market, abi: modelMarketAbi, functionName: "owed", args: ["0x000000000000000000000000000000000000dEaD"] }) >= buyerBond, true, "the liar's bond is burned");
  });

  it("refuses bad inputs with a sentence and a non-zero exit, staking nothing", async () => {
    const wide = join(dir, "wide.csv");
    writeFileSync(wide, readFileSync(csv, "utf8").replace(/^f0,/, "extra,f0,").replace(/\n(?=\d)/g, "\n1.5,"));
    const badLabel = join(dir, "label.csv");
    writeFileSync(badLabel, readFileSync(csv, "utf8").replace(/,0\n/, ",3\n"));
    const uciNames = join(dir, "uci.csv");
    writeFileSync(uciNames, readFileSync(namesCsv, "utf8").replace(/,setosa$/gm, ",Iris-setosa"));
    const unlabelled = join(dir, "unlabelled.csv");
    writeFileSync(unlabelled, readFileSync(csv, "utf8").replace(/,\d$/gm, "").replace(",label", ""));
    await worker?.close();
    worker = undefined;
    const [wrongWidth, outOfRange, unknownName, noLabels, unknown, down, workerGone, missing] = await Promise.all([
      bazaar(["test-drive", "1", wide]),
      bazaar(["test-drive", "1", badLabel]),
      bazaar(["test-drive", "1", uciNames]),
      bazaar(["test-drive", "1", unlabelled]),
      bazaar(["test-drive", "999", csv]),
      bazaar(["test-drive", deadWorkerListingId.toString(), csv]),
      bazaar(["test-drive", overclaimId.toString(), csv]),
      bazaar(["test-drive", "1", join(dir, "nope.csv")]),
    ]);
    const expectations: [CliResult, RegExp][] = [
      [wrongWidth, /wide\.csv: the test set has 5 features per sample \(then its label\), but listing 1's model takes 4/],
      [outOfRange, /label\.csv, line \d+ has label 3, but listing 1's classes are 0 to 2 \(setosa, versicolor, virginica\)/],
      [unknownName, /uci\.csv, line 2: the label "Iris-setosa" is neither a class index \(0 to 2\) nor a class name of listing 1 \(setosa, versicolor, virginica\)/],
      [noLabels, /unlabelled\.csv has 4 columns: the 4 features listing 1's model takes, but no label column after them/],
      [unknown, /listing 999 does not exist/],
      [down, /the worker at http:\/\/127\.0\.0\.1:9 does not answer \(is it running\?\); nothing was staked/],
      [workerGone, /does not answer \(is it running\?\); nothing was staked/],
      [missing, /cannot read .*nope\.csv: no such file/],
    ];
    for (const [run, sentence] of expectations) {
      assert.notEqual(run.code, 0, run.stdout);
      assert.match(run.stderr, sentence);
      assert.equal(run.stderr.trim().split("\n").filter((l) => l.startsWith("bazaar:")).length, 1, run.stderr);
    }
    assert.equal((await testsOpenedBy(deadWorkerListingId)).length, 0, "nothing was staked on the listing whose worker is down");
    assert.equal((await testsOpenedBy(overclaimId)).length, 1, "only the resumed test-drive was opened on the over-claiming listing");

    // Past the honest test-drive's dispute window (one day): disputing it is refused as too late.
    const clock = createTestClient({ mode: "hardhat", transport: http(stack.rpc) });
    await clock.increaseTime({ seconds: 86_401 });
    await clock.mine({ blocks: 1 });
    const late = await bazaar(["dispute", "1"]);
    assert.notEqual(late.code, 0);
    assert.match(late.stderr, /the dispute window of test-drive 1 closed \(.* ago\): the deposit now goes to the seller/);
  });

  it("keeps the worker's CopyReceipt of the buyer's own copy, refuses an altered one with a sentence, buys and downloads exactly the tested copy, and refuses an untested copy before accepting it", async () => {
    const buyer = privateKeyToAccount(BUYER_KEY).address;
    const copyFile = fingerprintedIrisCopy(buyer);
    const copyPath = join(dir, "iris-copy.onnx");
    writeFileSync(copyPath, copyFile);
    const port = await freePort();
    const direct = await listIris(9_000, `http://127.0.0.1:${port}`);
    const proxy = await tamperingProxy(`http://127.0.0.1:${port}`, (headers, path) => {
      if (path.endsWith("/result") && headers[RESULT_HEADERS.copySize]) headers[RESULT_HEADERS.copySize] = String(BigInt(headers[RESULT_HEADERS.copySize]!) + 1n);
    });
    const altered = await listIris(9_000, proxy.url);
    await worker?.close();
    worker = await startWorker({
      rpcUrl: stack.rpc,
      market: stack.addresses.market,
      registry: stack.addresses.registry,
      signerKey: SECOND_WORKER_KEY,
      dataDir: join(dir, "copy-worker"),
      port,
      pollIntervalMs: 250,
      threads: 1,
      listings: [direct, altered].map((listingId) => ({ listingId, modelId: "iris-logreg", copies: { [buyer]: "iris-logreg-copy" } })),
      evaluator: { ...demoEvaluator([{ listingId: direct, modelId: "iris-logreg" }]), settings: { models: { "iris-logreg": { onnx: modelPath("iris-logreg") }, "iris-logreg-copy": { onnx: copyPath } } } },
      logLevel: false,
    });
    try {
      const run = await bazaar(["test-drive", direct.toString(), csv, "--yes"]);
      assert.equal(run.code, 0, run.stderr);
      const { root, size } = modelRootOf(copyFile);
      assert.match(run.stdout, new RegExp(`copy: evaluated with your own copy of the model \\(root ${root}, ${size} bytes\\), signed by the listing's worker and kept`));
      const testId = /test-drive (\d+) of listing/.exec(run.stdout)![1]!;
      const kept = Object.values(JSON.parse(readFileSync(recordFile(join(dir, "home"), "tests"), "utf8")) as Record<string, { testId?: string; copyReceipt?: { copyRoot: string; copySize: string } }>).find((r) => r.testId === testId);
      assert.deepEqual([kept?.copyReceipt?.copyRoot, kept?.copyReceipt?.copySize], [root, size.toString()], "kept in the test-drive's record");

      const refused = await bazaar(["test-drive", altered.toString(), csv, "--yes"]);
      assert.notEqual(refused.code, 0, refused.stdout);
      const refusedId = new RegExp(`the worker's copy receipt for test-drive (\\d+) \\(copy ${root} \\(${size + 1n} bytes\\)\\) is not signed by listing ${altered}'s worker signer 0x[0-9a-fA-F]{40}, so it is not kept: .*; the decrypted result is kept: finish test-drive \\1 with \`bazaar test-drive --resume \\1\``).exec(refused.stderr)?.[1];
      assert.ok(refusedId, refused.stderr);
      const resumed = await bazaar(["test-drive", "--resume", refusedId]);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.doesNotMatch(resumed.stdout, /copy: /, "finished without a copy receipt");

      // The tested copy is the one bought: the seller commits it for the purchase, and the buyer
      // downloads exactly those bytes, checked against the copy's root.
      const bought = JSON.parse((await bazaar(["--json", "buy", direct.toString(), "--test", testId])).stdout) as { purchaseId: string };
      const listedFile = modelPath("iris-logreg");
      const asCopy = await bazaar(["deliver", bought.purchaseId, listedFile, "--copy"], SELLER_KEY);
      assert.equal(asCopy.code, 1);
      assert.match(asCopy.stderr, /is the listed model itself, not a buyer's copy: deliver it without --copy/);
      const unflagged = await bazaar(["deliver", bought.purchaseId, copyPath], SELLER_KEY);
      assert.equal(unflagged.code, 1);
      assert.match(unflagged.stderr, /is not the model of listing \d+ \(its Merkle root or size differs\): deliver the exact file you listed, or add --copy if it is this buyer's fingerprinted copy/);
      const delivered = await bazaar(["deliver", bought.purchaseId, copyPath, "--copy"], SELLER_KEY);
      assert.equal(delivered.code, 0, delivered.stderr);
      assert.match(delivered.stdout, new RegExp(`committed the buyer's copy for purchase ${bought.purchaseId} \\(ciphertext root 0x[0-9a-f]{64}\\) and handed it to your worker`));
      const purchase = await client.readContract({ address: stack.addresses.market, abi: modelMarketAbi, functionName: "getPurchase", args: [BigInt(bought.purchaseId)] });
      assert.deepEqual([purchase.copyRoot, purchase.copySize], [root, size], "the copy's root and size are the purchase's on-chain");
      const out = join(dir, "bought-copy.onnx");
      const downloaded = await bazaar(["download", bought.purchaseId, "--out", out]);
      assert.equal(downloaded.code, 0, downloaded.stderr);
      assert.match(downloaded.stdout, /every chunk matches the root of your copy committed for this purchase; the purchase is complete/);
      assert.ok(readFileSync(out).equals(copyFile), "the bytes of the tested copy");

      // A copy no test-drive of this buyer was evaluated with is refused before anything is accepted, and rejecting it refunds.
      const second = JSON.parse((await bazaar(["--json", "buy", altered.toString()])).stdout) as { purchaseId: string };
      assert.equal((await bazaar(["deliver", second.purchaseId, copyPath, "--copy", "--out", join(dir, "untested.bin")], SELLER_KEY)).code, 0);
      const untested = await bazaar(["download", second.purchaseId, "--from", join(dir, "untested.bin"), "--out", join(dir, "never.onnx")]);
      assert.equal(untested.code, 1);
      assert.match(untested.stderr, new RegExp(`purchase ${second.purchaseId} delivers a per-buyer copy \\(root ${root}, ${size} bytes\\), but none of your test-drives of listing ${altered} kept on this machine was evaluated with that copy, so it is not the model you tested; nothing was accepted`));
      assert.equal((await client.readContract({ address: stack.addresses.market, abi: modelMarketAbi, functionName: "getPurchase", args: [BigInt(second.purchaseId)] })).accepted, false);
      const rejected = await bazaar(["download", second.purchaseId, "--reject"]);
      assert.equal(rejected.code, 0, rejected.stderr);
      assert.match(rejected.stdout, /rejected the delivery of purchase \d+: .* ETH was refunded to you/);
    } finally {
      await proxy.close();
    }
  });
});
