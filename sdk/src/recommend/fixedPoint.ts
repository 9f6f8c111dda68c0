/**
 * Contributions in the ring Z_2^32, the arithmetic of secure aggregation: pairwise masks are
 * uniform in the ring and cancel only there, so each client encodes its Float64Array as
 * fixed-point uint32 (two's complement) before masking, and the aggregator decodes the ring sum.
 *
 * Each value is clamped to ±FIXED_POINT_CLAMP and rounded to FIXED_POINT_FRACTION_BITS
 * fractional bits, so one encoded value has magnitude at most 2^5 · 2^15 = 2^20. The sum of
 * MAX_SECURE_PARTICIPANTS of them has magnitude at most 2^10 · 2^5 · 2^15 = 2^30 < 2^31: it never
 * wraps, and its two's-complement reading is the exact sum of the encoded values. The decoded
 * sum is within 2^-16 per participant (the rounding) of the float sum of the clamped values.
 */

/** Fractional bits of the encoding: a resolution of 2^-15 ≈ 3.1e-5. */
export const FIXED_POINT_FRACTION_BITS = 15;

/** Every value is clamped to [−32, 32] (2^5) before encoding. */
export const FIXED_POINT_CLAMP = 32;

/** The most contributions a round sums: 2^10, so the ring sum never wraps (see above). */
export const MAX_SECURE_PARTICIPANTS = 1024;

const SCALE = 2 ** FIXED_POINT_FRACTION_BITS;

/** `values` clamped to ±FIXED_POINT_CLAMP and encoded in Z_2^32; a RangeError names the first value that is not finite. */
export function encodeFixedPoint(values: Float64Array): Uint32Array {
  const encoded = new Uint32Array(values.length);
  for (let k = 0; k < values.length; k++) {
    const value = values[k]!;
    if (!Number.isFinite(value)) throw new RangeError(`value ${k} is ${value}, not a finite number: a contribution is clipped and noised, never that`);
    const clamped = Math.min(FIXED_POINT_CLAMP, Math.max(-FIXED_POINT_CLAMP, value));
    encoded[k] = Math.round(clamped * SCALE) >>> 0;
  }
  return encoded;
}

/** The real values of a ring sum of at most MAX_SECURE_PARTICIPANTS encodings (read as two's complement). */
export function decodeFixedPointSum(sum: Uint32Array): Float64Array {
  const decoded = new Float64Array(sum.length);
  for (let k = 0; k < sum.length; k++) decoded[k] = (sum[k]! | 0) / SCALE;
  return decoded;
}

/** Adds `vector` (sign 1) or subtracts it (sign −1) into `total` in Z_2^32, in place; both of one length. */
export function addInRing(total: Uint32Array, vector: Uint32Array, sign: 1 | -1 = 1): void {
  if (vector.length !== total.length) throw new RangeError(`ring vectors of lengths ${total.length} and ${vector.length} cannot be added`);
  for (let k = 0; k < total.length; k++) total[k] = (total[k]! + sign * vector[k]!) >>> 0;
}
