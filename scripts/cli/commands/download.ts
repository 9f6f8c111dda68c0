/**
 * `bazaar download <purchaseId> --from <delivery file> --out <model.onnx>`: the buyer's side of
 * fair delivery (docs/PROTOCOL.md §5.2). Before the key is revealed it checks the file against
 * the committed ciphertext root and the listing's model root and accepts it (or, with
 * --reject, refuses it for a refund); once the key is revealed it decrypts, verifies every
 * chunk against the model root and writes the exact listed file, or, if a chunk is wrong,
 * submits the proof of misbehaviour (sdk/src/delivery/buyerDelivery.ts), which refunds.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { ON_CLIENT_CHAIN } from "../../../sdk/src/actions/marketHandles.ts";
import { formatEther, parseEventLogs, type TransactionReceipt } from "viem";
import { modelMarketAbi } from "../../../sdk/src/generated/abis.ts";
import { readPurchase, type PurchaseView } from "../../../sdk/src/actions/readPurchase.ts";
import { checkCiphertext, checkDelivery, type ReceivedDelivery } from "../../../sdk/src/delivery/buyerDelivery.ts";
import { decodeDeliveryFile, DeliveryFileError } from "../../../sdk/src/delivery/deliveryFile.ts";
import { addChainOptions } from "../chainOptions.ts";
import { CliError } from "../cliError.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { purchaseNextStep } from "../purchaseNextStep.ts";
import { writeSession, type ChainOptions, type WriteSession } from "../session.ts";
import { sendTransaction } from "../tx.ts";
import { parseId } from "../values.ts";

interface DownloadOptions extends ChainOptions {
  from?: string;
  out?: string;
  reject?: boolean;
}

interface Outcome {
  readonly outcome: "accepted" | "rejected" | "waiting" | "downloaded" | "refunded";
  readonly message: string;
  readonly transaction?: string;
}

export function registerDownload(program: Command, globals: () => GlobalOptions): void {
  addChainOptions(program.command("download").description("buyer: check and accept a delivery, then decrypt and verify the model (complaining automatically about a wrong chunk)"))
    .argument("<purchaseId>", "your purchase")
    .option("--from <file>", "the encrypted delivery file the seller sent")
    .option("--out <model.onnx>", "where to write the verified model")
    .option("--reject", "refuse a delivery that does not match the seller's commitment (refunds the price)")
    .action(async (idText: string, options: DownloadOptions) => {
      const purchaseId = parseId(idText, "the purchase id");
      const session = await writeSession(options);
      const view = await readPurchase(session.publicClient, session.deployment, purchaseId);
      if (view.purchase.buyer.toLowerCase() !== session.account.address.toLowerCase()) throw new CliError(`purchase ${purchaseId} was bought by ${view.purchase.buyer}, not by ${session.account.address}`);
      const result = options.reject ? await reject(session, view) : await fetchAndAdvance(session, view, options);
      const next = purchaseNextStep(await readPurchase(session.publicClient, session.deployment, purchaseId), session.account.address);
      printResult(globals(), { purchaseId, ...result, next }, () => (["accepted", "waiting"].includes(result.outcome) ? `${result.message}\nnext: ${next}` : result.message));
    });
}

async function fetchAndAdvance(session: WriteSession, view: PurchaseView, { from, out }: DownloadOptions): Promise<Outcome> {
  if (from === undefined) throw new CliError("give --from <file>, the encrypted delivery file the seller sent (or --reject if none arrived)");
  return advance(session, view, await receivedDelivery(session, view, from), from, out);
}

/** The delivery file plus what the chain says it must match. */
async function receivedDelivery(session: WriteSession, view: PurchaseView, path: string): Promise<ReceivedDelivery> {
  if (view.ciphertextRoot === undefined) throw new CliError(`the seller has not committed a delivery of purchase ${view.purchaseId} yet: ${purchaseNextStep(view, session.account.address)}`);
  let file;
  try {
    file = decodeDeliveryFile(readFileSync(path));
  } catch (error) {
    if (error instanceof DeliveryFileError) throw new CliError(`${path}: ${error.message}`);
    throw error;
  }
  if (file.purchaseId !== view.purchaseId) throw new CliError(`${path} is the delivery of purchase ${file.purchaseId}, not of purchase ${view.purchaseId}`);
  const [modelRoot, modelSize] = await session.contracts.registry.read.deliveryTerms([BigInt(view.purchase.listingId)]);
  return { ciphertext: file.ciphertext, modelLeaves: file.modelLeaves, ciphertextRoot: view.ciphertextRoot, modelRoot, modelSize: Number(modelSize) };
}

async function advance(session: WriteSession, view: PurchaseView, received: ReceivedDelivery, from: string, out: string | undefined): Promise<Outcome> {
  const id = view.purchaseId;
  switch (view.status) {
    case "AwaitingAcceptance": {
      requireMatch(view, received, from);
      const receipt = await sendTransaction(session.publicClient, `accepting the delivery of purchase ${id}`, () => session.contracts.market.write.acceptDelivery([id], ON_CLIENT_CHAIN));
      return { outcome: "accepted", transaction: receipt.transactionHash, message: `${from} matches the seller's commitment and the listing's model root; accepted the delivery of purchase ${id}.` };
    }
    case "AwaitingKey":
    case "KeyOverdue":
      requireMatch(view, received, from);
      return { outcome: "waiting", message: `${from} matches the seller's commitment; the key is not revealed yet.` };
    case "ComplaintWindow":
    case "Completable":
    case "Completed":
      return decrypt(session, view, received, from, out);
    default:
      throw new CliError(`purchase ${id} is ${view.status}: ${purchaseNextStep(view, session.account.address)}`);
  }
}

function requireMatch(view: PurchaseView, received: ReceivedDelivery, path: string): void {
  const check = checkCiphertext(received);
  if (!check.ok) throw new CliError(`${path} does not match the delivery committed for purchase ${view.purchaseId} (${check.reason}); ask the seller for the right file, or run \`bazaar download ${view.purchaseId} --from ${path} --reject\` to be refunded`);
}

async function decrypt(session: WriteSession, view: PurchaseView, received: ReceivedDelivery, from: string, out: string | undefined): Promise<Outcome> {
  const id = view.purchaseId;
  if (!out) throw new CliError("the key is revealed: give --out <model.onnx> for the decrypted model");
  requireMatch(view, received, from);
  const result = checkDelivery({ ...received, key: view.key! });
  if (result.ok) {
    writeFileSync(out, result.file);
    return { outcome: "downloaded", message: `wrote ${out} (${result.file.length} bytes): every chunk matches the listing's model root.` };
  }
  if (view.status !== "ComplaintWindow") throw new CliError(`chunk ${result.badChunk} of the delivery is wrong, but the complaint window of purchase ${id} has closed; nothing was written`);
  const receipt = await sendTransaction(session.publicClient, `complaining about chunk ${result.badChunk} of purchase ${id}`, () => session.contracts.market.write.complain([id, result.complaint], ON_CLIENT_CHAIN));
  return {
    outcome: "refunded",
    transaction: receipt.transactionHash,
    message: `chunk ${result.badChunk} of the delivery does not match the listing's model root: the complaint was upheld and ${refundSentence(receipt, view)}; nothing was written.`,
  };
}

/** What the refund in `receipt` paid: the buyer's own ether, and a deposit back to its test-drive. */
function refundSentence(receipt: TransactionReceipt, view: PurchaseView): string {
  const [refunded] = parseEventLogs({ abi: modelMarketAbi, logs: receipt.logs, eventName: "PurchaseRefunded" });
  const toBuyer = refunded?.args.toBuyer ?? view.refundToBuyer;
  const deposit = refunded?.args.depositReturned ?? view.depositApplied;
  const back = deposit > 0n ? ` (the ${formatEther(deposit)} ETH test-drive deposit went back to test-drive ${view.purchase.testId}, refundable only by proof until its dispute deadline)` : "";
  return `${formatEther(toBuyer)} ETH was refunded to you${back}`;
}

async function reject(session: WriteSession, view: PurchaseView): Promise<Outcome> {
  const id = view.purchaseId;
  if (view.status !== "AwaitingAcceptance") throw new CliError(`a delivery can only be rejected before it is accepted; purchase ${id} is ${view.status}`);
  const receipt = await sendTransaction(session.publicClient, `rejecting the delivery of purchase ${id}`, () => session.contracts.market.write.rejectDelivery([id], ON_CLIENT_CHAIN));
  return { outcome: "rejected", transaction: receipt.transactionHash, message: `rejected the delivery of purchase ${id}: ${refundSentence(receipt, view)}.` };
}
