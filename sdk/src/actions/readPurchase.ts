/**
 * Where a purchase stands (docs/PROTOCOL.md §5.2): its facts, its computed status, what its
 * events revealed (the committed ciphertext root and key hash, the revealed key), the
 * deadline of the current stage and the chain's clock, so clients can say what happens next.
 */
import { zeroHash, type Address, type ContractFunctionReturnType, type Hex, type PublicClient } from "viem";
import { modelMarketAbi } from "../generated/abis.ts";
import { UnknownIdError } from "./unknownIdError.ts";

/** The market's `PurchaseStatus` names, by value. */
export const PURCHASE_STATUSES = [
  "None",
  "AwaitingDelivery",
  "DeliveryOverdue",
  "AwaitingAcceptance",
  "AwaitingKey",
  "KeyOverdue",
  "ComplaintWindow",
  "Completable",
  "Completed",
  "Refunded",
] as const;
export type PurchaseStatusName = (typeof PURCHASE_STATUSES)[number];

export type Purchase = ContractFunctionReturnType<typeof modelMarketAbi, "view", "getPurchase">;

export interface PurchaseView {
  purchaseId: bigint;
  purchase: Purchase;
  status: PurchaseStatusName;
  /** From `DeliveryCommitted`, once the seller committed. */
  ciphertextRoot?: Hex;
  keyHash?: Hex;
  /** From `KeyRevealed`, once the seller revealed. */
  key?: Hex;
  /** Unix seconds: delivery, acceptance, key and complaint deadlines (those known so far). */
  deadlines: { delivery: bigint; acceptance?: bigint; key?: bigint; complaint?: bigint };
  /** The latest block's timestamp. */
  now: bigint;
  /** What the escrow holds (from `PurchaseOpened`): at least the price. */
  escrow: bigint;
  /** The part of the escrow a test-drive deposit paid (test `purchase.testId`): on a refund it
   * goes back to that test-drive, not to the buyer (docs/PROTOCOL.md §3). */
  depositApplied: bigint;
  /** What a refund pays the buyer itself: the escrow less the deposit (an auction winner that
   * rejects also pays its penalty from it). */
  refundToBuyer: bigint;
}

/** The per-buyer copy the seller committed for this purchase (docs/PROTOCOL.md §7.2), or undefined when it delivers the listing's model. */
export function purchaseCopy(view: Pick<PurchaseView, "purchase">): { readonly copyRoot: Hex; readonly copySize: bigint } | undefined {
  const { copyRoot, copySize } = view.purchase;
  return copyRoot === zeroHash ? undefined : { copyRoot, copySize };
}

export async function readPurchase(client: PublicClient, { market, startBlock }: { market: Address; startBlock: bigint }, purchaseId: bigint): Promise<PurchaseView> {
  const status = PURCHASE_STATUSES[await client.readContract({ address: market, abi: modelMarketAbi, functionName: "purchaseStatus", args: [purchaseId] })] ?? "None";
  if (status === "None") throw new UnknownIdError("purchase", purchaseId);
  const windowOf = (functionName: "deliveryWindow" | "acceptWindow" | "revealWindow" | "complaintWindow") => client.readContract({ address: market, abi: modelMarketAbi, functionName });
  const [purchase, deliveryWindow, acceptWindow, revealWindow, complaintWindow, block] = await Promise.all([
    client.readContract({ address: market, abi: modelMarketAbi, functionName: "getPurchase", args: [purchaseId] }),
    windowOf("deliveryWindow"),
    windowOf("acceptWindow"),
    windowOf("revealWindow"),
    windowOf("complaintWindow"),
    client.getBlock(),
  ]);
  const [opened] = await client.getContractEvents({ address: market, abi: modelMarketAbi, eventName: "PurchaseOpened", args: { purchaseId }, fromBlock: startBlock, strict: true });
  const escrow = opened?.args.escrow ?? purchase.price + purchase.extra;
  const depositApplied = opened?.args.depositApplied ?? 0n;
  const [committed] = purchase.committedAt === 0 ? [] : await client.getContractEvents({ address: market, abi: modelMarketAbi, eventName: "DeliveryCommitted", args: { purchaseId }, fromBlock: startBlock, strict: true });
  const [revealed] = purchase.revealedAt === 0 ? [] : await client.getContractEvents({ address: market, abi: modelMarketAbi, eventName: "KeyRevealed", args: { purchaseId }, fromBlock: startBlock, strict: true });
  const committedAt = BigInt(purchase.committedAt);
  const deadlines: PurchaseView["deadlines"] = { delivery: BigInt(purchase.createdAt) + BigInt(deliveryWindow) };
  if (committedAt > 0n) {
    deadlines.acceptance = committedAt + BigInt(acceptWindow);
    // Silence never accepts a per-buyer copy (docs/PROTOCOL.md §7.2): unaccepted, its key is due when acceptance ends.
    const unacceptedCopy = purchase.copyRoot !== zeroHash && !purchase.accepted;
    deadlines.key = deadlines.acceptance + (unacceptedCopy ? 0n : BigInt(revealWindow));
  }
  if (purchase.revealedAt > 0) deadlines.complaint = BigInt(purchase.revealedAt) + BigInt(complaintWindow);
  return {
    purchaseId,
    purchase,
    status,
    ciphertextRoot: committed?.args.ciphertextRoot,
    keyHash: committed?.args.keyHash,
    key: revealed?.args.key,
    deadlines,
    now: block.timestamp,
    escrow,
    depositApplied,
    refundToBuyer: escrow - depositApplied,
  };
}
