/**
 * The HE plan: what an ONNX model becomes once it is ready for CKKS evaluation.
 *
 * Samples travel feature-major (CryptoNets-style batching): ciphertext `i` holds feature `i`
 * of every sample in the batch, one sample per slot. Every layer below therefore acts on a
 * vector of ciphertexts with scalar weights, and needs no rotations (no Galois keys).
 *
 * The plan is plain data (JSON-serializable apart from the typed arrays) so the seller's
 * compiler (offchain-worker/src/he/compiler) and the engine that evaluates it
 * (offchain-worker/src/he/engine) only meet here, and the buyer's client can size its
 * encryption parameters from the plan's public summary (`HePlanSummary`) alone.
 */
import { planRescales, type PlanRescale } from "./levels.ts";

/**
 * y = W x + b over the current vector, W stored sparse (compressed rows): output j reads the
 * inputs `inputs[rowStarts[j] .. rowStarts[j + 1])` with the weights at the same positions.
 * Only non-zero weights are stored, so `weights.length` is the layer's ciphertext x constant
 * products per batch: a convolution costs its kernel's multiplies, not inputs x outputs.
 */
export interface LinearLayer {
  readonly kind: "linear";
  /** ONNX node names this layer was folded from, for error messages and `model check`. */
  readonly source: readonly string[];
  readonly inputSize: number;
  readonly outputSize: number;
  /** `outputSize + 1` offsets into `inputs` and `weights`, starting at 0. */
  readonly rowStarts: Int32Array;
  /** Input index of each stored weight, increasing within a row. */
  readonly inputs: Int32Array;
  /** The non-zero weights, row by row: W[j][inputs[k]] = weights[k] for k in row j. */
  readonly weights: Float64Array;
  /** `outputSize` entries. */
  readonly bias: Float64Array;
}

/**
 * y = [x, x^2, ..., x^degree] concatenated power by power (size `inputSize * degree`).
 * A polynomial activation c0 + c1 x + c2 x^2 becomes this layer followed by a linear layer
 * that carries the coefficients, so a degree-2 activation costs one level.
 */
export interface MonomialsLayer {
  readonly kind: "monomials";
  readonly source: readonly string[];
  readonly inputSize: number;
  readonly degree: 2 | 3;
  /** The activation this layer (with the next linear layer) implements or approximates. */
  readonly activation: PlanActivation;
}

export interface PlanActivation {
  readonly op: "Square" | "Pow" | "Relu" | "Sigmoid" | "Tanh";
  /** Coefficients c0..cd of the polynomial that replaced a non-polynomial op. */
  readonly coefficients?: readonly number[];
  /** Input range the approximation was fitted (calibrated) on. */
  readonly range?: readonly [number, number];
  /** Largest |op(x) - polynomial(x)| over the range. */
  readonly maxError?: number;
}

export type PlanLayer = LinearLayer | MonomialsLayer;

export interface HePlan {
  readonly version: 1;
  /** Features per sample, flattened in the ONNX input's C order. */
  readonly inputSize: number;
  /** Scores per sample (the class logits or probabilities before any Softmax). */
  readonly outputSize: number;
  readonly layers: readonly PlanLayer[];
  /** Multiplicative depth of the layers (linear: 1, monomials: ceil(log2(degree))); the engine adds its output mask. */
  readonly depth: number;
  /** Largest |value| seen at any layer's output on calibration data (sizes the scale). */
  readonly maxMagnitude: number;
}

/** What a buyer needs to know about a plan to make keys and ciphertexts for it. */
export interface HePlanSummary {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly depth: number;
  readonly maxMagnitude: number;
  /** The engine's rescales in order of use (levels.ts); absent: `depth` narrow ones. */
  readonly rescales?: readonly PlanRescale[];
}

/** Multiplicative depth of one layer. */
export function layerDepth(layer: PlanLayer): number {
  return layer.kind === "linear" ? 1 : Math.ceil(Math.log2(layer.degree));
}

export function summarizePlan(plan: HePlan): HePlanSummary {
  return { inputSize: plan.inputSize, outputSize: plan.outputSize, depth: plan.depth, maxMagnitude: plan.maxMagnitude, rescales: planRescales(plan) };
}

/** Evaluates a plan in plain floating point: the reference the HE engine is checked against. */
export function evaluatePlanPlain(plan: HePlan, features: ArrayLike<number>): Float64Array {
  if (features.length !== plan.inputSize) {
    throw new RangeError(`expected ${plan.inputSize} features, got ${features.length}`);
  }
  let x = Float64Array.from(features);
  for (const layer of plan.layers) {
    if (layer.kind === "linear") {
      const y = Float64Array.from(layer.bias);
      for (let j = 0; j < layer.outputSize; ++j) {
        let sum = y[j]!;
        for (let k = layer.rowStarts[j]!; k < layer.rowStarts[j + 1]!; ++k) sum += layer.weights[k]! * x[layer.inputs[k]!]!;
        y[j] = sum;
      }
      x = y;
    } else {
      const y = new Float64Array(layer.inputSize * layer.degree);
      for (let i = 0; i < layer.inputSize; ++i) {
        let power = x[i]!;
        for (let d = 0; d < layer.degree; ++d) {
          y[d * layer.inputSize + i] = power;
          power *= x[i]!;
        }
      }
      x = y;
    }
  }
  return x;
}
