/**
 * The worker's EIP-712 evaluation receipt, byte-for-byte what the market's
 * `recordSignedReceipt` checks: `EvaluationReceipt(uint256 testId,bytes32 resultHash)` in the
 * market's own domain (read from its `eip712Domain()`, so it always matches the deployment).
 * The buyer can submit it itself if the worker's own transaction does not arrive.
 *
 * And, for a test evaluated with the buyer's own fingerprinted copy, the CopyReceipt in the
 * same domain, by the same signer (its type and the buyer's check: @modelbazaar/sdk/worker,
 * copyReceipt.ts; docs/PROTOCOL.md §7.2).
 */
import type { Hex, PrivateKeyAccount, TypedDataDomain } from "viem";
import { copyReceiptTypes, type CopyReceipt } from "@modelbazaar/sdk/worker";

export const receiptTypes = {
  EvaluationReceipt: [
    { name: "testId", type: "uint256" },
    { name: "resultHash", type: "bytes32" },
  ],
} as const;

export function signReceipt(signer: PrivateKeyAccount, domain: TypedDataDomain, testId: bigint, resultHash: Hex): Promise<Hex> {
  return signer.signTypedData({ domain, types: receiptTypes, primaryType: "EvaluationReceipt", message: { testId, resultHash } });
}

export function signCopyReceipt(signer: PrivateKeyAccount, domain: TypedDataDomain, copy: Omit<CopyReceipt, "signature">): Promise<Hex> {
  return signer.signTypedData({ domain, types: copyReceiptTypes, primaryType: "CopyReceipt", message: { testId: copy.testId, copyRoot: copy.copyRoot, copySize: copy.copySize } });
}
