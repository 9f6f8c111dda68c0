/**
 * Layer-by-layer construction of the zoo's ONNX graphs on the project's graph builder
 * (scripts/lib/onnxGraph.ts): each call appends one node, with seeded float32 weights drawn
 * N(0, 1/fan-in) so values stay near unit size through any depth, and returns the name of its
 * output. The same seed always gives the same bytes.
 */
import type { onnx } from "onnx-proto";
import { SeededRng } from "../lib/datasets/seededRng.ts";
import { buildModel, FLOAT, ints, tensor, type Attr, type NodeSpec } from "../lib/onnxGraph.ts";

export const INPUT = "input";

export interface ConvOptions {
  readonly stride?: number;
  readonly pad?: number;
  readonly group?: number;
}

export class ZooGraph {
  readonly #nodes: NodeSpec[] = [];
  readonly #initializers: onnx.ITensorProto[] = [];
  readonly #rng: SeededRng;
  #count = 0;

  constructor(seed: number) {
    this.#rng = new SeededRng(seed);
  }

  /** An initializer of `dims` with N(0, std²) values, or the given values. */
  weights(dims: readonly number[], std: number, values?: ArrayLike<number>): string {
    const size = dims.reduce((n, d) => n * d, 1);
    const name = `w${this.#initializers.length}`;
    this.#initializers.push(tensor(name, dims, values ?? Float64Array.from({ length: size }, () => this.#rng.normal() * std), FLOAT, true));
    return name;
  }

  /** An int64 initializer (shapes, pads, axes). */
  integers(values: readonly number[]): string {
    const name = `i${this.#initializers.length}`;
    this.#initializers.push({ ...ints(name, values) });
    return name;
  }

  node(op: string, inputs: readonly string[], attributes?: Readonly<Record<string, Attr>>): string {
    const output = `${op.toLowerCase()}${this.#count++}`;
    this.#nodes.push({ op, inputs, outputs: [output], attributes, name: `${op}_${this.#count}` });
    return output;
  }

  conv(x: string, inChannels: number, outChannels: number, kernel: number, { stride = 1, pad = 0, group = 1 }: ConvOptions = {}): string {
    const fanIn = (inChannels / group) * kernel * kernel;
    const w = this.weights([outChannels, inChannels / group, kernel, kernel], 1 / Math.sqrt(fanIn));
    const b = this.weights([outChannels], 0.1);
    return this.node("Conv", [x, w, b], { kernel_shape: [kernel, kernel], strides: [stride, stride], pads: [pad, pad, pad, pad], group });
  }

  /** Gemm with transB=1, as PyTorch exports nn.Linear; `weights` overrides the seeded [outputs][inputs] matrix. */
  gemm(x: string, inputs: number, outputs: number, weights?: ArrayLike<number>): string {
    const w = this.weights([outputs, inputs], 1 / Math.sqrt(inputs), weights);
    const b = this.weights([outputs], 0.1);
    return this.node("Gemm", [x, w, b], { transB: 1 });
  }

  square(x: string): string {
    return this.node("Mul", [x, x]);
  }

  pow(x: string, exponent: number): string {
    return this.node("Pow", [x, this.weights([], 0, [exponent])]);
  }

  averagePool(x: string, kernel: number, stride = kernel): string {
    return this.node("AveragePool", [x], { kernel_shape: [kernel, kernel], strides: [stride, stride] });
  }

  flatten(x: string): string {
    return this.node("Flatten", [x], { axis: 1 });
  }

  /** Pad of a [batch, C, H, W] tensor by `width` on each spatial side (opset 11+: pads as an input). */
  pad(x: string, width: number, mode: "constant" | "edge" | "reflect", value?: number): string {
    const pads = this.integers([0, 0, width, width, 0, 0, width, width]);
    const inputs = value === undefined ? [x, pads] : [x, pads, this.weights([], 0, [value])];
    return this.node("Pad", inputs, { mode });
  }

  batchNormalization(x: string, channels: number): string {
    const scale = this.weights([channels], 0, Float64Array.from({ length: channels }, () => 0.5 + this.#rng.uniform()));
    const bias = this.weights([channels], 0.2);
    const mean = this.weights([channels], 0.2);
    const variance = this.weights([channels], 0, Float64Array.from({ length: channels }, () => 0.5 + this.#rng.uniform()));
    return this.node("BatchNormalization", [x, scale, bias, mean, variance]);
  }

  build(sampleShape: readonly number[], output: string): Uint8Array {
    return buildModel({
      nodes: this.#nodes,
      initializers: this.#initializers,
      input: { name: INPUT, dims: ["batch", ...sampleShape], type: FLOAT },
      output: { name: output, type: FLOAT },
      opset: 13,
    });
  }
}
