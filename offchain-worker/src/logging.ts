/**
 * The worker's log: pino (fastify's logger) writing JSON lines through a redacting stream, so
 * no secret of the config reaches a log line, whichever part logs it and however deeply it is
 * nested in an error message (viem puts the RPC URL, API key included, in every transport
 * error). The secrets are the RPC URL's userinfo, path and query (a provider's API key lives
 * in one of them; only the origin is kept; the userinfo also as the Basic authorization viem
 * sends), those of any other URL given (a Redis URL's password), the signer's key and the
 * listings' plan salts (in decimal and hex), matched in any letter case. The same redactor cleans
 * errors that leave `startWorker` (main.ts prints their message).
 *
 * With MODELBAZAAR_LOG_DIR set, every redacted line also goes to a file of its own in that
 * folder (worker-<pid>-<n>.log), at the configured level, or at "info" when the log is off:
 * `npm test` collects the logs of every worker and evaluation node the suite starts there and greps them for the
 * suite's secrets (scripts/test/logRedaction.ts); an operator may use it as a log file.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { toHex, type Hex } from "viem";

export const LOG_DIR_ENV = "MODELBAZAAR_LOG_DIR";

const REDACTED = "[redacted]";
/** Path segments and query values shorter than this are names ("v3", "rpc"), not keys. */
const MIN_SECRET_LENGTH = 6;

export type Redact = (text: string) => string;

/** The secrets a worker's log must never show. */
export interface LogSecrets {
  /** The RPC URL and any other URL with credentials (a Redis URL). */
  readonly urls?: readonly (string | undefined)[];
  readonly signerKey?: Hex;
  readonly planSalts?: readonly bigint[];
}

/** A function replacing every secret of these URLs, the signer key and the plan salts by "[redacted]". */
export function redactor({ urls = [], signerKey, planSalts = [] }: LogSecrets): Redact {
  const secrets = new Set<string>();
  // A URL's userinfo where the URL writes it, whatever its length (a short password is no name: the queue's URL itself is logged at start).
  const userinfo = new Set<string>();
  if (signerKey) for (const form of [signerKey, signerKey.slice(2)]) secrets.add(form);
  for (const salt of planSalts) {
    const padded = toHex(salt, { size: 32 });
    for (const form of [salt.toString(), salt.toString(16), padded, padded.slice(2)]) if (form.length >= MIN_SECRET_LENGTH) secrets.add(form);
  }
  for (const text of urls) {
    if (!text || !URL.canParse(text)) continue;
    const url = new URL(text);
    for (const part of [url.username, url.password, `${url.pathname}${url.search}`, ...url.pathname.split("/"), ...url.searchParams.values()]) {
      for (const form of [part, safeDecode(part)]) if (form.length >= MIN_SECRET_LENGTH) secrets.add(form);
    }
    if (url.username) userinfo.add(`(?<=//)${escape(url.username)}(?=[:@])`);
    if (url.password) userinfo.add(`(?<=:)${escape(url.password)}(?=@)`);
    // viem sends the userinfo as a Basic authorization header.
    if (url.username) secrets.add(btoa(`${safeDecode(url.username)}:${safeDecode(url.password)}`));
  }
  if (secrets.size === 0 && userinfo.size === 0) return (text) => text;
  // Longest first, so a secret containing another is replaced whole; in any letter case (hex may be written either way).
  const ordered = [...secrets].sort((a, b) => b.length - a.length);
  const pattern = new RegExp([...ordered.map(escape), ...userinfo].join("|"), "gi");
  return (text) => text.replace(pattern, REDACTED);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A pino level and the stream its lines go to: fastify's logger option, or pino's own arguments. */
export interface RedactedLog {
  readonly level: string;
  readonly stream: { write(line: string): void };
}

/**
 * The worker's (and an evaluation node's) log: `level` (or false: no log) into `destination`
 * (default stdout), every line redacted; and a copy into a new file of `logDir` when given
 * (default: MODELBAZAAR_LOG_DIR). False when there is nowhere to log.
 */
export function loggerOptions(
  level: false | string | undefined,
  redact: Redact,
  destination: { write(line: string): unknown } = process.stdout,
  logDir: string | undefined = process.env[LOG_DIR_ENV] || undefined,
): RedactedLog | false {
  const file = logDir ? newLogFile(logDir) : undefined;
  if (!level && !file) return false;
  const write = (line: string) => {
    const clean = redact(line);
    // Appended synchronously, line by line, and before the line goes out: a crash loses nothing,
    // no descriptor stays open, and whoever reads a line from the output finds it in the file.
    if (file) appendFileSync(file, clean);
    if (level) destination.write(clean);
  };
  return { level: level || "info", stream: { write } };
}

let logFiles = 0;

function newLogFile(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return join(dir, `worker-${process.pid}-${++logFiles}.log`);
}

/** Redacts an error's message (and its causes') in place, keeping its class for the caller; returns it. */
export function redactError<T>(error: T, redact: Redact): T {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    e.message = redact(e.message);
    if (e.stack) e.stack = redact(e.stack);
  }
  return error;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
