/**
 * Element-wise arithmetic: Add, Sub, Mul, Div, Sum, Neg with constants fold or stay affine
 * (broadcast constants shift the constant row or scale every row); Mul(x, x) and Pow(x, 2|3)
 * become monomials layers; unary math on constants (Sqrt, Reciprocal, Exp, ...) folds.
 */
import { NodeNotSupported } from "../errors.ts";
import { binary, broadcastTo } from "../kernels/elementwise.ts";
import { broadcastDims, broadcastMap } from "../kernels/indexMaps.ts";
import { addConstants, addAffine, constValue, remap, sameFunction, scaleElements, viewDims, type AffineValue, type ConstValue } from "../values.ts";
import { constant, input, type DataValue, type LoweringContext, type OpHandler } from "./context.ts";

type BinaryOp = "Add" | "Sub" | "Mul" | "Div";

const FOLD: Readonly<Record<BinaryOp, (x: number, y: number) => number>> = {
  Add: (x, y) => x + y,
  Sub: (x, y) => x - y,
  Mul: (x, y) => x * y,
  Div: (x, y) => x / y,
};

function fold(op: BinaryOp, a: ConstValue, b: ConstValue): ConstValue {
  const integer = a.integer && b.integer;
  const f = op === "Div" && integer ? (x: number, y: number) => Math.trunc(x / y) : FOLD[op];
  const out = binary({ data: a.data, dims: a.dims }, { data: b.data, dims: b.dims }, f);
  return constValue(out.dims, out.data, integer);
}

/** Broadcasts an affine value against per-sample dims `out` (which keep the batch-of-one axis). */
function expandAffine(v: AffineValue, out: readonly number[]): AffineValue {
  const dims = viewDims(v);
  if (dims.length === out.length && dims.every((d, i) => d === out[i])) return v;
  return remap(v, out, broadcastMap(dims, out).source);
}

/** The common per-sample shape of an affine value and a constant, and the constant spread over it. */
function alignConstant(v: AffineValue, c: ConstValue): { value: AffineValue; c: Float64Array } {
  const dims = viewDims(v);
  if (c.dims.length > dims.length) throw new NodeNotSupported(`the constant [${c.dims.join(", ")}] has more axes than the data, which would add axes before the batch axis`);
  if (c.dims.length === dims.length && c.dims[0] !== 1) throw new NodeNotSupported(`the constant [${c.dims.join(", ")}] spans the batch axis`);
  const out = broadcastDims(dims, c.dims);
  return { value: expandAffine(v, out), c: broadcastTo({ data: c.data, dims: c.dims }, out) };
}

function negate(v: AffineValue): AffineValue {
  return scaleElements(v, new Float64Array(v.rows.length).fill(-1));
}

export function withConstant(op: BinaryOp, v: AffineValue, c: ConstValue, constantFirst: boolean): AffineValue {
  const { value, c: spread } = alignConstant(v, c);
  switch (op) {
    case "Add":
      return addConstants(value, spread);
    case "Sub":
      return constantFirst ? addConstants(negate(value), spread) : addConstants(value, spread.map((x) => -x));
    case "Mul":
      return scaleElements(value, spread);
    case "Div":
      if (constantFirst) throw new NodeNotSupported("it divides by data, which has no polynomial form");
      if (spread.some((x) => x === 0)) throw new NodeNotSupported("it divides by a constant that holds zeros");
      return scaleElements(value, spread.map((x) => 1 / x));
  }
}

function square(v: AffineValue, ctx: LoweringContext, op: "Square" | "Pow", power: 2 | 3): AffineValue {
  const coefficients = power === 2 ? [0, 0, 1] : [0, 0, 0, 1];
  return ctx.activate(v, { degree: power, choose: () => ({ op, coefficients }) }).value;
}

function bothAffine(op: BinaryOp, a: AffineValue, b: AffineValue, ctx: LoweringContext): AffineValue {
  if (a.stage !== b.stage) throw new NodeNotSupported("it combines values from both sides of an activation (a skip connection), which a layer chain cannot express");
  const out = broadcastDims(viewDims(a), viewDims(b));
  const x = expandAffine(a, out);
  const y = expandAffine(b, out);
  if (op === "Mul") {
    if (!sameFunction(x, y)) throw new NodeNotSupported("it multiplies two different data-dependent tensors; only squares x*x are supported");
    return square(x, ctx, "Square", 2);
  }
  if (op === "Div") throw new NodeNotSupported("it divides data by data, which has no polynomial form");
  return addAffine(x, y, op === "Add" ? 1 : -1);
}

function binaryHandler(op: BinaryOp): OpHandler {
  return (_node, inputs, ctx) => [combine(op, input(inputs, 0), input(inputs, 1), ctx)];
}

function combine(op: BinaryOp, a: DataValue, b: DataValue, ctx: LoweringContext): DataValue {
  if (a.kind === "const" && b.kind === "const") return fold(op, a, b);
  if (a.kind === "affine" && b.kind === "const") return withConstant(op, a, b, false);
  if (a.kind === "const" && b.kind === "affine") return withConstant(op, b, a, true);
  return bothAffine(op, a as AffineValue, b as AffineValue, ctx);
}

export const add = binaryHandler("Add");
export const sub = binaryHandler("Sub");
export const mul = binaryHandler("Mul");
export const div = binaryHandler("Div");

export const sum: OpHandler = (_node, inputs, ctx) => {
  let acc = input(inputs, 0);
  for (let i = 1; i < inputs.length; ++i) acc = combine("Add", acc, input(inputs, i), ctx);
  return [acc];
};

export const neg: OpHandler = (_node, inputs) => {
  const v = input(inputs, 0);
  return [v.kind === "const" ? constValue(v.dims, v.data.map((x) => -x), v.integer) : negate(v)];
};

export const pow: OpHandler = (_node, inputs, ctx) => {
  const base = input(inputs, 0);
  const exponent = constant(input(inputs, 1, "the exponent"), "the exponent");
  if (base.kind === "const") {
    const out = binary({ data: base.data, dims: base.dims }, { data: exponent.data, dims: exponent.dims }, Math.pow);
    return [constValue(out.dims, out.data, base.integer)];
  }
  const p = exponent.data.length === 1 ? exponent.data[0] : undefined;
  if (p === undefined || !Number.isInteger(p) || p < 1 || !powerBySquaring(p)) {
    throw new NodeNotSupported(`only the powers 1, 2, 3 of data and their repeated squares (4, 6, 8, 12, ...) are supported, found exponent ${p ?? `[${exponent.dims.join(", ")}]`}`);
  }
  return [power(base, p, ctx)];
};

/** Whether x^p is reached from x, x^2 or x^3 by squaring alone: p = 2^k or 3 * 2^k. */
function powerBySquaring(p: number): boolean {
  while (p > 3 && p % 2 === 0) p /= 2;
  return p <= 3;
}

/** x^p, p = 2^k or 3 * 2^k: x^2 or x^3, then squared k times (one level each; a product of two different tensors is not available). */
function power(base: AffineValue, p: number, ctx: LoweringContext): AffineValue {
  if (p === 1) return base;
  if (p === 2 || p === 3) return square(base, ctx, "Pow", p);
  return square(power(base, p / 2, ctx), ctx, "Pow", 2);
}

const UNARY_CONSTANT_OPS: Readonly<Record<string, (x: number) => number>> = {
  Sqrt: Math.sqrt,
  Reciprocal: (x) => 1 / x,
  Exp: Math.exp,
  Log: Math.log,
  Abs: Math.abs,
  Floor: Math.floor,
  Ceil: Math.ceil,
};

export const UNARY_CONSTANT_OP_TYPES = Object.keys(UNARY_CONSTANT_OPS);

/** Sqrt, Reciprocal, Exp, Log, Abs, Floor, Ceil: fold on constants; not polynomial on data. */
export const unaryConstant: OpHandler = (node, inputs) => {
  const v = input(inputs, 0);
  const f = UNARY_CONSTANT_OPS[node.opType]!;
  if (v.kind !== "const") throw new NodeNotSupported(`${node.opType} of data is not a polynomial; only ${node.opType} of constants folds`);
  return [constValue(v.dims, v.data.map(f), v.integer && node.opType !== "Sqrt" && node.opType !== "Reciprocal")];
};
