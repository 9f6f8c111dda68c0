/**
 * A fully connected layer y = W x + b with W stored [outputs, inputs] row-major, the layout of
 * an ONNX Gemm with transB=1 (what PyTorch's nn.Linear exports).
 */
import type { SeededRng } from "../../lib/datasets/seededRng.ts";
import { makeParameter, type Parameter } from "./parameter.ts";

export class Dense {
  readonly kind = "dense";
  readonly inputSize: number;
  readonly outputSize: number;
  readonly weight: Parameter;
  readonly bias: Parameter;
  #input: Float64Array = new Float64Array(0);

  /** Weights drawn from N(0, (initGain / sqrt(inputs))^2), biases zero. */
  constructor(name: string, inputSize: number, outputSize: number, rng: SeededRng, initGain: number) {
    this.inputSize = inputSize;
    this.outputSize = outputSize;
    this.weight = makeParameter(`${name}.weight`, [outputSize, inputSize], true);
    this.bias = makeParameter(`${name}.bias`, [outputSize], false);
    const std = initGain / Math.sqrt(inputSize);
    for (let i = 0; i < this.weight.value.length; i++) this.weight.value[i] = rng.normal() * std;
  }

  get parameters(): readonly Parameter[] {
    return [this.weight, this.bias];
  }

  forward(input: Float64Array, batch: number): Float64Array {
    this.#input = input;
    const { inputSize: n, outputSize: m } = this;
    const w = this.weight.value;
    const out = new Float64Array(batch * m);
    for (let s = 0; s < batch; s++) {
      const x = s * n;
      for (let j = 0; j < m; j++) {
        let sum = this.bias.value[j]!;
        const row = j * n;
        for (let i = 0; i < n; i++) sum += w[row + i]! * input[x + i]!;
        out[s * m + j] = sum;
      }
    }
    return out;
  }

  backward(outputGrad: Float64Array, batch: number, needInputGrad: boolean): Float64Array | undefined {
    const { inputSize: n, outputSize: m } = this;
    const input = this.#input;
    const w = this.weight.value;
    const gw = this.weight.grad;
    const gb = this.bias.grad;
    const inputGrad = needInputGrad ? new Float64Array(batch * n) : undefined;
    for (let s = 0; s < batch; s++) {
      const x = s * n;
      for (let j = 0; j < m; j++) {
        const d = outputGrad[s * m + j]!;
        if (d === 0) continue;
        gb[j]! += d;
        const row = j * n;
        for (let i = 0; i < n; i++) gw[row + i]! += d * input[x + i]!;
        if (inputGrad) for (let i = 0; i < n; i++) inputGrad[x + i]! += d * w[row + i]!;
      }
    }
    return inputGrad;
  }
}
