/**
 * `bazaar download <purchaseId> --out <model.onnx>`: the buyer's side of fair delivery
 * (docs/PROTOCOL.md §5.2), as far as it can go in one run. It fetches the encrypted delivery
 * from the seller's worker (signed as the buyer; or reads `--from <file>`), checks it against
 * the committed ciphertext root and the listing's model root (or, for a per-buyer copy, the
 * copy's root, accepted only when one of the buyer's test-drives was evaluated with it:
 * docs/PROTOCOL.md §7.2) and accepts it (or, with --reject,
 * refuses it for a refund); waits (`--wait`) for the key, which the seller's worker reveals on
 * acceptance; then decrypts, verifies every chunk against the model root, writes the exact
 * listed file and completes the purchase at once, paying the seller; if a chunk is wrong it
 * submits the proof of misbehaviour instead (sdk/src/delivery/buyerDelivery.ts), which refunds.
 * Run again, it picks up where the purchase stands.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { fetchPurchaseDelivery, ON_CLIENT_CHAIN, purchaseCopy, PurchaseDeliveryError, readPurchase, receivedDelivery, type PurchaseView } from "@modelbazaar/sdk/actions";
import { findCopyReceipt } from "@modelbazaar/sdk/testDrives";
import { formatEther, parseEventLogs, type Hex, type TransactionReceipt } from "viem";
import { modelMarketAbi } from "@modelbazaar/sdk/abis";
import { checkCiphertext, checkDelivery, type ReceivedDelivery, decodeDeliveryFile, DeliveryFileError, modelRootName, type DeliveryFile } from "@modelbazaar/sdk/delivery";
import { WorkerClientError } from "@modelbazaar/sdk/worker";
import { addChainOptions } from "../chainOptions.ts";
import { CliError } from "../cliError.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { purchaseNextStep } from "../purchaseNextStep.ts";
import { writeSession, type ChainOptions, type WriteSession } from "../session.ts";
import { sendTransaction } from "../tx.ts";
import { formatDeadline } from "@modelbazaar/sdk/labels";
import { keptTestDrives } from "../testDriveRecord.ts";
import { parseId } from "../values.ts";
import { requestSigner, workerContext } from "../workerAccess.ts";

interface DownloadOptions extends ChainOptions {
  from?: string;
  out?: string;
  reject?: boolean;
  wait: string;
}

interface Outcome {
  readonly outcome: "accepted" | "rejected" | "waiting" | "downloaded" | "refunded";
  readonly message: string;
  readonly transaction?: string;
}

/** How long `download` waits, by default, for the key once the delivery is accepted (the seller's worker reveals it within a few blocks). */
const DEFAULT_WAIT_SECONDS = 120;
/** How often the purchase is re-read while waiting for the key. */
const KEY_POLL_MS = 1_000;

export function registerDownload(program: Command, globals: () => GlobalOptions): void {
  addChainOptions(
    program
      .command("download")
      .description(
        "buyer: fetch the delivery from the seller's worker, check it against the chain and accept it, wait for the key, decrypt and verify every chunk, then pay the seller at once (or complain automatically about a wrong chunk and be refunded)",
      ),
  )
    .argument("<purchaseId>", "your purchase")
    .option("--out <model.onnx>", "where to write the verified model")
    .option("--from <file>", "an encrypted delivery file the seller sent you, instead of fetching it from the seller's worker")
    .option("--wait <seconds>", "how long to wait for the key after accepting", String(DEFAULT_WAIT_SECONDS))
    .option("--reject", "refuse a delivery that does not match the seller's commitment (refunds the price)")
    .action(async (idText: string, options: DownloadOptions) => {
      const purchaseId = parseId(idText, "the purchase id");
      const waitSeconds = parseWait(options.wait);
      const session = await writeSession(options);
      const view = await readPurchase(session.publicClient, session.deployment, purchaseId);
      if (view.purchase.buyer.toLowerCase() !== session.account.address.toLowerCase()) throw new CliError(`purchase ${purchaseId} was bought by ${view.purchase.buyer}, not by ${session.account.address}`);
      const result = options.reject ? await reject(session, view) : await download(session, view, options, waitSeconds * 1_000);
      const next = purchaseNextStep(await readPurchase(session.publicClient, session.deployment, purchaseId), session.account.address);
      printResult(globals(), { purchaseId, ...result, next }, () => (["accepted", "waiting"].includes(result.outcome) ? `${result.message}\nnext: ${next}` : result.message));
    });
}

function parseWait(text: string): number {
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 86_400) throw new CliError(`--wait takes whole seconds from 0 to 86400, got "${text}"`);
  return seconds;
}

/** Takes the purchase as far as it can go in one run: accept, wait for the key, decrypt, verify, pay or complain. */
async function download(session: WriteSession, view: PurchaseView, { from, out }: DownloadOptions, waitMs: number): Promise<Outcome> {
  const id = view.purchaseId;
  if (!out) throw new CliError("give --out <model.onnx>: where to write the model once it is decrypted and verified");
  if (view.ciphertextRoot === undefined) throw new CliError(`the seller has not committed a delivery of purchase ${id} yet: ${purchaseNextStep(view, session.account.address)}`);
  const source = from ?? "the seller's worker";
  // An untested copy is refused before anything is fetched: its size is the seller's to state.
  if (view.status === "AwaitingAcceptance") await requireTestedCopy(session, view);
  const received = from === undefined ? await fetchFromWorker(session, view) : await checkedAgainstChain(session, view, readDeliveryFile(from), from);
  let accepted: Hex | undefined;
  if (view.status === "AwaitingAcceptance") {
    requireMatch(view, received, source, from);
    const receipt = await sendTransaction(session.publicClient, `accepting the delivery of purchase ${id}`, () => session.contracts.market.write.acceptDelivery([id], ON_CLIENT_CHAIN));
    accepted = receipt.transactionHash;
    view = await readPurchase(session.publicClient, session.deployment, id);
  }
  if (view.status === "AwaitingKey") view = await waitForKey(session, view, waitMs);
  switch (view.status) {
    case "AwaitingKey":
    case "KeyOverdue": {
      requireMatch(view, received, source, from);
      const what = accepted ? `the delivery from ${source} matches the seller's commitment and ${modelRootName(received)}; accepted it` : `the delivery from ${source} matches the seller's commitment`;
      return { outcome: accepted ? "accepted" : "waiting", ...(accepted ? { transaction: accepted } : {}), message: `${what}; the key is not revealed yet.` };
    }
    case "ComplaintWindow":
    case "Completable":
    case "Completed":
      return decrypt(session, view, received, source, out);
    default:
      throw new CliError(`purchase ${id} is ${view.status}: ${purchaseNextStep(view, session.account.address)}`);
  }
}

/** Re-reads the purchase until its key is revealed or `waitMs` has passed, saying so on stderr. */
async function waitForKey(session: WriteSession, view: PurchaseView, waitMs: number): Promise<PurchaseView> {
  const until = Date.now() + waitMs;
  if (waitMs > 0) process.stderr.write(`waiting up to ${Math.round(waitMs / 1000)} s for the seller's key (it is due ${formatDeadline(Number(view.deadlines.key ?? 0n), Number(view.now))})…\n`);
  while (view.status === "AwaitingKey" && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, KEY_POLL_MS));
    view = await readPurchase(session.publicClient, session.deployment, view.purchaseId);
  }
  return view;
}

/** Fetches the delivery from the listing's worker, signed as the buyer, with a progress line on stderr. */
async function fetchFromWorker(session: WriteSession, view: PurchaseView): Promise<ReceivedDelivery> {
  let shown = -1;
  try {
    const { worker, received } = await fetchPurchaseDelivery(session.publicClient, session.deployment, {
      signer: requestSigner(session),
      context: workerContext(session),
      view,
      onProgress: (bytes, total, worker) => {
        if (total === undefined) return;
        const tenths = Math.floor((10 * bytes) / total); // a line per 10% received
        if (tenths !== shown) process.stderr.write(`fetching the delivery from ${worker}: ${tenths * 10}% of ${total} bytes\n`);
        shown = tenths;
      },
    });
    if (shown < 0) process.stderr.write(`fetched the delivery from ${worker}: ${received.ciphertext.length} chunks\n`);
    return received;
  } catch (error) {
    if (error instanceof WorkerClientError) throw new CliError(`${error.message}; if the seller sent you a file instead, run \`bazaar download ${view.purchaseId} --from <file> --out <model.onnx>\``);
    if (error instanceof DeliveryFileError) throw new CliError(`the seller's worker sent something that is not a delivery file (${error.message}); nothing was accepted`);
    if (error instanceof PurchaseDeliveryError) throw new CliError(error.message);
    throw error;
  }
}

function readDeliveryFile(path: string): DeliveryFile {
  try {
    return decodeDeliveryFile(readFileSync(path));
  } catch (error) {
    if (error instanceof DeliveryFileError) throw new CliError(`${path}: ${error.message}`);
    throw error;
  }
}

/** The delivery file plus what the chain says it must match. */
async function checkedAgainstChain(session: WriteSession, view: PurchaseView, file: DeliveryFile, source: string): Promise<ReceivedDelivery> {
  try {
    return await receivedDelivery(session.publicClient, session.deployment, view, file, source);
  } catch (error) {
    if (error instanceof PurchaseDeliveryError) throw new CliError(error.message);
    throw error;
  }
}

function requireMatch(view: PurchaseView, received: ReceivedDelivery, source: string, from: string | undefined): void {
  const check = checkCiphertext(received);
  if (!check.ok) {
    const again = from === undefined ? "" : ` --from ${from}`;
    throw new CliError(`the delivery from ${source} does not match the one committed for purchase ${view.purchaseId} (${check.reason}); nothing was accepted. Ask the seller for the right one, or run \`bazaar download ${view.purchaseId}${again} --reject\` to be refunded`);
  }
}

/**
 * A delivery of a per-buyer copy is accepted only when one of this buyer's test-drives of the
 * listing was evaluated with exactly that copy: its worker-signed CopyReceipt, verified when it
 * was kept, names the purchase's copy root and size (docs/PROTOCOL.md §7.2).
 */
async function requireTestedCopy(session: WriteSession, view: PurchaseView): Promise<void> {
  const copy = purchaseCopy(view);
  if (!copy) return;
  const listingId = BigInt(view.purchase.listingId);
  const buyer = view.purchase.buyer.toLowerCase();
  const mine = keptTestDrives(await session.recordScope()).filter((record) => record.buyer.toLowerCase() === buyer);
  if (findCopyReceipt(mine, { listingId, ...copy })) return;
  throw new CliError(
    `purchase ${view.purchaseId} delivers a per-buyer copy (root ${copy.copyRoot}, ${copy.copySize} bytes), but none of your test-drives of listing ${listingId} kept on this machine was evaluated with that copy, so it is not the model you tested; nothing was accepted. Run \`bazaar download ${view.purchaseId} --reject\` to be refunded before any key is revealed (rejecting a copy costs no penalty)`,
  );
}

async function decrypt(session: WriteSession, view: PurchaseView, received: ReceivedDelivery, source: string, out: string): Promise<Outcome> {
  const id = view.purchaseId;
  const check = checkDelivery({ ...received, key: view.key! });
  if (check.ok) {
    writeFileSync(out, check.file);
    const wrote = `wrote ${out} (${check.file.length} bytes): every chunk matches ${modelRootName(received)}`;
    if (view.status !== "ComplaintWindow") return { outcome: "downloaded", message: `${wrote}.` };
    const receipt = await sendTransaction(session.publicClient, `paying the seller for purchase ${id}`, () => session.contracts.market.write.completePurchase([id], ON_CLIENT_CHAIN));
    return { outcome: "downloaded", transaction: receipt.transactionHash, message: `${wrote}; the purchase is complete and the seller is paid (${formatEther(BigInt(view.purchase.price))} ETH), without waiting for the complaint window: there is nothing to complain about.` };
  }
  if (view.status !== "ComplaintWindow") throw new CliError(`chunk ${check.badChunk} of the delivery from ${source} is wrong, but the complaint window of purchase ${id} has closed; nothing was written`);
  const receipt = await sendTransaction(session.publicClient, `complaining about chunk ${check.badChunk} of purchase ${id}`, () => session.contracts.market.write.complain([id, check.complaint], ON_CLIENT_CHAIN));
  return {
    outcome: "refunded",
    transaction: receipt.transactionHash,
    message: `chunk ${check.badChunk} of the delivery does not match ${modelRootName(received)}: the complaint was upheld and ${refundSentence(receipt, view)}; nothing was written.`,
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
