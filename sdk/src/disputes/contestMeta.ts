/**
 * The packed `meta` public signal of the contest circuits (docs/DISPUTES.md §5.3,
 * circuits/contestLinear.circom), as the contract will build it from the buyer's opening and
 * the seller's claim. Layout, least significant bits first (153 bits):
 *
 *   index j (16) | prediction ŷ_j (16) | class c (16) | kind (1) | featureCount (16) |
 *   featureBits (8) | classCount (16) | toleranceQ τ_q (64)
 */

/** What a contest proves: 0 = the plan's class c beats ŷ_j by more than τ on a valid opening; 1 = the opening is invalid. */
export const ContestKind = { Mismatch: 0, InvalidOpening: 1 } as const;
export type ContestKindCode = (typeof ContestKind)[keyof typeof ContestKind];

export interface ContestMeta {
  /** j, the opened sample's index (below 2^10 for the features tree). */
  index: number;
  /** ŷ_j, the buyer's opened prediction. */
  prediction: number;
  /** c, the class the seller's plan gives. */
  cls: number;
  kind: ContestKindCode;
  featureCount: number;
  featureBits: number;
  classCount: number;
  /** τ_q, the listing's contestToleranceQ in integer score units (2^(sw + sx) per unit score). */
  toleranceQ: bigint;
}

/** Total bits of the packed meta. */
export const CONTEST_META_BITS = 153;
const FIELDS = [
  ["index", 16],
  ["prediction", 16],
  ["cls", 16],
  ["kind", 1],
  ["featureCount", 16],
  ["featureBits", 8],
  ["classCount", 16],
  ["toleranceQ", 64],
] as const;

/** Packs the meta into one field element; throws a RangeError naming a field that does not fit. */
export function packContestMeta(meta: ContestMeta): bigint {
  let packed = 0n;
  let shift = 0n;
  for (const [name, bits] of FIELDS) {
    const raw = meta[name];
    if (typeof raw === "number" && !Number.isInteger(raw)) throw new RangeError(`${name} = ${raw} is not an integer`);
    const value = BigInt(raw);
    if (value < 0n || value >= 1n << BigInt(bits)) throw new RangeError(`${name} = ${value} does not fit ${bits} bits`);
    packed |= value << shift;
    shift += BigInt(bits);
  }
  return packed;
}

/** Splits a packed meta back into its fields. */
export function unpackContestMeta(packed: bigint): ContestMeta {
  const out: Record<string, bigint> = {};
  let shift = 0n;
  for (const [name, bits] of FIELDS) {
    out[name] = (packed >> shift) & ((1n << BigInt(bits)) - 1n);
    shift += BigInt(bits);
  }
  return {
    index: Number(out.index),
    prediction: Number(out.prediction),
    cls: Number(out.cls),
    kind: Number(out.kind) as ContestKindCode,
    featureCount: Number(out.featureCount),
    featureBits: Number(out.featureBits),
    classCount: Number(out.classCount),
    toleranceQ: out.toleranceQ!,
  };
}
