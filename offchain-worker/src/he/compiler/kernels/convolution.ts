/**
 * Conv (any number of spatial dims, stride, padding, dilation, groups: depthwise and pointwise
 * included) and AveragePool (count_include_pad, ceil_mode) as sparse linear operators over
 * [N, C, ...spatial] tensors: one term per multiply the op really does, padding reads none.
 */
import { numel } from "../values.ts";
import { OperatorBuilder, type LinearOperator } from "./linearOperator.ts";
import type { WindowGeometry, WindowTable } from "./windows.ts";

/** Conv of an [N, C, ...inSpatial] tensor with the kernel `w` ([M, C / group, ...kernel]), without bias. */
export function convOperator(xDims: readonly number[], w: { readonly data: Float64Array; readonly dims: readonly number[] }, g: WindowGeometry, table: WindowTable, group: number): LinearOperator {
  const [n, c] = [xDims[0]!, xDims[1]!];
  const m = w.dims[0]!;
  const cPerGroup = c / group;
  const mPerGroup = m / group;
  const inSize = numel(g.inSpatial);
  const outSize = numel(g.outSpatial);
  const kSize = numel(g.kernel);
  const builder = new OperatorBuilder(xDims, [n, m, ...g.outSpatial]);
  for (let b = 0; b < n; ++b) {
    for (let oc = 0; oc < m; ++oc) {
      const gi = Math.floor(oc / mPerGroup);
      const outBase = (b * m + oc) * outSize;
      for (let ic = 0; ic < cPerGroup; ++ic) {
        const inBase = (b * c + gi * cPerGroup + ic) * inSize;
        const wBase = (oc * cPerGroup + ic) * kSize;
        for (let t = 0; t < table.inIndex.length; ++t) {
          const i = table.inIndex[t]!;
          if (i >= 0) builder.add(outBase + table.outIndex[t]!, inBase + i, w.data[wBase + table.kernelIndex[t]!]!);
        }
      }
    }
  }
  return builder.build();
}

/** Per output position, the divisor of the average (computed once per op). */
export function poolDivisors(g: WindowGeometry, table: WindowTable, countIncludePad: boolean): Float64Array {
  const counts = new Float64Array(numel(g.outSpatial));
  for (let t = 0; t < table.inIndex.length; ++t) {
    if (table.inIndex[t]! >= 0 || (countIncludePad && table.padded[t])) counts[table.outIndex[t]!]! += 1;
  }
  return counts;
}

/** AveragePool of an [N, C, ...inSpatial] tensor, each window's sum divided by its divisor. */
export function averagePoolOperator(xDims: readonly number[], g: WindowGeometry, table: WindowTable, divisors: Float64Array): LinearOperator {
  const planes = xDims[0]! * xDims[1]!;
  const inSize = numel(g.inSpatial);
  const outSize = numel(g.outSpatial);
  const builder = new OperatorBuilder(xDims, [xDims[0]!, xDims[1]!, ...g.outSpatial]);
  for (let p = 0; p < planes; ++p) {
    for (let t = 0; t < table.inIndex.length; ++t) {
      const i = table.inIndex[t]!;
      const o = table.outIndex[t]!;
      if (i >= 0) builder.add(p * outSize + o, p * inSize + i, 1 / divisors[o]!);
    }
  }
  return builder.build();
}
