/**
 * Data-movement ops as index maps: for each output element, the flat index of the input
 * element it copies (or -1 for a constant fill). Transpose, Slice, Gather with constant
 * indices, Pad, Expand and broadcasting are all such maps, so one `remap` applies them to
 * constants and to affine values alike. Dims include the batch axis (a batch of one for
 * sample-dependent values).
 */
import { NodeNotSupported } from "../errors.ts";
import { numel } from "../values.ts";

export interface IndexMap {
  readonly dims: number[];
  readonly source: Int32Array;
}

export function stridesOf(dims: readonly number[]): number[] {
  const strides = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; --i) strides[i] = strides[i + 1]! * dims[i + 1]!;
  return strides;
}

/** Normalises a possibly negative axis for a tensor of `rank` dims. */
export function normalizeAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new NodeNotSupported(`axis ${axis} is out of range for a tensor of rank ${rank}`);
  return a;
}

/** Walks every output coordinate and asks `sourceOf` for the input index. */
function build(dims: number[], sourceOf: (coords: readonly number[]) => number): IndexMap {
  const source = new Int32Array(numel(dims));
  const coords = new Array<number>(dims.length).fill(0);
  for (let i = 0; i < source.length; ++i) {
    source[i] = sourceOf(coords);
    for (let k = dims.length - 1; k >= 0; --k) {
      if (++coords[k]! < dims[k]!) break;
      coords[k] = 0;
    }
  }
  return { dims, source };
}

/** Numpy broadcasting of two shapes. */
export function broadcastDims(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; ++i) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new NodeNotSupported(`shapes [${a.join(", ")}] and [${b.join(", ")}] do not broadcast`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

export function broadcastMap(from: readonly number[], to: readonly number[]): IndexMap {
  const strides = stridesOf(from);
  const offset = to.length - from.length;
  return build([...to], (c) => {
    let s = 0;
    for (let k = 0; k < from.length; ++k) if (from[k] !== 1) s += c[k + offset]! * strides[k]!;
    return s;
  });
}

export function transposeMap(dims: readonly number[], perm: readonly number[]): IndexMap {
  const strides = stridesOf(dims);
  return build(
    perm.map((p) => dims[p]!),
    (c) => perm.reduce((s, p, k) => s + c[k]! * strides[p]!, 0),
  );
}

/** ONNX Slice semantics (clamping, negative indices and steps). */
export function sliceMap(dims: readonly number[], starts: readonly number[], ends: readonly number[], axes: readonly number[], steps: readonly number[]): IndexMap {
  const begin = dims.map(() => 0);
  const step = dims.map(() => 1);
  const outDims = [...dims];
  axes.forEach((axisRaw, k) => {
    const axis = normalizeAxis(axisRaw, dims.length);
    const d = dims[axis]!;
    const st = steps[k] ?? 1;
    if (st === 0) throw new NodeNotSupported("Slice step 0 is invalid");
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
    let s = starts[k]!;
    let e = ends[k]!;
    s = s < 0 ? s + d : s;
    e = e < 0 ? e + d : e;
    if (st > 0) {
      s = clamp(s, 0, d);
      e = clamp(e, 0, d);
      outDims[axis] = Math.max(0, Math.ceil((e - s) / st));
    } else {
      s = clamp(s, -1, d - 1);
      e = clamp(e, -1, d - 1);
      outDims[axis] = Math.max(0, Math.ceil((s - e) / -st));
    }
    begin[axis] = s;
    step[axis] = st;
  });
  const strides = stridesOf(dims);
  return build(outDims, (c) => c.reduce((s, ci, k) => s + (begin[k]! + ci * step[k]!) * strides[k]!, 0));
}

export function gatherMap(dims: readonly number[], axis: number, indices: Float64Array, indexDims: readonly number[]): IndexMap {
  const d = dims[axis]!;
  const idx = Array.from(indices, (i) => {
    const j = i < 0 ? i + d : i;
    if (!Number.isInteger(j) || j < 0 || j >= d) throw new NodeNotSupported(`Gather index ${i} is out of range for a dimension of ${d}`);
    return j;
  });
  const outDims = [...dims.slice(0, axis), ...indexDims, ...dims.slice(axis + 1)];
  const strides = stridesOf(dims);
  const indexStrides = stridesOf(indexDims);
  const r = indexDims.length;
  return build(outDims, (c) => {
    let flat = 0;
    for (let k = 0; k < r; ++k) flat += c[axis + k]! * indexStrides[k]!;
    let s = idx[flat]! * strides[axis]!;
    for (let k = 0; k < axis; ++k) s += c[k]! * strides[k]!;
    for (let k = axis + 1; k < dims.length; ++k) s += c[k + r - 1]! * strides[k]!;
    return s;
  });
}

export type PadMode = "constant" | "edge" | "reflect" | "wrap";

/** `pads` is ONNX's [begin_0, ..., begin_n, end_0, ..., end_n]; negative pads crop. */
export function padMap(dims: readonly number[], pads: readonly number[], mode: PadMode): IndexMap {
  const rank = dims.length;
  const outDims = dims.map((d, k) => d + pads[k]! + pads[k + rank]!);
  if (outDims.some((d) => d < 0)) throw new NodeNotSupported(`pads [${pads.join(", ")}] crop more than the tensor holds`);
  const strides = stridesOf(dims);
  const sourceCoord = (x: number, d: number): number => {
    if (x >= 0 && x < d) return x;
    if (mode === "constant") return -1;
    if (mode === "edge") return x < 0 ? 0 : d - 1;
    if (mode === "wrap") return ((x % d) + d) % d;
    if (d === 1) return 0;
    const period = 2 * (d - 1);
    const m = ((x % period) + period) % period;
    return m < d ? m : period - m;
  };
  return build(outDims, (c) => {
    let s = 0;
    for (let k = 0; k < rank; ++k) {
      const x = sourceCoord(c[k]! - pads[k]!, dims[k]!);
      if (x < 0) return -1;
      s += x * strides[k]!;
    }
    return s;
  });
}

/** The identity map onto new dims of the same size (Reshape, Flatten, Squeeze, Unsqueeze). */
export function reshapeMap(dims: readonly number[]): IndexMap {
  return { dims: [...dims], source: Int32Array.from({ length: numel(dims) }, (_, i) => i) };
}
