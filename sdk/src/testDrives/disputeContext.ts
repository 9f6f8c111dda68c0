/**
 * The packed public signal of a dispute proof, as `contracts/libraries/DisputeContext.sol`
 * packs it. Layout, least significant bits first: claimedAccuracyBps (16), sampleCount (32),
 * classCount (16), featureBits (8), featureCount (32), binding tag (128).
 */
import { encodeAbiParameters, keccak256, type Address } from "viem";

export interface DisputeContextFields {
  claimedAccuracyBps: number;
  sampleCount: number;
  classCount: number;
  featureBits: number;
  featureCount: number;
}

const WIDTHS = { claimedAccuracyBps: 16, sampleCount: 32, classCount: 16, featureBits: 8, featureCount: 32 } as const;
const ORDER = ["claimedAccuracyBps", "sampleCount", "classCount", "featureBits", "featureCount"] as const;
const TAG_SHIFT = 104n;

/** The low 128 bits of `keccak256(abi.encode(chainId, market, testId, buyer))`. */
export function bindingTag(chainId: bigint, market: Address, testId: bigint, buyer: Address): bigint {
  const digest = keccak256(
    encodeAbiParameters(
      [{ type: "uint256" }, { type: "address" }, { type: "uint256" }, { type: "address" }],
      [chainId, market, testId, buyer],
    ),
  );
  return BigInt(digest) & ((1n << 128n) - 1n);
}

/** Packs the fields and the tag into one field element. */
export function packDisputeContext(fields: DisputeContextFields, tag: bigint): bigint {
  let packed = 0n;
  let shift = 0n;
  for (const name of ORDER) {
    const width = BigInt(WIDTHS[name]);
    const value = BigInt(fields[name]);
    if (value < 0n || value >= 1n << width) throw new RangeError(`${name} = ${value} does not fit in ${width} bits`);
    packed |= value << shift;
    shift += width;
  }
  if (tag < 0n || tag >= 1n << 128n) throw new RangeError("binding tag must fit in 128 bits");
  return packed | (tag << TAG_SHIFT);
}

/** Splits a packed context back into its fields and tag. */
export function unpackDisputeContext(context: bigint): DisputeContextFields & { tag: bigint } {
  const out: Record<string, number> = {};
  let shift = 0n;
  for (const name of ORDER) {
    const width = BigInt(WIDTHS[name]);
    out[name] = Number((context >> shift) & ((1n << width) - 1n));
    shift += width;
  }
  return { ...(out as unknown as DisputeContextFields), tag: context >> TAG_SHIFT };
}
