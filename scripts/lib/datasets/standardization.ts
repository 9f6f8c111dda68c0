/**
 * Per-feature standardization, (x - mean) / std, with statistics from the training split only.
 * The values are rounded to float32 because that is how the model stores them (as its first
 * ONNX nodes, Sub then Div), so training and the exported model see the very same numbers.
 */
import type { Dataset } from "./dataset.ts";

export interface Standardization {
  readonly mean: Float64Array;
  /** Population standard deviation; a constant feature gets 1 so nothing divides by zero. */
  readonly std: Float64Array;
}

export function fitStandardization(train: Dataset): Standardization {
  const { featureCount, sampleCount, features } = train;
  const mean = new Float64Array(featureCount);
  const variance = new Float64Array(featureCount);
  for (let s = 0; s < sampleCount; s++) {
    for (let f = 0; f < featureCount; f++) mean[f]! += features[s * featureCount + f]! / sampleCount;
  }
  for (let s = 0; s < sampleCount; s++) {
    for (let f = 0; f < featureCount; f++) variance[f]! += (features[s * featureCount + f]! - mean[f]!) ** 2 / sampleCount;
  }
  const std = variance.map((v) => (v > 0 ? Math.sqrt(v) : 1));
  return { mean: Float64Array.from(mean, Math.fround), std: Float64Array.from(std, Math.fround) };
}
