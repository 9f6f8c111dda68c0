/**
 * The buyer's check before it accepts a purchase that delivers a per-buyer copy
 * (docs/PROTOCOL.md §7.2): among the test-drives it keeps (KeptTestDrive, the CLI's files and
 * the dApp's storage alike), the CopyReceipt of a test-drive of the purchase's listing naming
 * exactly the purchase's copy root and size. None: the copy is not one the seller's worker
 * said it tested for this buyer, so the buyer rejects the delivery before the key is revealed.
 * The receipts were verified against the listing's worker signer when they were kept.
 */
import type { Hex } from "viem";
import type { CopyReceipt } from "../worker/copyReceipt.ts";
import type { KeptTestDrive } from "./keptTestDrive.ts";

export interface CopyDelivery {
  readonly listingId: bigint;
  readonly copyRoot: Hex;
  readonly copySize: bigint;
}

/**
 * @example
 * const receipt = findCopyReceipt(keptTestDrives, { listingId, copyRoot, copySize });
 * if (!receipt) reject the delivery: this copy was never tested
 */
export function findCopyReceipt(kept: readonly KeptTestDrive[], delivery: CopyDelivery): CopyReceipt | undefined {
  for (const record of kept) {
    const copy = record.copyReceipt;
    if (!copy || record.testId === undefined || BigInt(record.listingId) !== delivery.listingId) continue;
    if (copy.copyRoot.toLowerCase() !== delivery.copyRoot.toLowerCase() || BigInt(copy.copySize) !== delivery.copySize) continue;
    return { testId: BigInt(record.testId), copyRoot: copy.copyRoot, copySize: BigInt(copy.copySize), signature: copy.signature };
  }
  return undefined;
}
