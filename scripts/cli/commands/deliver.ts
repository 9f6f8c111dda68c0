/**
 * `bazaar deliver <purchaseId> <model.onnx>`: the seller encrypts the model under a fresh
 * one-time key (sdk/src/delivery/sellerDelivery.ts), keeps the key on this machine (local state
 * "deliveries"), commits the ciphertext root and key hash on-chain, and hands the delivery (file
 * and key) to the listing's worker, which serves it to the buyer alone and reveals the key as
 * soon as the buyer accepts (docs/PROTOCOL.md §5.2). Run again, it hands the same delivery over
 * again (e.g. after the worker was down). With `--out <file>` it writes the file for the buyer
 * instead, and `bazaar deliver <purchaseId> --reveal` later reveals the key from this machine.
 * With `--copy`, the file is the buyer's own fingerprinted copy (the one the worker evaluated
 * the buyer's test-drives with), committed with its root for this purchase alone
 * (`commitCopyDelivery`, docs/PROTOCOL.md §7.2).
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { ON_CLIENT_CHAIN, purchaseCopy, readPurchase, type PurchaseView } from "@modelbazaar/sdk/actions";
import type { Hex } from "viem";
import { encodeDeliveryFile, encodeDeliveryPackage, modelRootOf, prepareDelivery } from "@modelbazaar/sdk/delivery";
import { WorkerClientError } from "@modelbazaar/sdk/worker";
import { addChainOptions } from "../chainOptions.ts";
import { CliError } from "../cliError.ts";
import { notUsedSentence, readState, recordsElsewhere, writeStateRecord } from "../localState.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { purchaseNextStep } from "../purchaseNextStep.ts";
import { writeSession, type ChainOptions, type WriteSession } from "../session.ts";
import { formatDeadline } from "@modelbazaar/sdk/labels";
import { sendTransaction } from "../tx.ts";
import { parseId } from "../values.ts";
import { listingWorker, requestSigner, workerContext } from "../workerAccess.ts";

/** What the seller keeps until the reveal. */
interface DeliverySecret {
  key: Hex;
  ciphertextRoot: Hex;
  keyHash: Hex;
  /** Where the delivery file was written, when it was sent as a file. */
  out?: string;
}

interface DeliverOptions extends ChainOptions {
  out?: string;
  reveal?: boolean;
  copy?: boolean;
}

export function registerDeliver(program: Command, globals: () => GlobalOptions): void {
  addChainOptions(
    program
      .command("deliver")
      .description(
        "seller: encrypt the model under a one-time key, commit to it on-chain and hand it to your listing's worker, which serves it to the buyer alone and reveals the key as soon as the buyer accepts (or write it --out <file> for the buyer and --reveal the key yourself)",
      ),
  )
    .argument("<purchaseId>", "the purchase to deliver")
    .argument("[model.onnx]", "the listed model file, or with --copy the buyer's copy (to commit a delivery)")
    .option("--copy", "the file is the buyer's own fingerprinted copy, the one your worker evaluated its test-drives with: commit its root for this purchase")
    .option("--out <file>", "write the encrypted delivery file for the buyer instead of handing it to your worker")
    .option("--reveal", "reveal the key of the delivery committed from this machine")
    .action(async (idText: string, modelPath: string | undefined, options: DeliverOptions) => {
      const purchaseId = parseId(idText, "the purchase id");
      if (!options.reveal && !modelPath) throw new CliError("give the listed model file to deliver it, or --reveal to reveal the key of a delivery sent as a file");
      const session = await writeSession(options);
      const view = await readPurchase(session.publicClient, session.deployment, purchaseId);
      if (view.purchase.seller.toLowerCase() !== session.account.address.toLowerCase()) throw new CliError(`purchase ${purchaseId} was sold by ${view.purchase.seller}, not by ${session.account.address}`);
      const result = options.reveal ? await reveal(session, view) : await deliver(session, view, modelPath!, options);
      const after = await readPurchase(session.publicClient, session.deployment, purchaseId);
      const next = purchaseNextStep(after, session.account.address);
      printResult(globals(), { ...result, purchaseId, status: after.status, next }, () => `${result.message}\nnext: ${next}`);
    });
}

function secretKey(session: WriteSession, purchaseId: bigint): string {
  return `${session.deployment.market.toLowerCase()}:${purchaseId}`;
}

async function deliver(session: WriteSession, view: PurchaseView, modelPath: string, { out, copy = false }: DeliverOptions) {
  const id = view.purchaseId;
  const file = await deliveredModel(session, view, modelPath, copy);
  let prepared;
  let transaction: Hex | undefined;
  if (view.status === "AwaitingDelivery") {
    prepared = prepareDelivery(file);
    // The key is stored before the commitment is sent: a crash in between loses nothing.
    writeStateRecord<DeliverySecret>("deliveries", await session.recordScope(), secretKey(session, id), { key: prepared.key, ciphertextRoot: prepared.ciphertextRoot, keyHash: prepared.keyHash, out });
    const { ciphertextRoot, keyHash } = prepared;
    const copyRoot = modelRootOf(file).root;
    const receipt = await sendTransaction(session.publicClient, `committing the delivery of purchase ${id}`, () =>
      copy
        ? session.contracts.market.write.commitCopyDelivery([id, ciphertextRoot, keyHash, copyRoot, BigInt(file.length)], ON_CLIENT_CHAIN)
        : session.contracts.market.write.commitDelivery([id, ciphertextRoot, keyHash], ON_CLIENT_CHAIN),
    );
    transaction = receipt.transactionHash;
  } else if (view.status === "AwaitingAcceptance" || view.status === "AwaitingKey") {
    // Committed from here before: hand the same delivery over again.
    const kept = await keptDeliverySecret(session, view, `purchase ${id} is ${view.status}: handing its delivery over again needs the key kept when it was committed`);
    prepared = prepareDelivery(file, kept.key);
  } else {
    throw new CliError(`purchase ${id} does not await a delivery (it is ${view.status}): ${purchaseNextStep(view, session.account.address)}`);
  }
  const deliveryFile = encodeDeliveryFile({ purchaseId: id, modelSize: file.length, ciphertext: prepared.ciphertext, modelLeaves: prepared.modelLeaves });
  const what = copy ? `the buyer's copy for purchase ${id}` : `the delivery of purchase ${id}`;
  const committed = transaction ? `committed ${what} (ciphertext root ${prepared.ciphertextRoot})` : `${what} was committed before`;
  const result = { ciphertextRoot: prepared.ciphertextRoot, keyHash: prepared.keyHash, ...(transaction ? { transaction } : {}) };
  if (out !== undefined) {
    writeFileSync(out, deliveryFile);
    return { ...result, out, message: `${committed}; send ${out} to the buyer. The one-time key stays on this machine until you reveal it (\`bazaar deliver ${id} --reveal\`).` };
  }
  const worker = await listingWorker(session, BigInt(view.purchase.listingId));
  try {
    await worker.handOverDelivery(requestSigner(session), workerContext(session), id, encodeDeliveryPackage({ key: prepared.key, file: deliveryFile }));
  } catch (error) {
    if (error instanceof WorkerClientError) {
      throw new CliError(`${committed}, but ${error.message}. The key is kept on this machine: run this command again to hand it over, or send a file with --out <file> and reveal the key yourself`);
    }
    throw error;
  }
  return {
    ...result,
    worker: worker.url,
    message: `${committed} and handed it to your worker at ${worker.url}: the buyer fetches it with \`bazaar download ${id}\`, and the worker reveals the key as soon as the buyer accepts (the key is also kept on this machine).`,
  };
}

/**
 * The file to deliver. Before the commitment: the listing's model (its root and size), or with
 * `copy` the buyer's copy, which must differ from it. After: the file committed for this
 * purchase (the copy's root when one was committed), to hand the same delivery over again.
 */
async function deliveredModel(session: WriteSession, view: PurchaseView, modelPath: string, copy: boolean): Promise<Uint8Array> {
  const file = readFileSync(modelPath);
  if (file.length === 0) throw new CliError(`${modelPath} is empty`);
  const listingId = view.purchase.listingId;
  const [modelRoot, modelSize] = await session.contracts.registry.read.deliveryTerms([BigInt(listingId)]);
  const { root, size } = modelRootOf(file);
  const isListed = size === modelSize && root === modelRoot.toLowerCase();
  const committedCopy = purchaseCopy(view);
  if (committedCopy) {
    if (root !== committedCopy.copyRoot.toLowerCase() || size !== committedCopy.copySize) throw new CliError(`${modelPath} is not the copy committed for purchase ${view.purchaseId} (root ${committedCopy.copyRoot}, ${committedCopy.copySize} bytes): deliver that exact file`);
    return file;
  }
  if (view.status !== "AwaitingDelivery" && !isListed) throw new CliError(`${modelPath} is not the model of listing ${listingId}, which purchase ${view.purchaseId} committed to deliver: deliver the exact file you listed`);
  if (copy && isListed) throw new CliError(`${modelPath} is the listed model itself, not a buyer's copy: deliver it without --copy`);
  if (!copy && !isListed) {
    throw new CliError(`${modelPath} is not the model of listing ${listingId} (its Merkle root or size differs): deliver the exact file you listed, or add --copy if it is this buyer's fingerprinted copy`);
  }
  return file;
}

async function reveal(session: WriteSession, view: PurchaseView) {
  const id = view.purchaseId;
  const secret = await keptDeliverySecret(session, view, `revealing needs the key \`bazaar deliver\` kept (run it here with the same MODELBAZAAR_HOME)`);
  if (view.status === "AwaitingAcceptance") throw new CliError(`the buyer has not accepted the delivery of purchase ${id} yet; you may reveal once they do, or from ${formatDeadline(Number(view.deadlines.acceptance ?? 0n), Number(view.now))}`);
  if (view.status !== "AwaitingKey") throw new CliError(`purchase ${id} does not await the key (it is ${view.status}): ${purchaseNextStep(view, session.account.address)}`);
  const receipt = await sendTransaction(session.publicClient, `revealing the key of purchase ${id}`, () => session.contracts.market.write.revealKey([id, secret.ciphertextRoot, secret.key], ON_CLIENT_CHAIN));
  return { transaction: receipt.transactionHash, message: `revealed the key of purchase ${id}; the buyer can now decrypt ${secret.out ?? "the delivery"}.` };
}

/**
 * The delivery key kept for this purchase on this deployment, once the chain's key hash
 * confirms it; one kept before records had a deployment is taken over when it matches. A key
 * kept for another deployment (an earlier chain at the same address) is never used. `need`
 * says, when there is none, what the command needed it for.
 */
async function keptDeliverySecret(session: WriteSession, view: PurchaseView, need: string): Promise<DeliverySecret> {
  const id = view.purchaseId;
  const scope = await session.recordScope();
  const key = secretKey(session, id);
  const matches = (s: DeliverySecret) => view.keyHash === undefined || view.keyHash.toLowerCase() === s.keyHash.toLowerCase();
  const secret = readState<DeliverySecret>("deliveries", scope)[key];
  if (secret) {
    if (!matches(secret)) throw new CliError(`the key kept for purchase ${id} is not the committed one (was the delivery committed elsewhere?)`);
    return secret;
  }
  const elsewhere = recordsElsewhere<DeliverySecret>("deliveries", scope).filter((where) => where.records[key] !== undefined);
  const legacy = elsewhere.find((where) => where.legacy && view.keyHash !== undefined && matches(where.records[key]!));
  if (legacy) {
    writeStateRecord("deliveries", scope, key, legacy.records[key]!);
    return legacy.records[key]!;
  }
  const foreign = elsewhere.length > 0 ? `${notUsedSentence(`the delivery key of purchase ${id}`, elsewhere[0]!, scope)}; ` : "";
  throw new CliError(`${foreign}this machine keeps no delivery key for purchase ${id} on this deployment: ${need}`);
}
