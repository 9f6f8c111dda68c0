/**
 * Quantization of the buyer's real-valued features into the listing's fixed-point encoding
 * (IModelRegistry.TaskSpec): q = round(x * 2^scaleBits) + 2^(featureBits - 1), halves rounded
 * up as Math.round does, offset-encoded so that q lies in [0, 2^featureBits). What the sample
 * digests (sampleDigest.ts) and the contest circuits take. A value that does not fit is an
 * error, never clamped: clamping would commit to a test set other than the one the buyer
 * evaluates.
 */
import { FeatureRangeError, requireQuantizedFeatures, type FeatureShape } from "./featureRows.ts";

/** The listing's fixed-point encoding. */
export interface FeatureEncoding extends FeatureShape {
  /** Fractional bits: x is scaled by 2^scaleBits; at most featureBits. */
  scaleBits: number;
}

/** One feature, quantized; throws a FeatureRangeError when it does not fit. */
export function quantizeFeature(x: number, { featureBits, scaleBits }: FeatureEncoding): number {
  const offset = 2 ** (featureBits - 1);
  const q = Math.round(x * 2 ** scaleBits) + offset;
  if (!Number.isFinite(x) || q < 0 || q >= 2 ** featureBits) {
    const lo = -offset / 2 ** scaleBits;
    const hi = (offset - 1) / 2 ** scaleBits;
    throw new FeatureRangeError(`feature value ${x} is outside the listing's range [${lo}, ${hi}] (${featureBits} bits, scale 2^${scaleBits})`);
  }
  return q;
}

/**
 * Quantizes a test set (samples x featureCount real values). Throws a FeatureRangeError naming
 * the sample and feature that does not fit, or a row of the wrong length.
 */
export function quantizeFeatures(values: readonly (readonly number[])[], encoding: FeatureEncoding): number[][] {
  const { featureBits, scaleBits } = encoding;
  if (!Number.isInteger(scaleBits) || scaleBits < 0 || scaleBits > featureBits) {
    throw new RangeError(`scaleBits must be an integer in [0, featureBits = ${featureBits}], got ${scaleBits}`);
  }
  const quantized = values.map((row, i) =>
    row.map((x, f) => {
      try {
        return quantizeFeature(x, encoding);
      } catch (error) {
        if (error instanceof FeatureRangeError) throw new FeatureRangeError(`sample ${i}, feature ${f}: ${error.message}`);
        throw error;
      }
    }),
  );
  requireQuantizedFeatures(quantized, encoding);
  return quantized;
}
