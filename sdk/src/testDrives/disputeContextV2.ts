/**
 * The packed public signal of a refund proof (docs/DISPUTES.md §5.1): the market's dispute
 * context (disputeContext.ts: claimedAccuracyBps 16, sampleCount 32, classCount 16, featureBits 8,
 * featureCount 32, binding tag 128, bits 0..231) plus the proven `shortfallBps` in bits
 * 232..247. 248 bits < 254, so the packing is unique for range-checked fields; the refund
 * circuit (circuits/contextV2.circom) checks each field's width and the sum.
 */
import { packDisputeContext, unpackDisputeContext, type DisputeContextFields } from "./disputeContext.ts";
import { SHORTFALL_BITS } from "./gradedRefund.ts";

/** The dispute context's fields and the shortfall a refund proves. */
export interface DisputeContextV2Fields extends DisputeContextFields {
  /** The shortfall s in bps (1 <= s <= claim for a provable refund), 16 bits. */
  shortfallBps: number;
}

/** Where the shortfall starts: after the 104 bits of fields and the 128-bit tag. */
export const SHORTFALL_SHIFT = 232;
const TAG_BITS = 128n;

/** Packs the v2 fields and the tag into one field element. */
export function packDisputeContextV2(fields: DisputeContextV2Fields, tag: bigint): bigint {
  const { shortfallBps } = fields;
  if (!Number.isInteger(shortfallBps) || shortfallBps < 0 || shortfallBps >= 2 ** SHORTFALL_BITS) {
    throw new RangeError(`shortfallBps = ${shortfallBps} does not fit in ${SHORTFALL_BITS} bits`);
  }
  return packDisputeContext(fields, tag) | (BigInt(shortfallBps) << BigInt(SHORTFALL_SHIFT));
}

/** Splits a packed v2 context back into its fields and tag. */
export function unpackDisputeContextV2(context: bigint): DisputeContextV2Fields & { tag: bigint } {
  if (context < 0n || context >= 1n << BigInt(SHORTFALL_SHIFT + SHORTFALL_BITS)) {
    throw new RangeError(`a v2 dispute context fits in ${SHORTFALL_SHIFT + SHORTFALL_BITS} bits`);
  }
  const base = unpackDisputeContext(context & ((1n << BigInt(SHORTFALL_SHIFT)) - 1n));
  return { ...base, tag: base.tag & ((1n << TAG_BITS) - 1n), shortfallBps: Number(context >> BigInt(SHORTFALL_SHIFT)) };
}
