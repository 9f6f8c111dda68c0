/**
 * The buyer's check of the CopyReceipt a worker served with a test-drive's result
 * (docs/PROTOCOL.md §7.2), shared by `bazaar test-drive` and the dApp: signed by the listing's
 * worker signer (the registry's, read now) in the market's EIP-712 domain (readMarketDomain),
 * for this test. Checked, it is returned in the form a kept test-drive holds it
 * (KeptTestDrive.copyReceipt), for findCopyReceipt at the purchase; otherwise a
 * {CopyReceiptRefusedError} says why it must not be kept.
 */
import type { Address, PublicClient } from "viem";
import type { KeptCopyReceipt } from "../testDrives/keptTestDrive.ts";
import { verifyCopyReceipt, type CopyReceipt } from "../worker/copyReceipt.ts";
import { readListing } from "./readListing.ts";
import { readMarketDomain } from "./readMarketDomain.ts";

export interface CheckCopyReceiptParameters {
  readonly deployment: { readonly market: Address; readonly registry: Address };
  readonly listingId: bigint;
  readonly testId: bigint;
  readonly receipt: CopyReceipt;
}

/** A served CopyReceipt the buyer must not keep: its message is a sentence naming the test and the signer it needed. */
export class CopyReceiptRefusedError extends Error {
  override readonly name = "CopyReceiptRefusedError";
}

/**
 * @example
 * const copyReceipt = result.copy && (await checkCopyReceipt(publicClient, { deployment, listingId, testId, receipt: result.copy }));
 * @throws CopyReceiptRefusedError for a receipt of another test, or not signed by the listing's worker signer
 */
export async function checkCopyReceipt(client: PublicClient, { deployment, listingId, testId, receipt }: CheckCopyReceiptParameters): Promise<KeptCopyReceipt> {
  const names = `copy ${receipt.copyRoot} (${receipt.copySize} bytes)`;
  if (receipt.testId !== testId) throw new CopyReceiptRefusedError(`the worker's copy receipt names test-drive ${receipt.testId}, not ${testId}, so it is not kept`);
  const [{ offer }, domain] = await Promise.all([readListing(client, deployment, listingId), readMarketDomain(client, deployment)]);
  if (!(await verifyCopyReceipt(domain, offer.workerSigner, receipt))) {
    throw new CopyReceiptRefusedError(
      `the worker's copy receipt for test-drive ${testId} (${names}) is not signed by listing ${listingId}'s worker signer ${offer.workerSigner}, so it is not kept: no copy of this listing can be accepted on its strength`,
    );
  }
  return { copyRoot: receipt.copyRoot, copySize: receipt.copySize.toString(), signature: receipt.signature };
}

