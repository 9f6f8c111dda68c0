/**
 * A 2-D convolution (square kernel, equal stride and zero padding on every side) with the
 * ONNX Conv semantics: NCHW input, weights [maps, channels, k, k], output size
 * floor((side + 2 * padding - k) / stride) + 1. It may only be a network's first trainable
 * layer: it computes the gradients of its own weights, not of its input.
 */
import type { SeededRng } from "../../lib/datasets/seededRng.ts";
import { makeParameter, type Parameter } from "./parameter.ts";

export interface ConvGeometry {
  readonly channels: number;
  readonly side: number;
  readonly maps: number;
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
}

export class Conv2d {
  readonly kind = "conv2d";
  readonly geometry: ConvGeometry;
  readonly outputSide: number;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly weight: Parameter;
  readonly bias: Parameter;
  /** For output position p and kernel tap t: the input offset read, or -1 in the padding. */
  readonly #taps: Int32Array;
  #input: Float64Array = new Float64Array(0);

  /** Weights drawn from N(0, (initGain / sqrt(channels * k * k))^2), biases zero. */
  constructor(name: string, geometry: ConvGeometry, rng: SeededRng, initGain: number) {
    const { channels, side, maps, kernel, stride, padding } = geometry;
    this.geometry = geometry;
    this.outputSide = Math.floor((side + 2 * padding - kernel) / stride) + 1;
    this.inputSize = channels * side * side;
    this.outputSize = maps * this.outputSide * this.outputSide;
    this.weight = makeParameter(`${name}.weight`, [maps, channels, kernel, kernel], true);
    this.bias = makeParameter(`${name}.bias`, [maps], false);
    const std = initGain / Math.sqrt(channels * kernel * kernel);
    for (let i = 0; i < this.weight.value.length; i++) this.weight.value[i] = rng.normal() * std;
    this.#taps = this.#tapTable();
  }

  get parameters(): readonly Parameter[] {
    return [this.weight, this.bias];
  }

  forward(input: Float64Array, batch: number): Float64Array {
    this.#input = input;
    const { maps } = this.geometry;
    const positions = this.outputSide * this.outputSide;
    const tapCount = this.#taps.length / positions;
    const w = this.weight.value;
    const out = new Float64Array(batch * this.outputSize);
    for (let s = 0; s < batch; s++) {
      const x = s * this.inputSize;
      for (let m = 0; m < maps; m++) {
        const o = s * this.outputSize + m * positions;
        for (let p = 0; p < positions; p++) {
          let sum = this.bias.value[m]!;
          for (let t = 0; t < tapCount; t++) {
            const at = this.#taps[p * tapCount + t]!;
            if (at >= 0) sum += w[m * tapCount + t]! * input[x + at]!;
          }
          out[o + p] = sum;
        }
      }
    }
    return out;
  }

  backward(outputGrad: Float64Array, batch: number, needInputGrad: boolean): undefined {
    if (needInputGrad) throw new Error("Conv2d must be the first trainable layer: it does not back-propagate to its input.");
    const { maps } = this.geometry;
    const positions = this.outputSide * this.outputSide;
    const tapCount = this.#taps.length / positions;
    const input = this.#input;
    for (let s = 0; s < batch; s++) {
      const x = s * this.inputSize;
      for (let m = 0; m < maps; m++) {
        const o = s * this.outputSize + m * positions;
        for (let p = 0; p < positions; p++) {
          const d = outputGrad[o + p]!;
          this.bias.grad[m]! += d;
          for (let t = 0; t < tapCount; t++) {
            const at = this.#taps[p * tapCount + t]!;
            if (at >= 0) this.weight.grad[m * tapCount + t]! += d * input[x + at]!;
          }
        }
      }
    }
    return undefined;
  }

  #tapTable(): Int32Array {
    const { channels, side, kernel, stride, padding } = this.geometry;
    const outSide = this.outputSide;
    const tapCount = channels * kernel * kernel;
    const taps = new Int32Array(outSide * outSide * tapCount).fill(-1);
    for (let oy = 0; oy < outSide; oy++) {
      for (let ox = 0; ox < outSide; ox++) {
        const p = oy * outSide + ox;
        for (let c = 0; c < channels; c++) {
          for (let ky = 0; ky < kernel; ky++) {
            for (let kx = 0; kx < kernel; kx++) {
              const iy = oy * stride - padding + ky;
              const ix = ox * stride - padding + kx;
              if (iy < 0 || ix < 0 || iy >= side || ix >= side) continue;
              taps[p * tapCount + (c * kernel + ky) * kernel + kx] = (c * side + iy) * side + ix;
            }
          }
        }
      }
    }
    return taps;
  }
}
