/**
 * `bazaar contest <testId> --model <file.onnx>` (seller): the seller's side of a v2 refund
 * dispute (docs/DISPUTES.md §7), one step per run.
 *
 * - Claimed: contests the refund, staking the listing's seller bond with a fresh secret.
 * - Opened: looks through the buyer's opened samples for a prediction its committed plan beats
 *   by more than the tolerance (or an opening that does not open the buyer's commitment), and
 *   proves it with the listing's contest circuit: the seller wins the deposit and the buyer's
 *   bond is burned. Says so when there is none (an honest opening).
 * - A window has ended: closes the dispute.
 * The plan is the model file's quantized plan, and the plan salt is derived from the seller's
 * own signature (sdk/src/disputes/planSalt.ts), so nothing needs to be kept between `bazaar
 * list` and this command; the model file must be the listed one (its Merkle root is checked).
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { bytesToHex, formatEther } from "viem";
import { proveContest, readDispute, type DisputeView, readListing } from "@modelbazaar/sdk/actions";
import { ChunkTree, toChunks } from "@modelbazaar/sdk/delivery";
import { planCommitment, derivePlanSalt } from "@modelbazaar/sdk/disputes";
import { committedPlanOf } from "../../lib/listingDisputePolicy.ts";
import { addChainOptions } from "../chainOptions.ts";
import { CliError } from "../cliError.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { writeSession, type WriteSession } from "../session.ts";
import { ARTIFACTS, closeDispute, disputesContract, endedText, until, type Print } from "../disputeSteps.ts";
import { sendTransaction } from "../tx.ts";
import { parseId } from "../values.ts";

export function registerContest(program: Command, globals: () => GlobalOptions): void {
  addChainOptions(
    program
      .command("contest")
      .description(
        "contest a buyer's refund claim on your listing (staking the seller bond), then (run again) prove a mismatch on the samples the buyer opened, or close the dispute when its window ends (as the seller or its worker: MODELBAZAAR_KEYSTORE or MODELBAZAAR_PRIVATE_KEY)",
      )
      .argument("<testId>", "the test-drive whose refund is claimed")
      .requiredOption("--model <file.onnx>", "the listed model file (its quantized plan is what the listing committed to)"),
  ).action(async (text: string, flags: { rpc?: string; deployment?: string; model: string }) => {
    const testId = parseId(text, "the test-drive id");
    const session = await writeSession(flags);
    const view = await readDispute(session.publicClient, { market: session.deployment.market, testId });
    const out = (value: object, line: string) => printResult(globals(), { testId, ...value }, () => line);
    if (view.closable) return closeDispute(session, view, out);
    switch (view.phase) {
      case "None":
        throw new CliError(`no refund is claimed for test-drive ${testId}: there is nothing to contest`);
      case "Claimed":
        return contest(session, view, out);
      case "Contested":
        return out({ phase: view.phase, deadline: view.deadline }, `test-drive ${testId}: contested; the buyer must open the drawn samples ${until(view)}, or you win when that window ends (\`bazaar contest ${testId}\` closes it then)`);
      case "Opened":
        return prove(session, view, flags.model, out);
      case "BuyerWon":
      case "SellerWon":
        return out({ phase: view.phase }, endedText(view));
    }
  });
}

async function contest(session: WriteSession, view: DisputeView, out: Print): Promise<void> {
  const secret = bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
  const disputes = disputesContract(session, view.disputes);
  const receipt = await sendTransaction(session.publicClient, "contesting the refund", () =>
    disputes.write.contest([view.testId, secret], { value: view.sellerBond, chain: undefined }),
  );
  const after = await readDispute(session.publicClient, { market: session.deployment.market, testId: view.testId });
  out(
    { phase: after.phase, sellerBond: view.sellerBond, deadline: after.deadline, gasUsed: receipt.gasUsed, transaction: receipt.transactionHash },
    [
      `test-drive ${view.testId}: contested the ${formatEther(view.refund)} ETH refund, staking your ${formatEther(view.sellerBond)} ETH bond`,
      `  the buyer must open 16 drawn samples ${until(after)}; then run \`bazaar contest ${view.testId} --model <file>\` again to prove a mismatch (the bond goes to the buyer if none is proven)`,
    ].join("\n"),
  );
}

async function prove(session: WriteSession, view: DisputeView, modelPath: string, out: Print): Promise<void> {
  const listing = await readListing(session.publicClient, session.deployment, BigInt(view.dispute.listingId));
  const file = readFileSync(modelPath);
  const root = ChunkTree.fromChunks(toChunks(file)).root;
  if (root !== listing.terms.modelRoot) throw new CliError(`${modelPath} is not listing ${view.dispute.listingId}'s model (its Merkle root is ${root}, the listing's ${listing.terms.modelRoot})`);
  const plan = await committedPlanOf(file, listing.terms.task);
  const planSalt = await derivePlanSalt(session.walletClient, root);
  if (BigInt(listing.terms.disputePolicy.planCommitment) !== planCommitment(plan, planSalt)) {
    throw new CliError(`your key does not reproduce listing ${view.dispute.listingId}'s plan commitment: it was listed by another account, or with another scale`);
  }
  const proven = await proveContest(session.publicClient, { disputes: view.disputes, testId: view.testId, plan, planSalt, artifacts: ARTIFACTS });
  if (proven === undefined) {
    return out(
      { phase: view.phase, provable: false, deadline: view.deadline },
      `test-drive ${view.testId}: every opened prediction agrees with your committed plan (within the tolerance), so no mismatch can be proven; the buyer collects the refund and your bond when the window ends ${until(view)}`,
    );
  }
  const disputes = disputesContract(session, view.disputes);
  const receipt = await sendTransaction(session.publicClient, "proving the mismatch", () =>
    disputes.write.proveMismatch([view.testId, proven.sample, proven.slotHashes, proven.cls, proven.kind, proven.proof.calldata], { chain: undefined }),
  );
  out(
    { phase: "SellerWon", index: proven.sample.index, cls: proven.cls, prediction: proven.sample.prediction, circuit: proven.circuit, gasUsed: receipt.gasUsed, transaction: receipt.transactionHash },
    [
      proven.kind === 2
        ? `test-drive ${view.testId}: proved that your committed plan gives class ${proven.cls} on opened sample ${proven.sample.index}, not the buyer's ${proven.sample.prediction}`
        : `test-drive ${view.testId}: proved that the buyer's opening of sample ${proven.sample.index} does not open its own commitment`,
      `  you won the dispute: the deposit and your bond are yours (\`bazaar withdraw\`), the buyer's bond is burned; circuit ${proven.circuit}, gas ${receipt.gasUsed}`,
    ].join("\n"),
  );
}
