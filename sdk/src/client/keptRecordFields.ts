/**
 * Field checks for the records a user keeps between sessions (a test-drive's secrets, a sealed
 * bid's) when they are read back from a file or the browser's storage: each check returns the
 * field typed or throws a KeptRecordError naming the record and the field, so a damaged or
 * foreign file is refused with a sentence instead of failing later inside a proof or a reveal.
 */
import { isAddress, isHex, type Address, type Hex } from "viem";

export class KeptRecordError extends Error {
  override readonly name = "KeptRecordError";
}

/** The checks of one JSON object, which every sentence names as `source`. */
export function keptFields(value: unknown, source: string) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new KeptRecordError(`${source} is not a JSON object`);
  const record = value as Record<string, unknown>;
  const fail = (key: string, what: string): never => {
    throw new KeptRecordError(`${source} has no valid "${key}" (${what})`);
  };
  const optional = <T>(key: string, check: (key: string) => T): T | undefined => (record[key] === undefined ? undefined : check(key));
  const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  const fields = {
    string: (key: string): string => (typeof record[key] === "string" ? (record[key] as string) : fail(key, "a string")),
    decimal: (key: string): string => (typeof record[key] === "string" && /^\d+$/.test(record[key] as string) ? (record[key] as string) : fail(key, "a decimal whole number as a string")),
    count: (key: string): number => (isCount(record[key]) ? (record[key] as number) : fail(key, "a whole number")),
    address: (key: string): Address => (typeof record[key] === "string" && isAddress(record[key] as string, { strict: false }) ? (record[key] as Address) : fail(key, "a 0x address")),
    hex: (key: string, bytes?: number): Hex =>
      isHex(record[key], { strict: true }) && (bytes === undefined || (record[key] as string).length === 2 + 2 * bytes) ? (record[key] as Hex) : fail(key, bytes === undefined ? "0x-hex" : `0x-hex of ${bytes} bytes`),
    counts: (key: string): readonly number[] => (Array.isArray(record[key]) && (record[key] as unknown[]).every(isCount) ? (record[key] as number[]) : fail(key, "a list of whole numbers")),
    rows: (key: string): readonly (readonly number[])[] =>
      Array.isArray(record[key]) && (record[key] as unknown[]).every((row) => Array.isArray(row) && row.every((x) => Number.isSafeInteger(x))) ? (record[key] as number[][]) : fail(key, "rows of whole numbers"),
    strings: (key: string): readonly string[] => (Array.isArray(record[key]) && (record[key] as unknown[]).every((x) => typeof x === "string") ? (record[key] as string[]) : fail(key, "a list of strings")),
    oneOf: <T extends string>(key: string, allowed: readonly T[]): T => (allowed.includes(record[key] as T) ? (record[key] as T) : fail(key, `one of ${allowed.join(", ")}`)),
    object: (key: string): object => (typeof record[key] === "object" && record[key] !== null ? (record[key] as object) : fail(key, "an object")),
    optional,
    has: (key: string): boolean => record[key] !== undefined,
  };
  return fields;
}

/** Reads JSON text, or throws a KeptRecordError saying `source` is not JSON. */
export function parseKeptJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new KeptRecordError(`${source} is not JSON`);
  }
}
