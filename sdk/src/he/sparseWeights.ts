/**
 * Helpers over a linear layer's sparse weights (plan.ts): building one from a dense matrix
 * (hand-made plans, small models), reading it back dense (the quantized plans of disputes,
 * which only exist for small layers), and which inputs a layer reads at all.
 */
import type { LinearLayer } from "./plan.ts";

/** A linear layer from a row-major dense `outputSize x inputSize` matrix; zero weights are not stored. */
export function denseLinearLayer(source: readonly string[], inputSize: number, outputSize: number, dense: ArrayLike<number>, bias: Float64Array): LinearLayer {
  if (dense.length !== inputSize * outputSize) throw new RangeError(`a ${outputSize} x ${inputSize} layer needs ${inputSize * outputSize} weights, got ${dense.length}`);
  const rowStarts = new Int32Array(outputSize + 1);
  let stored = 0;
  for (let k = 0; k < dense.length; ++k) if (dense[k] !== 0) stored += 1;
  const inputs = new Int32Array(stored);
  const weights = new Float64Array(stored);
  let k = 0;
  for (let j = 0; j < outputSize; ++j) {
    for (let i = 0; i < inputSize; ++i) {
      const w = dense[j * inputSize + i]!;
      if (w === 0) continue;
      inputs[k] = i;
      weights[k++] = w;
    }
    rowStarts[j + 1] = k;
  }
  return { kind: "linear", source: [...source], inputSize, outputSize, rowStarts, inputs, weights, bias };
}

/** The layer's weights as a row-major dense `outputSize x inputSize` matrix. */
export function denseWeights(layer: LinearLayer): Float64Array {
  const dense = new Float64Array(layer.outputSize * layer.inputSize);
  for (let j = 0; j < layer.outputSize; ++j) {
    for (let k = layer.rowStarts[j]!; k < layer.rowStarts[j + 1]!; ++k) dense[j * layer.inputSize + layer.inputs[k]!] = layer.weights[k]!;
  }
  return dense;
}

const READ_INPUTS = new WeakMap<LinearLayer, Uint8Array>();

/** readInputs(layer)[i] is 1 when some output reads input i with a non-zero weight (computed once per layer). */
export function readInputs(layer: LinearLayer): Uint8Array {
  let read = READ_INPUTS.get(layer);
  if (read === undefined) {
    read = new Uint8Array(layer.inputSize);
    for (let k = 0; k < layer.weights.length; ++k) if (layer.weights[k] !== 0) read[layer.inputs[k]!] = 1;
    READ_INPUTS.set(layer, read);
  }
  return read;
}
