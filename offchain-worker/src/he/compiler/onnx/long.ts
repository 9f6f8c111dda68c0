/** protobufjs decodes int64 fields as `Long` objects when the long package is present; this makes them numbers. */
type Int64 = number | { toNumber(): number };

export function toNumber(v: Int64 | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === "number" ? v : v.toNumber();
}
