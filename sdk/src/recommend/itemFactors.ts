/**
 * The public item factors: one `dimension`-long vector per listing (item id = index), row-major
 * in one Float64Array. The aggregator holds and serves them; every client downloads them and
 * keeps its own user factor beside them.
 */
import { normalDraw, type RandomSource } from "./randomSource.ts";

export interface ItemFactors {
  readonly dimension: number;
  readonly count: number;
  /** count × dimension values, item i at [i·dimension, (i+1)·dimension). */
  readonly values: Float64Array;
}

/** Small random factors (normal, standard deviation `scale`), the usual start of a factorization. */
export function randomItemFactors(count: number, dimension: number, random: RandomSource, scale = 0.1): ItemFactors {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`an item count is a positive integer, got ${count}`);
  if (!Number.isInteger(dimension) || dimension < 1) throw new RangeError(`a factor dimension is a positive integer, got ${dimension}`);
  const values = new Float64Array(count * dimension);
  for (let k = 0; k < values.length; k++) values[k] = scale * normalDraw(random);
  return { dimension, count, values };
}

/** Item `itemId`'s factor (a view, not a copy). */
export function itemVector(factors: ItemFactors, itemId: number): Float64Array {
  return factors.values.subarray(itemId * factors.dimension, (itemId + 1) * factors.dimension);
}

/** YᵀY, the dimension × dimension Gram matrix of all item factors (row-major). */
export function itemGram(factors: ItemFactors): Float64Array {
  const { dimension: d, count, values } = factors;
  const gram = new Float64Array(d * d);
  for (let i = 0; i < count; i++) {
    const o = i * d;
    for (let a = 0; a < d; a++) {
      const va = values[o + a]!;
      for (let b = a; b < d; b++) gram[a * d + b]! += va * values[o + b]!;
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) gram[a * d + b] = gram[b * d + a]!;
  return gram;
}
