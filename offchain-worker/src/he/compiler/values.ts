/**
 * The two kinds of value the compiler tracks for each ONNX tensor while walking the graph.
 *
 * - `ConstValue`: known at compile time (initializers, Constant nodes and anything computed
 *   from them only); folded away.
 * - `AffineValue`: depends on the sample. It is an affine function of the current *stage
 *   input* (the model input, or the output of the last monomials layer) stored in homogeneous
 *   form: `rows` holds `inputSize + 1` rows of the per-sample tensor; row r is the response to
 *   the unit input e_r and the last row is the constant part. Every linear op therefore maps
 *   all rows alike and only constant offsets touch the last row, so a chain of linear ops
 *   composes into one dense map (the fused linear layer) without ever building a matrix per op.
 *
 * The batch axis (axis 0 of every sample-dependent ONNX tensor) is not stored: kernels see an
 * affine value as a batch of one, `[1, ...sampleDims]`.
 */
import { NodeNotSupported } from "./errors.ts";

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

export interface AffineValue {
  readonly kind: "affine";
  readonly stage: Stage;
  readonly sampleDims: readonly number[];
  /** (stage.inputSize + 1) x numel(sampleDims), row-major; the last row is the constant part. */
  readonly rows: Float64Array;
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

/** Largest per-stage map the compiler builds (entries of `rows`), about 400 MB of doubles. */
const MAX_ROWS_ENTRIES = 50_000_000;

export function numel(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

export function constValue(dims: readonly number[], data: Float64Array, integer = false): ConstValue {
  if (data.length !== numel(dims)) throw new Error(`internal: tensor data has ${data.length} entries for dims [${dims.join(", ")}]`);
  return { kind: "const", dims: [...dims], data, integer };
}

export function affineValue(stage: Stage, sampleDims: readonly number[], rows: Float64Array): AffineValue {
  if (rows.length !== (stage.inputSize + 1) * numel(sampleDims)) throw new Error("internal: affine rows do not match their shape");
  return { kind: "affine", stage, sampleDims: [...sampleDims], rows };
}

/** Allocates the rows of an affine value, refusing maps too large to hold (or to evaluate under HE). */
export function allocateRows(stage: Stage, sampleNumel: number): Float64Array {
  const entries = (stage.inputSize + 1) * sampleNumel;
  if (entries > MAX_ROWS_ENTRIES) {
    throw new NodeNotSupported(
      `its output has ${sampleNumel} values per sample, each depending on ${stage.inputSize} inputs: ` +
        `the dense map (${entries} weights) is too large for homomorphic evaluation`,
    );
  }
  return new Float64Array(entries);
}

/** The identity map of a stage: the stage input itself, shaped `sampleDims`. */
export function stageInput(stage: Stage, sampleDims: readonly number[]): AffineValue {
  const n = stage.inputSize;
  if (numel(sampleDims) !== n) throw new Error("internal: stage input shape mismatch");
  const rows = allocateRows(stage, n);
  for (let i = 0; i < n; ++i) rows[i * n + i] = 1;
  return affineValue(stage, sampleDims, rows);
}

/** Dims of the value as kernels see it: consts as they are, affine values as a batch of one. */
export function viewDims(v: ConstValue | AffineValue): number[] {
  return v.kind === "const" ? [...v.dims] : [1, ...v.sampleDims];
}

/** Number of rows of an affine value (stage inputs + the constant row). */
export function rowCount(v: AffineValue): number {
  return v.stage.inputSize + 1;
}

/**
 * Maps every row of an affine value through a per-sample linear kernel that sees `[1, ...sampleDims]`
 * and returns data for `[1, ...outSampleDims]`. The kernel must be linear (no constant offset).
 */
export function mapAffine(
  v: AffineValue,
  kernel: (data: Float64Array, dims: readonly number[]) => { data: Float64Array; dims: readonly number[] },
): AffineValue {
  const inN = numel(v.sampleDims);
  const inDims = [1, ...v.sampleDims];
  let outDims: readonly number[] | undefined;
  let rows: Float64Array | undefined;
  const count = rowCount(v);
  for (let r = 0; r < count; ++r) {
    const out = kernel(v.rows.subarray(r * inN, (r + 1) * inN), inDims);
    if (rows === undefined) {
      outDims = out.dims;
      rows = allocateRows(v.stage, out.data.length);
    }
    rows.set(out.data, r * out.data.length);
  }
  if (outDims === undefined || rows === undefined) throw new Error("internal: a stage has no rows");
  if (outDims[0] !== 1) throw new Error("internal: a per-sample kernel changed the batch axis");
  return affineValue(v.stage, outDims.slice(1), rows);
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
  const inN = numel(a.sampleDims);
  const outN = source.length;
  const count = rowCount(a);
  const rows = allocateRows(a.stage, outN);
  for (let r = 0; r < count; ++r) {
    const inBase = r * inN;
    const outBase = r * outN;
    for (let i = 0; i < outN; ++i) {
      const s = source[i]!;
      if (s >= 0) rows[outBase + i] = a.rows[inBase + s]!;
    }
  }
  if (fill !== 0) {
    const last = (count - 1) * outN;
    for (let i = 0; i < outN; ++i) if (source[i]! < 0) rows[last + i] = fill;
  }
  return affineValue(a.stage, outDims.slice(1), rows) as V;
}

/** Adds a per-sample constant (already shaped like the value) to an affine value's constant row. */
export function addToConstantRow(v: AffineValue, offset: Float64Array): AffineValue {
  const n = numel(v.sampleDims);
  if (offset.length !== n) throw new Error("internal: offset shape mismatch");
  const rows = Float64Array.from(v.rows);
  const base = (rowCount(v) - 1) * n;
  for (let i = 0; i < n; ++i) rows[base + i]! += offset[i]!;
  return affineValue(v.stage, v.sampleDims, rows);
}

/** Multiplies every row element-wise by a per-sample factor shaped like the value. */
export function scaleRows(v: AffineValue, factor: Float64Array): AffineValue {
  const n = numel(v.sampleDims);
  if (factor.length !== n) throw new Error("internal: factor shape mismatch");
  const rows = new Float64Array(v.rows.length);
  for (let i = 0; i < v.rows.length; ++i) rows[i] = v.rows[i]! * factor[i % n]!;
  return affineValue(v.stage, v.sampleDims, rows);
}
