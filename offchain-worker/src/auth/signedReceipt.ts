/**
 * The worker's EIP-712 evaluation receipt, byte-for-byte what the market's
 * `recordSignedReceipt` checks: `EvaluationReceipt(uint256 testId,bytes32 resultHash)` in the
 * market's own domain (read from its `eip712Domain()`, so it always matches the deployment).
 * The buyer can submit it itself if the worker's own transaction does not arrive.
 */
import type { Hex, PrivateKeyAccount, TypedDataDomain } from "viem";

export const receiptTypes = {
  EvaluationReceipt: [
    { name: "testId", type: "uint256" },
    { name: "resultHash", type: "bytes32" },
  ],
} as const;

export function signReceipt(signer: PrivateKeyAccount, domain: TypedDataDomain, testId: bigint, resultHash: Hex): Promise<Hex> {
  return signer.signTypedData({ domain, types: receiptTypes, primaryType: "EvaluationReceipt", message: { testId, resultHash } });
}
