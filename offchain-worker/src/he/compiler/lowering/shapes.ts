/**
 * Shape bookkeeping: Constant, ConstantOfShape, Shape, Size, Cast, Identity and Dropout.
 * These produce the small integer tensors that Reshape/Expand/Slice consume, so that chains
 * like Shape -> Gather -> Unsqueeze -> Concat -> Reshape fold to a static shape (the dynamic
 * batch dimension travels through them as DYNAMIC_BATCH).
 */
import { NodeNotSupported } from "../errors.ts";
import { constValue, DYNAMIC_BATCH, numel, type Value } from "../values.ts";
import { input, integers, type OpHandler } from "./context.ts";

const FLOAT_TARGETS = new Set([1, 10, 11, 16]);

export const constantOp: OpHandler = (node) => {
  const a = node.attributes;
  const tensor = a.tensor("value");
  if (tensor) return [tensor];
  if (a.has("value_float")) return [constValue([], Float64Array.of(a.float("value_float", 0)))];
  if (a.has("value_int")) return [constValue([], Float64Array.of(a.int("value_int", 0)), true)];
  const floats = a.floats("value_floats");
  if (floats) return [constValue([floats.length], Float64Array.from(floats))];
  const ints = a.ints("value_ints");
  if (ints) return [constValue([ints.length], Float64Array.from(ints), true)];
  throw new NodeNotSupported("it holds no numeric value (sparse and string constants are not supported)");
};

/** Dims that must be fully known at compile time (not the dynamic batch). */
export function staticDims(values: readonly number[], what: string): number[] {
  for (const d of values) {
    if (d === DYNAMIC_BATCH) throw new NodeNotSupported(`${what} depends on the batch size, which is dynamic`);
    if (!Number.isInteger(d) || d < 0) throw new NodeNotSupported(`${what} has an invalid dimension ${d}`);
  }
  return [...values];
}

export const constantOfShape: OpHandler = (node, inputs) => {
  const dims = staticDims(integers(input(inputs, 0), "the shape"), "the shape");
  const value = node.attributes.tensor("value");
  const fill = value?.data[0] ?? 0;
  return [constValue(dims, new Float64Array(numel(dims)).fill(fill), value?.integer ?? false)];
};

export const shapeOp: OpHandler = (node, inputs, ctx) => {
  const v = input(inputs, 0);
  const dims = v.kind === "const" ? [...v.dims] : [ctx.batch, ...v.sampleDims];
  const rank = dims.length;
  const clamp = (x: number) => Math.min(Math.max(x < 0 ? x + rank : x, 0), rank);
  const start = clamp(node.attributes.int("start", 0));
  const end = clamp(node.attributes.int("end", rank));
  const out = dims.slice(start, Math.max(start, end));
  return [constValue([out.length], Float64Array.from(out), true)];
};

export const sizeOp: OpHandler = (_node, inputs, ctx) => {
  const v = input(inputs, 0);
  if (v.kind === "const") return [constValue([], Float64Array.of(v.data.length), true)];
  if (ctx.batch === DYNAMIC_BATCH) throw new NodeNotSupported("the element count of a dynamic batch is not known at compile time");
  return [constValue([], Float64Array.of(ctx.batch * numel(v.sampleDims)), true)];
};

export const castOp: OpHandler = (node, inputs) => {
  const v = input(inputs, 0);
  const to = node.attributes.int("to", 1);
  const isFloat = FLOAT_TARGETS.has(to);
  if (v.kind === "affine") {
    if (!isFloat) throw new NodeNotSupported(`it casts data to element type ${to}; encrypted values stay real numbers`);
    return [v];
  }
  const data = isFloat ? v.data : v.data.map((x) => (to === 9 ? (x !== 0 ? 1 : 0) : Math.trunc(x)));
  return [constValue(v.dims, data, !isFloat)];
};

/** Identity and inference-mode Dropout: the value passes through (a dropped Softmax stays dropped). */
export const passThrough: OpHandler = (node, inputs) => {
  const v: Value | undefined = inputs[0];
  if (v === undefined) throw new NodeNotSupported("input 0 is missing");
  if (node.opType === "Dropout") {
    const training = inputs[2];
    if (training?.kind === "const" && training.data[0] !== 0) throw new NodeNotSupported("it runs in training mode");
  }
  return [v];
};
