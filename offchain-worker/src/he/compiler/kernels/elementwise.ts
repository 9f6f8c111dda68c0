/** Element-wise binary ops with numpy broadcasting on float64 data. */
import { broadcastDims, broadcastMap } from "./indexMaps.ts";
import type { TensorData } from "./matmul.ts";

/** `a` broadcast to `dims`, as a new array. */
export function broadcastTo(a: TensorData, dims: readonly number[]): Float64Array {
  const { source } = broadcastMap(a.dims, dims);
  return Float64Array.from(source, (s) => a.data[s]!);
}

export function binary(a: TensorData, b: TensorData, f: (x: number, y: number) => number): TensorData {
  const dims = broadcastDims(a.dims, b.dims);
  const x = broadcastTo(a, dims);
  const y = broadcastTo(b, dims);
  for (let i = 0; i < x.length; ++i) x[i] = f(x[i]!, y[i]!);
  return { data: x, dims };
}
