/**
 * What an op handler sees: the node's inputs as values, the model's opset and batch size, and
 * the plan builder; plus the helpers every handler family shares for turning inputs into
 * constants, applying index maps and linear operators to either kind of value, and guarding the
 * batch axis.
 */
import { NodeNotSupported } from "../errors.ts";
import type { IndexMap } from "../kernels/indexMaps.ts";
import type { FitReport } from "../activationFit.ts";
import type { FitMethod } from "../polynomialFit.ts";
import { applyToData, type LinearOperator } from "../kernels/linearOperator.ts";
import type { OnnxNode } from "../onnx/decodeModel.ts";
import type { ActivationRequest, ActivationResult } from "../planBuilder.ts";
import { constValue, remap, viewDims, type AffineValue, type ConstValue, type Value } from "../values.ts";

export type NodeOutcome =
  | { readonly kind: "folded" }
  | { readonly kind: "lowered"; readonly stage: number }
  | {
      readonly kind: "activation";
      readonly layer: number;
      readonly op: string;
      readonly maxError?: number;
      readonly range?: readonly [number, number];
      readonly fit?: FitReport;
    }
  | { readonly kind: "dropped"; readonly reason: string };

export interface LoweringContext {
  readonly opset: number;
  /** The batch size as shape tensors see it: fixed, or DYNAMIC_BATCH. */
  readonly batch: number;
  readonly degree: 2 | 3;
  readonly fitMethods: readonly FitMethod[];
  activate(value: AffineValue, request: Omit<ActivationRequest, "node">): ActivationResult;
  /** Composes a linear operator into the value's map, or starts a new linear layer with it when fusing would inflate the products (fusion.ts). */
  compose(value: AffineValue, op: LinearOperator): AffineValue;
  drop(reason: string): void;
}

export type OpHandler = (node: OnnxNode, inputs: readonly (Value | undefined)[], ctx: LoweringContext) => Value[];

export type DataValue = ConstValue | AffineValue;

/** Input `i`, which must be present and must not be a dropped Softmax output. */
export function input(inputs: readonly (Value | undefined)[], i: number, what = `input ${i}`): DataValue {
  const v = inputs[i];
  if (v === undefined) throw new NodeNotSupported(`${what} is missing`);
  if (v.kind === "droppedTail") {
    throw new NodeNotSupported(`it consumes the output of a ${v.op}, which the plan only supports as the model's last operation`);
  }
  return v;
}

export function optionalInput(inputs: readonly (Value | undefined)[], i: number): DataValue | undefined {
  return inputs[i] === undefined ? undefined : input(inputs, i);
}

export function constant(v: DataValue, what: string): ConstValue {
  if (v.kind !== "const") throw new NodeNotSupported(`${what} depends on the input data; it must be a constant (an initializer or computed from constants)`);
  return v;
}

export function integers(v: DataValue, what: string): number[] {
  const c = constant(v, what);
  return Array.from(c.data, (x) => {
    if (!Number.isInteger(x)) throw new NodeNotSupported(`${what} must hold integers, found ${x}`);
    return x;
  });
}

/** An int list from an input (newer opsets) or an attribute (older ones). */
export function intsFromInputOrAttribute(node: OnnxNode, inputs: readonly (Value | undefined)[], index: number, attribute: string): number[] | undefined {
  const v = optionalInput(inputs, index);
  if (v !== undefined) return integers(v, attribute);
  return node.attributes.ints(attribute);
}

/** Applies an index map computed from the value's view dims to a const or affine value. */
export function applyMap(v: DataValue, makeMap: (dims: readonly number[]) => IndexMap, fill = 0): DataValue {
  const map = makeMap(viewDims(v));
  if (v.kind === "affine" && map.dims[0] !== 1) throw new NodeNotSupported("it would move values across the batch axis");
  return remap(v, map.dims, map.source, fill);
}

/** Applies a linear operator built for the value's view dims to a const, or composes it into an affine value's map. */
export function applyLinear(v: DataValue, makeOperator: (dims: readonly number[]) => LinearOperator, ctx: LoweringContext): DataValue {
  const op = makeOperator(viewDims(v));
  if (v.kind === "const") return constValue(op.outDims, applyToData(op, v.data), v.integer);
  return ctx.compose(v, op);
}

/** Refuses an op on the batch axis of a sample-dependent value (axis already normalised). */
export function requireSampleAxis(v: DataValue, axis: number, what: string): void {
  if (v.kind === "affine" && axis === 0) throw new NodeNotSupported(`${what} acts on the batch axis (axis 0), which would mix samples`);
}

/** Rank of the value as ONNX sees it (affine values include their batch axis). */
export function rankOf(v: DataValue): number {
  return v.kind === "const" ? v.dims.length : v.sampleDims.length + 1;
}
