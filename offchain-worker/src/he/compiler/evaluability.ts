/**
 * What the engine needs of a plan, checked when the model is compiled (by `model check` and
 * by the worker when it loads the models it serves) instead of when a buyer's upload is
 * evaluated: finite weights, every linear layer reading at least one value (otherwise the
 * output does not depend on the input), and CKKS parameters at 128-bit security that hold the
 * plan's depth and magnitude (chooseParameters says which limit a plan exceeds).
 */
import { chooseParameters, isHeError, summarizePlan, type HePlan, type LinearLayer } from "@modelbazaar/sdk/he";
import { UnsupportedModelError } from "./errors.ts";

const nodesOf = (layer: LinearLayer): string => (layer.source.length > 0 ? `nodes ${layer.source.map((name) => `"${name}"`).join(", ")}` : "no named node");

const allFinite = (values: Float64Array): boolean => values.every((value) => Number.isFinite(value));

/** @throws UnsupportedModelError with a sentence naming the layer's nodes, or the parameters' limit */
export function checkEvaluable(plan: HePlan): void {
  plan.layers.forEach((layer, index) => {
    if (layer.kind !== "linear") return;
    if (!allFinite(layer.weights) || !allFinite(layer.bias)) {
      throw new UnsupportedModelError(
        [],
        `linear layer ${index} (from ${nodesOf(layer)}) has a weight or bias that is not a finite number (an infinite or NaN constant, or an overflow when constants were folded); CKKS can only multiply by finite constants`,
      );
    }
    if (layer.weights.every((weight) => weight === 0)) {
      throw new UnsupportedModelError([], `the output does not depend on the input: linear layer ${index} (from ${nodesOf(layer)}) multiplies every value by 0; there is nothing to evaluate`);
    }
  });
  try {
    chooseParameters(summarizePlan(plan));
  } catch (error) {
    if (isHeError(error) && error.code === "no-parameters") throw new UnsupportedModelError([], error.message);
    throw error;
  }
}
