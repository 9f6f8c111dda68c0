/**
 * A linear operator between two flat tensors, stored sparse: output element o is the sum of
 * `weights[k] * x[inputs[k]]` over k in [rowStarts[o], rowStarts[o + 1]). Conv, the pools,
 * the reductions and MatMul with a constant are built as operators holding exactly their
 * multiplies (a depthwise 7x7 conv on 320 channels holds 320 x 49 weights per position, not
 * inputs x outputs), then applied to constants here and to affine values in values.ts.
 */
import { MAX_MAP_WEIGHTS, numel, tooManyMultiplies } from "../values.ts";

export interface LinearOperator {
  /** Dims of the tensor it reads (with the batch axis). */
  readonly inDims: readonly number[];
  /** Dims of the tensor it writes (with the batch axis). */
  readonly outDims: readonly number[];
  readonly rowStarts: Int32Array;
  readonly inputs: Int32Array;
  readonly weights: Float64Array;
}

/** Collects (output, input, weight) terms in any order, then sorts them by output. */
export class OperatorBuilder {
  readonly #inDims: readonly number[];
  readonly #outDims: readonly number[];
  #outputs = new Int32Array(1024);
  #inputs = new Int32Array(1024);
  #weights = new Float64Array(1024);
  #count = 0;

  constructor(inDims: readonly number[], outDims: readonly number[]) {
    this.#inDims = [...inDims];
    this.#outDims = [...outDims];
  }

  /** Adds w * x[input] to output `output` (zero weights are skipped; repeated pairs add up when applied). */
  add(output: number, input: number, weight: number): void {
    if (weight === 0) return;
    if (this.#count === MAX_MAP_WEIGHTS) throw tooManyMultiplies("on its own it does");
    if (this.#count === this.#outputs.length) this.#grow();
    this.#outputs[this.#count] = output;
    this.#inputs[this.#count] = input;
    this.#weights[this.#count++] = weight;
  }

  build(): LinearOperator {
    const outCount = numel(this.#outDims);
    const rowStarts = new Int32Array(outCount + 1);
    for (let t = 0; t < this.#count; ++t) rowStarts[this.#outputs[t]! + 1]! += 1;
    for (let o = 0; o < outCount; ++o) rowStarts[o + 1]! += rowStarts[o]!;
    const next = rowStarts.slice(0, outCount);
    const inputs = new Int32Array(this.#count);
    const weights = new Float64Array(this.#count);
    for (let t = 0; t < this.#count; ++t) {
      const k = next[this.#outputs[t]!]!++;
      inputs[k] = this.#inputs[t]!;
      weights[k] = this.#weights[t]!;
    }
    return { inDims: this.#inDims, outDims: this.#outDims, rowStarts, inputs, weights };
  }

  #grow(): void {
    const size = 2 * this.#outputs.length;
    const outputs = new Int32Array(size);
    const inputs = new Int32Array(size);
    const weights = new Float64Array(size);
    outputs.set(this.#outputs);
    inputs.set(this.#inputs);
    weights.set(this.#weights);
    [this.#outputs, this.#inputs, this.#weights] = [outputs, inputs, weights];
  }
}

/** The operator applied to a constant tensor's data. */
export function applyToData(op: LinearOperator, data: Float64Array): Float64Array {
  if (data.length !== numel(op.inDims)) throw new Error("internal: an operator got data of the wrong size");
  const out = new Float64Array(numel(op.outDims));
  for (let o = 0; o < out.length; ++o) {
    let sum = 0;
    for (let k = op.rowStarts[o]!; k < op.rowStarts[o + 1]!; ++k) sum += op.weights[k]! * data[op.inputs[k]!]!;
    out[o] = sum;
  }
  return out;
}
