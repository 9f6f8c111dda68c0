/**
 * The fixed input standardization (x - mean) / std as a network's first layer, exported as
 * the ONNX nodes Sub then Div, so the model takes raw features as a seller's model would. It is
 * fixed (fitted on the training split), so training never back-propagates through it.
 */
import type { Standardization } from "../../lib/datasets/standardization.ts";

export class Standardize {
  readonly kind = "standardize";
  readonly inputSize: number;
  readonly outputSize: number;
  readonly standardization: Standardization;

  constructor(standardization: Standardization) {
    this.standardization = standardization;
    this.inputSize = standardization.mean.length;
    this.outputSize = standardization.mean.length;
  }

  forward(input: Float64Array): Float64Array {
    const { mean, std } = this.standardization;
    const n = this.inputSize;
    return input.map((x, i) => (x - mean[i % n]!) / std[i % n]!);
  }
}
