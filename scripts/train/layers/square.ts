/**
 * The square activation y = x^2 of CryptoNets, the one non-linearity CKKS evaluates exactly at
 * the cost of one level. `op` says how the ONNX graph writes it: Mul(x, x) or Pow(x, 2).
 */
export type SquareOp = "Mul" | "Pow";

export class Square {
  readonly kind = "square";
  readonly op: SquareOp;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly parameters = [] as const;
  #input: Float64Array = new Float64Array(0);

  constructor(size: number, op: SquareOp) {
    this.inputSize = size;
    this.outputSize = size;
    this.op = op;
  }

  forward(input: Float64Array): Float64Array {
    this.#input = input;
    return input.map((x) => x * x);
  }

  backward(outputGrad: Float64Array): Float64Array {
    const input = this.#input;
    return outputGrad.map((d, i) => 2 * input[i]! * d);
  }
}
