/**
 * The rectifier y = max(0, x), which CKKS cannot evaluate: the HE compiler replaces it by a
 * polynomial fitted on calibration data. Networks with it test that approximation.
 */
export class Relu {
  readonly kind = "relu";
  readonly inputSize: number;
  readonly outputSize: number;
  readonly parameters = [] as const;
  #input: Float64Array = new Float64Array(0);

  constructor(size: number) {
    this.inputSize = size;
    this.outputSize = size;
  }

  forward(input: Float64Array): Float64Array {
    this.#input = input;
    return input.map((x) => (x > 0 ? x : 0));
  }

  backward(outputGrad: Float64Array): Float64Array {
    const input = this.#input;
    return outputGrad.map((d, i) => (input[i]! > 0 ? d : 0));
  }
}
