/**
 * The victim's exact scores: the compiled plan evaluated in plaintext (the SDK's
 * evaluatePlanPlain, the reference the HE engine is tested against). The study uses this in
 * place of encrypting, evaluating under CKKS and decrypting, which would take hours.
 */
import { evaluatePlanPlain, type HePlan } from "@modelbazaar/sdk/he";

/** Sample-major scores (count x plan.outputSize) of `count` row-major samples. */
export function planScores(plan: HePlan, features: Float64Array, count: number): Float64Array {
  const n = plan.inputSize;
  const out = new Float64Array(count * plan.outputSize);
  for (let s = 0; s < count; s++) out.set(evaluatePlanPlain(plan, features.subarray(s * n, (s + 1) * n)), s * plan.outputSize);
  return out;
}
