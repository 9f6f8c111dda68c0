/**
 * Convolutional-net ops as sparse linear operators: Conv (any kernel, stride, padding,
 * dilation, group: depthwise, grouped and pointwise), AveragePool (count_include_pad,
 * ceil_mode), GlobalAveragePool, ReduceMean/ReduceSum, and inference-mode BatchNormalization
 * folded into a per-channel scale and shift.
 */
import { NodeNotSupported } from "../errors.ts";
import { binary } from "../kernels/elementwise.ts";
import { averagePoolOperator, convOperator, poolDivisors } from "../kernels/convolution.ts";
import { normalizeAxis, stridesOf } from "../kernels/indexMaps.ts";
import { OperatorBuilder, type LinearOperator } from "../kernels/linearOperator.ts";
import { windowGeometry, windowTable } from "../kernels/windows.ts";
import { constValue, numel, viewDims, type ConstValue } from "../values.ts";
import { withConstant } from "./arithmetic.ts";
import { applyLinear, constant, input, intsFromInputOrAttribute, optionalInput, requireSampleAxis, type DataValue, type OpHandler } from "./context.ts";

/** x + c or x * c with one constant per channel (channels on axis 1). */
function perChannel(op: "Add" | "Mul", v: DataValue, values: Float64Array): DataValue {
  const rank = viewDims(v).length;
  const c = constValue([values.length, ...new Array<number>(Math.max(0, rank - 2)).fill(1)], values);
  if (v.kind === "affine") return withConstant(op, v, c, false);
  const out = binary({ data: v.data, dims: v.dims }, { data: c.data, dims: c.dims }, op === "Add" ? (x, y) => x + y : (x, y) => x * y);
  return constValue(out.dims, out.data);
}

function spatialOf(v: DataValue, what: string): number[] {
  const dims = viewDims(v);
  if (dims.length < 3) throw new NodeNotSupported(`${what} needs an [N, C, ...spatial] input, got rank ${dims.length}`);
  return dims.slice(2);
}

export const convOp: OpHandler = (node, inputs, ctx) => {
  const x = input(inputs, 0, "X");
  const w: ConstValue = constant(input(inputs, 1, "W"), "the kernel W");
  const a = node.attributes;
  const group = a.int("group", 1);
  const channels = viewDims(x)[1]!;
  if (w.dims[1]! * group !== channels || w.dims[0]! % group !== 0) throw new NodeNotSupported(`kernel [${w.dims.join(", ")}] does not fit ${channels} channels in ${group} group(s)`);
  const kernel = w.dims.slice(2);
  const declared = a.ints("kernel_shape");
  if (declared && declared.join() !== kernel.join()) throw new NodeNotSupported(`kernel_shape [${declared.join(", ")}] does not match the kernel W [${w.dims.join(", ")}]`);
  const g = windowGeometry(spatialOf(x, "Conv"), kernel, {
    strides: a.ints("strides"),
    dilations: a.ints("dilations"),
    pads: a.ints("pads"),
    autoPad: a.string("auto_pad", "NOTSET"),
  });
  const table = windowTable(g);
  const y = applyLinear(x, (dims) => convOperator(dims, w, g, table, group), ctx);
  const bias = optionalInput(inputs, 2);
  return [bias === undefined ? y : perChannel("Add", y, constant(bias, "the bias B").data)];
};

export const averagePoolOp: OpHandler = (node, inputs, ctx) => {
  const x = input(inputs, 0, "X");
  const a = node.attributes;
  const kernel = a.ints("kernel_shape");
  if (kernel === undefined) throw new NodeNotSupported("it has no kernel_shape");
  const g = windowGeometry(spatialOf(x, "AveragePool"), kernel, {
    strides: a.ints("strides"),
    dilations: a.ints("dilations"),
    pads: a.ints("pads"),
    autoPad: a.string("auto_pad", "NOTSET"),
    ceilMode: a.int("ceil_mode", 0) === 1,
  });
  const table = windowTable(g);
  const divisors = poolDivisors(g, table, a.int("count_include_pad", 0) === 1);
  return [applyLinear(x, (dims) => averagePoolOperator(dims, g, table, divisors), ctx)];
};

export const globalAveragePool: OpHandler = (_node, inputs, ctx) => {
  const x = input(inputs, 0, "X");
  const spatial = spatialOf(x, "GlobalAveragePool");
  const g = windowGeometry(spatial, spatial, { autoPad: "NOTSET" });
  const table = windowTable(g);
  const divisors = poolDivisors(g, table, false);
  return [applyLinear(x, (dims) => averagePoolOperator(dims, g, table, divisors), ctx)];
};

export const batchNormalization: OpHandler = (node, inputs) => {
  const x = input(inputs, 0, "X");
  if (node.attributes.int("training_mode", 0) === 1) throw new NodeNotSupported("it runs in training mode (batch statistics)");
  const [scale, shift, mean, variance] = [1, 2, 3, 4].map((i) => constant(input(inputs, i), ["scale", "B", "mean", "var"][i - 1]!).data) as [Float64Array, Float64Array, Float64Array, Float64Array];
  const epsilon = node.attributes.float("epsilon", 1e-5);
  const factor = scale.map((s, c) => s / Math.sqrt(variance[c]! + epsilon));
  const offset = shift.map((b, c) => b - mean[c]! * factor[c]!);
  return [perChannel("Add", perChannel("Mul", x, factor), offset)];
};

/** Sum (or mean) over `axes` of a `dims` tensor (keeping them as size 1 when keepDims). */
function reduceOperator(dims: readonly number[], axes: readonly number[], keepDims: boolean, mean: boolean): LinearOperator {
  const kept = dims.map((d, i) => (axes.includes(i) ? 1 : d));
  const strides = stridesOf(kept);
  const count = axes.reduce((p, a) => p * dims[a]!, 1);
  const builder = new OperatorBuilder(dims, keepDims ? kept : dims.filter((_, i) => !axes.includes(i)));
  const coords = new Array<number>(dims.length).fill(0);
  for (let i = 0; i < numel(dims); ++i) {
    let o = 0;
    for (let k = 0; k < coords.length; ++k) if (!axes.includes(k)) o += coords[k]! * strides[k]!;
    builder.add(o, i, mean ? 1 / count : 1);
    for (let k = coords.length - 1; k >= 0; --k) {
      if (++coords[k]! < dims[k]!) break;
      coords[k] = 0;
    }
  }
  return builder.build();
}

function reduceHandler(mean: boolean, axesInputFrom: number): OpHandler {
  return (node, inputs, ctx) => {
    const x = input(inputs, 0);
    const rank = viewDims(x).length;
    const raw = ctx.opset >= axesInputFrom ? intsFromInputOrAttribute(node, inputs, 1, "axes") : node.attributes.ints("axes");
    const noop = node.attributes.int("noop_with_empty_axes", 0) === 1;
    if ((raw === undefined || raw.length === 0) && noop) return [x];
    const axes = raw === undefined || raw.length === 0 ? Array.from({ length: rank }, (_, i) => i) : raw.map((a) => normalizeAxis(a, rank));
    for (const a of axes) requireSampleAxis(x, a, node.opType);
    return [applyLinear(x, (dims) => reduceOperator(dims, axes, node.attributes.int("keepdims", 1) === 1, mean), ctx)];
  };
}

export const reduceMean = reduceHandler(true, 18);
export const reduceSum = reduceHandler(false, 13);
