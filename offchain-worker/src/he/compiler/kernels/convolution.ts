/**
 * Conv (any number of spatial dims, stride, padding, dilation, groups) and AveragePool
 * (count_include_pad, ceil_mode) as plain float64 kernels over [N, C, ...spatial] tensors.
 * Both are linear in the input, so the compiler maps every row of an affine value through them.
 */
import { numel } from "../values.ts";
import type { TensorData } from "./matmul.ts";
import type { WindowGeometry, WindowTable } from "./windows.ts";

export function conv(x: TensorData, w: TensorData, g: WindowGeometry, table: WindowTable, group: number): TensorData {
  const [n, c] = [x.dims[0]!, x.dims[1]!];
  const m = w.dims[0]!;
  const cPerGroup = c / group;
  const mPerGroup = m / group;
  const inSize = numel(g.inSpatial);
  const outSize = numel(g.outSpatial);
  const kSize = numel(g.kernel);
  const out = new Float64Array(n * m * outSize);
  for (let b = 0; b < n; ++b) {
    for (let oc = 0; oc < m; ++oc) {
      const gi = Math.floor(oc / mPerGroup);
      const outBase = (b * m + oc) * outSize;
      for (let ic = 0; ic < cPerGroup; ++ic) {
        const inBase = (b * c + gi * cPerGroup + ic) * inSize;
        const wBase = (oc * cPerGroup + ic) * kSize;
        for (let t = 0; t < table.inIndex.length; ++t) {
          const i = table.inIndex[t]!;
          if (i < 0) continue;
          const v = x.data[inBase + i]!;
          if (v !== 0) out[outBase + table.outIndex[t]!]! += v * w.data[wBase + table.kernelIndex[t]!]!;
        }
      }
    }
  }
  return { data: out, dims: [n, m, ...g.outSpatial] };
}

/** Per output position, the divisor of the average (computed once per op). */
export function poolDivisors(g: WindowGeometry, table: WindowTable, countIncludePad: boolean): Float64Array {
  const counts = new Float64Array(numel(g.outSpatial));
  for (let t = 0; t < table.inIndex.length; ++t) {
    if (table.inIndex[t]! >= 0 || (countIncludePad && table.padded[t])) counts[table.outIndex[t]!]! += 1;
  }
  return counts;
}

export function averagePool(x: TensorData, g: WindowGeometry, table: WindowTable, divisors: Float64Array): TensorData {
  const planes = x.dims[0]! * x.dims[1]!;
  const inSize = numel(g.inSpatial);
  const outSize = numel(g.outSpatial);
  const out = new Float64Array(planes * outSize);
  for (let p = 0; p < planes; ++p) {
    for (let t = 0; t < table.inIndex.length; ++t) {
      const i = table.inIndex[t]!;
      if (i >= 0) out[p * outSize + table.outIndex[t]!]! += x.data[p * inSize + i]!;
    }
    for (let o = 0; o < outSize; ++o) out[p * outSize + o]! /= divisors[o]!;
  }
  return { data: out, dims: [x.dims[0]!, x.dims[1]!, ...g.outSpatial] };
}
