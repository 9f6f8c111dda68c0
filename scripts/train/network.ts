/**
 * A feed-forward network as the trainer holds it: an optional fixed input standardization,
 * then a stack of trainable and activation layers ending in class scores (logits). It runs
 * forward and backward passes on row-major mini-batches, and scores whole data sets.
 */
import type { Dataset } from "../lib/datasets/dataset.ts";
import type { Conv2d } from "./layers/conv2d.ts";
import type { Dense } from "./layers/dense.ts";
import type { Parameter } from "./layers/parameter.ts";
import type { Relu } from "./layers/relu.ts";
import type { Square } from "./layers/square.ts";
import type { Standardize } from "./layers/standardize.ts";

export type StackLayer = Conv2d | Dense | Square | Relu;

/** Features whose count does not match what the network takes. */
export class FeatureCountError extends Error {
  override readonly name = "FeatureCountError";
}

export class Network {
  /** Shape of one sample as the ONNX input takes it, without the batch dimension. */
  readonly sampleShape: readonly number[];
  readonly standardize: Standardize | undefined;
  readonly layers: readonly StackLayer[];
  readonly #firstTrainable: number;

  constructor(sampleShape: readonly number[], standardize: Standardize | undefined, layers: readonly StackLayer[]) {
    this.sampleShape = sampleShape;
    this.standardize = standardize;
    this.layers = layers;
    this.#firstTrainable = layers.findIndex((layer) => layer.parameters.length > 0);
    const inputSize = sampleShape.reduce((a, b) => a * b, 1);
    let size = inputSize;
    for (const layer of [...(standardize ? [standardize] : []), ...layers]) {
      if (layer.inputSize !== size) throw new Error(`Layer ${layer.kind} takes ${layer.inputSize} values, gets ${size}.`);
      size = layer.outputSize;
    }
  }

  get inputSize(): number {
    return this.sampleShape.reduce((a, b) => a * b, 1);
  }

  get classCount(): number {
    return this.layers.at(-1)!.outputSize;
  }

  get parameters(): Parameter[] {
    return this.layers.flatMap((layer) => [...layer.parameters]);
  }

  /** Logits of `batch` samples (row-major `batch x inputSize`). */
  forward(input: Float64Array, batch: number): Float64Array {
    if (input.length !== batch * this.inputSize) {
      throw new FeatureCountError(
        `The network takes ${this.inputSize} features per sample; ${input.length} values are not ${batch} such samples.`,
      );
    }
    let x = this.standardize ? this.standardize.forward(input) : input;
    for (const layer of this.layers) x = layer.forward(x, batch);
    return x;
  }

  /** Accumulates parameter gradients from the gradient of the loss with respect to the logits. */
  backward(logitGrad: Float64Array, batch: number): void {
    let grad: Float64Array | undefined = logitGrad;
    for (let i = this.layers.length - 1; i >= this.#firstTrainable && grad; i--) {
      grad = this.layers[i]!.backward(grad, batch, i > this.#firstTrainable);
    }
  }

  /** Logits of every sample of `dataset`, computed in batches. */
  scores(dataset: Dataset, batchSize = 256): Float64Array {
    if (dataset.featureCount !== this.inputSize) {
      throw new FeatureCountError(`The network takes ${this.inputSize} features per sample; the data set has ${dataset.featureCount}.`);
    }
    const n = this.inputSize;
    const out = new Float64Array(dataset.sampleCount * this.classCount);
    for (let start = 0; start < dataset.sampleCount; start += batchSize) {
      const batch = Math.min(batchSize, dataset.sampleCount - start);
      out.set(this.forward(dataset.features.subarray(start * n, (start + batch) * n), batch), start * this.classCount);
    }
    return out;
  }

  /** Rounds every parameter to float32, the precision the ONNX file stores. */
  roundToFloat32(): void {
    for (const p of this.parameters) p.value.set(p.value.map(Math.fround));
  }
}
