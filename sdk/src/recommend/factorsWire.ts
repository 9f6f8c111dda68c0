/**
 * The item factors as the aggregator serves them (`GET /factors`): JSON `{ round, dimension,
 * itemCount, values }` with the values as base64 of little-endian float32.
 */
import { base64ToFloats, floatsToBase64 } from "./base64Floats.ts";
import type { ItemFactors } from "./itemFactors.ts";

export interface FactorsBody {
  /** The round these factors open (uploads for it are accepted now). */
  readonly round: number;
  readonly dimension: number;
  readonly itemCount: number;
  readonly values: string;
}

/** The factors with the round they open, as served. */
export interface PublishedFactors {
  readonly round: number;
  readonly factors: ItemFactors;
}

export function factorsBody(published: PublishedFactors): FactorsBody {
  const { round, factors } = published;
  return { round, dimension: factors.dimension, itemCount: factors.count, values: floatsToBase64(factors.values) };
}

/**
 * The largest factor dimension a client accepts (the aggregator's default is 16): the device
 * fits its user factor with a dimension² Gram matrix and a dimension³ solve, so a hostile
 * aggregator's one item of dimension 5,000 would freeze the dApp or the CLI.
 */
const MAX_FACTOR_DIMENSION = 256;

/**
 * The most values (itemCount × dimension) a client takes: 16 MiB as float32, e.g. 16,384 items
 * at the largest dimension or 262,144 at the aggregator's default 16.
 */
export const MAX_FACTOR_VALUES = 4_194_304;

/** The largest factors body a client reads: MAX_FACTOR_VALUES as base64 float32, and 4 KiB for the rest of the JSON. */
export const FACTORS_BODY_MAX_BYTES = Math.ceil((MAX_FACTOR_VALUES * 4) / 3) * 4 + 4_096;

/** A served body back; throws a RangeError naming what is wrong. */
export function parseFactorsBody(body: unknown): PublishedFactors {
  const { round, dimension, itemCount, values } = (body ?? {}) as Partial<FactorsBody>;
  if (!Number.isSafeInteger(round) || !Number.isSafeInteger(dimension) || !Number.isSafeInteger(itemCount) || dimension! < 1 || itemCount! < 1 || typeof values !== "string") {
    throw new RangeError("the aggregator's factors are not { round, dimension, itemCount, values }");
  }
  if (dimension! > MAX_FACTOR_DIMENSION) throw new RangeError(`the aggregator's factors have dimension ${dimension}, but a client takes at most ${MAX_FACTOR_DIMENSION}`);
  if (itemCount! * dimension! > MAX_FACTOR_VALUES) throw new RangeError(`the aggregator's factors hold ${itemCount! * dimension!} values (${itemCount} items × ${dimension}), but a client takes at most ${MAX_FACTOR_VALUES}`);
  return { round: round!, factors: { dimension: dimension!, count: itemCount!, values: Float64Array.from(base64ToFloats(values, itemCount! * dimension!)) } };
}
