/**
 * The two kinds of value the compiler tracks for each ONNX tensor while walking the graph.
 *
 * - `ConstValue`: known at compile time (initializers, Constant nodes and anything computed
 *   from them only); folded away.
 * - `AffineValue`: depends on the sample. It is an affine function of the current *stage
 *   input* (the model input, or the output of the last monomials layer), stored sparse: per
 *   element of the per-sample tensor, the stage inputs it reads with their weights (a
 *   `SparseRow`), plus a constant. Data movement shares rows between values, linear ops
 *   compose them through their sparse operators, so a chain of linear ops becomes one fused
 *   map holding only its non-zero weights, and no map ever costs inputs x outputs.
 *
 * The batch axis (axis 0 of every sample-dependent ONNX tensor) is not stored: kernels see an
 * affine value as a batch of one, `[1, ...sampleDims]`.
 */
import { NodeNotSupported } from "./errors.ts";
import type { LinearOperator } from "./kernels/linearOperator.ts";

export interface ConstValue {
  readonly kind: "const";
  readonly dims: readonly number[];
  readonly data: Float64Array;
  /** True for integer and boolean element types (shape arithmetic), false for floats. */
  readonly integer: boolean;
}

/** A segment of the plan between two activations: its input size and calibration inputs. */
export interface Stage {
  readonly index: number;
  readonly inputSize: number;
  /** Calibration samples at this stage's input, row-major samples x inputSize. */
  readonly calibration: Float64Array;
}

/** sum_k weights[k] * x[inputs[k]] over the stage input x: inputs increasing, no zero weight. Never modified once made, so values share them. */
export interface SparseRow {
  readonly inputs: Int32Array;
  readonly weights: Float64Array;
}

export interface AffineValue {
  readonly kind: "affine";
  readonly stage: Stage;
  readonly sampleDims: readonly number[];
  /** numel(sampleDims) rows: element j is rows[j] applied to the stage input, plus constants[j]. */
  readonly rows: readonly SparseRow[];
  readonly constants: Float64Array;
}

/** Scores behind a trailing Softmax/LogSoftmax that the plan leaves to the buyer. */
export interface DroppedTailValue {
  readonly kind: "droppedTail";
  readonly scores: AffineValue;
  readonly op: "Softmax" | "LogSoftmax";
  /** The per-sample axes [from, to) the normalisation runs over. */
  readonly sampleAxes: readonly [number, number];
}

export type Value = ConstValue | AffineValue | DroppedTailValue;

/**
 * The batch size as it appears inside folded shape tensors when the model's batch dimension
 * is dynamic. Shape(x)[0] yields it, Gather/Concat/Unsqueeze carry it along, and Reshape
 * recognises it as "keep the batch axis". Chosen far from any real dimension.
 */
export const DYNAMIC_BATCH = 2_147_483_647 + 12_345;

export function numel(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

export function constValue(dims: readonly number[], data: Float64Array, integer = false): ConstValue {
  if (data.length !== numel(dims)) throw new Error(`internal: tensor data has ${data.length} entries for dims [${dims.join(", ")}]`);
  return { kind: "const", dims: [...dims], data, integer };
}

/**
 * Most weights one value's fused map may hold: each is one ciphertext x constant product per
 * batch (~1 ms at N = 16,384), so a layer beyond this would take hours per batch.
 */
export const MAX_MAP_WEIGHTS = 10_000_000;

const EMPTY_ROW: SparseRow = { inputs: new Int32Array(0), weights: new Float64Array(0) };

export function affineValue(stage: Stage, sampleDims: readonly number[], rows: readonly SparseRow[], constants: Float64Array): AffineValue {
  const n = numel(sampleDims);
  if (rows.length !== n || constants.length !== n) throw new Error("internal: affine rows do not match their shape");
  return { kind: "affine", stage, sampleDims: [...sampleDims], rows, constants };
}

/** The identity map of a stage: the stage input itself, shaped `sampleDims`. */
export function stageInput(stage: Stage, sampleDims: readonly number[]): AffineValue {
  const n = stage.inputSize;
  if (numel(sampleDims) !== n) throw new Error("internal: stage input shape mismatch");
  const rows = Array.from({ length: n }, (_, i): SparseRow => ({ inputs: Int32Array.of(i), weights: Float64Array.of(1) }));
  return affineValue(stage, sampleDims, rows, new Float64Array(n));
}

/** Whether the value is its stage's input, unchanged and in order. */
export function isStageInput(v: AffineValue): boolean {
  if (v.rows.length !== v.stage.inputSize) return false;
  return v.rows.every((row, j) => row.inputs.length === 1 && row.inputs[0] === j && row.weights[0] === 1 && v.constants[j] === 0);
}

/** Dims of the value as kernels see it: consts as they are, affine values as a batch of one. */
export function viewDims(v: ConstValue | AffineValue): number[] {
  return v.kind === "const" ? [...v.dims] : [1, ...v.sampleDims];
}

/** Total weights of the value's map: the multiplies a linear layer computing it would do. */
export function mapWeights(v: AffineValue): number {
  return v.rows.reduce((sum, row) => sum + row.weights.length, 0);
}

/** `row` times `factor` (the empty row for 0). */
function scaledRow(row: SparseRow, factor: number): SparseRow {
  if (factor === 1) return row;
  if (factor === 0) return EMPTY_ROW;
  return { inputs: row.inputs, weights: row.weights.map((w) => w * factor) };
}

/**
 * Accumulates weighted rows into one (a scatter over the stage inputs, with the touched
 * inputs listed so each row costs its own length, not the stage width).
 */
class RowAccumulator {
  readonly #sums: Float64Array;
  readonly #owner: Int32Array;
  readonly #touched: Int32Array;
  #count = 0;
  #current = 0;
  /** Weights emitted so far. */
  total = 0;

  constructor(width: number) {
    this.#sums = new Float64Array(width);
    this.#owner = new Int32Array(width).fill(-1);
    this.#touched = new Int32Array(width);
  }

  /** Starts row `id` (distinct for every row). */
  start(id: number): void {
    this.#current = id;
    this.#count = 0;
  }

  add(row: SparseRow, factor: number): void {
    for (let t = 0; t < row.inputs.length; ++t) {
      const i = row.inputs[t]!;
      if (this.#owner[i] !== this.#current) {
        this.#owner[i] = this.#current;
        this.#sums[i] = 0;
        this.#touched[this.#count++] = i;
      }
      this.#sums[i]! += factor * row.weights[t]!;
    }
  }

  /** Inputs the current row reaches so far. */
  get reached(): number {
    return this.#count;
  }

  finish(): SparseRow {
    const touched = this.#touched.subarray(0, this.#count).sort();
    let kept = 0;
    for (const i of touched) if (this.#sums[i] !== 0) kept += 1;
    if (kept === 0) return EMPTY_ROW;
    const row = { inputs: new Int32Array(kept), weights: new Float64Array(kept) };
    let k = 0;
    for (const i of touched) {
      if (this.#sums[i] === 0) continue;
      row.inputs[k] = i;
      row.weights[k++] = this.#sums[i]!;
    }
    this.total += kept;
    return row;
  }
}

/** The refusal of a map beyond MAX_MAP_WEIGHTS; `what` says whose map it is. */
export function tooManyMultiplies(what: string): NodeNotSupported {
  return new NodeNotSupported(
    `${what} more than ${MAX_MAP_WEIGHTS.toLocaleString("en-US")} multiplies per sample, hours per batch under homomorphic encryption; ` +
      "use fewer channels, a smaller input, or sparser (depthwise, grouped) layers, or place an activation earlier",
  );
}

function requireMapFits(total: number, stage: Stage): void {
  if (total > MAX_MAP_WEIGHTS) throw tooManyMultiplies(`fused with the linear ops before it since the last activation, its output would read the ${stage.inputSize} inputs through`);
}

/** Applies a linear operator (on `[1, ...sampleDims]`) to an affine value: its rows compose, sharing the ones it only copies. */
export function applyOperator(v: AffineValue, op: LinearOperator): AffineValue {
  if (op.outDims[0] !== 1 || numel(op.inDims) !== v.rows.length) throw new Error("internal: an operator does not fit the value it is applied to");
  const count = numel(op.outDims);
  const rows = new Array<SparseRow>(count);
  const constants = new Float64Array(count);
  const accumulator = new RowAccumulator(v.stage.inputSize);
  for (let o = 0; o < count; ++o) {
    const [from, to] = [op.rowStarts[o]!, op.rowStarts[o + 1]!];
    let constant = 0;
    for (let k = from; k < to; ++k) constant += op.weights[k]! * v.constants[op.inputs[k]!]!;
    constants[o] = constant;
    if (to - from === 1) {
      const row = scaledRow(v.rows[op.inputs[from]!]!, op.weights[from]!);
      rows[o] = row;
      accumulator.total += row.weights.length;
    } else {
      accumulator.start(o);
      for (let k = from; k < to; ++k) accumulator.add(v.rows[op.inputs[k]!]!, op.weights[k]!);
      rows[o] = accumulator.finish();
    }
    requireMapFits(accumulator.total, v.stage);
  }
  return affineValue(v.stage, op.outDims.slice(1), rows, constants);
}

/**
 * How many weights applyOperator(v, op) would hold (the stage inputs each output reaches;
 * exact unless weights cancel), counted without building the map.
 */
export function composedWeights(v: AffineValue, op: LinearOperator): number {
  const accumulator = new RowAccumulator(v.stage.inputSize);
  let total = 0;
  for (let o = 0; o + 1 < op.rowStarts.length; ++o) {
    accumulator.start(o);
    for (let k = op.rowStarts[o]!; k < op.rowStarts[o + 1]!; ++k) accumulator.add(v.rows[op.inputs[k]!]!, op.weights[k]!);
    total += accumulator.reached;
  }
  return total;
}

/** a + sign * b element-wise (same shape, same stage). */
export function addAffine(a: AffineValue, b: AffineValue, sign: 1 | -1): AffineValue {
  const accumulator = new RowAccumulator(a.stage.inputSize);
  const rows = a.rows.map((row, j) => {
    accumulator.start(j);
    accumulator.add(row, 1);
    accumulator.add(b.rows[j]!, sign);
    return accumulator.finish();
  });
  requireMapFits(accumulator.total, a.stage);
  return affineValue(a.stage, a.sampleDims, rows, a.constants.map((c, j) => c + sign * b.constants[j]!));
}

/** Whether two values are the same affine function (x * x is a square only then). */
export function sameFunction(a: AffineValue, b: AffineValue): boolean {
  if (a.rows.length !== b.rows.length || a.constants.some((c, j) => c !== b.constants[j])) return false;
  return a.rows.every((row, j) => {
    const other = b.rows[j]!;
    return row === other || (row.inputs.length === other.inputs.length && row.inputs.every((i, k) => i === other.inputs[k] && row.weights[k] === other.weights[k]));
  });
}

/**
 * Applies an index map: output element i is input element `source[i]`, or `fill` where
 * `source[i] < 0` (constant padding). For affine values `outDims` includes the batch-of-one axis.
 */
export function remap<V extends ConstValue | AffineValue>(v: V, outDims: readonly number[], source: Int32Array, fill = 0): V {
  if (v.kind === "const") {
    const out = new Float64Array(source.length);
    for (let i = 0; i < source.length; ++i) out[i] = source[i]! < 0 ? fill : v.data[source[i]!]!;
    return constValue(outDims, out, v.integer) as V;
  }
  const a = v as AffineValue;
  if (outDims[0] !== 1) throw new Error("internal: remap changed the batch axis");
  const rows = Array.from(source, (s) => (s >= 0 ? a.rows[s]! : EMPTY_ROW));
  const constants = Float64Array.from(source, (s) => (s >= 0 ? a.constants[s]! : fill));
  return affineValue(a.stage, outDims.slice(1), rows, constants) as V;
}

/** Adds a per-sample constant (already shaped like the value) to the value. */
export function addConstants(v: AffineValue, offset: Float64Array): AffineValue {
  if (offset.length !== v.rows.length) throw new Error("internal: offset shape mismatch");
  return affineValue(v.stage, v.sampleDims, v.rows, v.constants.map((c, j) => c + offset[j]!));
}

/** Multiplies every element by a per-sample factor shaped like the value. */
export function scaleElements(v: AffineValue, factor: Float64Array): AffineValue {
  if (factor.length !== v.rows.length) throw new Error("internal: factor shape mismatch");
  return affineValue(v.stage, v.sampleDims, v.rows.map((row, j) => scaledRow(row, factor[j]!)), v.constants.map((c, j) => c * factor[j]!));
}
