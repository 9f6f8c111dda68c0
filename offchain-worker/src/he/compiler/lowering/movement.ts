/**
 * Data movement as linear maps: Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Slice,
 * Gather (constant indices), Concat, Pad (constant, edge, reflect, wrap) and Expand.
 * Each computes an index map on the value's view dims and guards the batch axis.
 */
import { NodeNotSupported } from "../errors.ts";
import { broadcastDims, broadcastMap, gatherMap, normalizeAxis, padMap, reshapeMap, sliceMap, transposeMap, type PadMode } from "../kernels/indexMaps.ts";
import { affineValue, constValue, DYNAMIC_BATCH, numel, viewDims, type AffineValue, type ConstValue } from "../values.ts";
import { applyMap, constant, input, integers, intsFromInputOrAttribute, optionalInput, rankOf, requireSampleAxis, type OpHandler } from "./context.ts";
import { staticDims } from "./shapes.ts";

/** ONNX Reshape target resolution (0 copies, -1 infers) for a constant tensor. */
function resolveShape(dims: readonly number[], target: readonly number[], allowZero: boolean): number[] {
  const out = target.map((t, i) => (t === 0 && !allowZero ? dims[i]! : t));
  const unknown = out.indexOf(-1);
  if (unknown >= 0) {
    const known = out.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
    out[unknown] = known === 0 ? 0 : numel(dims) / known;
  }
  if (!out.every((d) => Number.isInteger(d) && d >= 0) || numel(out) !== numel(dims)) {
    throw new NodeNotSupported(`cannot reshape [${dims.join(", ")}] to [${target.join(", ")}]`);
  }
  return out;
}

/**
 * For a sample-dependent value, the target's first entry must be the batch (as folded from
 * Shape, the fixed batch size, 0 "copy", or -1 with the rest fixed); the rest is per sample.
 */
function resolveSampleShape(v: AffineValue, target: readonly number[], allowZero: boolean, batch: number): number[] {
  const first = target[0];
  const rest = target.slice(1).map((t, i) => (t === 0 && !allowZero ? (v.sampleDims[i] ?? 0) : t));
  const inferredBatch = first === -1 && !rest.includes(-1) && numel(rest) === numel(v.sampleDims);
  const keepsBatch = first === batch || first === DYNAMIC_BATCH || (first === 0 && !allowZero) || inferredBatch;
  if (!keepsBatch) {
    throw new NodeNotSupported(`its target shape [${target.join(", ")}] does not keep the batch dimension first, so it would mix samples`);
  }
  return staticDims(resolveShape(v.sampleDims, rest, true), "the target shape");
}

export const reshape: OpHandler = (node, inputs, ctx) => {
  const v = input(inputs, 0);
  const target = intsFromInputOrAttribute(node, inputs, 1, "shape");
  if (target === undefined) throw new NodeNotSupported("it has no target shape");
  const allowZero = node.attributes.int("allowzero", 0) === 1;
  if (v.kind === "const") {
    staticDims(target.filter((t) => t !== -1), "the target shape");
    return [constValue(resolveShape(v.dims, target, allowZero), v.data, v.integer)];
  }
  const sampleDims = resolveSampleShape(v, target, allowZero, ctx.batch);
  return [affineValue(v.stage, sampleDims, v.rows, v.constants)];
};

export const flatten: OpHandler = (node, inputs) => {
  const v = input(inputs, 0);
  const dims = viewDims(v);
  const raw = node.attributes.int("axis", 1);
  const axis = raw < 0 ? raw + dims.length : raw;
  if (axis < 0 || axis > dims.length) throw new NodeNotSupported(`axis ${raw} is out of range`);
  const outer = numel(dims.slice(0, axis));
  if (v.kind === "affine" && (axis === 0 || outer !== 1)) throw new NodeNotSupported(`flattening at axis ${raw} would merge samples of the batch`);
  return [applyMap(v, () => reshapeMap([outer, numel(dims.slice(axis))]))];
};

export const transpose: OpHandler = (node, inputs) => {
  const v = input(inputs, 0);
  const rank = rankOf(v);
  const perm = node.attributes.ints("perm") ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  if (v.kind === "affine" && perm[0] !== 0) throw new NodeNotSupported(`perm [${perm.join(", ")}] moves the batch axis`);
  return [applyMap(v, (dims) => transposeMap(dims, perm))];
};

export const squeeze: OpHandler = (node, inputs, ctx) => {
  const v = input(inputs, 0);
  const dims = viewDims(v);
  const raw = intsFromInputOrAttribute(node, inputs, 1, "axes");
  if (raw === undefined && v.kind === "affine" && ctx.batch === 1) {
    throw new NodeNotSupported("without axes it would also remove the model's fixed batch dimension of 1; give the axes explicitly");
  }
  const axes = raw === undefined ? dims.flatMap((d, i) => (d === 1 && (v.kind === "const" || i > 0) ? [i] : [])) : raw.map((a) => normalizeAxis(a, dims.length));
  for (const a of axes) {
    requireSampleAxis(v, a, "Squeeze");
    if (dims[a] !== 1) throw new NodeNotSupported(`axis ${a} has size ${dims[a]}, not 1`);
  }
  return [applyMap(v, () => reshapeMap(dims.filter((_, i) => !axes.includes(i))))];
};

export const unsqueeze: OpHandler = (node, inputs) => {
  const v = input(inputs, 0);
  const dims = viewDims(v);
  const raw = intsFromInputOrAttribute(node, inputs, 1, "axes");
  if (raw === undefined) throw new NodeNotSupported("it has no axes");
  const outRank = dims.length + raw.length;
  const axes = raw.map((a) => normalizeAxis(a, outRank));
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < outRank; ++i) out.push(axes.includes(i) ? 1 : dims[next++]!);
  if (v.kind === "affine" && axes.includes(0)) throw new NodeNotSupported("it inserts an axis before the batch axis");
  return [applyMap(v, () => reshapeMap(out))];
};

export const slice: OpHandler = (node, inputs, ctx) => {
  const v = input(inputs, 0);
  const legacy = ctx.opset < 10;
  const starts = legacy ? node.attributes.ints("starts") : integers(input(inputs, 1, "starts"), "starts");
  const ends = legacy ? node.attributes.ints("ends") : integers(input(inputs, 2, "ends"), "ends");
  if (starts === undefined || ends === undefined) throw new NodeNotSupported("it has no starts or ends");
  const rank = rankOf(v);
  const axesRaw = legacy ? node.attributes.ints("axes") : intsFromInputOrAttribute(node, inputs, 3, "axes");
  const axes = (axesRaw ?? starts.map((_, i) => i)).map((a) => normalizeAxis(a, rank));
  const steps = legacy ? starts.map(() => 1) : (intsFromInputOrAttribute(node, inputs, 4, "steps") ?? starts.map(() => 1));
  const keep = axes.map((a, k) => {
    if (v.kind !== "affine" || a !== 0) return true;
    const whole = starts[k] === 0 && steps[k] === 1 && ends[k]! >= ctx.batch;
    if (!whole) throw new NodeNotSupported("it slices the batch axis, which would drop or reorder samples");
    return false;
  });
  const pick = <T>(xs: readonly T[]) => xs.filter((_, k) => keep[k]);
  return [applyMap(v, (dims) => sliceMap(dims, pick(starts), pick(ends), pick(axes), pick(steps)))];
};

export const gather: OpHandler = (node, inputs) => {
  const v = input(inputs, 0);
  const indices = input(inputs, 1);
  if (indices.kind !== "const") throw new NodeNotSupported("its indices depend on the input data (a table lookup), which has no linear form");
  const axis = normalizeAxis(node.attributes.int("axis", 0), rankOf(v));
  requireSampleAxis(v, axis, "Gather");
  return [applyMap(v, (dims) => gatherMap(dims, axis, indices.data, indices.dims))];
};

/** Where each element of the concatenation along `axis` comes from: its part, and its index in that part. */
function concatMap(partDims: readonly (readonly number[])[], axis: number): { dims: number[]; part: Int32Array; source: Int32Array } {
  const dims = [...partDims[0]!];
  dims[axis] = partDims.reduce((s, d) => s + d[axis]!, 0);
  const outer = numel(dims.slice(0, axis));
  const part = new Int32Array(numel(dims));
  const source = new Int32Array(part.length);
  let o = 0;
  for (let b = 0; b < outer; ++b) {
    partDims.forEach((d, p) => {
      const block = numel(d.slice(axis));
      for (let i = 0; i < block; ++i, ++o) {
        part[o] = p;
        source[o] = b * block + i;
      }
    });
  }
  return { dims, part, source };
}

export const concat: OpHandler = (node, inputs) => {
  const values = inputs.filter((v) => v !== undefined).map((_, i) => input(inputs, i));
  const rank = rankOf(values[0]!);
  const axis = normalizeAxis(node.attributes.int("axis", 0), rank);
  if (values.every((v) => v.kind === "const")) {
    const cs = values as ConstValue[];
    const { dims, part, source } = concatMap(cs.map((c) => c.dims), axis);
    return [constValue(dims, Float64Array.from(part, (p, o) => cs[p]!.data[source[o]!]!), cs.every((c) => c.integer))];
  }
  if (!values.every((v) => v.kind === "affine")) throw new NodeNotSupported("it joins constants with data; only data with data (or constants with constants) can be concatenated");
  const parts = values as AffineValue[];
  requireSampleAxis(parts[0]!, axis, "Concat");
  const stage = parts[0]!.stage;
  if (!parts.every((p) => p.stage === stage)) throw new NodeNotSupported("it joins values from both sides of an activation");
  const { dims, part, source } = concatMap(parts.map(viewDims), axis);
  const rows = Array.from(part, (p, o) => parts[p]!.rows[source[o]!]!);
  const constants = Float64Array.from(part, (p, o) => parts[p]!.constants[source[o]!]!);
  return [affineValue(stage, dims.slice(1), rows, constants)];
};

const PAD_MODES: ReadonlySet<string> = new Set(["constant", "edge", "reflect", "wrap"]);

export const pad: OpHandler = (node, inputs, ctx) => {
  const v = input(inputs, 0);
  const rank = rankOf(v);
  const mode = node.attributes.string("mode", "constant");
  if (!PAD_MODES.has(mode)) throw new NodeNotSupported(`pad mode "${mode}" is unknown`);
  let pads: number[] | undefined;
  let fill = 0;
  if (ctx.opset < 11) {
    pads = node.attributes.ints("pads");
    fill = node.attributes.float("value", 0);
  } else {
    pads = integers(input(inputs, 1, "pads"), "pads");
    const value = optionalInput(inputs, 2);
    if (value !== undefined) fill = constant(value, "the constant value").data[0] ?? 0;
    const axesInput = optionalInput(inputs, 3);
    if (axesInput !== undefined) {
      const axes = integers(axesInput, "axes").map((a) => normalizeAxis(a, rank));
      const full = new Array<number>(2 * rank).fill(0);
      axes.forEach((a, k) => {
        full[a] = pads![k]!;
        full[a + rank] = pads![k + axes.length]!;
      });
      pads = full;
    }
  }
  if (pads === undefined || pads.length !== 2 * rank) throw new NodeNotSupported(`it needs ${2 * rank} pads, got ${pads?.length ?? 0}`);
  if (v.kind === "affine" && (pads[0] !== 0 || pads[rank] !== 0)) throw new NodeNotSupported("it pads the batch axis");
  return [applyMap(v, (dims) => padMap(dims, pads, mode as PadMode), mode === "constant" ? fill : 0)];
};

export const expand: OpHandler = (_node, inputs, ctx) => {
  const v = input(inputs, 0);
  const shape = integers(input(inputs, 1, "shape"), "shape");
  const dims = viewDims(v);
  if (v.kind === "const") return [applyMap(v, () => broadcastMap(dims, broadcastDims(dims, staticDims(shape, "the shape"))))];
  if (shape.length > dims.length) throw new NodeNotSupported("it adds axes before the batch axis");
  const target = shape.map((d, i) => (i === shape.length - dims.length && (d === ctx.batch || d === DYNAMIC_BATCH) ? 1 : d));
  const out = broadcastDims(dims, staticDims(target, "the shape"));
  if (out[0] !== 1) throw new NodeNotSupported("it repeats values along the batch axis");
  return [applyMap(v, () => broadcastMap(dims, out))];
};
