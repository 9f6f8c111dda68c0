/**
 * The worker's log: pino (fastify's logger) writing JSON lines through a redacting stream, so
 * no secret of the config reaches a log line, whichever part logs it and however deeply it is
 * nested in an error message (viem puts the RPC URL, API key included, in every transport
 * error). The secrets are the RPC URL's userinfo, path and query (a provider's API key lives
 * in one of them; only the origin is kept), those of any other URL given (a Redis URL's
 * password) and the signer's key. The same redactor cleans
 * errors that leave `startWorker` (main.ts prints their message).
 */
import type { FastifyServerOptions } from "fastify";
import type { Hex } from "viem";

const REDACTED = "[redacted]";
/** Path segments and query values shorter than this are names ("v3", "rpc"), not keys. */
const MIN_SECRET_LENGTH = 6;

export type Redact = (text: string) => string;

/** A function replacing every secret of this RPC URL, signer key and other URLs (a Redis URL's password) by "[redacted]". */
export function redactor(rpcUrl: string | undefined, signerKey: Hex | undefined, otherUrls: readonly (string | undefined)[] = []): Redact {
  const secrets = new Set<string>();
  if (signerKey) for (const form of [signerKey, signerKey.slice(2)]) secrets.add(form);
  for (const text of [rpcUrl, ...otherUrls]) {
    if (!text || !URL.canParse(text)) continue;
    const url = new URL(text);
    for (const part of [url.username, url.password, `${url.pathname}${url.search}`, ...url.pathname.split("/"), ...url.searchParams.values()]) {
      for (const form of [part, safeDecode(part)]) if (form.length >= MIN_SECRET_LENGTH) secrets.add(form);
    }
  }
  // Longest first, so a secret containing another is replaced whole.
  const ordered = [...secrets].sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((out, secret) => out.replaceAll(secret, REDACTED), text);
}

/** fastify's logger option: `level` (or false: no log) into `destination` (default stdout), every line redacted. */
export function loggerOptions(
  level: false | string | undefined,
  redact: Redact,
  destination: { write(line: string): unknown } = process.stdout,
): FastifyServerOptions["logger"] {
  if (!level) return false;
  return { level, stream: { write: (line: string) => destination.write(redact(line)) } };
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
