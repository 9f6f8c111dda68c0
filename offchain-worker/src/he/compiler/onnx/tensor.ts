/**
 * TensorProto -> ConstValue: every way an exporter stores numbers (typed fields or little-endian
 * raw_data; float, double, float16, bfloat16, the integer types and bool), widened to float64.
 */
import onnxProto from "onnx-proto";
import { MalformedModelError } from "../errors.ts";
import { constValue, numel, type ConstValue } from "../values.ts";
import { toNumber } from "./long.ts";

type TensorProto = onnxProto.onnx.ITensorProto;

const FLOAT = 1, UINT8 = 2, INT8 = 3, UINT16 = 4, INT16 = 5, INT32 = 6, INT64 = 7, BOOL = 9, FLOAT16 = 10, DOUBLE = 11, UINT32 = 12, UINT64 = 13, BFLOAT16 = 16;

/** Element types a sample-dependent tensor may have. */
export const FLOAT_TYPES: ReadonlySet<number> = new Set([FLOAT, FLOAT16, DOUBLE, BFLOAT16]);

/** Bytes per element in raw_data, and how to read one. */
const RAW_READERS: ReadonlyMap<number, [number, (view: DataView, offset: number) => number]> = new Map([
  [FLOAT, [4, (v, o) => v.getFloat32(o, true)]],
  [DOUBLE, [8, (v, o) => v.getFloat64(o, true)]],
  [UINT8, [1, (v, o) => v.getUint8(o)]],
  [INT8, [1, (v, o) => v.getInt8(o)]],
  [BOOL, [1, (v, o) => v.getUint8(o)]],
  [UINT16, [2, (v, o) => v.getUint16(o, true)]],
  [INT16, [2, (v, o) => v.getInt16(o, true)]],
  [INT32, [4, (v, o) => v.getInt32(o, true)]],
  [UINT32, [4, (v, o) => v.getUint32(o, true)]],
  [INT64, [8, (v, o) => Number(v.getBigInt64(o, true))]],
  [UINT64, [8, (v, o) => Number(v.getBigUint64(o, true))]],
  [FLOAT16, [2, (v, o) => halfToNumber(v.getUint16(o, true))]],
  [BFLOAT16, [2, (v, o) => bfloatToNumber(v.getUint16(o, true))]],
]);

/** IEEE 754 binary16 bits -> number. */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function bfloatToNumber(bits: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, bits << 16);
  return view.getFloat32(0);
}

function isInteger(dataType: number): boolean {
  return !FLOAT_TYPES.has(dataType);
}

/** The typed field a data type is stored in when raw_data is absent. */
function typedField(t: TensorProto, dataType: number): ArrayLike<number | { toNumber(): number }> {
  switch (dataType) {
    case FLOAT:
      return t.floatData ?? [];
    case DOUBLE:
      return t.doubleData ?? [];
    case INT64:
      return t.int64Data ?? [];
    case UINT32:
    case UINT64:
      return t.uint64Data ?? [];
    default:
      return t.int32Data ?? [];
  }
}

export function decodeTensor(t: TensorProto, what: string): ConstValue {
  const dataType = t.dataType ?? 0;
  const dims = (t.dims ?? []).map(toNumber);
  const count = numel(dims);
  if (t.dataLocation === 1 || (t.externalData?.length ?? 0) > 0) {
    throw new MalformedModelError(`${what} stores its data in an external file; save the model with all weights embedded`);
  }
  const reader = RAW_READERS.get(dataType);
  if (reader === undefined) throw new MalformedModelError(`${what} has element type ${dataType}, which is not numeric`);
  const data = new Float64Array(count);
  const raw = t.rawData;
  if (raw && raw.length > 0) {
    const [size, read] = reader;
    if (raw.length !== size * count) {
      throw new MalformedModelError(`${what} has ${raw.length} bytes of raw data for ${count} elements of ${size} bytes`);
    }
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < count; ++i) data[i] = read(view, i * size);
  } else {
    const field = typedField(t, dataType);
    if (field.length !== count) throw new MalformedModelError(`${what} holds ${field.length} values for dims [${dims.join(", ")}]`);
    const convert = dataType === FLOAT16 ? halfToNumber : dataType === BFLOAT16 ? bfloatToNumber : (x: number) => x;
    for (let i = 0; i < count; ++i) data[i] = convert(toNumber(field[i]));
  }
  return constValue(dims, data, isInteger(dataType));
}
