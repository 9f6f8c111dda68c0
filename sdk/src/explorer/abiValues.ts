/**
 * Generic ABI values for people: how an event argument or a function result reads (amounts
 * also in ETH, enums by name, tuples by component), and how a typed field of the debug page
 * becomes an argument. Driven by the ABI parameter alone, so new events and functions of the
 * generated ABIs need no code here.
 */
import { getAddress, isAddress, isHex, parseEther, size, type AbiParameter, type Address } from "viem";
import { etherText } from "../labels/etherText.ts";
import { enumLabel } from "./enumLabels.ts";

/** Names of integer parameters that count or time things rather than hold wei. */
const NOT_AN_AMOUNT = /(Id|index|Index|[cC]ount|Bps|At|End|Start|Duration|Window|Samples|Bits|Size|Block|Nonce|Number)$|^(index|nonce|outcome|reason|kind|status|phase|chainId)$/;

/** Whether an ABI parameter holds an amount of wei: an unsigned integer of 96 bits or more whose name is not an id, count, time or size. */
export function isAmountParameter(parameter: Pick<AbiParameter, "type" | "name">): boolean {
  const bits = /^uint(\d*)$/.exec(parameter.type);
  if (!bits) return false;
  return Number(bits[1] || 256) >= 96 && parameter.name !== undefined && parameter.name !== "" && !NOT_AN_AMOUNT.test(parameter.name);
}

/** The entity an id parameter names, by the contracts' naming convention (`listingId`, `testId`, …). */
export const ENTITY_ID_PARAMETERS = { listingId: "listing", testId: "test", auctionId: "auction", purchaseId: "purchase" } as const;

/** A value as a person reads it: a line of text, or named parts (tuples, arrays). */
export interface ReadableValue {
  readonly name: string;
  readonly type: string;
  /** The value in one line (numbers in decimal, amounts in ETH, enums by label, hex as is). */
  readonly text: string;
  /** Set for amounts: the wei, so a page can also show ETH. */
  readonly wei?: bigint;
  /** Set for enums: the member's name. */
  readonly label?: string;
  /** Set for addresses. */
  readonly address?: Address;
  /** Set for tuples and arrays. */
  readonly parts?: readonly ReadableValue[];
}

type Parameter = AbiParameter & { components?: readonly AbiParameter[] };

/** Describes `value`, decoded by viem for `parameter`, for display. */
export function readableValue(parameter: Parameter, value: unknown, name = parameter.name ?? ""): ReadableValue {
  const { type } = parameter;
  const array = /^(.*)\[(\d*)\]$/.exec(type);
  if (array && Array.isArray(value)) {
    const inner = { ...parameter, type: array[1]! } as Parameter;
    const parts = value.map((item, i) => readableValue(inner, item, `${name}[${i}]`));
    return { name, type, text: `[${parts.map((p) => p.text).join(", ")}]`, parts };
  }
  if (type === "tuple" && parameter.components) {
    const parts = parameter.components.map((component, i) => {
      const field = Array.isArray(value) ? value[i] : (value as Record<string, unknown> | null)?.[component.name ?? String(i)];
      return readableValue(component as Parameter, field, component.name || String(i));
    });
    return { name, type, text: `{ ${parts.map((p) => `${p.name}: ${p.text}`).join(", ")} }`, parts };
  }
  if (type === "address" && typeof value === "string") return { name, type, text: value, address: value as Address };
  const label = enumLabel(parameter.internalType, value);
  if (label !== undefined) return { name, type, text: label, label };
  if (typeof value === "bigint") return isAmountParameter(parameter) ? { name, type, text: etherText(value), wei: value } : { name, type, text: value.toString() };
  return { name, type, text: typeof value === "string" ? value : JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ?? "" };
}

/** A typed field that cannot be an argument of its parameter: the message says what is expected. */
export class AbiInputError extends Error {
  override readonly name = "AbiInputError";
}

/**
 * Parses what a person typed for `parameter`: integers in decimal or hex (or "1.5 eth"),
 * addresses, booleans, hex bytes of the right size, strings, and tuples or arrays as JSON.
 */
export function parseAbiInput(parameter: Parameter, text: string): unknown {
  const trimmed = text.trim();
  if (parameter.type === "tuple" || parameter.type.endsWith("]")) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      throw new AbiInputError(`${label(parameter)} must be JSON (${parameter.type === "tuple" ? "an object or an array" : "an array"})`);
    }
    return fromJson(parameter, json);
  }
  return parseScalar(parameter, trimmed);
}

const label = (parameter: Parameter) => `${parameter.name || "the value"} (${parameter.type})`;

function fromJson(parameter: Parameter, json: unknown): unknown {
  const array = /^(.*)\[(\d*)\]$/.exec(parameter.type);
  if (array) {
    if (!Array.isArray(json)) throw new AbiInputError(`${label(parameter)} must be a JSON array`);
    if (array[2] !== "" && json.length !== Number(array[2])) throw new AbiInputError(`${label(parameter)} must hold ${array[2]} items, not ${json.length}`);
    return json.map((item) => fromJson({ ...parameter, type: array[1]! } as Parameter, item));
  }
  if (parameter.type === "tuple") {
    const components = parameter.components ?? [];
    if (Array.isArray(json)) return components.map((c, i) => fromJson(c as Parameter, json[i]));
    if (typeof json !== "object" || json === null) throw new AbiInputError(`${label(parameter)} must be a JSON object`);
    return Object.fromEntries(components.map((c) => [c.name, fromJson(c as Parameter, (json as Record<string, unknown>)[c.name ?? ""])]));
  }
  if (json === undefined || json === null) throw new AbiInputError(`${label(parameter)} is missing`);
  return parseScalar(parameter, String(json).trim());
}

function parseScalar(parameter: Parameter, text: string): unknown {
  const { type } = parameter;
  if (/^u?int\d*$/.test(type)) {
    let value: bigint;
    try {
      value = /\beth$/i.test(text) ? parseEther(text.replace(/\s*eth$/i, "")) : BigInt(text);
    } catch {
      throw new AbiInputError(`${label(parameter)} must be a whole number (or an amount like "1.5 eth")`);
    }
    if (text === "") throw new AbiInputError(`${label(parameter)} is empty`);
    const bits = BigInt(Number(/\d+$/.exec(type)?.[0] ?? 256));
    const signed = type.startsWith("int");
    const [min, max] = signed ? [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n] : [0n, (1n << bits) - 1n];
    if (value < min || value > max) throw new AbiInputError(`${label(parameter)} must lie in ${min}..${max}`);
    return value;
  }
  if (type === "address") {
    if (!isAddress(text, { strict: false })) throw new AbiInputError(`${label(parameter)} must be an address (0x and 40 hex digits)`);
    return getAddress(text);
  }
  if (type === "bool") {
    if (/^(true|1)$/i.test(text)) return true;
    if (/^(false|0)$/i.test(text)) return false;
    throw new AbiInputError(`${label(parameter)} must be true or false`);
  }
  if (type === "string") return text;
  const bytes = /^bytes(\d*)$/.exec(type);
  if (bytes) {
    if (!isHex(text, { strict: true })) throw new AbiInputError(`${label(parameter)} must be hex, starting with 0x`);
    if (bytes[1] !== "" && size(text) !== Number(bytes[1])) throw new AbiInputError(`${label(parameter)} must be ${bytes[1]} bytes (${2 * Number(bytes[1])} hex digits)`);
    return text;
  }
  throw new AbiInputError(`${label(parameter)}: this type cannot be typed in`);
}
