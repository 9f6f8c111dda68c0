/**
 * The secrets and records a user's commands must keep between runs, on the user's machine
 * only: a bid's amount and salt until the reveal, a test set's salt, labels and predictions
 * until a dispute, a delivery's key until the reveal, a buyer's recommendation profile (its
 * history, user factor and the rounds it took part in: never sent anywhere). Written atomically under
 * MODELBAZAAR_HOME (default ./.modelbazaar/cli); bigints stored as strings.
 *
 * Records belong to one deployment: one directory per chain id, market address and hash of
 * the deployment's first block (`RecordScope`, from session.ts), holding one JSON file per
 * kind and a `scope.json` saying which deployment it is. A restarted local chain reuses the
 * chain id, the market's address and every id (its test-drive 1 is a new one), but not that
 * hash, so an earlier chain's records are never read as this one's. `recordsElsewhere` finds
 * them anyway, so a command can say that the record it looked for belongs to another
 * deployment, and `notUsedSentence` says it. Files written before records had a scope
 * (<home>/<chainId>/<kind>.json) are found there too, marked `legacy`.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Address, Hex } from "viem";
import { processAlive } from "../lib/processAlive.ts";

export type StateKind = "bids" | "tests" | "deliveries" | "downloads" | "profiles";

/** The deployment a record belongs to. */
export interface RecordScope {
  readonly chainId: number;
  readonly market: Address;
  /** The deployment's first block (the one after its record's `startBlock`), decimal. */
  readonly anchorBlock: string;
  /** That block's hash: what tells a chain from an earlier one with the same id and addresses. */
  readonly anchorHash: Hex;
}

/** Records of one kind kept for another deployment (`scope`), or before records had one (`legacy`). */
export interface RecordsElsewhere<T> {
  readonly scope?: RecordScope;
  readonly legacy: boolean;
  readonly file: string;
  readonly records: Record<string, T>;
}

export function stateHome(): string {
  return process.env.MODELBAZAAR_HOME ?? join(process.cwd(), ".modelbazaar", "cli");
}

function chainDir(chainId: number): string {
  return join(stateHome(), String(chainId));
}

function scopeDirName(scope: RecordScope): string {
  return `${scope.market.toLowerCase()}-${scope.anchorHash.slice(2, 18).toLowerCase()}`;
}

function fileOf(kind: StateKind, scope: RecordScope): string {
  return join(chainDir(scope.chainId), scopeDirName(scope), `${kind}.json`);
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function writeJson(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2) + "\n", { mode: 0o600 });
  renameSync(tmp, file);
}

/** Every record of `kind` kept for the deployment `scope`, by key (e.g. "<auctionId>:<bidder>"). */
export function readState<T>(kind: StateKind, scope: RecordScope): Record<string, T> {
  return readJson<Record<string, T>>(fileOf(kind, scope)) ?? {};
}

/**
 * Stores (or replaces) one record, then renames into place so a crash never leaves half a file.
 * The read-modify-write holds a lock file, so two commands run at once (two bids from two
 * terminals) cannot drop each other's record.
 */
export function writeStateRecord<T>(kind: StateKind, scope: RecordScope, key: string, record: T): void {
  const dir = join(chainDir(scope.chainId), scopeDirName(scope));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = fileOf(kind, scope);
  withLock(file, () => {
    if (readJson(join(dir, "scope.json")) === undefined) writeJson(join(dir, "scope.json"), scope);
    writeJson(file, { ...readState<T>(kind, scope), [key]: record });
  });
}

/** Removes one record (nothing happens when there is none). */
export function forgetStateRecord(kind: StateKind, scope: RecordScope, key: string): void {
  if (readState<unknown>(kind, scope)[key] === undefined) return;
  const file = fileOf(kind, scope);
  withLock(file, () => {
    const { [key]: _forgotten, ...rest } = readState<unknown>(kind, scope);
    writeJson(file, rest);
  });
}

const LOCK_TIMEOUT_MS = 10_000;

/** Runs `body` holding `<file>.lock` (created exclusively; taken over when its process is gone). */
function withLock(file: string, body: () => void): void {
  const lock = `${file}.lock`;
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: "wx", mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = lockHolder(lock);
    if (holder === undefined) continue; // released meanwhile
    if (holder > 0 && !processAlive(holder)) rmSync(lock, { force: true });
    else if (Date.now() > deadline) throw new Error(`${lock} has been held for ${LOCK_TIMEOUT_MS / 1000} s by process ${holder}; if no bazaar command runs, remove it`);
    else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
  try {
    body();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** The process id a lock file names (0 while it is being written), or undefined once it is gone. */
function lockHolder(lock: string): number | undefined {
  try {
    const pid = Number(readFileSync(lock, "utf8"));
    return Number.isInteger(pid) && pid > 0 ? pid : 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}


/** The records of `kind` this machine keeps on the same chain id for other deployments, and from before records had a scope. */
export function recordsElsewhere<T>(kind: StateKind, scope: RecordScope): RecordsElsewhere<T>[] {
  const dir = chainDir(scope.chainId);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const found: RecordsElsewhere<T>[] = [];
  for (const entry of entries) {
    if (entry === `${kind}.json`) {
      const file = join(dir, entry);
      found.push({ legacy: true, file, records: readJson<Record<string, T>>(file) ?? {} });
    } else if (entry !== scopeDirName(scope)) {
      const file = join(dir, entry, `${kind}.json`);
      const records = readJson<Record<string, T>>(file);
      if (records) found.push({ scope: readJson<RecordScope>(join(dir, entry, "scope.json")), legacy: false, file, records });
    }
  }
  return found;
}

/**
 * One sentence: this machine's record of `what` (e.g. "test-drive 1") belongs to another
 * deployment or predates record scopes, and is therefore not used on `scope`'s.
 */
export function notUsedSentence(what: string, where: RecordsElsewhere<unknown>, scope: RecordScope): string {
  const here = `this chain's first block ${scope.anchorBlock} has hash ${short(scope.anchorHash)}`;
  if (where.legacy) {
    return `this machine's record of ${what} (in ${where.file}) was kept before records were tied to a deployment and does not match ${what} of market ${scope.market} on this chain, so it is not used`;
  }
  if (!where.scope) return `this machine's record of ${what} (in ${where.file}) belongs to another deployment, so it is not used`;
  const there = `first block ${where.scope.anchorBlock} with hash ${short(where.scope.anchorHash)}`;
  if (where.scope.market.toLowerCase() === scope.market.toLowerCase()) {
    return `this machine's record of ${what} belongs to another chain that had the market at the same address, e.g. before npm start was restarted (its ${there}; ${here}), so it is not used`;
  }
  return `this machine's record of ${what} belongs to another deployment (market ${where.scope.market}, ${there}), not to this chain's market ${scope.market}, so it is not used`;
}

const short = (hash: Hex): string => `${hash.slice(0, 10)}…`;
