/**
 * The secrets and records a user's commands must keep between runs, on the user's machine
 * only: a bid's amount and salt until the reveal, a test set's salt, labels and predictions
 * until a dispute, a delivery's key until the reveal. One JSON file per kind and chain under
 * MODELBAZAAR_HOME (default ./.modelbazaar/cli), written atomically; bigints stored as strings.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type StateKind = "bids" | "tests" | "deliveries" | "downloads";

function home(): string {
  return process.env.MODELBAZAAR_HOME ?? join(process.cwd(), ".modelbazaar", "cli");
}

function fileOf(kind: StateKind, chainId: number): string {
  return join(home(), String(chainId), `${kind}.json`);
}

/** Every record of `kind` on `chainId`, by key (e.g. "<auctionId>:<bidder>"). */
export function readState<T>(kind: StateKind, chainId: number): Record<string, T> {
  try {
    return JSON.parse(readFileSync(fileOf(kind, chainId), "utf8")) as Record<string, T>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
}

/** Stores (or replaces) one record, then renames into place so a crash never leaves half a file. */
export function writeStateRecord<T>(kind: StateKind, chainId: number, key: string, record: T): void {
  const file = fileOf(kind, chainId);
  mkdirSync(join(home(), String(chainId)), { recursive: true });
  const all = { ...readState<T>(kind, chainId), [key]: record };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(all, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2) + "\n", { mode: 0o600 });
  renameSync(tmp, file);
}
