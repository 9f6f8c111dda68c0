/**
 * The suite-wide check that no worker log line holds a secret (issue #12): every worker the
 * tests start writes its log into MODELBAZAAR_LOG_DIR (offchain-worker/src/logging.ts); the
 * tests record the secrets they hand out there ({recordSuiteSecrets}: signer keys, RPC URL
 * userinfo and API keys, keystore passwords, plan salts, contest secrets); {findLeaks} then greps
 * every collected log for those and for the well-known keys of Hardhat's development accounts,
 * with and without 0x, in any letter case. A leak is reported by file, line and the secret's
 * label, never by the secret itself.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LOG_DIR_ENV } from "../../offchain-worker/src/logging.ts";
import { devAccountKey } from "../lib/demoListings.ts";

/** Where the tests record their secrets, inside the log folder: one `label<TAB>secret` a line. */
export const SUITE_SECRETS_FILE = "suite-secrets.tsv";
/** Hardhat's node funds this many development accounts. */
const DEV_ACCOUNTS = 20;
/** Shorter strings are words, not secrets (and would match everywhere). */
const MIN_SECRET_LENGTH = 8;

export interface Secret {
  readonly label: string;
  readonly value: string;
}

export interface Leak {
  readonly file: string;
  readonly line: number;
  readonly label: string;
}

/** Records secrets a test hands to a worker, for the check after the suite (a no-op unless MODELBAZAAR_LOG_DIR is set). */
export function recordSuiteSecrets(secrets: Readonly<Record<string, string | bigint>>): void {
  const dir = process.env[LOG_DIR_ENV];
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const lines = Object.entries(secrets).map(([label, value]) => `${label.replace(/\s+/g, " ")}\t${String(value)}\n`);
  appendFileSync(join(dir, SUITE_SECRETS_FILE), lines.join(""));
}

/** Every secret to look for: the development keys and what the tests recorded in `dir`, each hex one with and without 0x. */
export function suiteSecrets(dir: string): Secret[] {
  const secrets: Secret[] = Array.from({ length: DEV_ACCOUNTS }, (_, i) => ({ label: `Hardhat development account #${i}'s private key`, value: devAccountKey(i) }));
  let recorded = "";
  try {
    recorded = readFileSync(join(dir, SUITE_SECRETS_FILE), "utf8");
  } catch {
    // no test recorded a secret
  }
  for (const line of recorded.split("\n")) {
    const tab = line.indexOf("\t");
    if (tab > 0) secrets.push({ label: line.slice(0, tab), value: line.slice(tab + 1) });
  }
  const forms = secrets.flatMap((s) => (/^0x[0-9a-f]+$/i.test(s.value) ? [s, { label: `${s.label} (without 0x)`, value: s.value.slice(2) }] : [s]));
  return forms.filter((s) => s.value.length >= MIN_SECRET_LENGTH);
}

/** The log files in `dir` (everything but the secrets file). */
export function logFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith(".log")).map((name) => join(dir, name));
}

/** Every line of every log in `dir` holding one of `secrets` (case-insensitive). */
export function findLeaks(dir: string, secrets: readonly Secret[] = suiteSecrets(dir)): Leak[] {
  const lowered = secrets.map((s) => ({ label: s.label, value: s.value.toLowerCase() }));
  const leaks: Leak[] = [];
  for (const file of logFiles(dir)) {
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((text, i) => {
        const line = text.toLowerCase();
        for (const secret of lowered) if (line.includes(secret.value)) leaks.push({ file, line: i + 1, label: secret.label });
      });
  }
  return leaks;
}
