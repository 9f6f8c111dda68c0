/**
 * Float arrays as base64 of little-endian float32, the compact encoding of the recommender's
 * wire formats (uploads and item factors): 4 bytes a value instead of ~20 as JSON numbers.
 * Uses btoa/atob, present in browsers and in Node.
 */

/** base64 of `values` as little-endian float32. */
export function floatsToBase64(values: ArrayLike<number>): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let k = 0; k < values.length; k++) view.setFloat32(k * 4, values[k]!, true);
  let binary = "";
  for (let k = 0; k < bytes.length; k += 0x8000) binary += String.fromCharCode(...bytes.subarray(k, k + 0x8000));
  return btoa(binary);
}

/** The float32 values of `text`, or a RangeError saying why they are not `expected` finite values. */
export function base64ToFloats(text: string, expected: number): Float32Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new RangeError("the values are not valid base64");
  }
  if (binary.length !== expected * 4) throw new RangeError(`the values must hold ${expected} float32 values (${expected * 4} bytes), got ${binary.length} bytes`);
  const view = new DataView(Uint8Array.from(binary, (c) => c.charCodeAt(0)).buffer);
  const values = new Float32Array(expected);
  for (let k = 0; k < expected; k++) {
    const value = view.getFloat32(k * 4, true);
    if (!Number.isFinite(value)) throw new RangeError(`value ${k} is not a finite number`);
    values[k] = value;
  }
  return values;
}
