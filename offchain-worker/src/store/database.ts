/**
 * The worker's SQLite database (node:sqlite, synchronous): opens `<dataDir>/worker.sqlite`
 * and creates the schema. Everything that must survive a restart lives here: jobs, used
 * nonces, receipts (and the CopyReceipts of jobs evaluated with a buyer's copy), the watcher's table of known tests, the refund disputes on them, the
 * deliveries held for purchases, and the chain the directory is bound to. Large bytes (uploads, results)
 * live in files beside it (see blobStore.ts); rows hold their paths.
 *
 * Ids that are uint256 on-chain (test and listing ids) are stored as decimal TEXT.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  test_id TEXT NOT NULL,
  listing_id TEXT NOT NULL,
  model_id TEXT NOT NULL,
  buyer TEXT NOT NULL,
  paid_samples INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  upload_path TEXT NOT NULL,
  result_path TEXT,
  error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- A test takes one receipt, so it gets at most one job that has not failed.
CREATE UNIQUE INDEX IF NOT EXISTS jobs_one_live_job_per_test ON jobs (test_id) WHERE status != 'failed';

CREATE TABLE IF NOT EXISTS nonces (
  buyer TEXT NOT NULL,
  nonce TEXT NOT NULL,
  test_id TEXT NOT NULL,
  used_at INTEGER NOT NULL,
  PRIMARY KEY (buyer, nonce)
);
CREATE INDEX IF NOT EXISTS nonces_by_test ON nonces (test_id);

CREATE TABLE IF NOT EXISTS receipts (
  job_id TEXT PRIMARY KEY REFERENCES jobs (id),
  test_id TEXT NOT NULL,
  result_hash TEXT NOT NULL,
  signature TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'mined', 'failed')),
  tx_hash TEXT,
  error TEXT,
  updated_at INTEGER NOT NULL
);

-- The CopyReceipt of a job evaluated with a buyer's own copy (copies/servedCopies.ts), signed with its evaluation receipt.
CREATE TABLE IF NOT EXISTS copy_receipts (
  job_id TEXT PRIMARY KEY REFERENCES jobs (id),
  copy_root TEXT NOT NULL,
  copy_size TEXT NOT NULL,
  signature TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS tests (
  test_id TEXT PRIMARY KEY,
  listing_id TEXT NOT NULL,
  buyer TEXT NOT NULL,
  sample_count INTEGER NOT NULL,
  data_commitment TEXT NOT NULL,
  opened_block TEXT NOT NULL,
  receipt_hash TEXT
);

-- Refund claims on served tests (RefundClaimed), and what the worker decided and sent for each.
CREATE TABLE IF NOT EXISTS disputes (
  test_id TEXT PRIMARY KEY,
  listing_id TEXT NOT NULL,
  refund TEXT NOT NULL,
  free_samples_fee TEXT NOT NULL,
  decision TEXT CHECK (decision IN ('contest', 'pass')),
  reason TEXT,
  contest_tx TEXT,
  proof_tx TEXT,
  honest_opening INTEGER NOT NULL DEFAULT 0,
  outcome TEXT,
  error TEXT,
  updated_at INTEGER NOT NULL
);

-- Deliveries the seller handed this worker (its file under blobs/deliveries/), and the key reveal it sends.
CREATE TABLE IF NOT EXISTS deliveries (
  purchase_id TEXT PRIMARY KEY,
  buyer TEXT NOT NULL,
  path TEXT NOT NULL,
  ciphertext_root TEXT NOT NULL,
  key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('held', 'revealing', 'revealed', 'closed')),
  reveal_tx TEXT,
  error TEXT,
  updated_at INTEGER NOT NULL
);

-- The chain this data directory belongs to (one row): its jobs, nonces and receipts mean nothing on another.
CREATE TABLE IF NOT EXISTS chain_binding (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  chain_id INTEGER NOT NULL,
  genesis_hash TEXT NOT NULL,
  market TEXT NOT NULL,
  deployment_block TEXT NOT NULL,
  deployment_block_hash TEXT NOT NULL,
  -- The last block the watcher scanned, and its hash: a chain that lacks it, or has another block there, is another chain.
  checkpoint_block TEXT,
  checkpoint_hash TEXT,
  bound_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS watcher_cursor (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  next_block TEXT NOT NULL
);
`;

export function openDatabase(dataDir: string): DatabaseSync {
  mkdirSync(dataDir, { recursive: true });
  const db = new DatabaseSync(join(dataDir, "worker.sqlite"), { enableForeignKeyConstraints: true, timeout: 5_000 });
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
  db.exec(SCHEMA);
  return db;
}

/** Reads every table the API serves from; throws when the database cannot (what /health reports). */
export function probeDatabase(db: DatabaseSync): void {
  for (const table of ["jobs", "receipts", "copy_receipts", "tests", "nonces", "disputes", "deliveries"]) db.prepare(`SELECT 1 FROM ${table} LIMIT 1`).get();
}

/** SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE (extended result codes). */
const DUPLICATE_KEY_CODES = new Set([1555, 2067]);

/** True when `error` is SQLite refusing a duplicate key. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && DUPLICATE_KEY_CODES.has((error as { errcode?: unknown }).errcode as number);
}
