/**
 * Numpy-style MatMul (1-D operands promoted and squeezed, leading dims broadcast) with one
 * constant operand, as a sparse linear operator on the other operand: one term per non-zero
 * constant entry and output it reaches.
 */
import { NodeNotSupported } from "../errors.ts";
import { broadcastDims, broadcastMap } from "./indexMaps.ts";
import { OperatorBuilder, type LinearOperator } from "./linearOperator.ts";

export interface TensorData {
  readonly data: Float64Array;
  readonly dims: readonly number[];
}

/**
 * x @ c (`constantSide` "right") or c @ x ("left") as an operator on x, whose dims are `xDims`.
 */
export function matmulOperator(xDims: readonly number[], c: TensorData, constantSide: "left" | "right"): LinearOperator {
  const [leftDims, rightDims] = constantSide === "right" ? [xDims, c.dims] : [c.dims, xDims];
  const aDims = leftDims.length === 1 ? [1, leftDims[0]!] : [...leftDims];
  const bDims = rightDims.length === 1 ? [rightDims[0]!, 1] : [...rightDims];
  const m = aDims[aDims.length - 2]!;
  const k = aDims[aDims.length - 1]!;
  const n = bDims[bDims.length - 1]!;
  if (bDims[bDims.length - 2] !== k) throw new NodeNotSupported(`MatMul inner dimensions differ: [${leftDims.join(", ")}] x [${rightDims.join(", ")}]`);
  const batch = broadcastDims(aDims.slice(0, -2), bDims.slice(0, -2));
  const aMap = broadcastMap(aDims.slice(0, -2), batch).source;
  const bMap = broadcastMap(bDims.slice(0, -2), batch).source;
  const dims = [...batch];
  if (leftDims.length > 1) dims.push(m);
  if (rightDims.length > 1) dims.push(n);
  const builder = new OperatorBuilder(xDims, dims);
  for (let t = 0; t < aMap.length; ++t) {
    const aBase = aMap[t]! * m * k;
    const bBase = bMap[t]! * k * n;
    const oBase = t * m * n;
    for (let i = 0; i < m; ++i) {
      for (let p = 0; p < k; ++p) {
        for (let j = 0; j < n; ++j) {
          const a = aBase + i * k + p;
          const b = bBase + p * n + j;
          if (constantSide === "right") builder.add(oBase + i * n + j, a, c.data[b]!);
          else builder.add(oBase + i * n + j, b, c.data[a]!);
        }
      }
    }
  }
  return builder.build();
}
