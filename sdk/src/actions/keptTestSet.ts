/**
 * What the buyer keeps from a test-drive, which every refund proof is built from
 * (proveGradedRefund.ts, proveSampleOpening.ts), and the error those provers throw when the
 * kept data cannot back a refund.
 */

/** What the buyer kept from its test-drive (the local state of `bazaar test-drive`). */
export interface KeptTestSet {
  readonly quantized: readonly (readonly number[])[];
  readonly labels: readonly number[];
  readonly salt: bigint;
  readonly predictions: readonly number[];
}

/**
 * The kept test set does not back a refund proof: the model met its claim on the buyer's data
 * by its decrypted predictions, the kept data does not match the test-drive, or the dispute is
 * not at a step that takes this proof. The SDK refuses to prove a refund then.
 */
export class NoRefundProofError extends Error {
  override readonly name = "NoRefundProofError";
}
