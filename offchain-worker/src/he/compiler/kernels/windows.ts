/**
 * Sliding-window geometry shared by Conv and AveragePool: output sizes, auto_pad, and the
 * enumeration of (output position, kernel point) -> input position over N spatial dims.
 */
import { NodeNotSupported } from "../errors.ts";
import { numel } from "../values.ts";

export interface WindowGeometry {
  readonly inSpatial: readonly number[];
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  /** [begin_0..begin_k, end_0..end_k] */
  readonly pads: readonly number[];
  readonly outSpatial: readonly number[];
}

export type AutoPad = "NOTSET" | "SAME_UPPER" | "SAME_LOWER" | "VALID";

export function windowGeometry(
  inSpatial: readonly number[],
  kernel: readonly number[],
  options: { strides?: number[]; dilations?: number[]; pads?: number[]; autoPad: string; ceilMode?: boolean },
): WindowGeometry {
  const k = inSpatial.length;
  if (kernel.length !== k) throw new NodeNotSupported(`kernel_shape has ${kernel.length} dims for ${k} spatial dims`);
  const strides = options.strides ?? new Array<number>(k).fill(1);
  const dilations = options.dilations ?? new Array<number>(k).fill(1);
  const span = kernel.map((kk, i) => dilations[i]! * (kk - 1) + 1);
  let pads = options.pads ?? new Array<number>(2 * k).fill(0);
  const autoPad = options.autoPad as AutoPad;
  if (autoPad === "VALID") pads = new Array<number>(2 * k).fill(0);
  else if (autoPad === "SAME_UPPER" || autoPad === "SAME_LOWER") {
    pads = new Array<number>(2 * k).fill(0);
    for (let i = 0; i < k; ++i) {
      const out = Math.ceil(inSpatial[i]! / strides[i]!);
      const total = Math.max(0, (out - 1) * strides[i]! + span[i]! - inSpatial[i]!);
      const small = Math.floor(total / 2);
      pads[i] = autoPad === "SAME_UPPER" ? small : total - small;
      pads[i + k] = total - pads[i]!;
    }
  } else if (autoPad !== "NOTSET") throw new NodeNotSupported(`auto_pad "${autoPad}" is unknown`);
  const outSpatial = inSpatial.map((s, i) => {
    const room = s + pads[i]! + pads[i + k]! - span[i]!;
    if (room < 0) throw new NodeNotSupported(`the window (${span[i]}) is larger than the padded input (${s + pads[i]! + pads[i + k]!})`);
    let out = (options.ceilMode ? Math.ceil(room / strides[i]!) : Math.floor(room / strides[i]!)) + 1;
    // A window may not start in the end padding (PyTorch and onnxruntime agree).
    if (options.ceilMode && (out - 1) * strides[i]! >= s + pads[i]!) out -= 1;
    return out;
  });
  return { inSpatial, kernel, strides, dilations, pads, outSpatial };
}

/** Visits every (output position, kernel point) pair with the flat input position it reads (-1 in the padding). */
function forEachWindow(
  g: WindowGeometry,
  visit: (outIndex: number, kernelIndex: number, inIndex: number, inPaddedArea: boolean) => void,
): void {
  const k = g.inSpatial.length;
  const outCount = numel(g.outSpatial);
  const kernelCount = numel(g.kernel);
  const outCoord = new Array<number>(k).fill(0);
  for (let o = 0; o < outCount; ++o) {
    const kCoord = new Array<number>(k).fill(0);
    for (let q = 0; q < kernelCount; ++q) {
      let flat = 0;
      let inside = true;
      let padded = true;
      for (let i = 0; i < k; ++i) {
        const x = outCoord[i]! * g.strides[i]! - g.pads[i]! + kCoord[i]! * g.dilations[i]!;
        if (x < 0 || x >= g.inSpatial[i]!) inside = false;
        if (x < -g.pads[i]! || x >= g.inSpatial[i]! + g.pads[i + k]!) padded = false;
        flat = flat * g.inSpatial[i]! + x;
      }
      visit(o, q, inside ? flat : -1, padded);
      for (let i = k - 1; i >= 0; --i) {
        if (++kCoord[i]! < g.kernel[i]!) break;
        kCoord[i] = 0;
      }
    }
    for (let i = k - 1; i >= 0; --i) {
      if (++outCoord[i]! < g.outSpatial[i]!) break;
      outCoord[i] = 0;
    }
  }
}

/** The window visits as flat arrays, computed once per op and reused for every row. */
export interface WindowTable {
  readonly outIndex: Int32Array;
  readonly kernelIndex: Int32Array;
  /** -1 outside the input. */
  readonly inIndex: Int32Array;
  readonly padded: Uint8Array;
}

export function windowTable(g: WindowGeometry): WindowTable {
  const total = numel(g.outSpatial) * numel(g.kernel);
  const table = { outIndex: new Int32Array(total), kernelIndex: new Int32Array(total), inIndex: new Int32Array(total), padded: new Uint8Array(total) };
  let t = 0;
  forEachWindow(g, (o, q, i, p) => {
    table.outIndex[t] = o;
    table.kernelIndex[t] = q;
    table.inIndex[t] = i;
    table.padded[t++] = p ? 1 : 0;
  });
  return table;
}
