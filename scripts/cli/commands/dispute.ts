/**
 * `bazaar dispute <testId>` (buyer): the v2 refund of docs/DISPUTES.md §7, one step per run.
 *
 * - Not claimed: proves, from the test set and predictions `bazaar test-drive` kept on this
 *   machine, the largest shortfall below the claim they show (a Refund(N) proof, which reveals
 *   nothing else), and claims the graded refund, staking the listing's buyer bond and the fee of
 *   the free samples (a refund pays for every sample queried).
 * - Contested: opens the 16 samples the two secrets draw, with an Open proof (this reveals those
 *   samples, their labels and predictions).
 * - A window has ended: closes the dispute (refund and bonds to whoever the rules say).
 * - Otherwise: says what the seller may still do and until when.
 * Refuses in a sentence when the model met its claim, the dispute window is not open, or the
 * local state is missing.
 */
import type { Command } from "commander";
import { formatEther } from "viem";
import {
  proveGradedRefund,
  NoRefundProofError,
  proveSampleOpening,
  readDispute,
  type DisputeView,
  readTest,
  type TestView,
  UnknownIdError,
} from "@modelbazaar/sdk/actions";
import { formatBps } from "@modelbazaar/sdk/testDrives";
import type { ProvingProgress } from "@modelbazaar/sdk/prover";
import { addChainOptions } from "../chainOptions.ts";
import { CliError } from "../cliError.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { writeSession, type WriteSession } from "../session.ts";
import { keptTestDrive, saveTestDrive, type TestDriveRecord } from "../testDriveRecord.ts";
import { formatDeadline } from "@modelbazaar/sdk/labels";
import { ARTIFACTS, closeDispute, disputesContract, endedText, until, type Print } from "../disputeSteps.ts";
import { sendTransaction } from "../tx.ts";
import { parseId } from "../values.ts";

export function registerDispute(program: Command, globals: () => GlobalOptions): void {
  addChainOptions(
    program
      .command("dispute")
      .description(
        "claim a graded refund of a test-drive whose model did worse than its claim, then (run again) open the drawn samples if the seller contests, and collect when the dispute's window ends (as your account: MODELBAZAAR_KEYSTORE or MODELBAZAAR_PRIVATE_KEY)",
      )
      .argument("<testId>", "your test-drive, run on this machine with bazaar test-drive"),
  ).action(async (text: string, flags: { rpc?: string; deployment?: string }) => {
    const testId = parseId(text, "the test-drive id");
    const session = await writeSession(flags);
    const record = await keptRecord(session, testId);
    const view = await readDispute(session.publicClient, { market: session.deployment.market, testId });
    const out = (value: object, text: string) => printResult(globals(), { testId, ...value }, () => text);
    switch (view.phase) {
      case "None":
        return claim(session, record, testId, out);
      case "Contested":
        if (!view.closable) return open(session, record, view, out);
        return closeDispute(session, view, out);
      case "Claimed":
      case "Opened":
        if (view.closable) return closeDispute(session, view, out);
        return out(
          { phase: view.phase, deadline: view.deadline },
          view.phase === "Claimed"
            ? `test-drive ${testId}: a refund of ${formatEther(view.refund)} ETH is claimed; the seller may contest it ${until(view)}; after that run \`bazaar dispute ${testId}\` again to collect it with your bond`
            : `test-drive ${testId}: your samples are open; the seller may prove a mismatch ${until(view)}; after that run \`bazaar dispute ${testId}\` again to collect the refund, your bond and the seller's`,
        );
      case "BuyerWon":
      case "SellerWon":
        return out({ phase: view.phase }, endedText(view));
    }
  });
}

async function claim(session: WriteSession, record: TestDriveRecord, testId: bigint, out: Print): Promise<void> {
  requireDisputable(await testView(session, testId));
  const started = performance.now();
  const claimed = await proveOrExplain(() => proveGradedRefund(session.publicClient, parameters(session, record, testId)));
  const proveMs = Math.round(performance.now() - started);
  const disputes = disputesContract(session, claimed.context.disputes);
  const receipt = await sendTransaction(session.publicClient, "claiming the refund", () =>
    disputes.write.claimRefund([testId, claimed.shortfallBps, claimed.predictionCommitment, claimed.buyerSecretHash, claimed.proof.calldata], { value: claimed.value, chain: undefined }),
  );
  saveTestDrive(await session.recordScope(), { ...record, stage: "claimed", refundTx: receipt.transactionHash });
  const view = await readDispute(session.publicClient, { market: session.deployment.market, testId });
  const n = claimed.context.fields.sampleCount;
  out(
    { phase: view.phase, shortfallBps: claimed.shortfallBps, refund: claimed.refund, staked: claimed.value, correct: claimed.correct, sampleCount: n, deadline: view.deadline, proveMs, gasUsed: receipt.gasUsed, transaction: receipt.transactionHash },
    [
      `test-drive ${testId}: claimed a refund of ${formatEther(claimed.refund)} ETH for a shortfall of ${claimed.shortfallBps} bps (${claimed.correct}/${n} correct = ${formatBps(Math.floor((claimed.correct * 10_000) / n))} against the claimed ${formatBps(claimed.context.fields.claimedAccuracyBps)}); staked ${formatEther(claimed.value)} ETH (your bond and the free samples' fee)`,
      `  the seller may contest ${until(view)}; run \`bazaar dispute ${testId}\` again after that (or when contested, to open the drawn samples)`,
      `  proof refund_${claimed.context.circuitSize} (${(proveMs / 1000).toFixed(1)} s), gas ${receipt.gasUsed}`,
    ].join("\n"),
  );
}

async function open(session: WriteSession, record: TestDriveRecord, view: DisputeView, out: Print): Promise<void> {
  const opened = await proveOrExplain(() => proveSampleOpening(session.publicClient, parameters(session, record, view.testId)));
  const disputes = disputesContract(session, view.disputes);
  const receipt = await sendTransaction(session.publicClient, "opening the drawn samples", () =>
    disputes.write.openSamples([view.testId, opened.opening, opened.proof.calldata], { chain: undefined }),
  );
  saveTestDrive(await session.recordScope(), { ...record, stage: "samples-opened" });
  const after = await readDispute(session.publicClient, { market: session.deployment.market, testId: view.testId });
  out(
    { phase: after.phase, indices: opened.indices, deadline: after.deadline, gasUsed: receipt.gasUsed, transaction: receipt.transactionHash },
    after.phase === "SellerWon"
      ? `test-drive ${view.testId}: opened samples ${opened.indices.join(", ")}; a prediction there is not a class of the task, so the seller won the dispute`
      : [
          `test-drive ${view.testId}: opened samples ${opened.indices.join(", ")} (their features, labels and predictions are now public)`,
          `  the seller may prove one of your predictions is not its model's ${until(after)}; run \`bazaar dispute ${view.testId}\` again after that (gas ${receipt.gasUsed})`,
        ].join("\n"),
  );
}

function parameters(session: WriteSession, record: TestDriveRecord, testId: bigint) {
  return {
    market: session.deployment.market,
    testId,
    kept: { quantized: record.quantized, labels: record.labels, salt: BigInt(record.salt), predictions: record.predictions! },
    artifacts: ARTIFACTS,
    onProgress: provingProgress,
  };
}

async function proveOrExplain<T>(prove: () => Promise<T>): Promise<T> {
  try {
    return await prove();
  } catch (error) {
    if (error instanceof NoRefundProofError) throw new CliError(error.message);
    throw error;
  }
}

/** The secrets of `testId` kept by `bazaar test-drive`, with its predictions. */
async function keptRecord(session: WriteSession, testId: bigint): Promise<TestDriveRecord> {
  const record = await keptTestDrive(session, testId, "a dispute needs the salt, labels and predictions bazaar test-drive kept");
  if (!record.predictions) throw new CliError(`test-drive ${testId} has no decrypted predictions yet: finish it with \`bazaar test-drive --resume ${testId}\``);
  return record;
}

async function testView(session: WriteSession, testId: bigint): Promise<TestView> {
  try {
    return await readTest(session.publicClient, session.deployment, testId);
  } catch (error) {
    if (error instanceof UnknownIdError) throw new CliError(error.message);
    throw error;
  }
}

/** Refuses, in a sentence, a test-drive whose dispute window is not open. */
function requireDisputable(view: TestView): void {
  const when = view.deadline === undefined ? "" : ` (${formatDeadline(Number(view.deadline), Number(view.now))})`;
  switch (view.status) {
    case "Evaluated":
      return;
    case "AwaitingReceipt":
      throw new CliError(`test-drive ${view.testId} has no evaluation receipt yet, so it cannot be disputed: finish it with \`bazaar test-drive --resume ${view.testId}\``);
    case "Unserved":
      throw new CliError(`the worker never served test-drive ${view.testId}: nothing to dispute; \`bazaar withdraw\` returns the deposit and the fee`);
    case "Forfeitable":
      throw new CliError(`the dispute window of test-drive ${view.testId} closed${when}: the deposit now goes to the seller`);
    default:
      throw new CliError(`test-drive ${view.testId} is closed (${view.phase}): nothing to dispute`);
  }
}

let lastStage = "";
function provingProgress({ stage, fraction }: ProvingProgress): void {
  if (stage === lastStage) return;
  lastStage = stage;
  process.stderr.write(`proving: ${stage} (${Math.round(fraction * 100)}%)\n`);
}
