/**
 * Bytes as base64 and back with btoa/atob (present in browsers and in Node): the common step of
 * the recommender's binary wire values (float32 factors and uploads, uint32 masked vectors).
 */

/** base64 of `bytes` (in 32 KiB slices, so a large vector does not overflow the call stack). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let k = 0; k < bytes.length; k += 0x8000) binary += String.fromCharCode(...bytes.subarray(k, k + 0x8000));
  return btoa(binary);
}

/** The bytes of `text`, or a RangeError when it is not base64. */
export function base64ToBytes(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new RangeError("the values are not valid base64");
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
