/**
 * The BN254 scalar field and the bounds checks shared by the test-set commitments: a field
 * element, an integer in a half-open range. Each throws a RangeError naming the value, so a
 * buyer sees which input of which function does not fit.
 */

/** The BN254 scalar field: every signal of a circuit lives in it. */
export const SNARK_SCALAR_FIELD = 0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001n;

/** Throws unless `value` is a BN254 field element (0 <= value < p). */
export function requireFieldElement(name: string, value: bigint): void {
  if (typeof value !== "bigint" || value < 0n || value >= SNARK_SCALAR_FIELD) {
    throw new RangeError(`${name} must be a BN254 field element (an integer in [0, p)), got ${String(value)}`);
  }
}

/** Throws unless `value` is an integer in [min, below). */
export function requireIntegerIn(name: string, value: number, min: number, below: number): void {
  if (!Number.isInteger(value) || value < min || value >= below) {
    throw new RangeError(`${name} must be an integer in [${min}, ${below}), got ${value}`);
  }
}
