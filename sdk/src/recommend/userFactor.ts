/**
 * Fits a user factor to the public item factors on the device: the exact implicit-feedback ALS
 * step of Hu, Koren and Volinsky (2008), x = (YᵀY + Yᵀ(Cᵤ − I)Y + λI)⁻¹ Yᵀ Cᵤ pᵤ, where only the
 * items the user touched (confidence c > 1, preference 1) enter beyond the Gram matrix YᵀY. The
 * same step serves the centralized trainer and the federated client, so they fit one model.
 */
import { itemGram, type ItemFactors } from "./itemFactors.ts";
import { solveSymmetric } from "./vectorMath.ts";

/** The regularization λ of user and item factors unless told otherwise. */
export const DEFAULT_REGULARIZATION = 0.1;

/**
 * The least-squares user factor for `confidences` (item id → confidence) given the item
 * factors; `gram` is YᵀY (pass it when fitting many users against the same factors).
 */
export function fitUserFactor(
  factors: ItemFactors,
  confidences: ReadonlyMap<number, number>,
  regularization = DEFAULT_REGULARIZATION,
  gram: Float64Array = itemGram(factors),
): Float64Array {
  const d = factors.dimension;
  const matrix = Float64Array.from(gram);
  for (let a = 0; a < d; a++) matrix[a * d + a]! += regularization;
  const rhs = new Float64Array(d);
  for (const [itemId, confidence] of confidences) {
    if (itemId < 0 || itemId >= factors.count) continue; // a listing newer than the factors
    const o = itemId * d;
    for (let a = 0; a < d; a++) {
      const ya = factors.values[o + a]!;
      rhs[a]! += confidence * ya;
      const extra = (confidence - 1) * ya;
      for (let b = 0; b < d; b++) matrix[a * d + b]! += extra * factors.values[o + b]!;
    }
  }
  return solveSymmetric(matrix, rhs, d);
}
