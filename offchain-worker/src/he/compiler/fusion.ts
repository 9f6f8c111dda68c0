/**
 * When to fuse a linear op into its stage's map. Fusing saves a level (every linear layer
 * costs one), but the fused map can hold far more weights than the ops it is made of: a
 * depthwise 7x7 conv then a pointwise 1x1 conv on 320 x 7 x 7 do 15,680 + 40,960 multiplies,
 * their fused map 128 x 15,680 = 2,007,040. Each weight is one ciphertext x constant product
 * per batch, so past SPLIT_RATIO the op starts a new linear layer instead (one level more).
 */
import type { LinearOperator } from "./kernels/linearOperator.ts";
import { composedWeights, mapWeights, type AffineValue } from "./values.ts";

/** How many times the separate ops' multiplies the fused map may hold before the op gets its own layer. */
export const SPLIT_RATIO = 8;

/** Whether composing `op` into `v`'s map would hold more than SPLIT_RATIO times the weights of the two apart. */
export function fusionInflates(v: AffineValue, op: LinearOperator): boolean {
  const apart = mapWeights(v) + op.weights.length;
  let bound = 0;
  for (const input of op.inputs) bound += v.rows[input]!.weights.length;
  if (bound <= SPLIT_RATIO * apart) return false;
  return composedWeights(v, op) > SPLIT_RATIO * apart;
}
