/**
 * Output of the `bazaar` CLI: a readable text for people, or `--json` for scripts (bigints as
 * decimal strings, typed arrays as arrays).
 */
export interface GlobalOptions {
  readonly json?: boolean;
}

export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v),
    2,
  );
}

export function printResult(options: GlobalOptions, value: unknown, text: () => string): void {
  console.log(options.json ? toJson(value) : text());
}
