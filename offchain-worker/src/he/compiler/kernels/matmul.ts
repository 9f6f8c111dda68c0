/** Numpy-style MatMul (1-D operands promoted and squeezed, leading dims broadcast) on float64 data. */
import { NodeNotSupported } from "../errors.ts";
import { broadcastDims, broadcastMap } from "./indexMaps.ts";

export interface TensorData {
  readonly data: Float64Array;
  readonly dims: readonly number[];
}

export function matmul(a: TensorData, b: TensorData): TensorData {
  const aDims = a.dims.length === 1 ? [1, a.dims[0]!] : [...a.dims];
  const bDims = b.dims.length === 1 ? [b.dims[0]!, 1] : [...b.dims];
  const m = aDims[aDims.length - 2]!;
  const k = aDims[aDims.length - 1]!;
  const n = bDims[bDims.length - 1]!;
  if (bDims[bDims.length - 2] !== k) throw new NodeNotSupported(`MatMul inner dimensions differ: [${a.dims.join(", ")}] x [${b.dims.join(", ")}]`);
  const batch = broadcastDims(aDims.slice(0, -2), bDims.slice(0, -2));
  const aMap = broadcastMap(aDims.slice(0, -2), batch).source;
  const bMap = broadcastMap(bDims.slice(0, -2), batch).source;
  const count = aMap.length;
  const out = new Float64Array(count * m * n);
  for (let t = 0; t < count; ++t) {
    const aBase = aMap[t]! * m * k;
    const bBase = bMap[t]! * k * n;
    const oBase = t * m * n;
    for (let i = 0; i < m; ++i) {
      for (let p = 0; p < k; ++p) {
        const x = a.data[aBase + i * k + p]!;
        if (x === 0) continue;
        const bRow = bBase + p * n;
        const oRow = oBase + i * n;
        for (let j = 0; j < n; ++j) out[oRow + j]! += x * b.data[bRow + j]!;
      }
    }
  }
  const dims = [...batch];
  if (a.dims.length > 1) dims.push(m);
  if (b.dims.length > 1) dims.push(n);
  return { data: out, dims };
}
