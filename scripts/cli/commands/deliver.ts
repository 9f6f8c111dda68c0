/**
 * `bazaar deliver <purchaseId> <model.onnx> --out <file>`: the seller encrypts the model under
 * a fresh one-time key (sdk/src/delivery/sellerDelivery.ts), keeps the key on this machine
 * (local state "deliveries"), writes the file for the buyer and commits its ciphertext root and
 * key hash on-chain. `bazaar deliver <purchaseId> --reveal` later reveals the key, once the
 * buyer accepted or the acceptance window closed (docs/PROTOCOL.md §5.2, steps 2 and 4).
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { ON_CLIENT_CHAIN } from "../../../sdk/src/actions/marketHandles.ts";
import type { Hex } from "viem";
import { readPurchase, type PurchaseView } from "../../../sdk/src/actions/readPurchase.ts";
import { ChunkTree, toChunks } from "../../../sdk/src/delivery/chunkMerkle.ts";
import { encodeDeliveryFile } from "../../../sdk/src/delivery/deliveryFile.ts";
import { prepareDelivery } from "../../../sdk/src/delivery/sellerDelivery.ts";
import { addChainOptions } from "../chainOptions.ts";
import { CliError } from "../cliError.ts";
import { readState, writeStateRecord } from "../localState.ts";
import { printResult, type GlobalOptions } from "../output.ts";
import { purchaseNextStep } from "../purchaseNextStep.ts";
import { writeSession, type ChainOptions, type WriteSession } from "../session.ts";
import { formatDeadline } from "../timeText.ts";
import { sendTransaction } from "../tx.ts";
import { parseId } from "../values.ts";

/** What the seller keeps until the reveal. */
interface DeliverySecret {
  key: Hex;
  ciphertextRoot: Hex;
  keyHash: Hex;
  out: string;
}

interface DeliverOptions extends ChainOptions {
  out?: string;
  reveal?: boolean;
}

export function registerDeliver(program: Command, globals: () => GlobalOptions): void {
  addChainOptions(program.command("deliver").description("seller: send the model encrypted and commit to it, then --reveal the key"))
    .argument("<purchaseId>", "the purchase to deliver")
    .argument("[model.onnx]", "the listed model file (to commit a delivery)")
    .option("--out <file>", "where to write the encrypted delivery file for the buyer")
    .option("--reveal", "reveal the key of the delivery committed from this machine")
    .action(async (idText: string, modelPath: string | undefined, options: DeliverOptions) => {
      const purchaseId = parseId(idText, "the purchase id");
      if (!options.reveal && (!modelPath || !options.out)) throw new CliError("give the model file and --out <file> to commit a delivery, or --reveal to reveal its key");
      const session = await writeSession(options);
      const view = await readPurchase(session.publicClient, session.deployment, purchaseId);
      if (view.purchase.seller.toLowerCase() !== session.account.address.toLowerCase()) throw new CliError(`purchase ${purchaseId} was sold by ${view.purchase.seller}, not by ${session.account.address}`);
      const result = options.reveal ? await reveal(session, view) : await commit(session, view, modelPath!, options.out!);
      const after = await readPurchase(session.publicClient, session.deployment, purchaseId);
      const next = purchaseNextStep(after, session.account.address);
      printResult(globals(), { ...result, purchaseId, status: after.status, next }, () => `${result.message}\nnext: ${next}`);
    });
}

function secretKey(session: WriteSession, purchaseId: bigint): string {
  return `${session.deployment.market.toLowerCase()}:${purchaseId}`;
}

async function commit(session: WriteSession, view: PurchaseView, modelPath: string, out: string) {
  const id = view.purchaseId;
  if (view.status !== "AwaitingDelivery") throw new CliError(`purchase ${id} does not await a delivery (it is ${view.status}): ${purchaseNextStep(view, session.account.address)}`);
  const file = readFileSync(modelPath);
  if (file.length === 0) throw new CliError(`${modelPath} is empty`);
  const [modelRoot, modelSize] = await session.contracts.registry.read.deliveryTerms([BigInt(view.purchase.listingId)]);
  if (BigInt(file.length) !== modelSize || ChunkTree.fromChunks(toChunks(file)).root !== modelRoot.toLowerCase()) {
    throw new CliError(`${modelPath} is not the model of listing ${view.purchase.listingId} (its Merkle root or size differs): deliver the exact file you listed`);
  }
  const prepared = prepareDelivery(file);
  // The key is stored before the commitment is sent: a crash in between loses nothing.
  writeStateRecord<DeliverySecret>("deliveries", session.deployment.chainId, secretKey(session, id), { key: prepared.key, ciphertextRoot: prepared.ciphertextRoot, keyHash: prepared.keyHash, out });
  writeFileSync(out, encodeDeliveryFile({ purchaseId: id, modelSize: file.length, ciphertext: prepared.ciphertext, modelLeaves: prepared.modelLeaves }));
  const receipt = await sendTransaction(session.publicClient, `committing the delivery of purchase ${id}`, () =>
    session.contracts.market.write.commitDelivery([id, prepared.ciphertextRoot, prepared.keyHash], ON_CLIENT_CHAIN),
  );
  return {
    ciphertextRoot: prepared.ciphertextRoot,
    keyHash: prepared.keyHash,
    out,
    transaction: receipt.transactionHash,
    message: `committed the delivery of purchase ${id} (ciphertext root ${prepared.ciphertextRoot}); send ${out} to the buyer. The one-time key stays on this machine until you reveal it.`,
  };
}

async function reveal(session: WriteSession, view: PurchaseView) {
  const id = view.purchaseId;
  const secret = readState<DeliverySecret>("deliveries", session.deployment.chainId)[secretKey(session, id)];
  if (!secret) throw new CliError(`this machine keeps no delivery key for purchase ${id} (run \`bazaar deliver\` here with the same MODELBAZAAR_HOME)`);
  if (view.keyHash !== undefined && view.keyHash.toLowerCase() !== secret.keyHash.toLowerCase()) throw new CliError(`the key kept for purchase ${id} is not the committed one (was the delivery committed elsewhere?)`);
  if (view.status === "AwaitingAcceptance") throw new CliError(`the buyer has not accepted the delivery of purchase ${id} yet; you may reveal once they do, or from ${formatDeadline(Number(view.deadlines.acceptance ?? 0n), Number(view.now))}`);
  if (view.status !== "AwaitingKey") throw new CliError(`purchase ${id} does not await the key (it is ${view.status}): ${purchaseNextStep(view, session.account.address)}`);
  const receipt = await sendTransaction(session.publicClient, `revealing the key of purchase ${id}`, () => session.contracts.market.write.revealKey([id, secret.ciphertextRoot, secret.key], ON_CLIENT_CHAIN));
  return { transaction: receipt.transactionHash, message: `revealed the key of purchase ${id}; the buyer can now decrypt ${secret.out}.` };
}
