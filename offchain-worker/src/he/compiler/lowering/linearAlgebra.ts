/**
 * Gemm and MatMul. With a constant weight operand they are linear in the data operand: a sparse
 * operator holding the constant's non-zero entries composes into its map. The batch axis must
 * stay a batch axis (the data's first axis may be a matrix row only for rank-2 data on the left).
 */
import { NodeNotSupported } from "../errors.ts";
import { transposeMap } from "../kernels/indexMaps.ts";
import { binary } from "../kernels/elementwise.ts";
import { matmulOperator, type TensorData } from "../kernels/matmul.ts";
import { constValue, remap, scaleElements, type ConstValue } from "../values.ts";
import { withConstant } from "./arithmetic.ts";
import { applyLinear, constant, input, optionalInput, rankOf, type DataValue, type LoweringContext, type OpHandler } from "./context.ts";

function data(c: ConstValue): TensorData {
  return { data: c.data, dims: c.dims };
}

function requireBatchBroadcast(weight: ConstValue, dataRank: number): void {
  if (weight.dims.length > dataRank || (weight.dims.length === dataRank && weight.dims[0] !== 1)) {
    throw new NodeNotSupported(`the constant operand [${weight.dims.join(", ")}] would broadcast over the batch axis`);
  }
}

/** a @ b where at most one side is data, as a sparse operator on the other side. */
function product(a: DataValue, b: DataValue, ctx: LoweringContext): DataValue {
  if (b.kind === "const") {
    if (a.kind === "affine") {
      const rank = rankOf(a);
      if (rank === 2 && b.dims.length > 2) throw new NodeNotSupported(`a [N, K] input times a rank-${b.dims.length} constant would move the batch axis`);
      if (rank > 2) requireBatchBroadcast(b, rank);
    }
    return applyLinear(a, (dims) => matmulOperator(dims, data(b), "right"), ctx);
  }
  if (a.kind === "const") {
    const rank = rankOf(b);
    if (rank <= 2) throw new NodeNotSupported("the data is the right operand of a rank-2 product, which would mix samples");
    requireBatchBroadcast(a, rank);
    return applyLinear(b, (dims) => matmulOperator(dims, data(a), "left"), ctx);
  }
  throw new NodeNotSupported("it multiplies two data-dependent matrices, which is not linear");
}

export const matMul: OpHandler = (_node, inputs, ctx) => [product(input(inputs, 0), input(inputs, 1), ctx)];

function transposed(v: DataValue, what: string): DataValue {
  if (v.kind === "affine") throw new NodeNotSupported(`${what} is data and transposed, which would move the batch axis`);
  if (v.dims.length !== 2) throw new NodeNotSupported(`${what} must be a matrix`);
  const map = transposeMap(v.dims, [1, 0]);
  return remap(v, map.dims, map.source);
}

export const gemm: OpHandler = (node, inputs, ctx) => {
  const a0 = input(inputs, 0, "A");
  const b0 = input(inputs, 1, "B");
  const a = node.attributes.int("transA", 0) ? transposed(a0, "A") : a0;
  const b = node.attributes.int("transB", 0) ? transposed(b0, "B") : b0;
  if (b.kind === "affine") throw new NodeNotSupported("B depends on the data; Gemm needs a constant weight matrix");
  const alpha = node.attributes.float("alpha", 1);
  const beta = node.attributes.float("beta", 1);
  let y = product(a, b, ctx);
  if (alpha !== 1) y = scale(y, alpha);
  const c = optionalInput(inputs, 2);
  if (c !== undefined && beta !== 0) {
    const bias = constant(c, "C");
    const scaled = constValue(bias.dims, bias.data.map((x) => x * beta));
    y = y.kind === "const" ? addConstants(y, scaled) : withConstant("Add", y, scaled, false);
  }
  return [y];
};

function addConstants(x: ConstValue, y: ConstValue): ConstValue {
  const out = binary(data(x), data(y), (p, q) => p + q);
  return constValue(out.dims, out.data);
}

function scale(v: DataValue, factor: number): DataValue {
  if (v.kind === "const") return constValue(v.dims, v.data.map((x) => x * factor));
  return scaleElements(v, new Float64Array(v.rows.length).fill(factor));
}
