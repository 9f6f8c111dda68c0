/**
 * Float arrays as base64 of little-endian float32, the compact encoding of the recommender's
 * wire formats (uploads and item factors): 4 bytes a value instead of ~20 as JSON numbers.
 */
import { base64ToBytes, bytesToBase64 } from "./base64Bytes.ts";

/** base64 of `values` as little-endian float32. */
export function floatsToBase64(values: ArrayLike<number>): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let k = 0; k < values.length; k++) view.setFloat32(k * 4, values[k]!, true);
  return bytesToBase64(bytes);
}

/** The float32 values of `text`, or a RangeError saying why they are not `expected` finite values. */
export function base64ToFloats(text: string, expected: number): Float32Array {
  const bytes = base64ToBytes(text);
  if (bytes.length !== expected * 4) throw new RangeError(`the values must hold ${expected} float32 values (${expected * 4} bytes), got ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer);
  const values = new Float32Array(expected);
  for (let k = 0; k < expected; k++) {
    const value = view.getFloat32(k * 4, true);
    if (!Number.isFinite(value)) throw new RangeError(`value ${k} is not a finite number`);
    values[k] = value;
  }
  return values;
}
