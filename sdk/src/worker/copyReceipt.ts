/**
 * The worker's CopyReceipt (docs/PROTOCOL.md §7.2): when a seller issued a buyer a
 * fingerprinted copy of its model, the seller's worker evaluates that buyer's test-drives with
 * the copy and signs, beside the evaluation receipt, which bytes it evaluated: the copy's chunk
 * Merkle root and size (modelRootOf, as a listing's `modelRoot`), for the test. A buyer keeps
 * it and accepts a purchase's copy delivery only when the purchase's copy root and size are
 * those of a CopyReceipt it holds for a test-drive of the same listing, so the copy it buys is
 * the copy it tested, byte for byte.
 *
 * Signed in the market's own EIP-712 domain (its `eip712Domain()`, readMarketDomain), the
 * domain of the EvaluationReceipt, by the listing's worker signer. The worker signs
 * (offchain-worker/src/auth/signedReceipt.ts); the buyer's clients verify here.
 */
import { verifyTypedData, type Address, type Hex, type TypedDataDomain } from "viem";

export const copyReceiptTypes = {
  CopyReceipt: [
    { name: "testId", type: "uint256" },
    { name: "copyRoot", type: "bytes32" },
    { name: "copySize", type: "uint64" },
  ],
} as const;

/** A signed CopyReceipt: the worker evaluated test `testId` with the copy whose bytes have root `copyRoot` and size `copySize`. */
export interface CopyReceipt {
  readonly testId: bigint;
  readonly copyRoot: Hex;
  readonly copySize: bigint;
  /** The worker signer's EIP-712 signature of the three fields. */
  readonly signature: Hex;
}

/**
 * Whether `receipt` is signed by `expectedSigner` (the listing's worker signer) in `domain`
 * (the market's). False for any other signer, altered field or malformed signature.
 *
 * @example
 * const domain = await readMarketDomain(publicClient, { market: deployment.market });
 * if (!(await verifyCopyReceipt(domain, listing.offer.workerSigner, result.copy))) ...
 */
export async function verifyCopyReceipt(domain: TypedDataDomain, expectedSigner: Address, receipt: CopyReceipt): Promise<boolean> {
  try {
    return await verifyTypedData({
      address: expectedSigner,
      domain,
      types: copyReceiptTypes,
      primaryType: "CopyReceipt",
      message: { testId: receipt.testId, copyRoot: receipt.copyRoot, copySize: receipt.copySize },
      signature: receipt.signature,
    });
  } catch {
    return false;
  }
}
