/**
 * `bazaar dispute <testId>` (buyer): proves, from the test set and predictions `bazaar
 * test-drive` kept on this machine, that the model reached fewer correct answers than its
 * claimed accuracy on the committed test set (a Groth16 proof with the circuit the market's
 * verifier uses for this listing), and submits it with `claimRefund` to get the deposit back,
 * less the fee of the free samples, which a refund pays the seller (docs/PROTOCOL.md §3: a
 * refund never returns the fee of a sample the worker evaluated).
 * Refuses in a sentence when the model met its claim, the dispute window is not open, or the
 * local state is missing.
 */
import { join } from "node:path";
import type { Command } from "commander";
import { formatEther, parseEventLogs } from "viem";
import { modelMarketAbi } from "../../../sdk/src/generated/abis.ts";
import { NoDisputeCircuitError } from "../../../sdk/src/actions/disputeCircuitFor.ts";
import { formatBps, NoRefundProofError, proveRefund } from "../../../sdk/src/actions/proveRefund.ts";
import { readTest, type TestView } from "../../../sdk/src/actions/readTest.ts";
import { UnknownIdError } from "../../../sdk/src/actions/unknownIdError.ts";
import type { ProvingProgress } from "../../../sdk/src/prover/provingProgress.ts";
import { ROOT } from "../../zk/compile.ts";
import { addChainOptions } from "../chainOptions.ts";
import { CliError } from "../cliError.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { writeSession, type WriteSession } from "../session.ts";
import { findTestDrive, saveTestDrive, type TestDriveRecord } from "../testDriveRecord.ts";
import { formatDeadline } from "../timeText.ts";
import { sendTransaction } from "../tx.ts";
import { parseId } from "../values.ts";

/** The checked-in circuit artifacts: circuits/artifacts/<name>/<name>.wasm and .zkey. */
const ARTIFACTS = join(ROOT, "circuits", "artifacts");

export function registerDispute(program: Command, globals: () => GlobalOptions): void {
  addChainOptions(
    program
      .command("dispute")
      .description("prove that a model you test-drove is worse than its claim and get the deposit back, less the fee of the free samples, which goes to the seller (as your account: MODELBAZAAR_KEYSTORE or MODELBAZAAR_PRIVATE_KEY)")
      .argument("<testId>", "your test-drive, run on this machine with bazaar test-drive"),
  ).action(async (text: string, flags: { rpc?: string; deployment?: string }) => {
    const testId = parseId(text, "the test-drive id");
    const session = await writeSession(flags);
    const record = keptRecord(session, testId);
    requireDisputable(await testView(session, testId));
    const started = performance.now();
    const proven = await prove(session, testId, record);
    const proveMs = performance.now() - started;
    const receipt = await sendTransaction(session.publicClient, "claiming the refund", () =>
      session.contracts.market.write.claimRefund([testId, proven.proof.calldata], { chain: undefined }),
    );
    saveTestDrive(session.deployment.chainId, { ...record, stage: "refunded", refundTx: receipt.transactionHash });
    const view = await readTest(session.publicClient, session.deployment, testId);
    // What the refund paid each side, as the market reported it (TestClosed).
    const closed = parseEventLogs({ abi: modelMarketAbi, logs: receipt.logs, eventName: "TestClosed" }).find((e) => e.args.testId === testId);
    if (!closed) throw new CliError(`the refund transaction ${receipt.transactionHash} closed no test-drive ${testId}`);
    const { toBuyer, toSeller } = closed.args;
    const result = {
      testId,
      refunded: toBuyer,
      toSeller,
      deposit: view.deposit,
      correct: proven.correct,
      sampleCount: proven.fields.sampleCount,
      claimedAccuracyBps: proven.fields.claimedAccuracyBps,
      circuit: proven.circuit.name,
      proveMs: Math.round(proveMs),
      gasUsed: receipt.gasUsed,
      transaction: receipt.transactionHash,
    };
    printResult(globals(), result, () =>
      [
        `test-drive ${testId}: refunded ${formatEther(toBuyer)} ETH of the ${formatEther(view.deposit)} ETH deposit to the buyer ${view.test.buyer}; ${formatEther(toSeller)} ETH went to the seller for the free samples (a refund pays for every sample queried)`,
        `  the proof (circuit ${proven.circuit.name}, ${(proveMs / 1000).toFixed(1)} s) shows ${proven.correct}/${proven.fields.sampleCount} correct = ${formatBps(Math.floor((proven.correct * 10_000) / proven.fields.sampleCount))} < the claimed ${formatBps(proven.fields.claimedAccuracyBps)}`,
        `  transaction ${receipt.transactionHash} (gas ${receipt.gasUsed})`,
      ].join("\n"),
    );
  });
}

/** The secrets of `testId` kept by `bazaar test-drive`, with its predictions. */
function keptRecord(session: WriteSession, testId: bigint): TestDriveRecord {
  const record = findTestDrive(session.deployment.chainId, testId);
  if (!record) {
    throw new CliError(
      `this machine has no record of test-drive ${testId} on chain ${session.deployment.chainId}: a dispute needs the salt, labels and predictions bazaar test-drive kept (under MODELBAZAAR_HOME)`,
    );
  }
  if (!record.predictions) throw new CliError(`test-drive ${testId} has no decrypted predictions yet: finish it with \`bazaar test-drive --resume ${testId}\``);
  if (record.stage === "refunded") throw new CliError(`test-drive ${testId} was already refunded (transaction ${record.refundTx})`);
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

async function prove(session: WriteSession, testId: bigint, record: TestDriveRecord) {
  try {
    return await proveRefund(session.publicClient, {
      market: session.deployment.market,
      verifier: session.deployment.disputeVerifier,
      testId,
      kept: { quantized: record.quantized, labels: record.labels, salt: BigInt(record.salt), predictions: record.predictions! },
      artifacts: (name) => join(ARTIFACTS, name, name),
      onProgress: provingProgress,
    });
  } catch (error) {
    if (error instanceof NoRefundProofError || error instanceof NoDisputeCircuitError) throw new CliError(error.message);
    throw error;
  }
}

let lastStage = "";
function provingProgress({ stage, fraction }: ProvingProgress): void {
  if (stage === lastStage) return;
  lastStage = stage;
  process.stderr.write(`proving: ${stage} (${Math.round(fraction * 100)}%)\n`);
}
