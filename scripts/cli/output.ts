/**
 * Output of the `bazaar` CLI: a readable text for people, or `--json` for scripts (bigints as
 * decimal strings, typed arrays as arrays). Text carries what others wrote (a seller's model
 * card, an aggregator's or a worker's error message), so control characters are shown as
 * `\xNN` instead of reaching the terminal, where an escape sequence could rewrite what the
 * user sees; JSON escapes them itself.
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
  console.log(options.json ? toJson(value) : terminalSafe(text()));
}

/** `text` with every control character but newline and tab written as `\xNN`. */
export function terminalSafe(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
