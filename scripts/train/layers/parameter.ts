/**
 * A trainable tensor: its values and accumulated gradient, its ONNX initializer name and
 * shape, and whether weight decay (L2) applies to it. Layers own their parameters; the
 * optimizer and the exporter only read this shape.
 */
export interface Parameter {
  /** The ONNX initializer name, e.g. "fc1.weight". */
  readonly name: string;
  readonly shape: readonly number[];
  readonly value: Float64Array;
  readonly grad: Float64Array;
  /** L2 regularization applies (weights yes, biases no). */
  readonly decay: boolean;
}

export function makeParameter(name: string, shape: readonly number[], decay: boolean): Parameter {
  const size = shape.reduce((a, b) => a * b, 1);
  return { name, shape, value: new Float64Array(size), grad: new Float64Array(size), decay };
}
