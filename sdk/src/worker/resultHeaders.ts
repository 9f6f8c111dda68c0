/**
 * The headers with which a worker serves a test's encrypted result (GET /tests/:id/result):
 * the result hash (keccak256 of the body, what the on-chain receipt records), the worker's
 * EIP-712 signed receipt (which the buyer may submit itself with `recordSignedReceipt`), and
 * the status and transaction of the worker's own `recordReceipt`; and, present together iff the
 * worker evaluated the test with a per-buyer copy, its signed CopyReceipt (copyReceipt.ts,
 * copyReceiptHeaders.ts). Shared by the worker's route and the buyer's client (workerClient.ts).
 */
export const RESULT_HEADERS = {
  resultHash: "x-modelbazaar-result-hash",
  receiptSignature: "x-modelbazaar-receipt-signature",
  receiptStatus: "x-modelbazaar-receipt-status",
  receiptTx: "x-modelbazaar-receipt-tx",
  copyRoot: "x-modelbazaar-copy-root",
  copySize: "x-modelbazaar-copy-size",
  copySignature: "x-modelbazaar-copy-signature",
} as const;
