/**
 * Builds the plan's layer chain while the graph is walked: the current stage's affine map is
 * closed into one (fused) linear layer whenever an activation needs the values, followed by
 * a monomials layer; the activation's coefficients become the next stage's starting map.
 * It also runs the calibration samples through every layer as it is emitted, which gives the
 * activation input ranges and the plan's maxMagnitude.
 */
import type { LinearLayer, MonomialsLayer, PlanActivation, PlanLayer } from "@modelbazaar/sdk/he";
import { affineValue, isStageInput, numel, stageInput, type AffineValue, type SparseRow, type Stage } from "./values.ts";
import type { FitReport } from "./activationFit.ts";
import { NodeNotSupported } from "./errors.ts";

export interface ActivationRequest {
  readonly node: string;
  readonly degree: 2 | 3;
  /** Decides the polynomial once the calibration inputs (samples x size, and their [min, max]) are known. */
  readonly choose: (observed: ObservedInputs) => PlanActivation & { readonly coefficients: readonly number[]; readonly fit?: FitReport };
}

/** What the calibration samples feed an activation: every value, row-major samples x `size`, and their extent. */
export interface ObservedInputs {
  readonly values: Float64Array;
  readonly size: number;
  readonly range: readonly [number, number];
}

export interface ActivationResult {
  readonly value: AffineValue;
  /**
   * The activation's input itself, in the new stage (the monomials' x^1 block): later uses of
   * the pre-activation tensor (a residual x + x^2, a polynomial written out as a*x*x + b*x + c)
   * stay expressible after the stage has closed.
   */
  readonly input: AffineValue;
  readonly monomialsLayer: number;
  readonly activation: PlanActivation;
  /** How an approximation was chosen and its error on the calibration inputs (for the report, not the plan). */
  readonly fit?: FitReport;
}

export class PlanBuilder {
  readonly layers: PlanLayer[] = [];
  /** Stage index -> index of the linear layer that closed it (absent when the map was the identity). */
  readonly stageLayers = new Map<number, number>();
  readonly #samples: number;
  #stage: Stage;
  #sources: string[] = [];
  #maxMagnitude: number;

  constructor(inputSize: number, calibration: Float64Array) {
    this.#samples = calibration.length / inputSize;
    this.#stage = { index: 0, inputSize, calibration };
    this.#maxMagnitude = maxAbs(calibration);
  }

  get stage(): Stage {
    return this.#stage;
  }

  get maxMagnitude(): number {
    return this.#maxMagnitude;
  }

  /** The model input as an affine value of stage 0. */
  input(sampleDims: readonly number[]): AffineValue {
    return stageInput(this.#stage, sampleDims);
  }

  /** Records that a node's linear op went into the current stage's map. */
  noteLowered(node: string): void {
    if (!this.#sources.includes(node)) this.#sources.push(node);
  }

  activate(value: AffineValue, request: ActivationRequest): ActivationResult {
    this.#requireCurrent(value);
    const pre = this.#closeStage(value);
    const m = numel(value.sampleDims);
    let min = Infinity;
    let max = -Infinity;
    for (const x of pre) {
      if (x < min) min = x;
      if (x > max) max = x;
    }
    const { fit, ...activation } = request.choose({ values: pre, size: m, range: [min, max] });
    const monomialsLayer = this.layers.length;
    const layer: MonomialsLayer = { kind: "monomials", source: [request.node], inputSize: m, degree: request.degree, activation };
    this.layers.push(layer);
    const powers = monomials(pre, m, request.degree);
    this.#track(powers);
    this.#stage = { index: this.#stage.index + 1, inputSize: m * request.degree, calibration: powers };
    this.#sources = [request.node];
    return {
      value: this.#powersOf(value.sampleDims, activation.coefficients),
      input: this.#powersOf(value.sampleDims, [0, 1]),
      monomialsLayer,
      activation,
      fit,
    };
  }

  /** sum_p coefficients[p] * x^p element-wise, as an affine value of the stage that starts with the monomials. */
  #powersOf(sampleDims: readonly number[], coefficients: readonly number[]): AffineValue {
    const m = numel(sampleDims);
    const powers = coefficients.slice(1).flatMap((c, p) => (c === 0 ? [] : [{ block: p * m, c }]));
    const rows = Array.from({ length: m }, (_, j): SparseRow => ({ inputs: Int32Array.from(powers, ({ block }) => block + j), weights: Float64Array.from(powers, ({ c }) => c) }));
    return affineValue(this.#stage, sampleDims, rows, new Float64Array(m).fill(coefficients[0] ?? 0));
  }

  /**
   * Ends the stage on `value` with its linear layer and returns the value as the input of a
   * new stage, so that the next linear op gets a layer of its own (fusion.ts).
   */
  split(value: AffineValue): AffineValue {
    this.#requireCurrent(value);
    const outputs = this.#closeStage(value);
    this.#stage = { index: this.#stage.index + 1, inputSize: value.rows.length, calibration: outputs };
    this.#sources = [];
    return stageInput(this.#stage, value.sampleDims);
  }

  /**
   * Closes the last stage on the model's output; returns the output's calibration values. A
   * plan always ends with a linear layer, even the identity (a model that only copies or
   * multiplies by 1, or outputs an activation's monomials as they are): the scores leave the last prime at a scale of their own (parameters.ts).
   */
  finish(value: AffineValue): Float64Array {
    this.#requireCurrent(value);
    // Also after a last activation whose monomials are the output as they are: only a linear layer computes the scores at 2^outputScaleBits.
    return this.#closeStage(value, this.layers.at(-1)?.kind !== "linear");
  }

  #requireCurrent(value: AffineValue): void {
    if (value.stage !== this.#stage) {
      throw new NodeNotSupported("its input was computed before an earlier activation (a skip connection around an activation), which a layer chain cannot express");
    }
  }

  /** Emits the stage's fused linear layer (unless it is the identity and not `always`) and returns its calibration outputs. */
  #closeStage(value: AffineValue, always = false): Float64Array {
    if (!always && isStageInput(value)) return this.#stage.calibration;
    const layer = linearLayer(value, [...this.#sources]);
    this.stageLayers.set(this.#stage.index, this.layers.length);
    this.layers.push(layer);
    const out = applyLayer(layer, this.#stage.calibration, this.#samples);
    this.#track(out);
    return out;
  }

  #track(values: Float64Array): void {
    this.#maxMagnitude = Math.max(this.#maxMagnitude, maxAbs(values));
  }
}

function maxAbs(values: Float64Array): number {
  let m = 0;
  for (const v of values) m = Math.max(m, Math.abs(v));
  return m;
}

/** The value's map as a plan layer: its rows are already sparse, sorted and free of zero weights. */
function linearLayer(value: AffineValue, source: string[]): LinearLayer {
  const m = value.rows.length;
  const rowStarts = new Int32Array(m + 1);
  value.rows.forEach((row, j) => (rowStarts[j + 1] = rowStarts[j]! + row.inputs.length));
  const inputs = new Int32Array(rowStarts[m]!);
  const weights = new Float64Array(rowStarts[m]!);
  value.rows.forEach((row, j) => {
    inputs.set(row.inputs, rowStarts[j]!);
    weights.set(row.weights, rowStarts[j]!);
  });
  return { kind: "linear", source, inputSize: value.stage.inputSize, outputSize: m, rowStarts, inputs, weights, bias: Float64Array.from(value.constants) };
}

/** samples x inputSize through the layer -> samples x outputSize. */
function applyLayer(layer: LinearLayer, inputs: Float64Array, samples: number): Float64Array {
  const { inputSize: n, outputSize: m } = layer;
  const out = new Float64Array(samples * m);
  for (let s = 0; s < samples; ++s) {
    for (let j = 0; j < m; ++j) {
      let sum = layer.bias[j]!;
      for (let k = layer.rowStarts[j]!; k < layer.rowStarts[j + 1]!; ++k) sum += layer.weights[k]! * inputs[s * n + layer.inputs[k]!]!;
      out[s * m + j] = sum;
    }
  }
  return out;
}

/** samples x m -> samples x (m * degree): [x, x^2(, x^3)] power by power, as the plan's monomials layer. */
function monomials(values: Float64Array, m: number, degree: number): Float64Array {
  const samples = values.length / m;
  const out = new Float64Array(samples * m * degree);
  for (let s = 0; s < samples; ++s) {
    for (let j = 0; j < m; ++j) {
      const x = values[s * m + j]!;
      let power = x;
      for (let p = 0; p < degree; ++p) {
        out[(s * degree + p) * m + j] = power;
        power *= x;
      }
    }
  }
  return out;
}
