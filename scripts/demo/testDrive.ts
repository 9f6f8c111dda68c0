/**
 * A buyer's test-drive in the demo, through the same SDK actions as `bazaar test-drive`:
 * prepare and commit the test set, open the test on-chain (deposit + fee), encrypt under CKKS
 * and upload to the listing's worker, decrypt the predictions, and check the on-chain receipt
 * records the result the buyer decrypted (submitting the worker's signed receipt if needed).
 */
import { parseEventLogs, toHex } from "viem";
import { fetchPredictions, getTestReceipt, prepareTestSet, type KeptTestSet, readListing, uploadTestSet } from "@modelbazaar/sdk/actions";
import { modelMarketAbi } from "@modelbazaar/sdk/abis";
import { BuyerSession } from "@modelbazaar/sdk/he";
import { WorkerClient } from "@modelbazaar/sdk/worker";
import type { Dataset } from "../lib/datasets/dataset.ts";
import type { Step, Trader } from "./trade.ts";

/** How long the worker's own receipt transaction may take before the buyer submits the signed one. */
const RECEIPT_GRACE_MS = 20_000;

export interface DemoTestDrive {
  readonly testId: bigint;
  readonly sampleCount: number;
  readonly correct: number;
  readonly accuracyBps: number;
  readonly claimedAccuracyBps: number;
  readonly deposit: bigint;
  readonly fee: bigint;
  readonly kept: KeptTestSet;
  readonly heMs: number;
}

export async function testDrive(step: Step, buyer: Trader, listingId: bigint, workerUrl: string, data: Dataset): Promise<DemoTestDrive> {
  const { publicClient, deployment } = step.market;
  const { terms } = await readListing(publicClient, deployment, listingId);
  const set = prepareTestSet({ features: data.features, labels: data.labels, featureCount: data.featureCount, task: terms.task });
  const [deposit, fee] = await buyer.contracts.market.read.testPrice([listingId, set.sampleCount]);
  const opened = await step.send(buyer, "opening the test-drive", () =>
    buyer.contracts.market.write.openTest([listingId, toHex(set.dataCommitment, { size: 32 }), set.sampleCount], { value: deposit + fee, chain: undefined }),
  );
  const [event] = parseEventLogs({ abi: modelMarketAbi, logs: opened.logs, eventName: "TestOpened" });
  if (!event) throw new Error("openTest emitted no TestOpened event");
  const testId = event.args.testId;

  const started = performance.now();
  const worker = new WorkerClient(workerUrl);
  const { plan } = (await worker.listing(listingId)).served;
  const he = await BuyerSession.create(plan);
  let predictions: number[];
  let resultHash: `0x${string}`;
  let receiptSignature: `0x${string}`;
  try {
    await uploadTestSet(worker, { session: he, signer: buyer.account, context: { chainId: deployment.chainId, market: deployment.market }, testId, features: set.encrypted, sampleCount: set.sampleCount });
    const fetched = await fetchPredictions(worker, { session: he, testId, sampleCount: set.sampleCount, timeoutMs: 120_000 });
    predictions = fetched.predictions;
    resultHash = fetched.result.resultHash;
    receiptSignature = fetched.result.receiptSignature;
  } finally {
    he.delete();
  }
  const heMs = performance.now() - started;
  const recorded = await awaitReceipt(step, buyer, testId, resultHash, receiptSignature);
  step.check(`the on-chain receipt of test ${testId} records the result ${buyer.name} decrypted`, recorded === resultHash);
  const correct = predictions.filter((p, i) => p === set.labels[i]).length;
  return {
    testId,
    sampleCount: set.sampleCount,
    correct,
    accuracyBps: Math.floor((correct * 10_000) / set.sampleCount),
    claimedAccuracyBps: terms.claimedAccuracyBps,
    deposit,
    fee,
    kept: { quantized: set.quantized, labels: set.labels, salt: set.salt, predictions },
    heMs,
  };
}

/** The result hash the chain records for `testId`, waiting for the worker and falling back to its signed receipt. */
async function awaitReceipt(step: Step, buyer: Trader, testId: bigint, resultHash: `0x${string}`, signature: `0x${string}`): Promise<string | undefined> {
  const { publicClient, deployment } = step.market;
  const read = () => getTestReceipt(publicClient, { market: deployment.market, testId, fromBlock: deployment.startBlock });
  const deadline = Date.now() + RECEIPT_GRACE_MS;
  let receipt = await read();
  while (!receipt && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    receipt = await read();
  }
  if (!receipt) {
    await step.send(buyer, "recording the worker's signed receipt", () => buyer.contracts.market.write.recordSignedReceipt([testId, resultHash, signature], { chain: undefined }));
    receipt = await read();
  }
  return receipt?.resultHash;
}

export function percent(bps: number): string {
  return `${(bps / 100).toFixed(2)} %`;
}
