/**
 * Fair delivery in the demo (docs/PROTOCOL.md §5.2), through the SDK's delivery codec as
 * `bazaar deliver` and `bazaar download` use it: the seller encrypts the model under a fresh
 * key, hands over the delivery file and commits; the buyer checks the file against the
 * commitment and the listing's model root and accepts; the seller reveals the key; the buyer
 * decrypts and verifies every chunk, or complains with the proof of a wrong chunk. A cheating
 * seller (`corruptChunk`) commits a ciphertext with one chunk altered.
 */
import { ChunkTree, checkCiphertext, checkDelivery, decodeDeliveryFile, encodeDeliveryFile, prepareDelivery } from "@modelbazaar/sdk/delivery";
import { readPurchase } from "@modelbazaar/sdk/actions";
import type { Step, Trader } from "./trade.ts";

export type DeliveryOutcome = { readonly outcome: "downloaded"; readonly file: Uint8Array } | { readonly outcome: "refunded"; readonly badChunk: number };

export interface DeliveryParties {
  readonly seller: Trader;
  readonly buyer: Trader;
  readonly purchaseId: bigint;
  readonly model: Uint8Array;
  /** A cheating seller alters this ciphertext chunk before committing. */
  readonly corruptChunk?: number;
}

export async function deliver(step: Step, { seller, buyer, purchaseId, model, corruptChunk }: DeliveryParties): Promise<DeliveryOutcome> {
  const { publicClient, deployment } = step.market;
  const prepared = prepareDelivery(model);
  const ciphertext = corruptChunk === undefined ? prepared.ciphertext : corrupted(prepared.ciphertext, corruptChunk);
  const ciphertextRoot = corruptChunk === undefined ? prepared.ciphertextRoot : ChunkTree.fromChunks(ciphertext).root;
  const sent = encodeDeliveryFile({ purchaseId, modelSize: model.length, ciphertext, modelLeaves: prepared.modelLeaves });
  await step.send(seller, "committing the delivery", () => seller.contracts.market.write.commitDelivery([purchaseId, ciphertextRoot, prepared.keyHash], { chain: undefined }));

  const received = decodeDeliveryFile(sent);
  const committed = await readPurchase(publicClient, deployment, purchaseId);
  const [modelRoot, modelSize] = await buyer.contracts.registry.read.deliveryTerms([BigInt(committed.purchase.listingId)]);
  const delivery = { ciphertext: received.ciphertext, modelLeaves: received.modelLeaves, ciphertextRoot: committed.ciphertextRoot!, modelRoot, modelSize: Number(modelSize) };
  const precheck = checkCiphertext(delivery);
  if (!step.check(`${buyer.name}: the delivery file matches the committed ciphertext root and the listing's model root`, precheck.ok)) {
    throw new Error(`the delivery of purchase ${purchaseId} does not match its commitment`);
  }
  await step.send(buyer, "accepting the delivery", () => buyer.contracts.market.write.acceptDelivery([purchaseId], { chain: undefined }));
  await step.send(seller, "revealing the key", () => seller.contracts.market.write.revealKey([purchaseId, ciphertextRoot, prepared.key], { chain: undefined }));

  const revealed = await readPurchase(publicClient, deployment, purchaseId);
  const result = checkDelivery({ ...delivery, key: revealed.key! });
  if (result.ok) return { outcome: "downloaded", file: result.file };
  await step.send(buyer, `complaining about chunk ${result.badChunk}`, () => buyer.contracts.market.write.complain([purchaseId, result.complaint], { chain: undefined }));
  return { outcome: "refunded", badChunk: result.badChunk };
}

/**
 * After the complaint window, the seller completes the purchase and is paid its price.
 * Returns what the seller received (balance and credit, gas put back).
 */
export async function completePurchase(step: Step, seller: Trader, purchaseId: bigint): Promise<bigint> {
  await step.skip(Number(await seller.contracts.market.read.complaintWindow()) + 1);
  const before = await step.funds(seller);
  await step.send(seller, "completing the purchase", () => seller.contracts.market.write.completePurchase([purchaseId], { chain: undefined }));
  return (await step.funds(seller)) - before;
}

function corrupted(chunks: readonly Uint8Array[], index: number): Uint8Array[] {
  const copy = chunks.map((chunk) => Uint8Array.from(chunk));
  copy[index]![0]! ^= 0xff;
  return copy;
}
