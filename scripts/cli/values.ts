/**
 * Parsers for the values users type on the `bazaar` command line (ids, ETH amounts, durations,
 * percentages, addresses): each returns the typed value or throws a CliError naming the
 * option and what it expects.
 */
import { isAddress, type Address } from "viem";
import { etherFromText, notEtherSentence } from "@modelbazaar/sdk/labels";
import { CliError } from "./cliError.ts";

/** A positive whole number such as a listing, auction or test-drive id. */
export function parseId(text: string, what: string): bigint {
  if (!/^\d+$/.test(text) || BigInt(text) === 0n) throw new CliError(`${what} must be a positive whole number, not "${text}"`);
  return BigInt(text);
}

/** An amount of ETH such as `0.5` or `2`, in wei. */
export function parseEth(text: string, what: string): bigint {
  const wei = text === text.trim() ? etherFromText(text) : undefined;
  if (wei === undefined) throw new CliError(notEtherSentence(what, text));
  return wei;
}

const SECONDS_PER: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/** A duration such as `90s`, `10m`, `2h`, `3d` or plain seconds. */
export function parseDuration(text: string, what: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text);
  if (!match) throw new CliError(`${what} must be a duration such as 90s, 10m, 2h or 3d, not "${text}"`);
  return Number(match[1]) * SECONDS_PER[match[2] || "s"]!;
}

/** A percentage from 0 to 100 with at most two decimals (`10`, `2.5%`), in basis points. */
export function parsePercentBps(text: string, what: string): number {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?%?$/.exec(text);
  const bps = match ? Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0")) : NaN;
  if (!(bps <= 10_000)) throw new CliError(`${what} must be a percentage from 0 to 100, not "${text}"`);
  return bps;
}

export function parseAddress(text: string, what: string): Address {
  if (!isAddress(text)) throw new CliError(`${what} must be an address (0x and 40 hex digits), not "${text}"`);
  return text;
}
